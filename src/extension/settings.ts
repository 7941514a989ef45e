// Reads the extension's settings and validates them with zod. A value of the
// wrong shape is reported in the log and replaced by its default, so a typo in
// settings.json never breaks activation. Secrets are never settings: the client
// secret, the Docs API key and tokens live in SecretStorage (see secrets.ts).
import * as vscode from 'vscode';
import { z } from 'zod';
import type { Logger } from '../core/log';

const httpUrl = z.url({ protocol: /^https?$/ });

export const SettingsSchema = z.object({
  mailboxBaseUrl: httpUrl.default('https://api.helpscout.net/v2'),
  docsBaseUrl: httpUrl.default('https://docsapi.helpscout.net/v1'),
  authorizeUrl: httpUrl.default('https://secure.helpscout.net/authentication/authorizeClientApplication'),
  authScheme: z.enum(['OAuth', 'None']).default('OAuth'),
  clientId: z.string().trim().default(''),
  callbackUrl: z.string().trim().default(''),
  initiateOAuth: z.enum(['GETANDREFRESH', 'REFRESH', 'OFF']).default('GETANDREFRESH'),
  grant: z.enum(['authorizationCode', 'clientCredentials']).default('authorizationCode'),
  reuseResultsPanel: z.boolean().default(false),
  cacheTtlSeconds: z.number().min(0).max(3600).default(60),
  docsSaveBehavior: z.enum(['draft', 'publish']).default('draft'),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** Setting keys below the `helpscout` section, by field. */
export const SettingKeys: Record<keyof Settings, string> = {
  mailboxBaseUrl: 'mailbox.baseUrl',
  docsBaseUrl: 'docs.baseUrl',
  authorizeUrl: 'oauth.authorizeUrl',
  authScheme: 'authScheme',
  clientId: 'oauth.clientId',
  callbackUrl: 'oauth.callbackUrl',
  initiateOAuth: 'oauth.initiateOAuth',
  grant: 'oauth.grant',
  reuseResultsPanel: 'query.reuseResultsPanel',
  cacheTtlSeconds: 'query.cacheTtlSeconds',
  docsSaveBehavior: 'docs.saveBehavior',
};

/**
 * What a change of each setting affects. `mailbox` / `docs`: the endpoint or account of that
 * API changed, so its clients, caches and views are rebuilt. `signIn`: only the next sign-in
 * or token renewal reads it. `query`: only the query engine or results panel reads it.
 * `docsEditing`: only saving Docs articles reads it (at each save).
 */
export const SettingEffects: Record<keyof Settings, 'mailbox' | 'docs' | 'signIn' | 'query' | 'docsEditing'> = {
  mailboxBaseUrl: 'mailbox',
  docsBaseUrl: 'docs',
  authorizeUrl: 'signIn',
  authScheme: 'mailbox',
  clientId: 'signIn',
  callbackUrl: 'signIn',
  initiateOAuth: 'signIn',
  grant: 'signIn',
  reuseResultsPanel: 'query',
  cacheTtlSeconds: 'query',
  docsSaveBehavior: 'docsEditing',
};

export const SECTION = 'helpscout';

/** Reads and validates every setting; services keeps the result and re-reads on change. */
export function readSettings(log?: Logger): Settings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const out: Record<string, unknown> = {};
  for (const [field, key] of Object.entries(SettingKeys)) {
    const shape = SettingsSchema.shape[field as keyof Settings];
    const raw = config.get<unknown>(key);
    const parsed = shape.safeParse(raw);
    if (parsed.success) {
      out[field] = parsed.data;
    } else {
      log?.warn(`[settings] ignoring invalid ${SECTION}.${key}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      out[field] = shape.parse(undefined);
    }
  }
  return SettingsSchema.parse(out);
}

/** Token endpoint: it lives under the Mailbox API base (`…/v2/oauth2/token`). */
export function tokenUrl(settings: Settings): string {
  return `${settings.mailboxBaseUrl.replace(/\/+$/, '')}/oauth2/token`;
}

/** Calls `listener` with the settings (fields) whose effective value changed. */
export function onDidChangeSettings(listener: (changed: ReadonlySet<keyof Settings>) => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    const changed = new Set((Object.keys(SettingKeys) as (keyof Settings)[]).filter((f) => e.affectsConfiguration(`${SECTION}.${SettingKeys[f]}`)));
    if (changed.size > 0) listener(changed);
  });
}
