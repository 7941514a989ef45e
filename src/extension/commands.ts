// The one way the extension registers a command. Each feature module exports a
// table of `command(...)` entries (id → argument schema, handler, error policy)
// and `activate` hands every table to `registerCommands`, which is the only
// caller of `vscode.commands.registerCommand` in the extension. When VS Code (a
// menu, a keybinding, the palette, another extension) invokes a command, the
// registration point:
//   1. validates the arguments with the entry's zod schema; arguments it does
//      not understand get one clear message and are never passed on,
//   2. runs the handler,
//   3. turns a thrown error into the standard notification (errors.ts) and logs
//      it, according to the entry's error policy.
// Arguments are checked, never logged: they may hold tokens or keys.
import * as vscode from 'vscode';
import { z } from 'zod';
import type { CommandId } from './constants';
import { showError } from './errors';

/**
 * What happens when a handler throws:
 * - `notify`: the standard error notification with fix-it actions (logged too); the command resolves to undefined.
 * - `log`: logged only, for commands whose handler already told the user (or that run in the background).
 * - `rethrow`: logged, then thrown to the caller (for commands other code awaits and handles).
 */
export type ErrorPolicy = 'notify' | 'log' | 'rethrow';

export interface CommandEntry {
  readonly id: CommandId;
  readonly args: z.ZodType<readonly unknown[]>;
  readonly run: (...args: never[]) => unknown;
  readonly errors: ErrorPolicy;
  /** Names the command in error messages, e.g. "Run Query". */
  readonly title: string;
}

/**
 * The argument schema of a command: a tuple of (usually optional) arguments. Extra arguments
 * (menus add some, e.g. the explorer passes the selection) are accepted and dropped, so a
 * handler sees exactly the arguments it declares.
 */
export function argsOf<const T extends readonly z.ZodType[]>(...items: T): z.ZodType<{ -readonly [K in keyof T]: z.output<T[K]> }> {
  const tuple = z.tuple(items as unknown as [z.ZodType, ...z.ZodType[]]).rest(z.unknown());
  return tuple.transform((a) => a.slice(0, items.length)) as unknown as z.ZodType<{ -readonly [K in keyof T]: z.output<T[K]> }>;
}

/** Argument schema of a command that takes none (VS Code may still pass some: they are ignored). */
export const noArgs = argsOf();

/**
 * `{ confirmed: true }`: the caller already asked the user (a reply, a delete, clearing history).
 * Honoured only while VS Code runs the extension's own tests: in an installed extension every
 * destructive command asks, whoever invokes it, so another extension cannot skip the question.
 */
export const confirmedArg = z.object({ confirmed: z.boolean().optional() }).optional();
let unattended = false;

/** Called once at activation: true only in ExtensionMode.Test. */
export function allowUnattended(on: boolean): void {
  unattended = on;
}

/** True when the command may skip its confirmation. */
export function preConfirmed(opts: { confirmed?: boolean | undefined } | undefined): boolean {
  return unattended && opts?.confirmed === true;
}

/** A `vscode.Uri` argument (editor title and explorer menus pass the resource). */
export const uriArg = z.custom<vscode.Uri>((v) => v instanceof vscode.Uri, 'a file URI');

/** One row of a command table. The handler's parameter types come from the schema. */
export function command<A extends readonly unknown[]>(
  id: CommandId,
  args: z.ZodType<A>,
  run: (...args: NoInfer<A>) => unknown,
  opts: { errors?: ErrorPolicy; title?: string } = {},
): CommandEntry {
  return { id, args, run: run as (...args: never[]) => unknown, errors: opts.errors ?? 'notify', title: opts.title ?? id };
}

/** Registers every entry; the returned disposable unregisters them all. */
export function registerCommands(entries: readonly CommandEntry[], log: vscode.LogOutputChannel): vscode.Disposable {
  const seen = new Set<string>();
  const registrations = entries.map((entry) => {
    if (seen.has(entry.id)) throw new Error(`command ${entry.id} is in the command tables twice`);
    seen.add(entry.id);
    return vscode.commands.registerCommand(entry.id, (...raw: unknown[]) => invoke(entry, raw, log));
  });
  return vscode.Disposable.from(...registrations);
}

/** Runs one invocation through validation, the handler and the error policy. Exported for tests. */
export async function invoke(entry: CommandEntry, raw: readonly unknown[], log: vscode.LogOutputChannel): Promise<unknown> {
  // VS Code passes `undefined` for missing arguments in some menus; trailing ones mean "absent".
  const trimmed = [...raw];
  while (trimmed.length > 0 && trimmed[trimmed.length - 1] === undefined) trimmed.pop();
  const parsed = entry.args.safeParse(trimmed);
  if (!parsed.success) {
    // Paths and messages only: the values may be secrets.
    const where = parsed.error.issues.map((i) => `argument ${i.path.map(String).join('.') || '?'}: ${i.message}`).join('; ');
    log.warn(`[command] ${entry.id}: arguments not understood (${where})`);
    void vscode.window.showErrorMessage(vscode.l10n.t('Help Scout: "{0}" got arguments it does not understand.', entry.title));
    return undefined;
  }
  log.trace(`[command] ${entry.id}`);
  try {
    return await (entry.run as (...args: readonly unknown[]) => unknown)(...parsed.data);
  } catch (err) {
    switch (entry.errors) {
      case 'rethrow':
        log.error(`[command] ${entry.id}: ${describe(err)}`);
        throw err;
      case 'log':
        log.error(`[command] ${entry.id}: ${describe(err)}`);
        return undefined;
      case 'notify':
        // The command settles now; the notification's fix-it action runs whenever it is picked.
        void showError(err, log, entry.title);
        return undefined;
    }
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
