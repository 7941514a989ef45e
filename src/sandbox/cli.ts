// `npm run sandbox` (tsx src/sandbox/cli.ts): starts the sandbox and prints
// where it listens and how to sign in. With --json the first stdout line is
// one JSON object (urls + credentials) for launchers that start it as a child
// process. Stops cleanly on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { startSandbox } from './index';

const USAGE = `Usage: npm run sandbox -- [options]
  --port N        port to listen on (default 5055; 0 = any free port)
  --host HOST     interface to bind (default 127.0.0.1)
  --seed N        data seed (default 1)
  --latency MS    added latency per API request (or MIN-MAX)
  --json          print one JSON line with the URLs and credentials first
  --help          show this help`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function intOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) fail(`--${name} must be a non-negative integer`);
  return Number(value);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        seed: { type: 'string' },
        latency: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    });
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let latencyMs: number | [number, number] = 0;
  if (v.latency !== undefined) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(v.latency);
    if (!m) fail('--latency must be MS or MIN-MAX');
    latencyMs = m[2] !== undefined ? [Number(m[1]), Number(m[2])] : Number(m[1]);
  }
  const sandbox = await startSandbox({
    port: intOption(v.port, 'port', 5055),
    host: v.host ?? '127.0.0.1',
    seed: intOption(v.seed, 'seed', 1),
    knobs: { latencyMs },
  });
  const info = sandbox.info();
  if (v.json) {
    process.stdout.write(`${JSON.stringify(info)}\n`);
  } else {
    const c = info.credentials;
    process.stdout.write([
      'Help Scout sandbox is running.',
      `  Mailbox API   ${info.mailboxBaseUrl}`,
      `  Docs API      ${info.docsBaseUrl}`,
      `  Authorize     ${info.authorizeUrl}`,
      `  Token         ${info.tokenUrl}`,
      `  Control       ${info.baseUrl}/__sandbox/info`,
      '',
      `  OAuth app     ${c.appName}`,
      `    client_id       ${c.clientId}`,
      `    client_secret   ${c.clientSecret}`,
      `    redirect URL    ${c.redirectUri}`,
      `  Docs API key  ${c.docsApiKey}`,
      `  Demo access token (never expires; sandbox only): ${c.accessToken}`,
      '',
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'));
  }
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void sandbox.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`sandbox failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
