// Starts a real VS Code for tests and the demo: the sandbox (a local Help Scout), code-server
// (VS Code's workbench and a Node extension host, served over HTTP on loopback) with user
// settings pointing the extension at the sandbox, and, for tests, Debian's Chromium driven
// through playwright-core. Used by the integration launcher, the end-to-end suite and the demo.
// Everything started here is killed by `close()`, and also when this process exits or is
// interrupted, so no code-server, Chromium or sandbox outlives a run.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import type { Browser, BrowserContext } from 'playwright-core';

export const projectRoot = resolve(__dirname, '../..');
export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

// ---- which code-server ------------------------------------------------------------------

/** scripts/vscode-host/versions.json: the code-server releases by name, and pinned Node builds. */
const VersionsSchema = z.looseObject({ default: z.string(), minimum: z.string(), newest: z.string() });

/**
 * A code-server version from a version (`4.90.0`) or a name in versions.json (`default`,
 * `minimum`, `newest`); without one, `CODE_SERVER_VERSION` from the environment, else the default.
 */
export function codeServerVersion(versionOrName?: string): string {
  const wanted = versionOrName ?? process.env['CODE_SERVER_VERSION'] ?? 'default';
  if (/^\d+\.\d+\.\d+$/.test(wanted)) return wanted;
  const versions = VersionsSchema.parse(JSON.parse(readFileSync(join(projectRoot, 'scripts/vscode-host/versions.json'), 'utf8')));
  if (wanted === 'default' || wanted === 'minimum' || wanted === 'newest') return versions[wanted];
  throw new Error(`unknown code-server version "${wanted}": use a version such as 4.90.0, or default, minimum, newest`);
}

/** Where install.sh puts a release: the folder, and the script that starts it with its Node. */
export function codeServerInstall(version: string): { dir: string; bin: string } {
  const dir = join(projectRoot, `.vscode-test/code-server-${version}`);
  return { dir, bin: join(dir, 'code-server') };
}

/** The VS Code version inside an installed code-server release, e.g. 1.90.0. */
export function vscodeVersionOf(version: string): string {
  const pkg = join(codeServerInstall(version).dir, 'node_modules/code-server/lib/vscode/package.json');
  if (!existsSync(pkg)) return 'unknown';
  return z.object({ version: z.string() }).parse(JSON.parse(readFileSync(pkg, 'utf8'))).version;
}

/** Environment variables that the extension host (and so the tests inside it) receives. */
export const EnvVars = {
  /** The sandbox's base URL; its control API is under `<url>/__sandbox/`. */
  sandboxUrl: 'HELPSCOUT_SANDBOX_URL',
  /** The whole JSON line the sandbox printed (URLs and demo credentials). */
  sandboxInfo: 'HELPSCOUT_SANDBOX_INFO',
  /** Where the integration suite's `run()` writes its result. */
  resultFile: 'HELPSCOUT_TEST_RESULT',
  /** When set, the tests run against this packaged extension instead of the development folder. */
  vsix: 'HELPSCOUT_TEST_VSIX',
  /** The folder the extension under test is loaded from (the installed one for a .vsix). */
  extensionPath: 'HELPSCOUT_TEST_EXTENSION_PATH',
} as const;

/** What the sandbox prints as its first stdout line with `--json`. */
export const SandboxInfoSchema = z.looseObject({
  baseUrl: z.string().url(),
  mailboxBaseUrl: z.string().url(),
  docsBaseUrl: z.string().url(),
  authorizeUrl: z.string().url(),
  tokenUrl: z.string().url(),
  credentials: z.record(z.string(), z.unknown()),
});
export type SandboxInfo = z.infer<typeof SandboxInfoSchema>;

/** Which user setting each sandbox URL goes to (written only when package.json contributes it). */
const settingForSandboxKey: Record<string, string> = {
  mailboxBaseUrl: 'helpscout.mailbox.baseUrl',
  docsBaseUrl: 'helpscout.docs.baseUrl',
  authorizeUrl: 'helpscout.oauth.authorizeUrl',
  tokenUrl: 'helpscout.oauth.tokenUrl',
};

export type Log = (line: string) => void;

// ---- process bookkeeping ---------------------------------------------------------------

const children = new Set<ChildProcess>();

/** Kills a child and everything it started (each child leads its own process group). */
function killTree(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try { child.kill(signal); } catch { /* already gone */ }
  }
}

function killAllNow(): void {
  for (const c of children) killTree(c, 'SIGKILL');
  children.clear();
}

let exitHooksInstalled = false;
/** Called once by the first spawn: a last-resort cleanup when the launcher dies early. */
function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', killAllNow);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    // A caller with its own handler (the demo) stops things gracefully itself.
    if (process.listenerCount(sig) > 0) continue;
    process.once(sig, () => {
      killAllNow();
      process.exit(130);
    });
  }
}

function spawnTracked(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): ChildProcess {
  installExitHooks();
  const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Stops a child politely, then forcefully after `graceMs`. */
async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  killTree(child, 'SIGTERM');
  const timer = setTimeout(() => killTree(child, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  // The group may still hold grandchildren (code-server's extension host): make sure they go.
  killTree(child, 'SIGKILL');
  children.delete(child);
}

function forwardLines(stream: NodeJS.ReadableStream | null, prefix: string, log: Log): void {
  if (!stream) return;
  createInterface({ input: stream }).on('line', (l) => log(`${prefix}${l}`));
}

/** Environment for children: ours, minus what would leak an outer VS Code or Node setup into them. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('VSCODE_') || k === 'NODE_OPTIONS' || k === 'ELECTRON_RUN_AS_NODE') continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

// ---- sandbox ---------------------------------------------------------------------------

export interface Sandbox {
  readonly info: SandboxInfo;
  /** The JSON line exactly as printed, handed to the extension host. */
  readonly rawInfo: string;
  stop(): Promise<void>;
}

/**
 * Starts `src/sandbox/cli.ts --json` on `port` (0 = any free port) and resolves once it has
 * printed its URLs. Resolves undefined, with a log line, when the sandbox is not in the tree.
 */
export async function startSandbox(opts: { port: number; log: Log; timeoutMs?: number }): Promise<Sandbox | undefined> {
  const cli = join(projectRoot, 'src/sandbox/cli.ts');
  if (!existsSync(cli)) {
    opts.log('[host] src/sandbox/cli.ts is missing: not starting the sandbox (tests that need it will fail)');
    return undefined;
  }
  const child = spawnTracked(process.execPath, ['--import', 'tsx', cli, '--port', String(opts.port), '--json'], {
    cwd: projectRoot,
    env: cleanEnv({}),
  });
  forwardLines(child.stderr, '[sandbox] ', opts.log);
  const lines = createInterface({ input: child.stdout! });
  const rawInfo = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error('the sandbox printed no JSON line in time')), opts.timeoutMs ?? 60_000);
    lines.once('line', (l) => { clearTimeout(timer); res(l); });
    child.once('exit', (code) => { clearTimeout(timer); rej(new Error(`the sandbox exited early (code ${String(code)})`)); });
  }).catch(async (err: unknown) => {
    await stopChild(child);
    throw err;
  });
  lines.on('line', (l) => opts.log(`[sandbox] ${l}`));
  const info = SandboxInfoSchema.parse(JSON.parse(rawInfo));
  opts.log(`[host] sandbox at ${info.baseUrl}`);
  return { info, rawInfo, stop: () => stopChild(child) };
}

// ---- code-server -----------------------------------------------------------------------

export interface CodeServerOptions {
  log: Log;
  /** 0 = any free port. */
  port: number;
  sandbox: SandboxInfo | undefined;
  rawSandboxInfo?: string;
  /** A packaged extension to install; otherwise the development folder is used. */
  vsix?: string;
  /** The code-server release (a version or a name in versions.json); see `codeServerVersion`. */
  codeServer?: string;
  /**
   * Whether pages will open `workbenchUrl` with a development path or tests (the default). On
   * newer VS Code that needs its test-automation mode (see `payloadArgs`), which also hides
   * notification toasts and skips dialogs, so a run that opens the installed extension without
   * a payload (the demo) says false.
   */
  developmentPayload?: boolean;
  /** Folder for user data, extensions and the opened workspace; a temporary one when omitted. */
  dir?: string;
  /** Extra environment for code-server and its extension hosts. */
  env?: Record<string, string>;
  /** Extra user settings. */
  settings?: Record<string, unknown>;
}

export interface CodeServer {
  /** e.g. http://127.0.0.1:41234 (no trailing slash). */
  readonly url: string;
  /** The folder opened as the workspace. */
  readonly workspace: string;
  /** The folder the extension is loaded from in development mode. */
  readonly extensionPath: string;
  /** The code-server release running, e.g. 4.90.0. */
  readonly codeServerVersion: string;
  /** The VS Code inside it, e.g. 1.90.0. */
  readonly vscodeVersion: string;
  /** The workbench URL; with `testsPath`, the extension host runs that module's `run()`. */
  /**
   * `developmentPath` loads another folder as the extension under development (the probe),
   * while the extension installed from the .vsix runs as a user's would.
   */
  workbenchUrl(opts?: { testsPath?: string; disableExtensions?: boolean; devMode?: boolean; developmentPath?: string }): string;
  stop(): Promise<void>;
}

/** Settings every run gets: no welcome page, tips, update checks or telemetry in the way. */
const quietSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
  'chat.commandCenter.enabled': false,
  // Newer VS Code (seen in 1.139) opens a Chat view beside the editor on first start.
  'chat.disableAIFeatures': true,
};

/** The user settings that point the extension at the sandbox. */
export function sandboxSettings(info: SandboxInfo | undefined): Record<string, unknown> {
  if (!info) return {};
  const contributed = readPackageJson().contributes?.configuration?.properties ?? {};
  const out: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(settingForSandboxKey)) {
    const value = info[key];
    if (typeof value === 'string' && setting in contributed) out[setting] = value;
  }
  return out;
}

interface PackageJson {
  name: string;
  publisher: string;
  version: string;
  contributes?: {
    configuration?: { properties?: Record<string, unknown> };
    views?: Record<string, { id: string; name: string; when?: string }[]>;
  };
}

export function readPackageJson(): PackageJson {
  return JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as PackageJson;
}

/**
 * Installs a .vsix into `extensionsDir` with code-server's own installer (offline) and returns
 * the folder it was unpacked to.
 */
export function installVsix(codeServerBin: string, vsix: string, extensionsDir: string, userDataDir: string, log: Log): string {
  log(`[host] installing ${vsix}`);
  const r = spawnSync(codeServerBin, ['--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--force', '--install-extension', resolve(vsix)], {
    cwd: projectRoot,
    env: cleanEnv({}),
    encoding: 'utf8',
    timeout: 120_000,
  });
  const output = `${r.stdout}${r.stderr}`.trim();
  if (output) for (const l of output.split('\n')) log(`[code-server] ${l}`);
  if (r.status !== 0) throw new Error(`code-server --install-extension failed (exit ${String(r.status)})`);
  const pkg = readPackageJson();
  const prefix = `${pkg.publisher}.${pkg.name}-${pkg.version}`.toLowerCase();
  const folder = readdirSync(extensionsDir).find((f) => f.toLowerCase().startsWith(prefix));
  if (!folder) throw new Error(`the installed extension ${prefix} is not in ${extensionsDir}`);
  return join(extensionsDir, folder);
}

/**
 * Newer workbenches (seen in VS Code 1.139; 1.90 and 1.100 don't) honour the `payload` query
 * parameter's extensionDevelopmentPath / extensionTestsPath only when VS Code's server runs
 * with `enable-smoke-test-driver`, its own switch for automated tests: without it the page opens
 * with no extension under development and the tests never start. That mode also shows no
 * notification toasts and skips dialogs (fine for the integration suite, which uses the API;
 * the end-to-end suite, which clicks them, runs on a release without it). code-server releases
 * that have `--vscode-option` pass it through; older ones would refuse an unknown flag.
 */
function payloadArgs(version: string): string[] {
  const cli = join(codeServerInstall(version).dir, 'node_modules/code-server/out/node/cli.js');
  const passesOptions = existsSync(cli) && readFileSync(cli, 'utf8').includes('"vscode-option"');
  return passesOptions ? ['--vscode-option', 'enable-smoke-test-driver'] : [];
}

export async function startCodeServer(opts: CodeServerOptions): Promise<CodeServer> {
  const version = codeServerVersion(opts.codeServer);
  const codeServerBin = codeServerInstall(version).bin;
  if (!existsSync(codeServerBin)) {
    throw new Error(`code-server ${version} is not installed at ${codeServerBin}: run bash scripts/vscode-host/install.sh ${version}`);
  }
  const vscodeVersion = vscodeVersionOf(version);
  opts.log(`[host] code-server ${version} (VS Code ${vscodeVersion})`);
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'helpscout-vscode-'));
  const ownsDir = opts.dir === undefined;
  const userDataDir = join(dir, 'user-data');
  const extensionsDir = join(dir, 'extensions');
  const workspace = join(dir, 'workspace');
  for (const d of [join(userDataDir, 'User'), extensionsDir, workspace]) mkdirSync(d, { recursive: true });
  writeFileSync(
    join(userDataDir, 'User/settings.json'),
    JSON.stringify({ ...quietSettings, ...sandboxSettings(opts.sandbox), ...opts.settings }, null, 2),
  );

  // With a .vsix, the extension is installed as a user would, and the installed folder is
  // what development mode loads (see README "Testing the packaged extension").
  const extensionPath = opts.vsix ? installVsix(codeServerBin, opts.vsix, extensionsDir, userDataDir, opts.log) : projectRoot;

  const env: Record<string, string> = { ...opts.env, [EnvVars.extensionPath]: extensionPath };
  if (opts.sandbox) {
    env[EnvVars.sandboxUrl] = opts.sandbox.baseUrl;
    env[EnvVars.sandboxInfo] = opts.rawSandboxInfo ?? JSON.stringify(opts.sandbox);
  }
  const child = spawnTracked(
    codeServerBin,
    [
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${opts.port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      '--config', join(dir, 'code-server.yaml'),
      '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
      ...(opts.developmentPayload === false ? [] : payloadArgs(version)),
      workspace,
    ],
    { cwd: dir, env: cleanEnv(env) },
  );
  const lines = createInterface({ input: child.stdout! });
  forwardLines(child.stderr, '[code-server] ', opts.log);
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error('code-server did not start listening in time')), 60_000);
    lines.on('line', (l) => {
      opts.log(`[code-server] ${l}`);
      const m = /HTTP server listening on (http:\/\/[^\s/]+)/.exec(l);
      if (m?.[1]) { clearTimeout(timer); res(m[1]); }
    });
    child.once('exit', (code) => { clearTimeout(timer); rej(new Error(`code-server exited early (code ${String(code)})`)); });
  }).catch(async (err: unknown) => {
    await stopChild(child);
    throw err;
  });
  const authority = new URL(url).host;

  return {
    url,
    workspace,
    extensionPath,
    codeServerVersion: version,
    vscodeVersion,
    workbenchUrl({ testsPath, disableExtensions = true, devMode = true, developmentPath } = {}) {
      const payload: [string, string][] = [];
      if (devMode) payload.push(['extensionDevelopmentPath', `vscode-remote://${authority}${developmentPath ? resolve(developmentPath) : extensionPath}`]);
      if (testsPath) payload.push(['extensionTestsPath', `vscode-remote://${authority}${resolve(testsPath)}`]);
      // Disables every installed, non-built-in extension except the one under development.
      if (disableExtensions) payload.push(['disableExtensions', 'true']);
      const query = `folder=${encodeURIComponent(workspace)}`;
      return payload.length > 0 ? `${url}/?${query}&payload=${encodeURIComponent(JSON.stringify(payload))}` : `${url}/?${query}`;
    },
    async stop() {
      await stopChild(child);
      if (ownsDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---- Chromium --------------------------------------------------------------------------

/** Flags that keep Chromium off the (closed) network and quiet on this kind of machine. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(chromiumPath)) throw new Error(`Chromium is not installed at ${chromiumPath}: run bash scripts/vscode-host/install.sh`);
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}

export async function newContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
}

/**
 * Turns a browser console message into one readable line: VS Code logs as
 * `%c INFO color: #33f message`, which becomes `INFO message`.
 */
export function consoleLine(text: string): string {
  return text.replace(/^%c\s*(\w+)\s+color:\s*#[0-9a-f]+\s*/i, '$1 ').trim();
}

/** Noise that every code-server run prints on this machine and that says nothing about us. */
export function isNoise(line: string): boolean {
  return /open-vsx\.org|vsda|ENOTFOUND|ERR_NAME_NOT_RESOLVED|Failed to load resource|connection token|Creating a socket|ChatSessionStore|Service Worker|builtin extensions cache|same-origin iframe|allow-same-origin|copilot-instructions|\[Violation\]|\[AgentHost|ChatModelSelection|AccountPolicyGate/i.test(line);
}
