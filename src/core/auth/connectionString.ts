// Parses connection strings in the form the product's SQL-driver ancestor used,
// e.g. `AuthScheme=OAuth;InitiateOAuth=GETANDREFRESH;OAuthClientId=…;
// OAuthClientSecret=…;CallbackUrl=…;ProfileSettings='APIKey=…';`.
// Keys are case-insensitive, values may be quoted with ' or " (a doubled quote
// inside stands for one), unknown keys are reported but do not fail the parse.
// Problems and unknown keys are shown and logged, so they name a property by its
// known name or its position and never repeat text from a value: a malformed piece
// of the string may be (part of) a secret.
import { isSecretParam } from '../http/redact';

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
  /** The property's name as the product spells it, only when it is one the product knows. */
  key?: string;
  /** Names properties by known name or position only: never holds text from a value. */
  message: string;
}

export interface ParsedConnectionString {
  settings: ConnectionSettings;
  /**
   * Keys that were present but are not understood: as written when they are plain words,
   * otherwise `property N` (a key right after an unquoted secret may be a piece of it).
   */
  unknownKeys: string[];
  /** Values that were present but invalid, and syntax problems. Parsing never throws. */
  problems: ConnectionStringProblem[];
}

interface Pair {
  key: string;
  value: string;
  /** Where the key starts. */
  offset: number;
  /** Where the value's text starts (after an opening quote). */
  valueOffset: number;
  /** 1-based position among the properties, for messages that must not quote the key. */
  index: number;
  /** The property before this one had a secret name and an unquoted value. */
  afterUnquotedSecret?: string;
}

/** Known property names, by their lower-case form: the only key text a message repeats. */
const KNOWN_KEYS = new Map(
  ['AuthScheme', 'InitiateOAuth', 'OAuthClientId', 'OAuthClientSecret', 'CallbackURL', 'OAuthAccessToken', 'OAuthRefreshToken', 'Profile', 'ProfileSettings'].map((k) => [k.toLowerCase(), k]),
);
const KNOWN_PROFILE_KEYS = new Map([['apikey', 'APIKey']]);

/** A key written as a plain word (letters, digits, `_`, `.`, `-`, inner spaces) can be named. */
const PLAIN_KEY = /^[A-Za-z][A-Za-z0-9_. -]{0,63}$/;

/**
 * Splits `k=v;k2='v;2'` into pairs, keeping offsets for error messages. Problems name a
 * property by its known name or its position, never by text from the input: a malformed
 * piece may well be (part of) a secret.
 */
export function splitPairs(
  input: string,
  known: ReadonlyMap<string, string> = KNOWN_KEYS,
): { pairs: Pair[]; problems: ConnectionStringProblem[] } {
  const pairs: Pair[] = [];
  const problems: ConnectionStringProblem[] = [];
  const problem = (offset: number, key: string | undefined, message: string): void => {
    problems.push(key === undefined ? { offset, message } : { offset, key, message });
  };
  let i = 0;
  let index = 0;
  let unquotedSecret: string | undefined;
  const n = input.length;
  while (i < n) {
    while (i < n && (input[i] === ';' || /\s/.test(input[i] ?? ''))) i++;
    if (i >= n) break;
    index++;
    const start = i;
    const after = unquotedSecret;
    unquotedSecret = undefined;
    while (i < n && input[i] !== '=' && input[i] !== ';') i++;
    const keyText = input.slice(start, i).trim();
    if (i >= n || input[i] === ';') {
      // No '=': the key may have been followed by a space or ':' (`OAuthClientSecret: x`).
      const name = known.get(keyText.split(/[\s:]/)[0]?.toLowerCase() ?? '');
      const label = name ?? `property ${index}`;
      const hint = after !== undefined && name === undefined ? `; if the ${after} value contains ";", put it in quotes` : '';
      problem(start, name, keyText.includes(':') ? `${label} has ":" where "=" belongs${hint}` : `${label} has no "="${hint}`);
      continue;
    }
    const key = keyText;
    const name = known.get(key.toLowerCase());
    const label = name ?? `property ${index}`;
    i++; // skip '='
    while (i < n && (input[i] === ' ' || input[i] === '\t')) i++;
    let value = '';
    let valueOffset = i;
    const q = input[i];
    if (q === "'" || q === '"') {
      valueOffset = i + 1;
      const quoteAt = i;
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
      if (!closed) problem(quoteAt, name, `${label}: the quoted value is not closed`);
      while (i < n && input[i] !== ';') {
        if (!/\s/.test(input[i] ?? '')) {
          problem(i, name, `${label}: unexpected text after the quoted value`);
          while (i < n && input[i] !== ';') i++;
          break;
        }
        i++;
      }
    } else {
      while (i < n && input[i] !== ';') i++;
      value = input.slice(valueOffset, i).trim();
      if (key !== '' && isSecretParam(key)) unquotedSecret = name ?? 'secret';
    }
    if (key.length === 0) problem(start, undefined, `property ${index} has a value but no name`);
    else pairs.push({ key, value, offset: start, valueOffset, index, ...(after === undefined ? {} : { afterUnquotedSecret: after }) });
  }
  return { pairs, problems };
}

/** How an unknown key is reported: as written when it is a plain word that cannot be a piece of a secret. */
function unknownKeyLabel(p: Pair, prefix = ''): string {
  return PLAIN_KEY.test(p.key) && p.afterUnquotedSecret === undefined ? `${prefix}${p.key}` : `${prefix}property ${p.index}`;
}

/** One line for a log or a notification: the message and where it is. Never holds a value. */
export function formatProblem(p: ConnectionStringProblem): string {
  return `${p.message} (at character ${p.offset + 1})`;
}

const enumValue = <T extends string>(allowed: readonly T[], raw: string): T | undefined =>
  allowed.find((a) => a.toLowerCase() === raw.trim().toLowerCase());

export function parseConnectionString(input: string): ParsedConnectionString {
  const { pairs, problems } = splitPairs(input);
  const settings: ConnectionSettings = {};
  const unknownKeys: string[] = [];
  // Messages about values say what is allowed and never repeat what was written: a
  // forgotten ';' puts the next property, a secret perhaps, into this value.
  for (const pair of pairs) {
    const { key, value, offset } = pair;
    switch (key.toLowerCase()) {
      case 'authscheme': {
        const v = enumValue(['OAuth', 'None'] as const, value);
        if (v) settings.authScheme = v;
        else problems.push({ offset, key: 'AuthScheme', message: 'AuthScheme must be OAuth or None' });
        break;
      }
      case 'initiateoauth': {
        const v = enumValue(['OFF', 'GETANDREFRESH', 'REFRESH'] as const, value);
        if (v) settings.initiateOAuth = v;
        else problems.push({ offset, key: 'InitiateOAuth', message: 'InitiateOAuth must be OFF, GETANDREFRESH or REFRESH' });
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
        else problems.push({ offset, key: 'CallbackURL', message: 'CallbackURL must be an http(s) URL' });
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
        const inner = splitPairs(value, KNOWN_PROFILE_KEYS);
        for (const p of inner.problems) {
          problems.push({ offset: pair.valueOffset + p.offset, key: 'ProfileSettings', message: `ProfileSettings: ${p.message}` });
        }
        for (const p of inner.pairs) {
          if (p.key.toLowerCase() === 'apikey') settings.apiKey = p.value;
          else unknownKeys.push(unknownKeyLabel(p, 'ProfileSettings.'));
        }
        break;
      }
      default:
        unknownKeys.push(unknownKeyLabel(pair));
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
