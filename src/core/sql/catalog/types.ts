// The shape of a table definition. Each Help Scout entity is declared once
// (catalog/mailbox.ts, catalog/docs.ts) in this form; the parser, planner,
// row mapper and sys_* tables all read it, so adding a column or a pushed
// filter is a one-line change in one place.

/** Declared SQLite type. BOOLEAN is stored as 0/1, DATETIME as ISO-8601 UTC text. */
export type SqlType = 'INTEGER' | 'TEXT' | 'REAL' | 'BOOLEAN' | 'DATETIME';

export type Api = 'mailbox' | 'docs';

/** Operators the parser recognises in `column op literal` conjuncts. */
export type PredicateOp = '=' | '<>' | '<' | '<=' | '>' | '>=' | 'IN' | 'BETWEEN' | 'LIKE';

/** A JSON object as the API returns it. */
export type ApiObject = Record<string, unknown>;

/** What a column extractor knows besides the API object itself. */
export interface RowContext {
  /** Path and query parameters of the request that returned the object (e.g. `conversationId`, `mailbox`). */
  readonly params: Readonly<Record<string, string>>;
  /** The object the row was exploded from (customer for CustomerEmails, conversation for ConversationCustomFields). */
  readonly parent?: ApiObject;
  /** Literal values the statement compares a column with (see `ColumnDef.echoLiterals`). */
  readonly literals: Readonly<Record<string, readonly string[]>>;
}

export interface ColumnDef {
  readonly name: string;
  readonly type: SqlType;
  readonly description: string;
  /** Dotted path into the API object (`primaryCustomer.email`). Ignored when `get` is given. */
  readonly path?: string;
  /** Custom extractor, for values that are not a plain path. */
  readonly get?: (item: ApiObject, ctx: RowContext) => unknown;
  /** Store the value as JSON text (nested lists and objects). */
  readonly json?: boolean;
  /** Only the get-by-id response carries it: selecting it costs one GET per row. */
  readonly detail?: boolean;
  /**
   * The column's value depends on the literals the statement compares it with
   * (Conversations.Tag); the parser collects those literals into `RowContext.literals`.
   */
  readonly echoLiterals?: boolean;
  /**
   * Filter column filled from the request (Users.MailboxId, Articles.CategoryId):
   * it has a value only when the query filters on it, so references with
   * different filters on such a table are never combined.
   */
  readonly requestEcho?: boolean;
}

/** How a pushed literal is converted to the wire value. */
export type WireValueType = 'int' | 'string' | 'datetime';

/** Where a pushed value goes in the request. */
export type KeyTarget =
  | { readonly in: 'query'; readonly name: string }
  /** The parent key of a child list endpoint (`{conversationId}` in the path). */
  | { readonly in: 'path'; readonly name: string }
  /** A term of the Mailbox API's advanced `query` parameter, e.g. `subject:"x"` or `createdAt:[A TO B]`. */
  | { readonly in: 'search'; readonly field: string }
  /** The value selects the get-by-id endpoint. */
  | { readonly in: 'get' };

export interface KeyColumn {
  readonly column: string;
  /** SQL operators this endpoint can take for the column. */
  readonly ops: readonly PredicateOp[];
  readonly target: KeyTarget;
  readonly valueType: WireValueType;
  /** Several values: one request with a comma list, or one request per value. */
  readonly multi: 'comma' | 'each';
  /**
   * The API returns exactly the rows the SQL predicate keeps (not a superset).
   * Only exact pushes allow stopping early on ORDER BY + LIMIT.
   */
  readonly exact: boolean;
  /** The values the column can hold and the API accepts; any other literal disables the push. */
  readonly values?: readonly string[];
  /**
   * Where the values a row can hold are listed (Conversations.MailboxId: Mailboxes.Id), so that a
   * count per value costs one request each (`page.totalElements`).
   */
  readonly valuesFrom?: { readonly table: string; readonly column: string };
  /**
   * The filter keeps the rows whose JSON list column holds the value (`tag` and Conversations.Tags),
   * so `json_each(<that column>)` grouped by value is a count per value.
   */
  readonly elementOf?: string;
  /**
   * A datetime query key whose field the search syntax also takes as a range
   * (`modifiedAt:[A TO B]`, `*` for an open end): a statement with an upper
   * bound sends both ends as that search term instead of the query parameter.
   */
  readonly rangeSearch?: string;
  /** At most one row has each value (Conversations.Number): for estimates only, never to stop paging. */
  readonly unique?: boolean;
  /** Shown in sys_tablecolumns and EXPLAIN. */
  readonly note?: string;
}

/** A list endpoint. Child tables have one per parent key (Articles: by collection or by category). */
export interface ListEndpoint {
  readonly path: string;
  /** Candidate paths to the items array, tried in order (the Docs sites/redirects lists may be unwrapped). */
  readonly envelope: readonly string[];
  /** Required parent key: the column, the path parameter it fills, and where to enumerate values from. */
  readonly parent?: {
    readonly column: string;
    readonly param: string;
    readonly table: string;
    readonly parentColumn: string;
  };
  /** Items per page the server returns. */
  readonly pageSize: number;
  /** Parameter that raises the page size (Docs article lists: `pageSize`, at most 100). */
  readonly pageSizeParam?: { readonly name: string; readonly max: number };
  /** False when the endpoint returns everything at once (customer entry lists). */
  readonly paged: boolean;
}

export interface GetEndpoint {
  /** Path template with `{id}`. */
  readonly path: string;
  /** Wrapper key of the object (`article` for Docs), or '' for a bare object. */
  readonly envelope: string;
  /** The column whose `=`/`IN` selects this endpoint. */
  readonly column: string;
}

export interface SortSpec {
  /** Wire parameters: Mailbox `sortField`/`sortOrder`, Docs `sort`/`order`. */
  readonly fieldParam: string;
  readonly orderParam: string;
  /**
   * Column -> wire sort value. Only columns whose API order matches SQLite's
   * ordering of the column (numbers, ISO timestamps) are listed, because the
   * planner uses the sort to stop paging early.
   */
  readonly columns: Readonly<Record<string, string>>;
}

export interface WriteSupport {
  readonly insert?: string;
  readonly update?: string;
  readonly delete?: string;
  readonly note?: string;
}

export interface TableDef {
  readonly name: string;
  readonly description: string;
  readonly api: Api;
  readonly columns: readonly ColumnDef[];
  /** Columns that identify a row (duplicates from page drift are dropped on them). */
  readonly primaryKey: readonly string[];
  /** First entry without `parent` is the default; entries with `parent` need that key. */
  readonly list: readonly ListEndpoint[];
  readonly get?: GetEndpoint;
  readonly keys: readonly KeyColumn[];
  readonly sort?: SortSpec;
  /** Parameters sent unless a pushed predicate sets them (Conversations: `status=all`). */
  readonly defaults?: Readonly<Record<string, string>>;
  /**
   * Rows come from a list inside each API object (CustomerEmails from
   * `customer._embedded.emails`). The object becomes `RowContext.parent`.
   */
  readonly explode?: (item: ApiObject) => readonly ApiObject[];
  /**
   * Extra GET per object: for `detail` columns (Articles.Text), or when a list
   * item lacks the embedded entries (`missing`).
   */
  readonly detail?: {
    readonly path: string;
    readonly envelope: string;
    readonly idField: string;
    readonly when: 'columns' | 'missingEmbedded';
  };
  /**
   * The rows also come embedded in each item of another table's list (Threads
   * in `GET /conversations?embed=threads`): one request per page of parents
   * instead of one per parent. See `EmbeddedIn`.
   */
  readonly embeddedIn?: EmbeddedIn;
  /** Guess of list pages without filters, used for estimates when nothing better is known. */
  readonly typicalPages: number;
  readonly write?: WriteSupport;
  /** Rows are generated locally (sys_tables, sys_tablecolumns): nothing is fetched. */
  readonly staticRows?: () => readonly (readonly SqlValue[])[];
}

export type SqlValue = number | string | null;

/**
 * A child table whose rows the parent's list can embed. The rows of a
 * response to the parent list with `query` are read from `path` inside each
 * parent item; the parent becomes `RowContext.parent`.
 */
export interface EmbeddedIn {
  /** The parent table (Conversations) and the column the child's parent key holds (Id). */
  readonly table: string;
  readonly parentColumn: string;
  /** The child's parent-key column (Threads.ConversationId). */
  readonly column: string;
  /** Query parameters that ask for the embedding (`embed=threads`). */
  readonly query: Readonly<Record<string, string>>;
  /** Path of the child list inside each parent item (`_embedded.threads`). */
  readonly path: string;
  /** Parent field counting the children (`threads`): fewer embedded than counted means the list was cut short. */
  readonly countField?: string;
  /**
   * Children the embedded form documents as incomplete: rows whose `field` is one of
   * `values` may lack the full value of `columns` (chat threads: Body). When a
   * statement reads one of those columns, the parent's own child list is fetched instead.
   */
  readonly incomplete?: { readonly field: string; readonly values: readonly string[]; readonly columns: readonly string[] };
}
