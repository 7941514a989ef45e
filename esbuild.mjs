// Build script: the extension (Node, CommonJS, `vscode` external) and the
// webview bundles (browser). `--watch` rebuilds on change, `--production`
// minifies and drops source maps.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// `--tests` builds only the integration suite (out/test/integration), which runs inside the
// extension host: index.js (mocha's `run()` entry) plus one file per *.test.ts.
const tests = process.argv.includes('--tests');

/** Prints errors in the format VS Code's esbuild problem matcher understands. */
const problemMatcher = {
  name: 'esbuild-problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: [problemMatcher],
};

const webviewDir = 'src/webview';
const webviewEntries = existsSync(webviewDir)
  ? readdirSync(webviewDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => join(webviewDir, f))
  : [];

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  {
    ...common,
    // The SQL engine runs in a worker thread from its own file: the extension
    // bundle imports `vscode`, which a worker thread cannot load.
    entryPoints: { extension: 'src/extension/extension.ts', sqlworker: 'src/core/sql/engine/worker.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
];
if (webviewEntries.length > 0) {
  builds.push({
    ...common,
    entryPoints: webviewEntries,
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  });
}

if (tests) {
  const dir = 'test/integration';
  // Start clean so a deleted test file doesn't keep running from a stale bundle.
  rmSync('out/test/integration', { recursive: true, force: true });
  const entries = readdirSync(dir).filter((f) => f === 'index.ts' || f.endsWith('.test.ts')).map((f) => join(dir, f));
  const testBuild = {
    ...common,
    minify: false,
    sourcemap: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    // mocha is bundled; these warnings concern its parallel mode, which the suite doesn't use.
    logOverride: { 'require-resolve-not-external': 'silent' },
  };
  // The probe (test/probe): a second extension that runs the same runner beside the installed
  // package; its folder is an extension of its own (manifest + extension.js).
  rmSync('out/test/probe', { recursive: true, force: true });
  mkdirSync('out/test/probe', { recursive: true });
  copyFileSync('test/probe/package.json', 'out/test/probe/package.json');
  builds.splice(0, builds.length, { ...testBuild, entryPoints: entries, outdir: 'out/test/integration' }, {
    ...testBuild,
    entryPoints: [
      { in: 'test/integration/index.ts', out: 'index' },
      { in: 'test/probe/extension.ts', out: 'extension' },
      { in: 'test/probe/probe.test.ts', out: 'probe.test' },
    ],
    outdir: 'out/test/probe',
  });
}

// A production build starts from an empty dist/ so no stale file (an old
// source map, a renamed bundle) slips into the package.
if (production) rmSync('dist', { recursive: true, force: true });

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
