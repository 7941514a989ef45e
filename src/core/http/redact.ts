// Redaction for anything that leaves the HTTP client for a log or an error:
// URLs (user:password@ and secret query parameters) and free text (form
// bodies, JSON bodies, Authorization header values). Called on every request
// log entry and on every URL stored in an error.

/** Parameter names whose values are secrets, compared case-insensitively. */
const SECRET_PARAMS = new Set([
  'access_token',
  'refresh_token',
  'client_secret',
  'code',
  'key',
  'api_key',
  'apikey',
  'password',
  'token',
  'id_token',
  'secret',
]);

export const REDACTED = '***';

export function isSecretParam(name: string): boolean {
  return SECRET_PARAMS.has(name.toLowerCase());
}

/** Returns the URL with credentials and secret query parameters replaced by `***`. */
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
  return u.toString().replaceAll('%2A%2A%2A', REDACTED);
}

/**
 * Redacts secrets in free text: `Bearer x`/`Basic x` values, `name=value`
 * pairs (forms, query strings) and `"name":"value"` pairs (JSON) for the
 * secret names above, and `scheme://user:pass@` credentials.
 */
export function redactText(text: string): string {
  let out = text.replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`);
  out = out.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+(?::[^/\s@]*)?@/gi, `$1${REDACTED}@`);
  out = out.replace(/(^|[?&\s])([A-Za-z_]+)=([^&\s]*)/g, (m, pre: string, name: string) =>
    isSecretParam(name) ? `${pre}${name}=${REDACTED}` : m,
  );
  out = out.replace(/"([A-Za-z_]+)"\s*:\s*"((?:[^"\\]|\\.)*)"/g, (m, name: string) =>
    isSecretParam(name) ? `"${name}":"${REDACTED}"` : m,
  );
  return out;
}
