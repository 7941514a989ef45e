import * as assert from 'node:assert/strict';
import { isSecretParam, redactText, redactUrl } from '../../../../src/core/http/redact';

describe('redaction', () => {
  it('removes credentials and secret query parameters from URLs', () => {
    const out = redactUrl(
      'https://user:p4ss@api.example.test/v2/oauth2/token?code=abc123&state=s1&access_token=tok&refresh_token=r&client_secret=cs&page=2',
    );
    for (const secret of ['user', 'p4ss', 'abc123', '=tok', '=r&', 'cs&']) assert.ok(!out.includes(secret), `${secret} in ${out}`);
    assert.match(out, /state=s1/);
    assert.match(out, /page=2/);
    assert.match(out, /code=\*\*\*/);
    assert.match(out, /^https:\/\/\*\*\*@api\.example\.test\//);
  });

  it('leaves URLs without secrets unchanged', () => {
    const url = 'http://127.0.0.1:5000/v2/conversations?status=all&page=3';
    assert.equal(redactUrl(url), url);
  });

  it('redacts form bodies, JSON bodies and Authorization values in text', () => {
    const form = 'grant_type=refresh_token&refresh_token=RT-1&client_id=app&client_secret=SEC';
    const f = redactText(form);
    assert.ok(!f.includes('RT-1') && !f.includes('SEC'), f);
    assert.match(f, /client_id=app/);
    const json = redactText('{"access_token":"AT-9","token_type":"bearer","refresh_token":"RT-9"}');
    assert.ok(!json.includes('AT-9') && !json.includes('RT-9'), json);
    assert.match(json, /"token_type":"bearer"/);
    const header = redactText('Authorization: Bearer abc.def-123 and Basic a2V5Olg=');
    assert.ok(!header.includes('abc.def-123') && !header.includes('a2V5Olg='), header);
  });
});

describe('redaction of every spelling of a secret name', () => {
  const SECRET = 'S3cr3t-Value_99';
  // Every spelling an API key, token or secret is written in: header names, camelCase
  // JSON keys, snake_case form fields, the connection-string properties of the SQL driver.
  const names = [
    'api-key', 'Api-Key', 'API-KEY', 'apiKey', 'ApiKey', 'api_key', 'APIKey', 'APIKEY', 'x-api-key', 'X-Api-Key', 'X_API_KEY',
    'accessToken', 'access_token', 'Access-Token', 'refreshToken', 'refresh_token', 'RefreshToken',
    'clientSecret', 'client_secret', 'Client-Secret',
    'OAuthClientSecret', 'oauthclientsecret', 'OAuthAccessToken', 'OAuthRefreshToken', 'oauth_refresh_token',
    'id_token', 'idToken', 'password', 'Password', 'secret', 'token', 'key', 'code', 'authToken', 'webhookSecret',
  ];

  const noSecret = (out: string, where: string): void => {
    assert.ok(!out.includes(SECRET), `${where}: secret left in ${out}`);
    assert.ok(!out.includes('S3cr3t'), `${where}: part of the secret left in ${out}`);
  };

  for (const name of names) {
    it(`redacts ${name} in URLs, fragments, text, JSON, connection strings and header lines`, () => {
      noSecret(redactUrl(`https://api.example.test/v2/x?page=2&${name}=${SECRET}`), 'URL query');
      noSecret(redactUrl(`https://app.example.test/cb#${name}=${SECRET}&state=s1`), 'URL fragment');
      noSecret(redactText(`GET https://api.example.test/v2/x?${name}=${SECRET}&page=2 failed`), 'URL in text');
      noSecret(redactText(`redirected to https://app.example.test/cb#${name}=${SECRET}&token_type=bearer`), 'fragment in text');
      noSecret(redactText(`form ${name}=${SECRET}&grant_type=refresh_token`), 'form');
      noSecret(redactText(`{"${name}":"${SECRET}","page":1}`), 'JSON');
      noSecret(redactText(`{ "${name}" : "${SECRET}", "page": 1 }`), 'JSON with spaces');
      noSecret(redactText(`AuthScheme=OAuth;${name}=${SECRET};OAuthClientId=app1`), 'connection string');
      noSecret(redactText(`${name} = ${SECRET}; OAuthClientId=app1`), 'connection string with spaces');
      noSecret(redactText(`${name}='${SECRET};more';OAuthClientId=app1`), 'single-quoted value with ;');
      noSecret(redactText(`${name}="${SECRET};more";OAuthClientId=app1`), 'double-quoted value with ;');
      // `code` is a secret only as `code=…` or `"code":"…"` (the OAuth authorization code);
      // no HTTP header is called that, and `code: 404` in prose is not one.
      if (name !== 'code') {
        noSecret(redactText(`${name}: ${SECRET}`), 'header line');
        noSecret(redactText(`> GET /v2/users/me\n> ${name}: ${SECRET}\n> Accept: application/json`), 'header line among others');
      }
    });
  }

  it('keeps the non-secret neighbours readable', () => {
    const cs = redactText(`AuthScheme=OAuth;OAuthClientId=app1;OAuthClientSecret='${SECRET};x';CallbackURL=http://127.0.0.1:3/cb;`);
    assert.match(cs, /AuthScheme=OAuth/);
    assert.match(cs, /OAuthClientId=app1/);
    assert.match(cs, /CallbackURL=http:\/\/127\.0\.0\.1:3\/cb/);
    assert.match(cs, /OAuthClientSecret=\*\*\*/);
    assert.ok(!cs.includes(';x'), cs);
    const frag = redactUrl(`https://app.example.test/cb#access_token=${SECRET}&token_type=bearer&expires_in=3600&state=s1`);
    assert.equal(frag, 'https://app.example.test/cb#access_token=***&token_type=bearer&expires_in=3600&state=s1');
    const json = redactText(`{"accessToken": "${SECRET}", "tokenType": "bearer", "clientId": "app1", "code": 404}`);
    assert.match(json, /"tokenType": "bearer"/);
    assert.match(json, /"clientId": "app1"/);
    assert.match(json, /"code": 404/, 'numbers are not secrets');
    const headers = redactText(`Authorization: Bearer ${SECRET}\nX-Api-Key: ${SECRET}\nContent-Type: application/json`);
    assert.ok(!headers.includes('S3cr3t'), headers);
    assert.match(headers, /Content-Type: application\/json/);
    assert.match(headers, /X-Api-Key: \*\*\*/);
  });

  it('redacts the whole ProfileSettings value, quoted or not, as text or JSON', () => {
    for (const text of [
      `ProfileSettings='APIKey=${SECRET};Region=eu';Timeout=30`,
      `ProfileSettings="APIKey=${SECRET}";Timeout=30`,
      `ProfileSettings=APIKey=${SECRET};Timeout=30`,
      `ProfileSettings = 'APIKey = ${SECRET}'; Timeout=30`,
      `{"ProfileSettings":"APIKey=${SECRET}","Timeout":30}`,
      `{"profileSettings": "APIKey=${SECRET}"}`,
    ]) {
      const out = redactText(text);
      assert.ok(!out.includes('S3cr3t'), out);
      assert.match(out, /Timeout|profileSettings/);
    }
  });

  it('leaves ordinary prose and non-secret names alone', () => {
    for (const text of [
      'OAuthClientId=app1;AuthScheme=OAuth;InitiateOAuth=GETANDREFRESH',
      'https://api.example.test/v2/conversations?status=active&page=2',
      'Unexpected token: FROM at line 1',
      'Status code: 404',
      'the primary key: id',
      'client_id=app&grant_type=refresh_token&state=xyz',
      '{"token_type":"bearer","expires_in":7200,"client_id":"app1"}',
    ]) {
      assert.equal(redactText(text), text);
    }
  });

  it('finds a secret inside the value of a name that is not secret', () => {
    const out = redactText(`CallbackURL=http://127.0.0.1:3/cb?code=${SECRET}&state=s1;Other='token=${SECRET}'`);
    assert.ok(!out.includes('S3cr3t'), out);
    assert.match(out, /state=s1/);
  });

  it('stays linear on long, nested and unclosed input', () => {
    const started = Date.now();
    for (const text of ["a='" + 'x'.repeat(100_000), 'a='.repeat(50_000), 'k=v;'.repeat(25_000), 'x'.repeat(100_000), 'a: '.repeat(30_000)]) {
      redactText(text);
    }
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  });

  it('tells secret names from others after normalising them', () => {
    for (const n of ['api-key', 'X-Api-Key', 'APIKey', 'OAuthClientSecret', 'OAuthAccessToken', 'accessToken', 'refresh-token', 'ProfileSettings', 'Authorization', 'code']) {
      assert.equal(isSecretParam(n), true, n);
    }
    for (const n of ['OAuthClientId', 'client_id', 'state', 'token_type', 'tokenType', 'expires_in', 'grant_type', 'page', 'status', 'AuthScheme', 'InitiateOAuth', 'CallbackURL', 'statusCode', 'sortKey']) {
      assert.equal(isSecretParam(n), false, n);
    }
  });
});
