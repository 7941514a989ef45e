// The integration suite's entry point. VS Code's extension host loads this module (compiled to
// out/test/integration/index.js) when the workbench is opened with `extensionTestsPath`, and
// calls `run()` once the extension under development is registered. It runs every
// `*.test.js` beside it with mocha, inside the extension host, with the full `vscode` API.
//
// Besides resolving or rejecting (what @vscode/test-electron watches), `run()` writes a JSON
// result to the file named by HELPSCOUT_TEST_RESULT: code-server keeps the page open on
// failure, so the offline launcher waits for that file instead.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export interface TestResult {
  passed: number;
  failed: number;
  pending: number;
  tests: { title: string; state: 'passed' | 'failed' | 'pending'; durationMs: number }[];
  failures: { title: string; error: string }[];
}

/**
 * One plain console line per test. The extension host forwards console output to the page,
 * where the launcher picks it up, so a hanging test shows how far the suite got.
 */
class LineReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.on('pass', (t) => console.log(`[integration] ok ${t.fullTitle()}`));
    runner.on('fail', (t, err: unknown) => console.log(`[integration] FAILED ${t.fullTitle()}: ${err instanceof Error ? err.message : String(err)}`));
  }
}

export async function run(): Promise<void> {
  const result: TestResult = { passed: 0, failed: 0, pending: 0, tests: [], failures: [] };
  const resultFile = process.env['HELPSCOUT_TEST_RESULT'];
  const write = (): void => {
    if (resultFile) writeFileSync(resultFile, JSON.stringify(result, null, 2));
  };
  try {
    const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: LineReporter });
    const grep = process.env['HELPSCOUT_TEST_GREP'];
    if (grep) mocha.grep(grep);
    const files = readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort();
    for (const f of files) mocha.addFile(join(__dirname, f));
    // Files are loaded with require() when run() starts, so their `import 'vscode'` goes
    // through the extension host's module interceptor.
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('pass', (t) => {
        result.passed++;
        result.tests.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration ?? 0 });
      });
      runner.on('fail', (t, err: unknown) => {
        result.failed++;
        result.tests.push({ title: t.fullTitle(), state: 'failed', durationMs: t.duration ?? 0 });
        result.failures.push({ title: t.fullTitle(), error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      });
      runner.on('pending', (t) => {
        result.pending++;
        result.tests.push({ title: t.fullTitle(), state: 'pending', durationMs: 0 });
      });
    });
    if (result.passed + result.failed === 0) {
      result.failed++;
      result.failures.push({ title: 'integration suite', error: `no test ran (files: ${files.join(', ') || 'none'})` });
    }
  } catch (err) {
    result.failed++;
    result.failures.push({ title: 'integration suite setup', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
  write();
  if (result.failed > 0) throw new Error(`${result.failed} integration test(s) failed`);
}
