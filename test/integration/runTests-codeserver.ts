// Offline launcher for the integration suite: runs out/test/integration/index.js inside the
// extension host of a real VS Code (code-server from the npm registry; by default 4.100.3 =
// VS Code 1.100.3), opened by Debian's Chromium, with the sandbox started and the extension's
// settings pointing at it.
//
//   npm run test:integration                       # extension from the development folder
//   npm run test:integration -- --vsix x.vsix      # the packaged extension, installed first
//   npm run test:integration -- --code-server minimum   # VS Code 1.90.0 (or newest, or 4.90.0)
//   npm run test:probe                             # the packaged extension seen from another one (test/probe)
//
// Env: HELPSCOUT_TEST_VSIX (same as --vsix), CODE_SERVER_VERSION (same as --code-server; the
// release must be installed: bash scripts/vscode-host/install.sh <version>),
// HELPSCOUT_TEST_TIMEOUT (seconds, default 240), HELPSCOUT_TEST_GREP (mocha grep inside the
// host). Prints mocha's "N passing" / "N failing" summary and exits non-zero on any failure, on
// timeout, or when VS Code can't be started.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import {
  EnvVars, codeServerVersion, consoleLine, isNoise, launchBrowser, newContext, projectRoot, startCodeServer,
  startSandbox, vscodeVersionOf, type CodeServer, type Sandbox,
} from '../../scripts/vscode-host/host';
import type { TestResult } from './index';

const testsPath = join(projectRoot, 'out/test/integration/index.js');
const probeExtensionPath = join(projectRoot, 'out/test/probe');
const probeTestsPath = join(probeExtensionPath, 'index.js');
const artifacts = join(projectRoot, 'artifacts');

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const vsix = argValue('--vsix') ?? process.env[EnvVars.vsix];
  // --probe: the probe extension (test/probe) is the one under development and runs its tests,
  // next to the .vsix installed as a user's extension (ExtensionMode.Production).
  const probe = process.argv.includes('--probe');
  if (probe && !vsix) return fail('--probe needs --vsix: it checks the packaged extension');
  const suitePath = probe ? probeTestsPath : testsPath;
  const timeoutMs = Number(process.env['HELPSCOUT_TEST_TIMEOUT'] ?? '240') * 1000;
  let version: string;
  try {
    version = codeServerVersion(argValue('--code-server'));
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }
  // Per VS Code version, so the runs of the version matrix don't overwrite each other's.
  const vscode = vscodeVersionOf(version);
  const consoleFile = join(artifacts, `${probe ? 'probe' : 'integration'}-console-vscode-${vscode}.log`);
  const timeoutShot = `integration-timeout-vscode-${vscode}.png`;
  mkdirSync(artifacts, { recursive: true });
  const consoleLog: string[] = [];
  const log = (line: string): void => {
    consoleLog.push(line);
    console.log(line);
  };

  if (!existsSync(suitePath)) {
    log(`[launcher] ${suitePath} is missing: run \`node esbuild.mjs --tests\` first`);
    return fail('integration suite not built');
  }
  if (vsix && !existsSync(vsix)) return fail(`no such .vsix: ${vsix}`);

  const work = mkdtempSync(join(tmpdir(), 'helpscout-integration-'));
  const resultFile = join(work, 'result.json');
  let sandbox: Sandbox | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const started = Date.now();
  try {
    sandbox = await startSandbox({ port: 0, log });
    server = await startCodeServer({
      log,
      port: 0,
      sandbox: sandbox?.info,
      ...(sandbox ? { rawSandboxInfo: sandbox.rawInfo } : {}),
      ...(vsix ? { vsix } : {}),
      codeServer: version,
      dir: join(work, 'vscode'),
      env: { [EnvVars.resultFile]: resultFile },
    });
    log(`[launcher] VS Code ${server.vscodeVersion} (code-server ${server.codeServerVersion}) at ${server.url}, extension from ${server.extensionPath}${vsix ? ' (installed .vsix)' : ''}`);

    browser = await launchBrowser();
    const context = await newContext(browser);
    const page = await context.newPage();
    page.on('console', (msg) => {
      const line = consoleLine(msg.text());
      if (line && !isNoise(line)) log(`[page:${msg.type()}] ${line}`);
    });
    page.on('pageerror', (err) => log(`[page:error] ${err.message}`));
    await page.goto(probe
      ? server.workbenchUrl({ testsPath: suitePath, developmentPath: probeExtensionPath, disableExtensions: false })
      : server.workbenchUrl({ testsPath }));

    const deadline = Date.now() + timeoutMs;
    while (!existsSync(resultFile) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
    }
    if (!existsSync(resultFile)) {
      await page.screenshot({ path: join(artifacts, timeoutShot) }).catch(() => undefined);
      return fail(`no result after ${timeoutMs / 1000}s in VS Code ${vscode} (screenshot: artifacts/${timeoutShot})`);
    }
    const result = JSON.parse(readFileSync(resultFile, 'utf8')) as TestResult;
    printSummary(result, `VS Code ${vscode} (code-server ${version})`, vsix ? `installed ${resolve(vsix)}${probe ? ', seen from the probe extension' : ''}` : 'development folder', Date.now() - started);
    return result.failed > 0 ? 1 : 0;
  } catch (err) {
    return fail(err instanceof Error ? (err.stack ?? err.message) : String(err));
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    await sandbox?.stop().catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
    writeFileSync(consoleFile, consoleLog.join('\n') + '\n');
  }
}

/** Prints a launcher failure the way mocha prints a failing test, so the counters see it. */
function fail(reason: string): number {
  console.log(`\n  0 passing\n  1 failing\n\n  1) integration launcher:\n     ${reason.replace(/\n/g, '\n     ')}\n`);
  return 1;
}

function printSummary(r: TestResult, host: string, source: string, ms: number): void {
  console.log(`\n  integration suite in ${host} (extension from the ${source})`);
  let n = 0;
  for (const t of r.tests) {
    const mark = t.state === 'passed' ? '✔' : t.state === 'pending' ? '-' : `${++n})`;
    console.log(`    ${mark} ${t.title}${t.durationMs > 75 ? ` (${t.durationMs}ms)` : ''}`);
  }
  console.log(`\n  ${r.passed} passing (${Math.round(ms / 1000)}s)`);
  if (r.pending > 0) console.log(`  ${r.pending} pending`);
  if (r.failed > 0) {
    console.log(`  ${r.failed} failing\n`);
    r.failures.forEach((f, i) => console.log(`  ${i + 1}) ${f.title}:\n     ${f.error.replace(/\n/g, '\n     ')}\n`));
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
