// `npm run test:differential -- --count N --seed S`: generates N statements,
// runs each through the engine and the reference, and prints the first
// disagreement shrunk (with --keep-going, every one, and the totals).
// `--index I` runs statement I of the seed alone; `--print` shows each statement, `--slow` those over 0.5 s; `--no-shrink` only counts.
import { describeOutcome, Differential } from './differential';
import { render } from './generator';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} takes a non-negative integer`);
  return v;
}

const flag = (name: string): boolean => process.argv.includes(`--${name}`);

async function main(): Promise<number> {
  const count = arg('count', 500);
  const seed = arg('seed', 1);
  const only = process.argv.includes('--index') ? arg('index', 0) : undefined;
  const keepGoing = flag('keep-going');
  const started = Date.now();
  const d = await Differential.start();
  console.log(`sandbox exported in ${((Date.now() - started) / 1000).toFixed(1)} s; seed ${seed}, ${only !== undefined ? `statement ${only}` : `${count} statements`}`);
  let failures = 0;
  let engineErrors = 0;
  let requests = 0;
  let run = 0;
  const planned = new Map<string, number>();
  const errors = new Map<string, number>();
  const t0 = Date.now();
  try {
    for (let i = only ?? 0; i < (only !== undefined ? only + 1 : count); i++) {
      const stmt = d.generator(seed, i).statement();
      const t = Date.now();
      const o = await d.check(stmt);
      const ms = Date.now() - t;
      if (flag('slow') && ms > 500) console.log(`#${i} ${ms} ms, ${o.requests} requests: ${render(stmt).slice(0, 300)}`);
      run++;
      requests += o.requests;
      for (const f of o.planFeatures) planned.set(f, (planned.get(f) ?? 0) + 1);
      if (!o.engine.ok) {
        engineErrors++;
        const e = o.engine.error.replace(/\d+/g, 'N').slice(0, 70);
        errors.set(e, (errors.get(e) ?? 0) + 1);
      }
      if (flag('print')) console.log(`#${i} ${o.agree ? 'ok ' : 'BAD'} ${render(stmt)}`);
      if (!o.agree) {
        failures++;
        console.log(`\nstatement #${i} (seed ${seed}) disagrees:\n${describeOutcome(o)}`);
        if (!flag('no-shrink')) {
          const s = await d.shrink(stmt, o);
          console.log(`shrunk (${s.tries} tries):\n${describeOutcome(s.outcome)}\n`);
        }
        if (!keepGoing) break;
      }
      if (run % 250 === 0) console.log(`${run} statements, ${failures} wrong, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
  } finally {
    await d.close();
  }
  const secs = (Date.now() - t0) / 1000;
  console.log(`${run} statements in ${secs.toFixed(1)} s (${((secs * 1000) / Math.max(1, run)).toFixed(0)} ms each), ${requests} requests, ${engineErrors} rejected by both or the engine; ${failures} disagreement(s)`);
  console.log(`errors: ${[...errors].sort((a, b) => b[1] - a[1]).map(([e, n]) => `${n}x ${e}`).join('; ')}`);
  console.log(`plans: ${[...planned].sort((a, b) => b[1] - a[1]).map(([f, n]) => `${f} ${n}`).join(', ')}`);
  return failures ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(2);
  },
);
