// Helpers for integration tests: the extension under test, its package.json, and the sandbox
// the launcher started (its URL arrives through the extension host's environment).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

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

/** Everything the sandbox printed at start (URLs, demo credentials). */
export function sandboxInfo(): Record<string, unknown> {
  const raw = process.env['HELPSCOUT_SANDBOX_INFO'];
  assert.ok(raw, 'HELPSCOUT_SANDBOX_INFO is not set');
  return JSON.parse(raw) as Record<string, unknown>;
}
