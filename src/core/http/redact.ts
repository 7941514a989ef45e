// Redaction for anything that leaves core for a log, an error or a notification:
// URLs (user:password@, secret query parameters and fragment parameters) and
// free text (form bodies, JSON bodies, connection strings, header lines,
// Authorization values). Called on every request log entry, on every URL stored
// in an error, and by the extension on every error it logs or shows.
//
// Names are compared after normalising them: lower case, without `-`, `_`, `.`
// or spaces, and with an `x` and/or `oauth` prefix taken off, so `api-key`,
// `X-Api-Key`, `apiKey`, `API_KEY` and `APIKey` are one name, as are
// `OAuthClientSecret`, `client_secret` and `clientSecret`. A name is secret when
// it is one of SECRET_NAMES or ends in one of SECRET_SUFFIXES (`accessToken`,
// `webhookSecret`, `docsApiKey`…). `OAuthClientId`, `client_id`, `state`,
// `token_type` and `expires_in` are not secrets and stay readable.
//
// `code`, `key` and `token` are generic words. They are treated as secrets as
// `code=…` and `"code":"…"` (the OAuth authorization code travels as `code`),
// but `Name: value` is redacted only on a header line for `key` and `token` and
// never for `code`, so prose such as "Unexpected token: FROM" or
// "Status code: 404" stays readable.

/** Normalised names whose values are secrets. */
const SECRET_NAMES = new Set([
  'code',
  'authcode',
  'authorizationcode',
  'key',
  'apikey',
  'password',
  'passwd',
  'token',
  'secret',
  'authorization',
  'cookie',
  // The SQL driver's `ProfileSettings='APIKey=…'`: the whole value is redacted.
  'profilesettings',
]);

/** A normalised name ending in one of these is a secret: accesstoken, clientsecret, docsapikey… */
const SECRET_SUFFIXES = ['token', 'secret', 'password', 'apikey'];

/** Secret names too common in prose to redact after a colon in the middle of a sentence. */
const GENERIC_NAMES = new Set(['code', 'key', 'token']);

export const REDACTED = '***';

function normalise(name: string): string {
  return name.toLowerCase().replace(/[-_.\s]/g, '');
}

/** The normalised name with an `x` and/or `oauth` prefix taken off: `X-OAuth-Token` → `token`. */
function bareName(name: string): string {
  const n = normalise(name);
  for (const prefix of ['xoauth', 'oauth', 'x']) {
    if (n.startsWith(prefix) && n.length > prefix.length && isSecretBare(n.slice(prefix.length))) return n.slice(prefix.length);
  }
  return n;
}

function isSecretBare(n: string): boolean {
  return SECRET_NAMES.has(n) || SECRET_SUFFIXES.some((s) => n.endsWith(s));
}

/** True for a parameter, property, JSON key or header name whose value is a secret. */
export function isSecretParam(name: string): boolean {
  return isSecretBare(bareName(name));
}

/** Returns the URL with credentials and secret query and fragment parameters replaced by `***`. */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return redactText(url);
  }
  if (u.username !== '' || u.password !== '') {
    u.username = REDACTED;
    u.password = '';
  }
  const names = [...new Set([...u.searchParams.keys()])];
  for (const name of names) {
    if (isSecretParam(name)) {
      const count = u.searchParams.getAll(name).length;
      u.searchParams.delete(name);
      for (let i = 0; i < count; i++) u.searchParams.append(name, REDACTED);
    }
  }
  // URLSearchParams encodes `*` as %2A; keep the marker readable.
  const out = u.toString().replaceAll('%2A%2A%2A', REDACTED);
  // The implicit grant and some redirects put tokens in the fragment: `#access_token=…&…`.
  const hashAt = out.indexOf('#');
  return hashAt < 0 ? out : out.slice(0, hashAt + 1) + redactFormPairs(out.slice(hashAt + 1));
}

/** `a=1&access_token=x` → `a=1&access_token=***`, leaving everything else as it was. */
function redactFormPairs(text: string): string {
  return text
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const name = safeDecode(pair.slice(0, eq));
      return isSecretParam(name) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
    })
    .join('&');
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

// `"name" : "value"` in JSON (string values only; numbers and booleans are not secrets).
const JSON_PAIR = /("((?:[^"\\]|\\.)+)"\s*:\s*)"(?:[^"\\]|\\.)*"/g;
// `name=value` in forms, query strings, fragments and connection strings. A value is
// quoted ('…' with '' inside, or "…") or runs to the next `&`, `;` or white space. An
// unclosed quote runs to the end, so a half-quoted secret is still covered.
const NAME_VALUE = /(^|[?&#;,\s('"{[])([A-Za-z][A-Za-z0-9_.-]*)([ \t]*=[ \t]*)('(?:[^']|'')*'?|"(?:[^"\\]|\\.)*"?|[^&;\s]*)/g;
// `Name: value` as a header line (optionally after curl's `>`/`<` marker): the rest of the line.
const HEADER_LINE = /^([ \t]*(?:[<>][ \t]*)?)([A-Za-z][A-Za-z0-9_-]*)([ \t]*:[ \t]*)((?:Bearer|Basic|Token|Digest)[ \t]+)?([^\r\n]*)$/gim;
// `Name: value` inside a sentence or object literal: one quoted string or one word.
const INLINE_HEADER = /(^|[\s,;({[])([A-Za-z][A-Za-z0-9_-]*)([ \t]*:[ \t]*)((?:Bearer|Basic|Token|Digest)[ \t]+)?('(?:[^'\\]|\\.)*'?|"(?:[^"\\]|\\.)*"?|[^\s,;)}\]]+)/g;

/**
 * Redacts secrets in free text: `Bearer x`/`Basic x` values, `scheme://user:pass@`
 * credentials, `"name":"value"` pairs (JSON), `name=value` pairs (forms, query strings,
 * URL fragments, connection strings with quoted values) and `Name: value` header lines,
 * for every name `isSecretParam` accepts.
 */
export function redactText(text: string): string {
  let out = text.replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`);
  out = out.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+(?::[^/\s@]*)?@/gi, `$1${REDACTED}@`);
  out = out.replace(JSON_PAIR, (m, head: string, name: string) => (isSecretParam(name) ? `${head}"${REDACTED}"` : m));
  out = redactNameValues(out);
  out = out.replace(HEADER_LINE, (m, pre: string, name: string, sep: string, scheme: string | undefined) =>
    isSecretParam(name) && bareName(name) !== 'code' ? `${pre}${name}${sep}${scheme ?? ''}${REDACTED}` : m,
  );
  out = out.replace(INLINE_HEADER, (m, pre: string, name: string, sep: string, scheme: string | undefined) =>
    isSecretParam(name) && !GENERIC_NAMES.has(bareName(name)) ? `${pre}${name}${sep}${scheme ?? ''}${REDACTED}` : m,
  );
  return out;
}

/**
 * The `name=value` pass. After a name that is not secret the scan goes on inside its value,
 * so a secret within it (`Other='token=x'`, `CallbackURL=http://h/cb?code=x`) is still found.
 */
function redactNameValues(text: string): string {
  const re = new RegExp(NAME_VALUE.source, 'g');
  let out = '';
  let copied = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const [whole, pre = '', name = '', eq = ''] = m;
    const valueAt = m.index + pre.length + name.length + eq.length;
    if (isSecretParam(name)) {
      out += `${text.slice(copied, valueAt)}${REDACTED}`;
      copied = m.index + whole.length;
    } else {
      re.lastIndex = valueAt;
    }
  }
  return out + text.slice(copied);
}
