// `npm run bench [-- name ...]`: runs the registered benchmarks one after
// another (or only the named ones), prints each report and writes its data to
// artifacts/bench-<name>.json. To add a benchmark, implement `Benchmark`
// (runner.ts) in its own file and add it to BENCHMARKS below.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Benchmark } from './runner';
import { gridBenchmark } from './grid';
import { sqlBenchmark } from './sql';

const BENCHMARKS: readonly Benchmark[] = [sqlBenchmark, gridBenchmark];

async function main(): Promise<number> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = wanted.filter((w) => !BENCHMARKS.some((b) => b.name === w));
  if (unknown.length) {
    process.stderr.write(`Unknown benchmark(s): ${unknown.join(', ')}. Known: ${BENCHMARKS.map((b) => b.name).join(', ')}\n`);
    return 2;
  }
  const selected = wanted.length ? BENCHMARKS.filter((b) => wanted.includes(b.name)) : BENCHMARKS;
  const dir = join(process.cwd(), 'artifacts');
  mkdirSync(dir, { recursive: true });
  for (const b of selected) {
    process.stderr.write(`== ${b.name}: ${b.description}\n`);
    const started = Date.now();
    const report = await b.run({ log: (line) => process.stderr.write(`   ${line}\n`) });
    process.stdout.write(`\n${report.text}\n`);
    const file = join(dir, `bench-${b.name}.json`);
    writeFileSync(file, `${JSON.stringify({ benchmark: b.name, date: new Date().toISOString(), node: process.version, seconds: (Date.now() - started) / 1000, ...(report.data as object) }, null, 2)}\n`);
    process.stderr.write(`   (${((Date.now() - started) / 1000).toFixed(1)} s; data in ${file})\n`);
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
