// Parses connection strings in the form the product's SQL-driver ancestor used,
// e.g. `AuthScheme=OAuth;InitiateOAuth=GETANDREFRESH;OAuthClientId=…;
// OAuthClientSecret=…;CallbackUrl=…;ProfileSettings='APIKey=…';`.
// Keys are case-insensitive, values may be quoted with ' or " (a doubled quote
// inside stands for one), unknown keys are reported but do not fail the parse.

export type InitiateOAuth = 'OFF' | 'GETANDREFRESH' | 'REFRESH';
export type AuthScheme = 'OAuth' | 'None';

export interface ConnectionSettings {
  authScheme?: AuthScheme;
  initiateOAuth?: InitiateOAuth;
  oauthClientId?: string;
  oauthClientSecret?: string;
  callbackUrl?: string;
  oauthAccessToken?: string;
  oauthRefreshToken?: string;
  /** The Docs API key, from `ProfileSettings='APIKey=…'`. */
  apiKey?: string;
  /** `Profile=…`: the driver's profile file; kept only to report it as not needed. */
  profile?: string;
}

export interface ConnectionStringProblem {
  /** Character offset in the input where the problem starts. */
  offset: number;
  key?: string;
  message: string;
}

export interface ParsedConnectionString {
  settings: ConnectionSettings;
  /** Keys that were present but are not understood (as written by the user). */
  unknownKeys: string[];
  /** Values that were present but invalid, and syntax problems. Parsing never throws. */
  problems: ConnectionStringProblem[];
}

interface Pair {
  key: string;
  value: string;
  offset: number;
}

/** Splits `k=v;k2='v;2'` into pairs, keeping offsets for error messages. */
export function splitPairs(input: string): { pairs: Pair[]; problems: ConnectionStringProblem[] } {
  const pairs: Pair[] = [];
  const problems: ConnectionStringProblem[] = [];
  let i = 0;
  const n = input.length;
  while (i < n) {
    while (i < n && (input[i] === ';' || /\s/.test(input[i] ?? ''))) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && input[i] !== '=' && input[i] !== ';') i++;
    const key = input.slice(start, i).trim();
    if (i >= n || input[i] === ';') {
      problems.push({ offset: start, key, message: 'missing "=" after key' });
      continue;
    }
    i++; // skip '='
    while (i < n && (input[i] === ' ' || input[i] === '\t')) i++;
    let value = '';
    const q = input[i];
    if (q === "'" || q === '"') {
      const valueStart = i;
      i++;
      let closed = false;
      while (i < n) {
        if (input[i] === q) {
          if (input[i + 1] === q) {
            value += q;
            i += 2;
            continue;
          }
          closed = true;
          i++;
          break;
        }
        value += input[i];
        i++;
      }
      if (!closed) problems.push({ offset: valueStart, key, message: 'unterminated quoted value' });
      while (i < n && input[i] !== ';') {
        if (!/\s/.test(input[i] ?? '')) {
          problems.push({ offset: i, key, message: 'unexpected text after quoted value' });
          while (i < n && input[i] !== ';') i++;
          break;
        }
        i++;
      }
    } else {
      const valueStart = i;
      while (i < n && input[i] !== ';') i++;
      value = input.slice(valueStart, i).trim();
    }
    if (key.length === 0) problems.push({ offset: start, message: 'empty key' });
    else pairs.push({ key, value, offset: start });
  }
  return { pairs, problems };
}

const enumValue = <T extends string>(allowed: readonly T[], raw: string): T | undefined =>
  allowed.find((a) => a.toLowerCase() === raw.trim().toLowerCase());

export function parseConnectionString(input: string): ParsedConnectionString {
  const { pairs, problems } = splitPairs(input);
  const settings: ConnectionSettings = {};
  const unknownKeys: string[] = [];
  for (const { key, value, offset } of pairs) {
    switch (key.toLowerCase()) {
      case 'authscheme': {
        const v = enumValue(['OAuth', 'None'] as const, value);
        if (v) settings.authScheme = v;
        else problems.push({ offset, key, message: `AuthScheme must be OAuth or None, not "${value}"` });
        break;
      }
      case 'initiateoauth': {
        const v = enumValue(['OFF', 'GETANDREFRESH', 'REFRESH'] as const, value);
        if (v) settings.initiateOAuth = v;
        else problems.push({ offset, key, message: `InitiateOAuth must be OFF, GETANDREFRESH or REFRESH, not "${value}"` });
        break;
      }
      case 'oauthclientid':
        settings.oauthClientId = value;
        break;
      case 'oauthclientsecret':
        settings.oauthClientSecret = value;
        break;
      case 'callbackurl': {
        if (isHttpUrl(value)) settings.callbackUrl = value;
        else problems.push({ offset, key, message: 'CallbackURL must be an http(s) URL' });
        break;
      }
      case 'oauthaccesstoken':
        settings.oauthAccessToken = value;
        break;
      case 'oauthrefreshtoken':
        settings.oauthRefreshToken = value;
        break;
      case 'profile':
        settings.profile = value;
        break;
      case 'profilesettings': {
        const inner = splitPairs(value);
        for (const p of inner.problems) problems.push({ ...p, offset: offset + p.offset, key: 'ProfileSettings' });
        for (const p of inner.pairs) {
          if (p.key.toLowerCase() === 'apikey') settings.apiKey = p.value;
          else unknownKeys.push(`ProfileSettings.${p.key}`);
        }
        break;
      }
      default:
        unknownKeys.push(key);
    }
  }
  return { settings, unknownKeys, problems };
}

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** True for `http://127.0.0.1:PORT/…` or `http://localhost:PORT/…` (a one-shot local listener can take the callback). */
export function isLoopbackCallback(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]') && u.port !== '';
  } catch {
    return false;
  }
}
