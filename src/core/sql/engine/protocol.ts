// Messages between the engine (main thread) and the SQL worker. Both sides
// are our own code in one package, so these are plain types, not zod schemas.
import type { SqlValue } from '../catalog';

export interface TableData {
  readonly name: string;
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly rows: readonly (readonly SqlValue[])[];
}

export interface RunMessage {
  readonly type: 'run';
  readonly id: number;
  readonly sql: string;
  readonly tables: readonly TableData[];
  readonly chunkSize: number;
  /** Rows to send at most; one more row means the result is cut (`truncated`). */
  readonly maxRows: number;
  /** Approximate size of the rows to send at most (UTF-16 text, 8 bytes a number). */
  readonly maxBytes: number;
  /** SQLite's heap limit (PRAGMA hard_heap_limit): a statement needing more fails with "out of memory". */
  readonly heapLimitBytes: number;
}

export type ToWorker = RunMessage;

/** Result value: sql.js returns BLOBs as Uint8Array. */
export type ResultValue = SqlValue | Uint8Array;

export type FromWorker =
  | { readonly type: 'columns'; readonly id: number; readonly columns: readonly string[] }
  | { readonly type: 'rows'; readonly id: number; readonly rows: ResultValue[][] }
  | { readonly type: 'done'; readonly id: number; readonly rowCount: number; readonly types: readonly string[]; readonly truncated: boolean }
  | { readonly type: 'error'; readonly id: number; readonly message: string };
