import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetch as undiciFetch } from 'undici';
import { OAuthError, clientCredentials, refreshTokens } from '../../../../src/core/auth/oauth';

describe('OAuth token errors', () => {
  // A token endpoint that repeats what it was sent in its error, as a careless proxy or
  // server may: the error the user sees and the log gets must still hold no secret.
  let server: http.Server;
  let tokenUrl = '';
  before(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const status = body.includes('grant_type=refresh_token') ? 400 : 401;
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: status === 400 ? 'invalid_grant' : 'invalid_client', error_description: `could not use ${body}` }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    tokenUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/oauth2/token`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const deps = { fetch: undiciFetch, now: () => Date.now() };
  const app = { tokenUrl: '', clientId: 'app-1', clientSecret: 'Cs3cr3tValue' };

  it('never repeats the client secret or refresh token a server echoes back', async () => {
    await assert.rejects(clientCredentials({ ...app, tokenUrl }, deps), (e: unknown) => {
      assert.ok(e instanceof OAuthError && e.kind === 'invalid_client');
      assert.ok(!e.message.includes('Cs3cr3tValue'), e.message);
      assert.match(e.message, /client_id=app-1/, 'what is not secret stays readable');
      return true;
    });
    await assert.rejects(refreshTokens({ ...app, tokenUrl }, 'Rt0kenValue', deps), (e: unknown) => {
      assert.ok(e instanceof OAuthError && e.kind === 'invalid_grant');
      assert.ok(!e.message.includes('Rt0kenValue') && !e.message.includes('Cs3cr3tValue'), e.message);
      return true;
    });
  });

  it('keeps credentials in the token URL out of a network error', async () => {
    const unreachable = 'http://user:Pw0rdValue@127.0.0.1:1/v2/oauth2/token?client_secret=Cs3cr3tValue';
    await assert.rejects(clientCredentials({ ...app, tokenUrl: unreachable }, deps), (e: unknown) => {
      assert.ok(e instanceof OAuthError && e.kind === 'network');
      assert.ok(!e.message.includes('Pw0rdValue') && !e.message.includes('Cs3cr3tValue'), e.message);
      return true;
    });
  });
});
