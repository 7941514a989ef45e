// Launcher for the integration suite in desktop VS Code (Electron), for machines that can
// download VS Code (@vscode/test-electron fetches it from Microsoft's update servers, which
// the project's own machines cannot reach: there, use runTests-codeserver.ts).
//
//   npm run build && npm run build:tests
//   npx tsx test/integration/runTests-electron.ts            # 1.90.0 (engines floor) and stable
//   HELPSCOUT_VSCODE_VERSIONS=insiders npx tsx test/integration/runTests-electron.ts
//
// It starts the sandbox, writes user settings pointing the extension at it, and runs the same
// out/test/integration/index.js `run()` as the offline launcher, with --disable-extensions.
// On Linux without a display, run it under `xvfb-run -a`.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { EnvVars, projectRoot, sandboxSettings, startSandbox } from '../../scripts/vscode-host/host';

async function main(): Promise<number> {
  const versions = (process.env['HELPSCOUT_VSCODE_VERSIONS'] ?? '1.90.0,stable').split(',').map((v) => v.trim());
  const sandbox = await startSandbox({ port: 0, log: (l) => console.log(l) });
  let failed = 0;
  try {
    for (const version of versions) {
      const dir = mkdtempSync(join(tmpdir(), 'helpscout-electron-'));
      const userDataDir = join(dir, 'user-data');
      const workspace = join(dir, 'workspace');
      mkdirSync(join(userDataDir, 'User'), { recursive: true });
      mkdirSync(workspace, { recursive: true });
      writeFileSync(join(userDataDir, 'User/settings.json'), JSON.stringify(sandboxSettings(sandbox?.info), null, 2));
      const env: Record<string, string> = {};
      if (sandbox) {
        env[EnvVars.sandboxUrl] = sandbox.info.baseUrl;
        env[EnvVars.sandboxInfo] = sandbox.rawInfo;
      }
      console.log(`\n== VS Code ${version}`);
      try {
        await runTests({
          version,
          extensionDevelopmentPath: projectRoot,
          extensionTestsPath: join(projectRoot, 'out/test/integration/index.js'),
          extensionTestsEnv: env,
          launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', userDataDir],
        });
      } catch (err) {
        failed++;
        console.error(`VS Code ${version}: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await sandbox?.stop();
  }
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
