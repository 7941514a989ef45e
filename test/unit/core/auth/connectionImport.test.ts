import * as assert from 'node:assert/strict';
import { type ConnectionImportPorts, importConnectionString } from '../../../../src/core/auth/connectionImport';
import type { Logger } from '../../../../src/core/log';

/** Ports that record every log line, setting and stored secret. */
function recording(): { ports: ConnectionImportPorts; lines: string[]; settings: Map<string, string>; secrets: Map<string, string> } {
  const lines: string[] = [];
  const line = (level: string) => (m: string | Error, ...args: unknown[]): void => {
    lines.push(`${level} ${String(m)} ${args.map((a) => JSON.stringify(a)).join(' ')}`);
  };
  const log: Logger = { trace: line('trace'), debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
  const settings = new Map<string, string>();
  const secrets = new Map<string, string>();
  return {
    lines,
    settings,
    secrets,
    ports: {
      log,
      setSetting: async (name, value) => void settings.set(name, value),
      storeSecret: async (name, value) => void secrets.set(name, value),
    },
  };
}

describe('importing a connection string', () => {
  const SECRET = 'Zq9sEcReTWx7vAlUe';
  const PARTS = ['Zq9sEcReT', 'Wx7vAlUe', 'Zq9', 'Wx7'];
  // The malformed forms found under attack, and their neighbours. In each the secret is
  // the App secret or the Docs API key, written the way a hurried paste gets it wrong.
  const MALFORMED: Record<string, string> = {
    'missing "="': `AuthScheme=OAuth;OAuthClientId=app1;OAuthClientSecret ${SECRET};`,
    'a ";" inside an unquoted secret': 'OAuthClientId=app1;OAuthClientSecret=Zq9sEcReT;Wx7vAlUe;',
    '":" instead of "="': `OAuthClientSecret:${SECRET};OAuthClientId=app1`,
    'a value without a key': `OAuthClientId=app1;=${SECRET};`,
    'a bare value': `OAuthClientId=app1;${SECRET};`,
    'an unclosed quote': `OAuthClientSecret='${SECRET};OAuthClientId=app1`,
    'a forgotten ";" before the secret': `AuthScheme=OAuth OAuthClientSecret=${SECRET};InitiateOAuth=GETANDREFRESH`,
    'ProfileSettings with ":"': `ProfileSettings='APIKey:${SECRET}'`,
    'ProfileSettings with a ";" inside the key': 'ProfileSettings=APIKey=Zq9sEcReT;Wx7vAlUe',
  };

  for (const [form, input] of Object.entries(MALFORMED)) {
    it(`rejects ${form} without the secret in the message or the log, and applies nothing`, async () => {
      const r = recording();
      const result = await importConnectionString(input, r.ports);
      assert.ok(result.problems.length > 0, `${form}: no problem reported`);
      assert.deepEqual(result.applied, []);
      assert.equal(r.settings.size + r.secrets.size, 0, 'nothing applied');
      // What the command shows is a fixed sentence around `problems`; what it logs is `lines`.
      const visible = [...result.problems, ...result.unknownKeys, ...r.lines].join('\n');
      assert.ok(r.lines.length > 0, 'the rejection is logged');
      for (const part of PARTS) assert.ok(!visible.includes(part), `${form}: "${part}" in:\n${visible}`);
    });
  }

  it('does not log a secret whose ";" made it end early, and names the rest by position', async () => {
    const r = recording();
    const result = await importConnectionString('OAuthClientId=app1;OAuthClientSecret=Zq9sEcReT;Wx7vAlUe=1', r.ports);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.unknownKeys, ['property 3']);
    const visible = [...result.unknownKeys, ...r.lines].join('\n');
    for (const part of PARTS) assert.ok(!visible.includes(part), visible);
  });

  it('puts each value of a good string in its place and logs only names', async () => {
    const r = recording();
    const result = await importConnectionString(
      `Profile=C:\\p.apip;AuthScheme=OAuth;InitiateOAuth=GETANDREFRESH;OAuthClientId=app1;OAuthClientSecret='${SECRET}';CallbackUrl=http://127.0.0.1:3/cb;ProfileSettings='APIKey=k-${SECRET}';Timeout=30`,
      r.ports,
    );
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.applied, ['AuthScheme', 'InitiateOAuth', 'OAuthClientId', 'CallbackURL', 'OAuthClientSecret', 'APIKey']);
    assert.deepEqual(result.unknownKeys, ['Timeout']);
    assert.equal(result.profileIgnored, true);
    assert.deepEqual([...r.settings], [['AuthScheme', 'OAuth'], ['InitiateOAuth', 'GETANDREFRESH'], ['OAuthClientId', 'app1'], ['CallbackURL', 'http://127.0.0.1:3/cb']]);
    assert.deepEqual([...r.secrets], [['OAuthClientSecret', SECRET], ['APIKey', `k-${SECRET}`]]);
    assert.deepEqual(r.lines, ['info [auth] imported a connection string: AuthScheme, InitiateOAuth, OAuthClientId, CallbackURL, OAuthClientSecret, APIKey; ignored Timeout ']);
  });
});
