// Points a desktop VS Code profile at a running sandbox: asks the sandbox for its URLs
// (`/__sandbox/info`) and writes them into <user-data-dir>/User/settings.json, keeping any
// other settings there. Used before launching desktop VS Code on the development folder
// (README "Running in desktop VS Code"; .vscode/launch.json runs it as a pre-launch task).
//
//   npx tsx scripts/vscode-host/desktop-settings.ts [user-data-dir] [sandbox-url]
//   defaults: .vscode-test/desktop-user-data, http://127.0.0.1:5055
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SandboxInfoSchema, projectRoot, sandboxSettings } from './host';

async function main(): Promise<void> {
  const dir = resolve(process.argv[2] ?? join(projectRoot, '.vscode-test/desktop-user-data'));
  const sandboxUrl = (process.argv[3] ?? process.env['SANDBOX_URL'] ?? 'http://127.0.0.1:5055').replace(/\/$/, '');
  const res = await fetch(`${sandboxUrl}/__sandbox/info`).catch((err: unknown) => {
    throw new Error(`no sandbox at ${sandboxUrl} (start it with npm run sandbox): ${String(err)}`);
  });
  if (!res.ok) throw new Error(`${sandboxUrl}/__sandbox/info answered HTTP ${res.status}`);
  const info = SandboxInfoSchema.parse(await res.json());
  const file = join(dir, 'User/settings.json');
  mkdirSync(join(dir, 'User'), { recursive: true });
  const current = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(file, JSON.stringify({ ...current, ...sandboxSettings(info) }, null, 2));
  console.log(`wrote ${file}: Help Scout settings point at ${info.baseUrl}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
