// Demo and test hosts only: at activation, when the environment variable
// HELPSCOUT_DEMO_CREDENTIALS names a JSON file `{ "clientSecret": "…", "docsApiKey": "…" }`
// AND the Mailbox API base URL is on loopback (a local sandbox, never the real Help Scout),
// the values go to SecretStorage, each only when it is not set yet. This is how the demo
// comes up with "sandbox credentials preconfigured; nothing to type".
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { SecretKeys } from '../secrets';
import type { HelpScoutServices } from '../services';

export const DEMO_CREDENTIALS_ENV = 'HELPSCOUT_DEMO_CREDENTIALS';

const DemoCredentials = z.object({
  clientSecret: z.string().trim().min(1).optional(),
  docsApiKey: z.string().trim().min(1).optional(),
});

export async function importDemoCredentials(services: HelpScoutServices): Promise<string[]> {
  const file = process.env[DEMO_CREDENTIALS_ENV];
  if (!file) return [];
  const log = services.log;
  if (!isLoopbackUrl(services.settings.mailboxBaseUrl)) {
    log.warn(`[auth] ${DEMO_CREDENTIALS_ENV} is set but the Mailbox API is not on loopback: ignored`);
    return [];
  }
  let parsed: z.infer<typeof DemoCredentials>;
  try {
    parsed = DemoCredentials.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch (err) {
    log.warn(`[auth] could not read the demo credentials file named by ${DEMO_CREDENTIALS_ENV}: ${err instanceof Error ? err.name : 'error'}`);
    return [];
  }
  const stored: string[] = [];
  if (parsed.clientSecret && (await services.secrets.getString(SecretKeys.clientSecret)) === undefined) {
    await services.secrets.store(SecretKeys.clientSecret, parsed.clientSecret);
    stored.push('App secret');
  }
  if (parsed.docsApiKey && (await services.secrets.getString(SecretKeys.docsApiKey)) === undefined) {
    await services.secrets.store(SecretKeys.docsApiKey, parsed.docsApiKey);
    stored.push('Docs API key');
  }
  // Names only, never the values.
  if (stored.length > 0) log.info(`[auth] stored the demo ${stored.join(' and ')} from ${DEMO_CREDENTIALS_ENV} in secret storage`);
  return stored;
}

function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  } catch {
    return false;
  }
}

