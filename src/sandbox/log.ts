// The sandbox's request log: one entry per request the server answered (or
// dropped), so tests can count the calls a client really made.

export type ApiName = 'mailbox' | 'docs' | 'oauth' | 'control';

export interface LogEntry {
  /** ISO-8601 with milliseconds. */
  time: string;
  api: ApiName;
  method: string;
  /** Full request path without the query string, e.g. `/v2/conversations`. */
  path: string;
  /** Query parameters as a plain object (the last value wins for repeated keys). */
  query: Record<string, string>;
  /** HTTP status; 0 when the `drop` knob destroyed the socket without answering. */
  status: number;
}

export interface LogFilter {
  api?: ApiName;
  method?: string;
  /** Exact path, or a RegExp tested against the path. */
  path?: string | RegExp;
  status?: number;
}

export class RequestLog {
  private list: LogEntry[] = [];

  add(entry: LogEntry): void {
    this.list.push(entry);
  }

  /** A copy of all entries, oldest first. */
  entries(filter: LogFilter = {}): LogEntry[] {
    return this.list.filter((e) => matches(e, filter));
  }

  count(filter: LogFilter = {}): number {
    return this.entries(filter).length;
  }

  reset(): void {
    this.list = [];
  }
}

function matches(e: LogEntry, f: LogFilter): boolean {
  if (f.api !== undefined && e.api !== f.api) return false;
  if (f.method !== undefined && e.method !== f.method.toUpperCase()) return false;
  if (f.status !== undefined && e.status !== f.status) return false;
  if (f.path !== undefined) {
    if (typeof f.path === 'string' ? e.path !== f.path : !f.path.test(e.path)) return false;
  }
  return true;
}
