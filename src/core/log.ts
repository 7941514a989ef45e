// The logger core code writes to. VS Code's LogOutputChannel satisfies it, and
// the command line and tests pass a console-backed one. Core never
// logs a secret: callers pass values through `redact` first.
import { redactText } from './http/redact';

export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string | Error, ...args: unknown[]): void;
}

/** A logger that prefixes every line with `[component]`. */
export function scoped(logger: Logger, component: string): Logger {
  const p = `[${component}] `;
  return {
    trace: (m, ...a) => logger.trace(p + m, ...a),
    debug: (m, ...a) => logger.debug(p + m, ...a),
    info: (m, ...a) => logger.info(p + m, ...a),
    warn: (m, ...a) => logger.warn(p + m, ...a),
    error: (m, ...a) => logger.error(typeof m === 'string' ? p + m : m, ...a),
  };
}

/**
 * `Name: message` for a log line, with secrets redacted and without the stack. For
 * errors that may carry what a user typed or a server echoed (a connection string, a
 * token endpoint's answer).
 */
export function describeForLog(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return redactText(text);
}
