// `npm run docs -- clone|status|pull|push DIR`: a Docs site (or one
// collection) as a folder of Markdown files, for keeping a help center in git.
// Connects like `npm run query` (see connect.ts): without HELPSCOUT_DOCS_API_KEY
// it uses a sandbox started in-process, fresh on every run.
//
// Exit codes: 0 done; 1 something was refused, failed or left conflicted;
// 2 wrong usage or not a cloned folder; 3 push not confirmed (nothing sent).
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { DocsClient } from '../core/docs/client';
import {
  NotAClonedFolderError, STATE_FILE, clone, executePush, planPush, pull, status, type PushPlan, type TrackedStatus,
} from '../core/docsync';
import { ENVIRONMENT_HELP, connectFromEnvironment, fail } from './connect';

const USAGE = `Usage: npm run docs -- <command> DIR [options]
  clone DIR [--site ID | --collection ID]
                       write the site (or one collection) into DIR (new or empty) as Markdown files
                       with front matter, plus ${STATE_FILE}; without --site, the account's only site
  status DIR [--local] what changed in the folder and in Help Scout since the last clone or pull
                       (--local: the folder only, no request)
  pull DIR             bring Help Scout's changes in; where a file changed on both sides, a three-way
                       merge, with conflict markers where the changes clash
  push DIR [--draft | --publish] [--dry-run] [--yes]
                       send the changed files: --draft (default) saves published articles' text as
                       drafts, --publish makes it live; a file is refused if its article changed in
                       Help Scout since the last pull, or if it has conflict markers. The summary is
                       shown first; --dry-run stops there; without a terminal, --yes is required.
Options: --seed N, --latency MS (sandbox only), --quiet, --help
${ENVIRONMENT_HELP}`;

const COMMANDS = ['clone', 'status', 'pull', 'push'] as const;
type Command = (typeof COMMANDS)[number];

function statusCode(t: TrackedStatus): string {
  const local = { unchanged: ' ', modified: 'M', deleted: 'D', conflicted: 'C' }[t.local];
  const server = t.server === undefined ? ' ' : { unchanged: ' ', changed: 'M', deleted: 'D' }[t.server];
  return `${local}${server}`;
}

export function describePlan(plan: PushPlan): string[] {
  const lines: string[] = [];
  const send = plan.items.filter((i) => i.action !== 'refused');
  lines.push(`Push ${plan.mode === 'draft' ? 'as drafts (--draft)' : 'live (--publish)'}: ${send.length} article(s) to send, ${plan.items.length - send.length} refused.`);
  const width = Math.max(0, ...plan.items.map((i) => i.action.length));
  for (const i of plan.items) {
    if (i.action === 'refused') {
      lines.push(`  ${'refused'.padEnd(width)}  ${i.path}: ${i.reason ?? ''}`);
      continue;
    }
    const notes = [
      `changes ${i.fields.join(', ')}`,
      ...(i.action === 'update live' ? ['customers see it at once'] : []),
      ...(i.discardsDraft ? ['discards the article\'s draft'] : []),
    ];
    lines.push(`  ${i.action.padEnd(width)}  ${i.path} (${notes.join('; ')})`);
  }
  if (plan.unchanged.length > 0) lines.push(`  ${plan.unchanged.length} edited file(s) already match Help Scout: nothing to send.`);
  for (const p of plan.deleted) lines.push(`  not sent  ${p}: deleted here; push never deletes articles (pull brings the file back when the article changes)`);
  for (const p of plan.untracked) lines.push(`  not sent  ${p}: not an article of this folder; push does not create articles`);
  return lines;
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        site: { type: 'string' },
        collection: { type: 'string' },
        local: { type: 'boolean', default: false },
        draft: { type: 'boolean', default: false },
        publish: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        yes: { type: 'boolean', default: false },
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
  const [command, dir, ...rest] = positionals;
  if (command === undefined || !(COMMANDS as readonly string[]).includes(command)) fail(`Give a command: ${COMMANDS.join(', ')}.\n${USAGE}`);
  if (dir === undefined || rest.length > 0) fail(`Give exactly one folder.\n${USAGE}`);
  const cmd = command as Command;
  if (o.draft && o.publish) fail('Choose --draft or --publish, not both.');
  if (o.site !== undefined && o.collection !== undefined) fail('Choose --site or --collection, not both.');
  if ((o.site !== undefined || o.collection !== undefined) && cmd !== 'clone') fail('--site and --collection are for clone.');
  const say = (s: string): void => {
    if (!o.quiet) process.stderr.write(`${s}\n`);
  };
  const out = (s: string): void => {
    process.stdout.write(`${s}\n`);
  };

  if (cmd === 'status' && o.local) {
    try {
      return printStatus(await status(undefined, dir, { localOnly: true }), out);
    } catch (e) {
      return report(e);
    }
  }

  const latency = o.latency === undefined ? 0 : Number(o.latency);
  if (!Number.isFinite(latency) || latency < 0) fail('--latency must be a number of milliseconds.');
  const connection = await connectFromEnvironment({ latencyMs: latency, seed: o.seed === undefined ? 1 : Number(o.seed), say });
  if (connection.docsHttp === undefined) {
    await connection.close();
    fail('The Docs API needs HELPSCOUT_DOCS_API_KEY.');
  }
  const client = new DocsClient(connection.docsHttp);
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(130);
    say('\nStopping after the current request (Ctrl-C again to quit).');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const signal = controller.signal;
  try {
    switch (cmd) {
      case 'clone': {
        const r = await clone(client, dir, {
          signal, ...(o.site !== undefined ? { siteId: o.site } : {}), ...(o.collection !== undefined ? { collectionId: o.collection } : {}),
        });
        out(`Cloned ${r.files.length} article(s) from ${r.collections} collection(s) of site ${r.siteId} into ${dir}.`);
        return 0;
      }
      case 'status':
        return printStatus(await status(client, dir, { signal }), out);
      case 'pull': {
        const r = await pull(client, dir, { signal });
        if (r.entries.length === 0) out('Already up to date.');
        for (const e of r.entries) out(`  ${e.action.padEnd(10)} ${e.path}${e.previousPath !== undefined ? ` (was ${e.previousPath})` : ''}`);
        if (r.conflicted > 0) {
          out(`${r.conflicted} file(s) conflicted: edit them to keep the right text and remove the <<<<<<< / ======= / >>>>>>> lines, then push.`);
          return 1;
        }
        return 0;
      }
      case 'push': {
        const plan = await planPush(client, dir, o.publish ? 'publish' : 'draft', { signal });
        for (const line of describePlan(plan)) out(line);
        const toSend = plan.items.filter((i) => i.action !== 'refused').length;
        const refusedCount = plan.items.length - toSend;
        if (o['dry-run'] || toSend === 0) {
          if (o['dry-run']) out('Dry run: nothing sent.');
          return refusedCount > 0 ? 1 : 0;
        }
        if (!o.yes) {
          if (!process.stdin.isTTY) {
            out('Nothing sent: run with --yes to send without a terminal.');
            return 3;
          }
          if (!(await confirm(`Send ${toSend} article(s)${plan.mode === 'publish' ? ' LIVE' : ''}? [y/N] `))) {
            out('Nothing sent.');
            return 3;
          }
        }
        const outcomes = await executePush(client, dir, plan, { signal });
        for (const r of outcomes) out(`  ${r.result.padEnd(8)} ${r.path}${r.message !== undefined ? `: ${r.message}` : ''}`);
        const sent = outcomes.filter((r) => r.result === 'sent').length;
        out(`${sent} sent, ${outcomes.length - sent} not sent.`);
        return sent === outcomes.length ? 0 : 1;
      }
    }
  } catch (e) {
    return report(e);
  } finally {
    process.off('SIGINT', onSigint);
    await connection.close();
  }
}

function printStatus(r: Awaited<ReturnType<typeof status>>, out: (s: string) => void): number {
  const changed = r.tracked.filter((t) => statusCode(t) !== '  ');
  for (const t of changed) out(`${statusCode(t)} ${t.path}`);
  for (const p of r.newLocal) out(`?? ${p}`);
  for (const n of r.newOnServer) out(`+  ${n.name} (${n.id}, new in Help Scout)`);
  if (changed.length === 0 && r.newLocal.length === 0 && r.newOnServer.length === 0) out(`Nothing changed (${r.tracked.length} article(s)).`);
  else out('First column: this folder, second: Help Scout (M changed, D deleted, C conflict markers); ?? not an article; + new in Help Scout.');
  return 0;
}

function report(e: unknown): number {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  return e instanceof NotAClonedFolderError ? 2 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => fail(e instanceof Error ? (e.stack ?? e.message) : String(e), 1),
);
