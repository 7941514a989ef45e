// Root hooks for the end-to-end suite (loaded through test/e2e/.mocharc.json): once per run,
// start the sandbox, code-server with the extension (development folder, or the .vsix named
// by HELPSCOUT_TEST_VSIX) configured against it, and Chromium. Every test file shares them
// through `e2e()`. After each failed test a screenshot is saved; everything stops at the end.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import {
  EnvVars, launchBrowser, projectRoot, startCodeServer, startSandbox, type CodeServer, type Sandbox,
} from '../../../scripts/vscode-host/host';
import { artifactsDir, screenshot } from './workbench';

export interface E2e {
  readonly server: CodeServer;
  readonly sandbox: Sandbox | undefined;
  readonly browser: Browser;
}

let state: E2e | undefined;
const hostLog: string[] = [];

/** The running VS Code, sandbox and browser. Valid inside tests and hooks. */
export function e2e(): E2e {
  if (!state) throw new Error('the end-to-end host is not running (see the beforeAll root hook)');
  return state;
}

/** Lines logged by the sandbox and code-server, and by pages opened with `openWorkbench`. */
export function logLine(line: string): void {
  hostLog.push(line);
  if (process.env['HELPSCOUT_E2E_VERBOSE']) console.log(line);
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context): Promise<void> {
    this.timeout(180_000);
    mkdirSync(artifactsDir, { recursive: true });
    const sandbox = await startSandbox({ port: 0, log: logLine });
    try {
      const vsix = process.env[EnvVars.vsix];
      const server = await startCodeServer({
        log: logLine,
        port: 0,
        sandbox: sandbox?.info,
        ...(sandbox ? { rawSandboxInfo: sandbox.rawInfo } : {}),
        ...(vsix ? { vsix } : {}),
      });
      state = { server, sandbox, browser: await launchBrowser() };
    } catch (err) {
      await sandbox?.stop();
      throw err;
    }
  },

  async afterEach(this: Mocha.Context): Promise<void> {
    const test = this.currentTest;
    const page = test?.ctx?.['page'] as import('playwright-core').Page | undefined;
    if (test?.state === 'failed' && page && !page.isClosed()) {
      await screenshot(page, `failed-${test.fullTitle()}`).catch(() => undefined);
    }
  },

  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(60_000);
    const s = state;
    state = undefined;
    await s?.browser.close().catch(() => undefined);
    await s?.server.stop().catch(() => undefined);
    await s?.sandbox?.stop().catch(() => undefined);
    writeFileSync(join(projectRoot, 'artifacts/e2e-console.log'), hostLog.join('\n') + '\n');
  },
};
