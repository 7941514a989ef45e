import * as assert from 'node:assert/strict';
import { formatProblem, isLoopbackCallback, parseConnectionString } from '../../../../src/core/auth/connectionString';

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
    // A key right after an unquoted secret is named by position: it may be a piece of the secret.
    assert.deepEqual(r.unknownKeys, ['ProfileSettings.property 2']);
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
    assert.ok(messages.some((m) => m.startsWith('CallbackURL@')), 'known keys are named as the product spells them');
    assert.ok(messages.some((m) => m === `@${input.indexOf('Lonely')}: property 4 has no "="`), messages.join('\n'));
    assert.ok(messages.some((m) => m === `OAuthClientId@${input.indexOf("'open")}: OAuthClientId: the quoted value is not closed`), messages.join('\n'));
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

  describe('malformed strings never echo a value', () => {
    // Each form holds the secret Zq9sEcReT…Wx7vAlUe; every piece of it is looked for.
    const PARTS = ['Zq9sEcReT', 'Wx7vAlUe', 'Zq9', 'Wx7'];
    const FORMS: Record<string, string> = {
      'missing "="': 'AuthScheme=OAuth;OAuthClientId=app1;OAuthClientSecret Zq9sEcReTWx7vAlUe;',
      'a ";" inside an unquoted secret': 'OAuthClientId=app1;OAuthClientSecret=Zq9sEcReT;Wx7vAlUe;',
      'a ";" inside an unquoted secret, "=" after it': 'OAuthClientId=app1;OAuthClientSecret=Zq9sEcReT;Wx7vAlUe=Zq9;',
      '":" instead of "="': 'OAuthClientSecret:Zq9sEcReTWx7vAlUe;OAuthClientId=app1',
      'a value without a key': 'OAuthClientId=app1;=Zq9sEcReTWx7vAlUe;',
      'a bare value': 'OAuthClientId=app1;Zq9sEcReTWx7vAlUe;',
      'an unclosed quote': "OAuthClientSecret='Zq9sEcReT;Wx7vAlUe;OAuthClientId=app1",
      'text after a quoted value': "OAuthClientSecret='Zq9'sEcReTWx7vAlUe;OAuthClientId=app1",
      'a forgotten ";" before the secret': 'AuthScheme=OAuth OAuthClientSecret=Zq9sEcReTWx7vAlUe;InitiateOAuth=GETANDREFRESH',
      'a bad InitiateOAuth value': 'InitiateOAuth=Zq9sEcReTWx7vAlUe;OAuthClientId=app1',
      'a bad CallbackURL value': 'CallbackURL=Zq9sEcReTWx7vAlUe;OAuthClientId=app1',
      'ProfileSettings with a ":"': "ProfileSettings='APIKey:Zq9sEcReTWx7vAlUe'",
      'ProfileSettings with a ";" inside the key': 'ProfileSettings=APIKey=Zq9sEcReT;Wx7vAlUe',
      'an unquoted ProfileSettings value with a ";"': "ProfileSettings='APIKey=Zq9sEcReT;Wx7vAlUe=1'",
    };

    for (const [form, input] of Object.entries(FORMS)) {
      it(`reports ${form} by position and property name only`, () => {
        assert.ok(input.includes('Zq9'));
        const r = parseConnectionString(input);
        const shown = [...r.problems.map(formatProblem), ...r.problems.map((p) => p.key ?? ''), ...r.unknownKeys].join('\n');
        assert.ok(r.problems.length + r.unknownKeys.length > 0, `${form}: nothing reported`);
        for (const part of PARTS) assert.ok(!shown.includes(part), `${form}: "${part}" in:\n${shown}`);
      });
    }

    it('names a property by its position, or by its name when it is one the product knows', () => {
      const a = parseConnectionString(FORMS['missing "="'] ?? '');
      assert.deepEqual(a.problems.map(formatProblem), ['OAuthClientSecret has no "=" (at character 37)']);
      const b = parseConnectionString(FORMS['a ";" inside an unquoted secret'] ?? '');
      assert.deepEqual(b.problems.map(formatProblem), [
        'property 3 has no "="; if the OAuthClientSecret value contains ";", put it in quotes (at character 48)',
      ]);
      const c = parseConnectionString(FORMS['":" instead of "="'] ?? '');
      assert.deepEqual(c.problems.map(formatProblem), ['OAuthClientSecret has ":" where "=" belongs (at character 1)']);
      const d = parseConnectionString(FORMS['a value without a key'] ?? '');
      assert.deepEqual(d.problems.map(formatProblem), ['property 2 has a value but no name (at character 20)']);
      const e = parseConnectionString(FORMS['a ";" inside an unquoted secret, "=" after it'] ?? '');
      assert.deepEqual(e.unknownKeys, ['property 3']);
      assert.equal(e.problems.length, 0);
      const f = parseConnectionString(FORMS['a bad InitiateOAuth value'] ?? '');
      assert.deepEqual(f.problems.map((p) => p.key), ['InitiateOAuth']);
      const g = parseConnectionString(FORMS['ProfileSettings with a ":"'] ?? '');
      assert.deepEqual(g.problems.map(formatProblem), ['ProfileSettings: APIKey has ":" where "=" belongs (at character 18)']);
    });

    it('still names unknown keys that are plain words, and keeps good values', () => {
      const r = parseConnectionString("OAuthClientSecret='a;b';Timeout=30;OAuthClientSecret2=x;Weird Key!=1;OAuthClientId=app1");
      assert.deepEqual(r.unknownKeys, ['Timeout', 'OAuthClientSecret2', 'property 4']);
      assert.equal(r.settings.oauthClientSecret, 'a;b');
      assert.equal(r.settings.oauthClientId, 'app1');
    });
  });
});
