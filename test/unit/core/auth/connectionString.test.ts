import * as assert from 'node:assert/strict';
import { isLoopbackCallback, parseConnectionString } from '../../../../src/core/auth/connectionString';

describe('connection strings', () => {
  it('reads the OAuth form with every value in its place', () => {
    const r = parseConnectionString(
      'Profile=C:\\profiles\\HelpScout.apip;Authscheme=OAuth;InitiateOAuth=GETANDREFRESH;OAuthClientId=abc123;OAuthClientSecret=s3cr3t;CallbackUrl=http://127.0.0.1:33333/callback;',
    );
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.unknownKeys, []);
    assert.deepEqual(r.settings, {
      profile: 'C:\\profiles\\HelpScout.apip',
      authScheme: 'OAuth',
      initiateOAuth: 'GETANDREFRESH',
      oauthClientId: 'abc123',
      oauthClientSecret: 's3cr3t',
      callbackUrl: 'http://127.0.0.1:33333/callback',
    });
  });

  it('reads the API key out of quoted ProfileSettings', () => {
    const r = parseConnectionString("Profile=C:\\profiles\\HelpScout.apip;ProfileSettings='APIKey=k-1;Region=eu';");
    assert.equal(r.settings.apiKey, 'k-1');
    assert.deepEqual(r.unknownKeys, ['ProfileSettings.Region']);
    assert.deepEqual(r.problems, []);
  });

  it('takes keys in any case and values in either quote, with doubled quotes inside', () => {
    const r = parseConnectionString(`oauthclientid="a;b";OAUTHCLIENTSECRET='it''s';initiateoauth=refresh`);
    assert.equal(r.settings.oauthClientId, 'a;b');
    assert.equal(r.settings.oauthClientSecret, "it's");
    assert.equal(r.settings.initiateOAuth, 'REFRESH');
    assert.deepEqual(r.problems, []);
  });

  it('reports unknown keys without failing', () => {
    const r = parseConnectionString('AuthScheme=OAuth;Timeout=30;Verbosity=3;OAuthClientId=x');
    assert.deepEqual(r.unknownKeys, ['Timeout', 'Verbosity']);
    assert.equal(r.settings.oauthClientId, 'x');
    assert.deepEqual(r.problems, []);
  });

  it('reports bad values and syntax with offsets, and keeps the good ones', () => {
    const input = "InitiateOAuth=SOMETIMES;AuthScheme=Basic;CallbackUrl=not a url;Lonely;OAuthClientId='open";
    const r = parseConnectionString(input);
    const messages = r.problems.map((p) => `${p.key ?? ''}@${p.offset}: ${p.message}`);
    assert.equal(r.problems.length, 5, messages.join('\n'));
    assert.ok(messages.some((m) => m.startsWith('InitiateOAuth@0') && m.includes('GETANDREFRESH')));
    assert.ok(messages.some((m) => m.startsWith('AuthScheme@24')));
    assert.ok(messages.some((m) => m.startsWith('CallbackUrl@')));
    assert.ok(messages.some((m) => m.includes('missing "="') && m.startsWith(`Lonely@${input.indexOf('Lonely')}`)));
    assert.ok(messages.some((m) => m.includes('unterminated')));
    assert.equal(r.settings.oauthClientId, 'open');
    assert.equal(r.settings.initiateOAuth, undefined);
  });

  it('returns nothing for an empty string', () => {
    assert.deepEqual(parseConnectionString('  ;; '), { settings: {}, unknownKeys: [], problems: [] });
  });

  it('tells loopback callback URLs apart', () => {
    assert.equal(isLoopbackCallback('http://127.0.0.1:9999/callback'), true);
    assert.equal(isLoopbackCallback('http://localhost:9999/cb'), true);
    assert.equal(isLoopbackCallback('http://127.0.0.1/callback'), false);
    assert.equal(isLoopbackCallback('https://example.com/callback'), false);
    assert.equal(isLoopbackCallback('vscode://helpscout-tools.helpscout-vscode/auth-callback'), false);
  });
});
