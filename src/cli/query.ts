// `npm run query -- "<sql>"`: the SQL engine without VS Code, for trying and
// measuring it. Runs against a real account when HELPSCOUT_ACCESS_TOKEN
// (Mailbox API) and/or HELPSCOUT_DOCS_API_KEY (Docs API) are set, otherwise
// against a sandbox it starts in-process (and says so on stderr). Results go
// to stdout as a table, CSV or JSON; the plan, progress and request counts go
// to stderr. Ctrl-C once cancels the fetch and prints the partial result.
import { parseArgs } from 'node:util';
import { DocsClient } from '../core/docs/client';
import { MailboxClient } from '../core/mailbox/client';
import {
  EXPLAIN_COLUMNS, explainRows, isWriteStatement, ResponseCache, runSql, runWrite, SqlEngine, SqlFetcher, type FetchEvent,
} from '../core/sql';
import { ENVIRONMENT_HELP, connectFromEnvironment, fail } from './connect';
import { format, type OutputFormat } from './format';

const USAGE = `Usage: npm run query -- [options] "<sql>"
  --explain            show the plan (endpoints, parameters, estimated requests) instead of running
  --format F           table (default), csv or json
  --dry-run            for UPDATE/INSERT: list the exact requests without sending them
  --allow-writes       for UPDATE/INSERT: send the requests (writes are off otherwise)
  --latency MS         sandbox only: added latency per request
  --seed N             sandbox only: data seed (default 1)
  --quiet              no progress or summary on stderr
  --help               show this help
${ENVIRONMENT_HELP}`;

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        explain: { type: 'boolean', default: false },
        format: { type: 'string', default: 'table' },
        'dry-run': { type: 'boolean', default: false },
        'allow-writes': { type: 'boolean', default: false },
        latency: { type: 'string' },
        seed: { type: 'string' },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (e) {
    fail(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
  }
  const { values: o, positionals } = parsed;
  if (o.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const sql = positionals.join(' ').trim();
  if (!sql) fail(`No SQL given.\n${USAGE}`);
  const fmt = o.format as OutputFormat;
  if (!['table', 'csv', 'json'].includes(fmt)) fail(`--format must be table, csv or json.\n${USAGE}`);
  const say = (s: string): void => {
    if (!o.quiet) process.stderr.write(`${s}\n`);
  };

  const latency = o.latency === undefined ? 0 : Number(o.latency);
  if (!Number.isFinite(latency) || latency < 0) fail('--latency must be a number of milliseconds.');
  const connection = await connectFromEnvironment({ latencyMs: latency, seed: o.seed === undefined ? 1 : Number(o.seed), say });
  const { mailboxHttp, docsHttp } = connection;
  const fetcher = new SqlFetcher({ ...(mailboxHttp ? { mailbox: mailboxHttp } : {}), ...(docsHttp ? { docs: docsHttp } : {}), cache: new ResponseCache({ ttlMs: 0 }) });
  const engine = new SqlEngine();

  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(130);
    say('\nCancelling: the rows fetched so far are kept (Ctrl-C again to quit).');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const started = Date.now();
  try {
    if (isWriteStatement(sql)) {
      const r = await runWrite(sql, {
        ...(mailboxHttp ? { mailbox: new MailboxClient(mailboxHttp) } : {}),
        ...(docsHttp ? { docs: new DocsClient(docsHttp) } : {}),
        fetcher,
        engine,
        allowWrites: o['allow-writes'],
        dryRun: o['dry-run'],
        signal: controller.signal,
      });
      const rows = r.plan.requests.map((q, i) => {
        const out = r.outcomes[i];
        const status = r.dryRun ? 'dry run' : out === undefined ? 'not sent' : out.ok ? `ok${out.id !== undefined ? ` (id ${String(out.id)})` : ''}` : `failed: ${out.error?.message ?? ''}`;
        return [q.method, q.path, JSON.stringify(q.body), q.description, status];
      });
      process.stdout.write(format(fmt, ['Method', 'Path', 'Body', 'Change', 'Result'], rows));
      say(`${r.plan.statement} ${r.plan.table}: ${r.plan.rowsMatched} row(s) matched, ${r.plan.requests.length} request(s)${r.dryRun ? ' listed, none sent' : `, ${r.outcomes.filter((x) => x.ok).length} sent`}.`);
      return r.outcomes.some((x) => !x.ok) ? 1 : 0;
    }
    if (o.explain) {
      const p = fetcher.plan(sql.replace(/^\s*explain\s+(?!query\s+plan)/i, ''));
      process.stdout.write(format(fmt, [...EXPLAIN_COLUMNS], explainRows(p)));
      return 0;
    }
    let lastProgress = 0;
    const onEvent = (e: FetchEvent): void => {
      if (o.quiet || !process.stderr.isTTY) return;
      if (e.type === 'rate' && e.paused) process.stderr.write(`\rRate limited: resuming in ${Math.ceil(((e.until ?? Date.now()) - Date.now()) / 1000)} s   `);
      if (e.type === 'progress' && Date.now() - lastProgress > 100) {
        lastProgress = Date.now();
        process.stderr.write(`\r${e.progress.requestsDone}/${e.progress.requestsPlanned} requests, ${e.progress.rows} rows   `);
      }
    };
    const r = await runSql(sql, { fetcher, engine, signal: controller.signal, onEvent });
    if (!o.quiet && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    process.stdout.write(format(fmt, r.columns, r.rows));
    const notes = [
      ...(r.truncated ? [`only the first ${r.rows.length} rows: the result has more (narrow it with WHERE or LIMIT)`] : []),
      ...(r.partial ? ['CANCELLED: partial result over the rows fetched so far'] : []),
    ];
    say(`${r.rows.length} row(s); ${r.requests} request(s) (plan estimated ${r.plan.estimatedRequests}); ${Date.now() - started} ms${notes.map((n) => `; ${n}`).join('')}.`);
    return r.partial ? 130 : 0;
  } catch (e) {
    const pos = e !== null && typeof e === 'object' && 'position' in e ? (e as { position?: { line: number; column: number } }).position : undefined;
    process.stderr.write(`${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}${pos ? ` (line ${pos.line}, column ${pos.column})` : ''}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
    engine.dispose();
    await connection.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => fail(e instanceof Error ? (e.stack ?? e.message) : String(e), 1),
);
