// OAuth2 as Help Scout does it: the authorize page (client_id + state, no
// redirect_uri: the app's one registered URL is always used), the token
// endpoint with the authorization_code, client_credentials and refresh_token
// grants, and bearer-token checks for the Mailbox API.
import { randomBytes } from 'node:crypto';
import type { MailboxStore } from './mailbox/model';
import type { SandboxRequest, SandboxResponse } from './types';

export interface OAuthApp {
  name: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** The user who created the app; client-credentials tokens act as this user. */
  ownerUserId: number;
}

interface AccessToken {
  userId: number;
  clientId: string;
  /** ms since epoch; Infinity for the demo token. */
  expiresAt: number;
}

interface RefreshToken {
  userId: number;
  clientId: string;
  accessToken: string;
  used: boolean;
}

interface AuthCode {
  userId: number;
  clientId: string;
  expiresAt: number;
  used: boolean;
}

/** Authorization codes are short-lived (not documented; ten minutes is our choice) and single-use. */
const CODE_LIFETIME_MS = 10 * 60_000;

export type AuthResult = { ok: true; userId: number } | { ok: false; message: string };

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function html(status: number, title: string, body: string): SandboxResponse {
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;color:#1f2d3d}
.card{border:1px solid #d5dde5;border-radius:8px;padding:1.5rem}button{font-size:1rem;padding:.5rem 1.2rem;margin-right:.5rem}
code{background:#f1f4f7;padding:.1rem .3rem;border-radius:3px;word-break:break-all}</style></head>
<body><div class="card">${body}</div></body></html>`;
  return { status, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }, body: page };
}

/** Reads token-endpoint parameters from the query, a JSON body or a form body (all documented as accepted). */
function tokenParams(req: SandboxRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of req.query) out[k] = v;
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  const text = req.rawBody.toString('utf8');
  if (text.trim() === '') return out;
  if (type.includes('json') || text.trim().startsWith('{')) {
    try {
      const json = JSON.parse(text) as unknown;
      if (json && typeof json === 'object') {
        for (const [k, v] of Object.entries(json)) if (typeof v === 'string' || typeof v === 'number') out[k] = String(v);
      }
    } catch {
      // fall through: an unparsable body leaves only the query parameters
    }
    return out;
  }
  for (const [k, v] of new URLSearchParams(text)) out[k] = v;
  return out;
}

function oauthError(status: number, error: string, description: string): SandboxResponse {
  // Help Scout's token-endpoint error body is not documented; we answer the RFC 6749 §5.2 shape.
  return { status, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }, body: { error, error_description: description } };
}

export class OAuthServer {
  private readonly access = new Map<string, AccessToken>();
  private readonly refresh = new Map<string, RefreshToken>();
  private readonly codes = new Map<string, AuthCode>();

  constructor(
    readonly app: OAuthApp,
    readonly demoAccessToken: string,
    private readonly opts: { lifetimeSeconds: () => number; now: () => number; store: () => MailboxStore },
  ) {
    this.access.set(demoAccessToken, { userId: app.ownerUserId, clientId: app.clientId, expiresAt: Infinity });
  }

  /** Checks `Authorization: Bearer <token>` for a Mailbox API request. */
  authenticate(header: string | undefined): AuthResult {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    if (!m) return { ok: false, message: 'Missing access token' };
    const t = this.access.get(m[1] ?? '');
    if (!t) return { ok: false, message: 'Invalid access token' };
    if (this.opts.now() >= t.expiresAt) return { ok: false, message: 'Access token has expired' };
    return { ok: true, userId: t.userId };
  }

  /** Makes every issued token (not the demo token) expire now; for tests of the refresh path. */
  expireAll(): number {
    let n = 0;
    for (const [key, t] of this.access) {
      if (key === this.demoAccessToken) continue;
      t.expiresAt = Math.min(t.expiresAt, this.opts.now());
      n += 1;
    }
    return n;
  }

  private issue(userId: number, clientId: string, withRefresh: boolean): Record<string, unknown> {
    const lifetime = this.opts.lifetimeSeconds();
    const accessToken = hex(16);
    this.access.set(accessToken, { userId, clientId, expiresAt: this.opts.now() + lifetime * 1000 });
    const out: Record<string, unknown> = { token_type: 'bearer', access_token: accessToken };
    if (withRefresh) {
      const refreshToken = hex(20);
      this.refresh.set(refreshToken, { userId, clientId, accessToken, used: false });
      out['refresh_token'] = refreshToken;
    }
    out['expires_in'] = lifetime;
    return out;
  }

  /** `POST /v2/oauth2/token`. */
  token(req: SandboxRequest): SandboxResponse {
    if (req.method !== 'POST') return oauthError(405, 'invalid_request', 'Use POST');
    const p = tokenParams(req);
    let clientId = p['client_id'];
    let clientSecret = p['client_secret'];
    const basic = /^Basic\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''));
    if (basic && (clientId === undefined || clientSecret === undefined)) {
      const [id, secret] = Buffer.from(basic[1] ?? '', 'base64').toString('utf8').split(':');
      clientId ??= id;
      clientSecret ??= secret;
    }
    const grant = p['grant_type'];
    if (grant === undefined) return oauthError(400, 'invalid_request', 'grant_type is required');
    if (!['authorization_code', 'client_credentials', 'refresh_token'].includes(grant)) {
      return oauthError(400, 'unsupported_grant_type', `Unsupported grant_type '${grant}'`);
    }
    if (clientId === undefined || clientId === '') return oauthError(400, 'invalid_request', 'client_id is required');
    if (clientId !== this.app.clientId || clientSecret !== this.app.clientSecret) {
      return oauthError(401, 'invalid_client', 'Unknown client or wrong client secret');
    }
    const ok = (body: Record<string, unknown>): SandboxResponse =>
      ({ status: 200, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }, body });

    if (grant === 'client_credentials') return ok(this.issue(this.app.ownerUserId, clientId, false));

    if (grant === 'authorization_code') {
      const code = this.codes.get(p['code'] ?? '');
      if (!code || code.clientId !== clientId) return oauthError(400, 'invalid_grant', 'Unknown authorization code');
      if (code.used) return oauthError(400, 'invalid_grant', 'Authorization code has already been used');
      if (this.opts.now() >= code.expiresAt) return oauthError(400, 'invalid_grant', 'Authorization code has expired');
      code.used = true;
      return ok(this.issue(code.userId, clientId, true));
    }

    // refresh_token: rotates the refresh token and kills the access token it was issued with.
    // A rotated (already used) refresh token is refused with 400 invalid_grant, the RFC 6749 answer.
    const rt = this.refresh.get(p['refresh_token'] ?? '');
    if (!rt || rt.clientId !== clientId) return oauthError(400, 'invalid_grant', 'Unknown refresh token');
    if (rt.used) return oauthError(400, 'invalid_grant', 'Refresh token has already been used');
    rt.used = true;
    this.access.delete(rt.accessToken);
    return ok(this.issue(rt.userId, clientId, true));
  }

  /** GET shows the consent page; POST (the page's form) redirects back to the app with a code. */
  authorizePage(req: SandboxRequest): SandboxResponse {
    const form = req.method === 'POST' ? new URLSearchParams(req.rawBody.toString('utf8')) : req.query;
    const clientId = form.get('client_id') ?? req.query.get('client_id') ?? '';
    const state = form.get('state') ?? req.query.get('state');
    if (clientId !== this.app.clientId) {
      return html(400, 'Unknown application', `<h1>Unknown application</h1><p>No app is registered with the App ID <code>${esc(clientId)}</code>.</p>`);
    }
    const store = this.opts.store();
    if (req.method === 'GET') {
      const users = [...store.users.values()];
      const options = users.map((u) => `<option value="${u.id}"${u.id === this.app.ownerUserId ? ' selected' : ''}>${esc(`${u.firstName} ${u.lastName} <${u.email}>`)}</option>`).join('');
      return html(200, `Authorize ${this.app.name}`, `
<h1>Authorize ${esc(this.app.name)}</h1>
<p><strong>${esc(this.app.name)}</strong> wants to access your Help Scout account (sandbox).</p>
<form method="post" action="/authentication/authorizeClientApplication">
  <input type="hidden" name="client_id" value="${esc(clientId)}">
  ${state !== null ? `<input type="hidden" name="state" value="${esc(state)}">` : ''}
  <p><label>Signed in as <select name="user_id">${options}</select></label></p>
  <button type="submit" name="decision" value="allow" id="authorize">Authorize</button>
  <button type="submit" name="decision" value="deny" id="deny">Deny</button>
</form>`);
    }
    if (req.method !== 'POST') return html(405, 'Method not allowed', '<h1>Method not allowed</h1>');
    const target = new URL(this.app.redirectUri);
    if (form.get('decision') === 'deny') {
      target.searchParams.set('error', 'access_denied');
    } else {
      const requested = Number(form.get('user_id') ?? this.app.ownerUserId);
      const userId = store.users.has(requested) ? requested : this.app.ownerUserId;
      const code = hex(20);
      this.codes.set(code, { userId, clientId, expiresAt: this.opts.now() + CODE_LIFETIME_MS, used: false });
      target.searchParams.set('code', code);
    }
    if (state !== null && state !== '') target.searchParams.set('state', state);
    return { status: 302, headers: { Location: target.toString(), 'Cache-Control': 'no-store' } };
  }

  /** The demo app's own redirect target: shows the code so a person can copy it. */
  demoCallback(req: SandboxRequest): SandboxResponse {
    const code = req.query.get('code');
    const state = req.query.get('state');
    const error = req.query.get('error');
    if (error !== null) return html(200, 'Authorization denied', `<h1>Authorization denied</h1><p>Error: <code>${esc(error)}</code></p>`);
    return html(200, 'Authorization code', `<h1>Authorization code</h1>
<p>Code: <code id="code">${esc(code ?? '')}</code></p>
${state !== null ? `<p>State: <code id="state">${esc(state)}</code></p>` : ''}
<p>Exchange it at <code>POST /v2/oauth2/token</code> with <code>grant_type=authorization_code</code>.</p>`);
  }
}
