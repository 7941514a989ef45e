// The demo: the sandbox (a local Help Scout with seeded data) and VS Code (code-server) with
// the extension configured against it, on fixed loopback ports. Started by scripts/demo.sh,
// which installs and builds first. Prints the URL to open and stays in the foreground until
// Ctrl+C, then stops everything.
//
// Options (env): SANDBOX_PORT (5055), VSCODE_PORT (8080), DEMO_DEV=1 to load the extension
// from the development folder (reload the page after `npm run watch` rebuilds) instead of
// installing the packaged helpscout-vscode.vsix.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot, startCodeServer, startSandbox, type CodeServer, type Sandbox } from './host';

async function main(): Promise<void> {
  const sandboxPort = Number(process.env['SANDBOX_PORT'] ?? '5055');
  const vscodePort = Number(process.env['VSCODE_PORT'] ?? '8080');
  const dev = process.env['DEMO_DEV'] === '1';
  const vsix = join(projectRoot, 'helpscout-vscode.vsix');
  if (!dev && !existsSync(vsix)) throw new Error(`${vsix} is missing: run npm run package (scripts/demo.sh does)`);
  const quiet = (line: string): void => {
    if (process.env['DEMO_VERBOSE'] || /error|sandbox\]/i.test(line)) console.log(line);
  };

  // A fresh VS Code profile each run: settings are rewritten, nothing left from the last demo.
  const dir = join(projectRoot, '.vscode-test/demo');
  rmSync(dir, { recursive: true, force: true });

  // Filled in as things start, so Ctrl+C during start-up stops what is already running.
  const running: { sandbox?: Sandbox | undefined; server?: CodeServer } = {};
  const stop = async (): Promise<void> => {
    await running.server?.stop().catch(() => undefined);
    await running.sandbox?.stop().catch(() => undefined);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.removeAllListeners(sig);
    process.once(sig, () => {
      console.log('\nStopping VS Code and the sandbox...');
      void stop().then(() => process.exit(0));
    });
  }

  const sandbox = await startSandbox({ port: sandboxPort, log: quiet });
  running.sandbox = sandbox;
  const connection = sandbox ? await connectionSettings(sandbox, dir) : { settings: {}, env: {} };
  const server = await startCodeServer({
    log: quiet,
    port: vscodePort,
    sandbox: sandbox?.info,
    ...(sandbox ? { rawSandboxInfo: sandbox.rawInfo } : {}),
    ...(dev ? {} : { vsix }),
    developmentPayload: dev,
    dir,
    settings: connection.settings,
    env: connection.env,
  });
  running.server = server;
  const url = dev ? server.workbenchUrl({ disableExtensions: false }) : server.workbenchUrl({ devMode: false, disableExtensions: false });

  console.log('');
  if (sandbox) {
    console.log(`Sandbox (local Help Scout): ${sandbox.info.baseUrl}`);
    console.log(`  Mailbox API  ${sandbox.info.mailboxBaseUrl}`);
    console.log(`  Docs API     ${sandbox.info.docsBaseUrl}`);
    console.log(`  Authorize    ${sandbox.info.authorizeUrl}`);
    console.log(`  Credentials  ${JSON.stringify(sandbox.info.credentials)}`);
  }
  console.log(`Extension: ${dev ? `development folder ${projectRoot}` : `installed from ${vsix}`}`);
  console.log('');
  console.log('Open VS Code in your browser:');
  console.log(`  ${url}`);
  console.log('');
  console.log('The Help Scout icon is in the activity bar on the left. Sign in with "Sign In with the Browser"');
  console.log('(press Authorize on the sandbox page) or "Sign In with App Credentials"; the Docs key is already set.');
  console.log('Press Ctrl+C here to stop.');
  await new Promise<never>(() => undefined);
}

/**
 * Sandbox credentials preconfigured, nothing to type: the App ID, a loopback callback URL
 * (also registered as the sandbox app's Redirection URL) and the authorize page in user
 * settings; the App secret and the Docs API key in a file the extension moves into its
 * SecretStorage at activation (HELPSCOUT_DEMO_CREDENTIALS, honoured only for a loopback
 * Mailbox API). The authorize page is addressed as sandbox.localhost: code-server rewrites
 * links to other 127.0.0.1 ports into its /proxy/<port>/ route and drops their path, while
 * browsers resolve every *.localhost name to loopback.
 */
async function connectionSettings(sandbox: Sandbox, dir: string): Promise<{ settings: Record<string, unknown>; env: Record<string, string> }> {
  const creds = sandbox.info.credentials as { clientId?: string; clientSecret?: string; docsApiKey?: string };
  const callbackUrl = `http://127.0.0.1:${Number(process.env['CALLBACK_PORT'] ?? '33333')}/callback`;
  const res = await fetch(`${sandbox.info.baseUrl}/__sandbox/oauth-app`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ redirectUri: callbackUrl }),
  });
  if (!res.ok) throw new Error(`the sandbox refused the redirect URL (HTTP ${res.status})`);
  const authorizeUrl = new URL(sandbox.info.authorizeUrl);
  authorizeUrl.hostname = 'sandbox.localhost';
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'demo-credentials.json');
  writeFileSync(file, JSON.stringify({ clientSecret: creds.clientSecret, docsApiKey: creds.docsApiKey }), { mode: 0o600 });
  return {
    settings: {
      'helpscout.oauth.clientId': creds.clientId ?? '',
      'helpscout.oauth.callbackUrl': callbackUrl,
      'helpscout.oauth.authorizeUrl': authorizeUrl.toString(),
    },
    env: { HELPSCOUT_DEMO_CREDENTIALS: file },
  };
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
