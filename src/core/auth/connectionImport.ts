// The "Import Connection String" command without its UI: parses the string, and when it
// has no problems puts each value in its place through the ports the extension passes
// (settings for the App ID, callback URL, AuthScheme and InitiateOAuth; secret storage for
// the App secret and the Docs API key). Everything it logs or returns for display is built
// from property names and positions only, so a malformed string cannot put its secret in
// the log or a notification.
import type { Logger } from '../log';
import { type ConnectionSettings, formatProblem, parseConnectionString } from './connectionString';

export type ImportedSetting = 'AuthScheme' | 'InitiateOAuth' | 'OAuthClientId' | 'CallbackURL';
export type ImportedSecret = 'OAuthClientSecret' | 'APIKey';

export interface ConnectionImportPorts {
  readonly log: Logger;
  setSetting(name: ImportedSetting, value: string): Promise<void>;
  storeSecret(name: ImportedSecret, value: string): Promise<void>;
}

export interface ConnectionImport {
  /** What was put in place, by property name, in order. Empty when there were problems. */
  readonly applied: string[];
  /** Unknown properties, as `parseConnectionString` names them (never a value). */
  readonly unknownKeys: string[];
  /** One sentence per problem, safe to show and log. When there is any, nothing was applied. */
  readonly problems: string[];
  /** True when a `Profile=` property was present (the driver's profile file; not needed). */
  readonly profileIgnored: boolean;
  /** The parsed values, secrets included, for the sign-in that may follow. Never log this. */
  readonly settings: ConnectionSettings;
}

export async function importConnectionString(input: string, ports: ConnectionImportPorts): Promise<ConnectionImport> {
  const parsed = parseConnectionString(input);
  const problems = parsed.problems.map(formatProblem);
  const s = parsed.settings;
  const result = { applied: [] as string[], unknownKeys: parsed.unknownKeys, problems, profileIgnored: s.profile !== undefined, settings: s };
  if (problems.length > 0) {
    // Nothing is applied from a string with invalid values: half an import is worse than none.
    ports.log.warn(`[auth] connection string not imported: ${problems.join('; ')}`);
    return result;
  }
  const settings: [ImportedSetting, string | undefined][] = [
    ['AuthScheme', s.authScheme],
    ['InitiateOAuth', s.initiateOAuth],
    ['OAuthClientId', s.oauthClientId],
    ['CallbackURL', s.callbackUrl],
  ];
  for (const [name, value] of settings) {
    if (value === undefined) continue;
    await ports.setSetting(name, value);
    result.applied.push(name);
  }
  const secrets: [ImportedSecret, string | undefined][] = [
    ['OAuthClientSecret', s.oauthClientSecret],
    ['APIKey', s.apiKey],
  ];
  for (const [name, value] of secrets) {
    if (value === undefined || value === '') continue;
    await ports.storeSecret(name, value);
    result.applied.push(name);
  }
  const ignored = parsed.unknownKeys.length > 0 ? `; ignored ${parsed.unknownKeys.join(', ')}` : '';
  ports.log.info(`[auth] imported a connection string: ${result.applied.join(', ') || 'nothing'}${ignored}`);
  return result;
}
