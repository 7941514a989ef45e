// Helpers for integration tests: the extension under test, its package.json, and the sandbox
// the launcher started (its URL arrives through the extension host's environment).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HelpScoutTestApi } from '../../src/extension/extension';

export const extensionId = 'helpscout-tools.helpscout-vscode';

export interface PackageJson {
  contributes: {
    commands?: { command: string; title: string }[];
    viewsContainers?: { activitybar?: { id: string; title: string }[] };
    views?: Record<string, { id: string; name: string }[]>;
    configuration?: { properties: Record<string, { default?: unknown }> };
  };
}

export function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(extensionId);
  assert.ok(ext, `extension ${extensionId} is not loaded`);
  return ext;
}

export function packageJson(): PackageJson {
  return extension().packageJSON as PackageJson;
}

/** The sandbox's base URL, e.g. for `<url>/__sandbox/log`. Fails the test when there is none. */
export function sandboxUrl(): string {
  const url = process.env['HELPSCOUT_SANDBOX_URL'];
  assert.ok(url, 'HELPSCOUT_SANDBOX_URL is not set: the launcher did not start the sandbox');
  return url.replace(/\/$/, '');
}

/**
 * Everything the sandbox printed at start (URLs, demo credentials): from the launcher's
 * environment, or asked from the sandbox when only its URL is known (desktop launch config).
 */
export async function sandboxInfo(): Promise<Record<string, unknown>> {
  const raw = process.env['HELPSCOUT_SANDBOX_INFO'];
  if (raw) return JSON.parse(raw) as Record<string, unknown>;
  return (await sandboxControl('info')) as Record<string, unknown>;
}

/**
 * Calls the sandbox's control API, e.g. `sandboxControl('log?api=mailbox')`,
 * `sandboxControl('reset', { method: 'POST' })`, `sandboxControl('knobs', { method: 'PUT', body })`.
 * Returns the parsed JSON body (undefined for 204).
 */
export async function sandboxControl(path: string, init: RequestInit = {}): Promise<unknown> {
  const res = await fetch(`${sandboxUrl()}/__sandbox/${path}`, init);
  assert.ok(res.ok, `sandbox control ${init.method ?? 'GET'} ${path}: HTTP ${res.status}`);
  return res.status === 204 ? undefined : ((await res.json()) as unknown);
}

export interface SandboxLogEntry {
  api: string;
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
}

/** The sandbox's request log, optionally filtered (api = mailbox | docs | oauth). */
export async function sandboxLog(filter: { api?: string; method?: string; path?: string } = {}): Promise<SandboxLogEntry[]> {
  const q = new URLSearchParams(filter as Record<string, string>).toString();
  const body = (await sandboxControl(`log${q ? `?${q}` : ''}`)) as { entries: SandboxLogEntry[] };
  return body.entries;
}

/**
 * The extension's test access (services, log, hooks). It exists only because the suite runs
 * the extension in ExtensionMode.Test; an installed extension exports none of it.
 */
export async function testApi(): Promise<HelpScoutTestApi> {
  const exports = (await extension().activate()) as { testing?: HelpScoutTestApi } | undefined;
  assert.ok(exports?.testing, 'the extension exposes no test API: is it running in ExtensionMode.Test?');
  return exports.testing;
}

/**
 * Clears the sandbox's request log once it has been quiet for a moment. Connecting makes the
 * workbench's own Help Scout views reload in the background; their requests must not land in
 * the counts of the test that follows.
 */
export async function clearLog(): Promise<void> {
  let last = -1;
  for (let i = 0; i < 40; i++) {
    const count = (await sandboxLog({})).filter((e) => e.api !== 'control').length;
    if (count === last) break;
    last = count;
    await new Promise((r) => setTimeout(r, 400));
  }
  await sandboxControl('log', { method: 'DELETE' });
}
