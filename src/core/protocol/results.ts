// Messages between the query results panel (src/extension/query/resultsPanel.ts)
// and its page (src/webview/results.ts). Both sides validate every message
// they receive with these schemas. The extension keeps the rows: the page
// asks for windows of the current view (sorted and filtered by the extension)
// and never receives a whole result set in one message.
import { z } from 'zod';

/** A cell as the page sees it: BLOBs arrive as a short text placeholder. */
export const CellSchema = z.union([z.string(), z.number(), z.null()]);
export type Cell = z.infer<typeof CellSchema>;

/** Largest window the page may ask for at once. */
export const MAX_WINDOW = 2000;

export const CopyFormatSchema = z.enum(['tsv', 'csv', 'markdown', 'json']);
export type CopyFormat = z.infer<typeof CopyFormatSchema>;

export const ExportFormatSchema = z.enum(['csv', 'json', 'markdown']);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

export const SortSchema = z.object({ column: z.number().int().min(0), descending: z.boolean() });
export type Sort = z.infer<typeof SortSchema>;

/** Per-column filter text by column index (see the filter syntax in core/results/store.ts). */
export const FiltersSchema = z.record(z.string().regex(/^\d+$/), z.string().max(500));
export type Filters = z.infer<typeof FiltersSchema>;

/** A rectangle of cells in view coordinates, inclusive. */
export const CellRangeSchema = z.object({
  rowStart: z.number().int().min(0),
  rowEnd: z.number().int().min(0),
  colStart: z.number().int().min(0),
  colEnd: z.number().int().min(0),
});
export type CellRange = z.infer<typeof CellRangeSchema>;

const reqId = z.number().int().min(0);

export const PageMessageSchema = z.discriminatedUnion('type', [
  /** First message: the page is listening. */
  z.object({ type: z.literal('ready') }),
  /** Rows [start, start+count) of the current view. */
  z.object({ type: z.literal('getRows'), reqId, start: z.number().int().min(0), count: z.number().int().min(1).max(MAX_WINDOW) }),
  /** Sort and filters changed; the extension answers with `view`. */
  z.object({ type: z.literal('setView'), reqId, sort: SortSchema.nullable(), filters: FiltersSchema }),
  /** Copy a range (the extension builds the text, so ranges beyond the loaded window work too). */
  z.object({ type: z.literal('copy'), range: CellRangeSchema, format: CopyFormatSchema, header: z.boolean() }),
  /** Export the whole view to a file chosen in a save dialog. */
  z.object({ type: z.literal('export'), format: ExportFormatSchema }),
  z.object({ type: z.literal('cancel') }),
  z.object({ type: z.literal('rerun') }),
  /** Run one of the actions offered with an error (e.g. Sign In), by its index. */
  z.object({ type: z.literal('errorAction'), index: z.number().int().min(0) }),
  /** Reveal the statement in its editor. */
  z.object({ type: z.literal('showQuery') }),
]);
export type PageMessage = z.infer<typeof PageMessageSchema>;

export const QueryStateSchema = z.enum(['running', 'done', 'cancelled', 'error']);
export type QueryState = z.infer<typeof QueryStateSchema>;

export const PlanRowSchema = z.array(CellSchema);

export const StatusSchema = z.object({
  state: QueryStateSchema,
  /** Rows received so far (all of them, before filters). */
  rowCount: z.number().int().min(0),
  /** Rows in the current view (after filters). */
  viewCount: z.number().int().min(0),
  requestsDone: z.number().int().min(0),
  requestsPlanned: z.number().int().min(0),
  /** When the data was fetched (ms since epoch). */
  asOf: z.number().nullable(),
  durationMs: z.number().min(0).nullable(),
  /** While the API rate limit pauses the query: when it resumes (ms since epoch). */
  resumesAt: z.number().nullable(),
  error: z
    .object({
      message: z.string(),
      actions: z.array(z.string()),
      /** 1-based line and column in the statement, when known. */
      line: z.number().int().nullable(),
      column: z.number().int().nullable(),
    })
    .nullable(),
});
export type Status = z.infer<typeof StatusSchema>;

export const ExtensionMessageSchema = z.discriminatedUnion('type', [
  /** Sent after `ready` and whenever a new statement starts in this panel. */
  z.object({
    type: z.literal('init'),
    /** Increases per statement run in the panel: replies for an older run are ignored. */
    run: z.number().int(),
    sql: z.string(),
    columns: z.array(z.string()),
    types: z.array(z.string()),
    plan: z.object({ columns: z.array(z.string()), rows: z.array(PlanRowSchema) }).nullable(),
    status: StatusSchema,
    htmlAsText: z.boolean(),
  }),
  /** Columns became known (they arrive with the first rows). */
  z.object({ type: z.literal('columns'), run: z.number().int(), columns: z.array(z.string()), types: z.array(z.string()) }),
  z.object({ type: z.literal('status'), run: z.number().int(), status: StatusSchema }),
  z.object({ type: z.literal('rows'), run: z.number().int(), reqId, start: z.number().int().min(0), rows: z.array(z.array(CellSchema)) }),
  z.object({ type: z.literal('view'), run: z.number().int(), reqId, viewCount: z.number().int().min(0) }),
  /** A short confirmation ("Copied 12 rows"). */
  z.object({ type: z.literal('notice'), text: z.string() }),
]);
export type ExtensionMessage = z.infer<typeof ExtensionMessageSchema>;
