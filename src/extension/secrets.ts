// Every secret the extension keeps, and only in SecretStorage: never in
// settings, global state or logs. Values are validated when read back, so a
// damaged entry reads as "not set" instead of breaking a feature.
import * as vscode from 'vscode';
import { z } from 'zod';

export const SecretKeys = {
  /** The signed-in Mailbox API session: one JSON value (core/auth StoredSession). */
  session: 'helpscout.session',
  /** The OAuth app secret (OAuthClientSecret). */
  clientSecret: 'helpscout.oauth.clientSecret',
  /** The Docs API key (ProfileSettings='APIKey=…'). */
  docsApiKey: 'helpscout.docs.apiKey',
} as const;

const nonEmpty = z.string().trim().min(1);

export class Secrets {
  constructor(private readonly storage: vscode.SecretStorage) {}

  get onDidChange(): vscode.Event<vscode.SecretStorageChangeEvent> {
    return this.storage.onDidChange;
  }

  async getString(key: string): Promise<string | undefined> {
    const v = nonEmpty.safeParse(await this.storage.get(key));
    return v.success ? v.data : undefined;
  }

  async getJson<S extends z.ZodType>(key: string, schema: S): Promise<z.output<S> | undefined> {
    const raw = await this.storage.get(key);
    if (raw === undefined) return undefined;
    try {
      const parsed = schema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  store(key: string, value: string): Thenable<void> {
    return this.storage.store(key, value);
  }

  storeJson(key: string, value: unknown): Thenable<void> {
    return this.storage.store(key, JSON.stringify(value));
  }

  delete(key: string): Thenable<void> {
    return this.storage.delete(key);
  }
}
