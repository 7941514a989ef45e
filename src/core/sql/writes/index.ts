// Writes as SQL, behind an explicit opt-in. Supported, where the API can:
//   UPDATE Conversations SET Status | AssigneeId | Subject | MailboxId | CustomerId | Tags = ... WHERE ...
//   INSERT INTO Conversations (Subject, MailboxId, CustomerEmail | CustomerId, Text, [Type, Status, AssigneeId, Tags, ...])
//   INSERT INTO Threads (ConversationId, Text | Body, [Type = 'note', CreatedById])        -- notes
//   UPDATE Customers SET FirstName | LastName | JobTitle | ... = ... WHERE ...
//   INSERT INTO CustomerEmails (CustomerId, Value, [Type])
//   UPDATE Articles SET Name | Status | Keywords | Text | Slug | Categories | Related = ... WHERE ...
// The target rows of an UPDATE are the rows `SELECT ... FROM <table> WHERE <the same condition>`
// returns through the query engine (with push-down), so a write changes exactly what the SELECT
// shows. Every write becomes a list of requests first; a dry run returns that list (method, path,
// body) without sending; a real run sends exactly those requests through the Mailbox and Docs
// clients, one after another, and stops at the first failure.
import type { DocsClient } from '../../docs/client';
import type { ArticleInput } from '../../docs/client';
import type { ConversationPatch, CreateConversationInput, MailboxClient, PatchOp } from '../../mailbox/client';
import type { Api, SqlValue, TableDef } from '../catalog';
import type { SqlEngine } from '../engine/engine';
import { runSql, type SqlFetcher } from '../fetcher';
import { parseWrite, WriteStatementError, type InsertStatement, type UpdateStatement, type WriteStatement } from './parse';

export { isWriteStatement, parseWrite, whereText, WriteStatementError, type WriteStatement, type UpdateStatement, type InsertStatement } from './parse';

/** One HTTP request a write makes, as a dry run shows it. */
export interface WriteRequest {
  readonly api: Api;
  readonly method: 'POST' | 'PUT' | 'PATCH';
  /** Relative to the API's base URL. */
  readonly path: string;
  readonly body: unknown;
  /** What it does, for people: `Conversation 12: Status active -> closed`. */
  readonly description: string;
}

export interface WritePlan {
  readonly statement: 'UPDATE' | 'INSERT';
  readonly table: string;
  /** For UPDATE: the SELECT that found the target rows, and how many it found. */
  readonly targetSql?: string;
  readonly rowsMatched: number;
  readonly requests: readonly WriteRequest[];
}

export interface WriteOutcome {
  readonly request: WriteRequest;
  readonly ok: boolean;
  /** The new object's id, for inserts. */
  readonly id?: number | string;
  readonly error?: Error;
}

export interface WriteResult {
  readonly plan: WritePlan;
  readonly dryRun: boolean;
  /** One per request sent (a dry run sends none); after a failure, the rest are not sent. */
  readonly outcomes: readonly WriteOutcome[];
}

export interface RunWriteOptions {
  /** Must be true to send anything: writes are opt-in. */
  readonly allowWrites?: boolean;
  /** List the requests without sending them (allowed without `allowWrites`). */
  readonly dryRun?: boolean;
  readonly mailbox?: MailboxClient;
  readonly docs?: DocsClient;
  /** Finds UPDATE targets (its cache is cleared before and after a write so nothing stale is used or shown). */
  readonly fetcher: SqlFetcher;
  readonly engine: SqlEngine;
  readonly signal?: AbortSignal;
  /** Called after each request is answered (progress for a long UPDATE). */
  readonly onOutcome?: (o: WriteOutcome, index: number, total: number) => void;
}

/** Thrown when a write is attempted without the opt-in. */
export class WritesDisabledError extends Error {
  override readonly name = 'WritesDisabledError';
  constructor() {
    super('Writes are turned off. Turn them on explicitly (allowWrites / --allow-writes), after a dry run.');
  }
}

interface Planned extends WriteRequest {
  readonly send: (c: Clients) => Promise<number | string | undefined>;
}

interface Clients {
  readonly mailbox?: MailboxClient;
  readonly docs?: DocsClient;
  readonly signal?: AbortSignal;
}

function mailboxOf(c: Clients): MailboxClient {
  if (!c.mailbox) throw new WriteStatementError('The Mailbox API is not configured.');
  return c.mailbox;
}

function docsOf(c: Clients): DocsClient {
  if (!c.docs) throw new WriteStatementError('The Docs API is not configured.');
  return c.docs;
}

const callOpts = (c: Clients): { signal?: AbortSignal } => (c.signal ? { signal: c.signal } : {});

/** Write-only INSERT fields per table (not columns of the table). */
const INSERT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Conversations: ['Text'],
  Threads: ['Text'],
};

// --- value helpers -------------------------------------------------------------------

function str(v: SqlValue | undefined, column: string): string {
  if (typeof v !== 'string') throw new WriteStatementError(`${column} must be a string.`);
  return v;
}

function int(v: SqlValue | undefined, column: string): number {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new WriteStatementError(`${column} must be a whole number.`);
  return n;
}

function oneOf<T extends string>(v: SqlValue | undefined, column: string, allowed: readonly T[]): T {
  const s = str(v, column);
  if (!(allowed as readonly string[]).includes(s)) throw new WriteStatementError(`${column} must be one of ${allowed.join(', ')}.`);
  return s as T;
}

function stringArray(v: SqlValue | undefined, column: string): string[] {
  const s = str(v, column);
  let parsed: unknown;
  try {
    parsed = JSON.parse(s);
  } catch {
    throw new WriteStatementError(`${column} must be a JSON array of strings, e.g. '["a","b"]'.`);
  }
  if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) {
    throw new WriteStatementError(`${column} must be a JSON array of strings, e.g. '["a","b"]'.`);
  }
  return parsed;
}

function show(v: SqlValue | undefined): string {
  return v === null || v === undefined ? 'NULL' : typeof v === 'string' ? JSON.stringify(v) : String(v);
}

function sameValue(a: SqlValue | undefined, b: SqlValue): boolean {
  if (a === undefined) return false;
  if (typeof a === 'string' && typeof b === 'string' && a.startsWith('[') && b.startsWith('[')) {
    try {
      return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
    } catch {
      return a === b;
    }
  }
  return a === b || (a !== null && b !== null && String(a) === String(b));
}

// --- UPDATE -------------------------------------------------------------------------

const CONVERSATION_STATUS = ['active', 'closed', 'pending', 'spam'] as const;

function conversationUpdate(id: number, column: string, value: SqlValue, current: SqlValue | undefined): Planned {
  const description = `Conversation ${id}: ${column} ${show(current)} -> ${show(value)}`;
  const patch = (p: ConversationPatch): Planned => ({
    api: 'mailbox',
    method: 'PATCH',
    path: `/conversations/${id}`,
    body: p,
    description,
    send: async (c) => {
      await mailboxOf(c).updateConversation(id, p, callOpts(c));
      return undefined;
    },
  });
  switch (column) {
    case 'Status':
      return patch({ op: 'replace', path: '/status', value: oneOf(value, column, CONVERSATION_STATUS) });
    case 'Subject':
      return patch({ op: 'replace', path: '/subject', value: str(value, column) });
    case 'AssigneeId':
      return patch(value === null ? { op: 'remove', path: '/assignTo' } : { op: 'replace', path: '/assignTo', value: int(value, column) });
    case 'MailboxId':
      return patch({ op: 'move', path: '/mailboxId', value: int(value, column) });
    case 'CustomerId':
      return patch({ op: 'replace', path: '/primaryCustomer.id', value: int(value, column) });
    case 'Tags': {
      const tags = stringArray(value, column);
      return {
        api: 'mailbox',
        method: 'PUT',
        path: `/conversations/${id}/tags`,
        body: { tags },
        description,
        send: async (c) => {
          await mailboxOf(c).replaceTags(id, tags, callOpts(c));
          return undefined;
        },
      };
    }
    default:
      throw new WriteStatementError(`Conversations.${column} cannot be changed; writable: Status, AssigneeId, Subject, MailboxId, CustomerId, Tags.`);
  }
}

/** Customers column -> JSON-Patch path. */
const CUSTOMER_FIELDS: Readonly<Record<string, string>> = {
  FirstName: '/firstName',
  LastName: '/lastName',
  JobTitle: '/jobTitle',
  Location: '/location',
  Organization: '/organization',
  Background: '/background',
  Gender: '/gender',
  Age: '/age',
  PhotoUrl: '/photoUrl',
  PhotoType: '/photoType',
};

function customerUpdate(id: number, changes: readonly [string, SqlValue, SqlValue | undefined][]): Planned {
  const ops: PatchOp[] = changes.map(([column, value]) => {
    const path = CUSTOMER_FIELDS[column];
    if (!path) throw new WriteStatementError(`Customers.${column} cannot be changed; writable: ${Object.keys(CUSTOMER_FIELDS).join(', ')}.`);
    return value === null ? { op: 'remove', path } : { op: 'replace', path, value: str(value, column) };
  });
  return {
    api: 'mailbox',
    method: 'PATCH',
    path: `/customers/${id}`,
    body: ops,
    description: `Customer ${id}: ${changes.map(([c, v, cur]) => `${c} ${show(cur)} -> ${show(v)}`).join(', ')}`,
    send: async (c) => {
      await mailboxOf(c).patchCustomer(id, ops, callOpts(c));
      return undefined;
    },
  };
}

function articleUpdate(id: string, changes: readonly [string, SqlValue, SqlValue | undefined][]): Planned {
  const body: { -readonly [K in keyof ArticleInput]: ArticleInput[K] } = {};
  for (const [column, value] of changes) {
    switch (column) {
      case 'Name': body.name = str(value, column); break;
      case 'Text': body.text = str(value, column); break;
      case 'Slug': body.slug = str(value, column); break;
      case 'Status': body.status = oneOf(value, column, ['published', 'notpublished'] as const); break;
      case 'Keywords': body.keywords = stringArray(value, column); break;
      case 'Related': body.related = stringArray(value, column); break;
      case 'Categories': body.categories = value === null ? null : stringArray(value, column); break;
      default:
        throw new WriteStatementError(`Articles.${column} cannot be changed; writable: Name, Text, Slug, Status, Keywords, Related, Categories.`);
    }
  }
  return {
    api: 'docs',
    method: 'PUT',
    path: `/articles/${encodeURIComponent(id)}`,
    body,
    description: `Article ${id}: ${changes.map(([c, v, cur]) => `${c} ${c === 'Text' ? '(text)' : `${show(cur)} -> ${show(v)}`}`).join(', ')}`,
    send: async (c) => {
      await docsOf(c).updateArticle(id, body, callOpts(c));
      return undefined;
    },
  };
}

const UPDATABLE: Readonly<Record<string, readonly string[]>> = {
  Conversations: ['Status', 'AssigneeId', 'Subject', 'MailboxId', 'CustomerId', 'Tags'],
  Customers: Object.keys(CUSTOMER_FIELDS),
  Articles: ['Name', 'Text', 'Slug', 'Status', 'Keywords', 'Related', 'Categories'],
};

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

async function planUpdate(s: UpdateStatement, opts: RunWriteOptions): Promise<WritePlan> {
  const table = s.table.name;
  const writable = UPDATABLE[table];
  if (!writable) throw new WriteStatementError(`${table} cannot be updated with SQL; updatable tables: ${Object.keys(UPDATABLE).join(', ')}.`);
  for (const col of s.set.keys()) {
    if (!writable.includes(col)) throw new WriteStatementError(`${table}.${col} cannot be changed; writable: ${writable.join(', ')}.`);
  }
  // Check the values before reading anything (a bad value fails even when no row matches).
  const all: [string, SqlValue, SqlValue | undefined][] = [...s.set].map(([c, v]) => [c, v, undefined]);
  if (table === 'Conversations') for (const [c, v] of all) conversationUpdate(0, c, v, undefined);
  else if (table === 'Customers') customerUpdate(0, all);
  else articleUpdate('', all);
  const cols = ['Id', ...[...s.set.keys()].filter((c) => c !== 'Id')];
  const targetSql = `SELECT DISTINCT ${cols.map(quote).join(', ')} FROM ${quote(table)} WHERE ${s.where}`;
  opts.fetcher.cache.clear();
  const found = await runSql(targetSql, { fetcher: opts.fetcher, engine: opts.engine, ...(opts.signal ? { signal: opts.signal } : {}) });
  if (found.partial) throw new WriteStatementError('Cancelled while finding the rows to change: nothing was sent.');
  if (found.truncated) throw new WriteStatementError(`The WHERE matches more than ${found.rows.length} rows, more than one statement may change: nothing was sent. Narrow the condition.`);
  const requests: Planned[] = [];
  const seen = new Set<string>();
  let matched = 0;
  for (const row of found.rows) {
    const id = row[0];
    if (typeof id !== 'number' && typeof id !== 'string') continue;
    if (seen.has(String(id))) continue;
    seen.add(String(id));
    matched++;
    // Only what differs from the current value is sent.
    const changes: [string, SqlValue, SqlValue | undefined][] = [];
    for (const [col, value] of s.set) {
      const current = row[cols.indexOf(col)];
      const cur = current instanceof Uint8Array ? undefined : current;
      if (!sameValue(cur, value)) changes.push([col, value, cur]);
    }
    if (changes.length === 0) continue;
    if (table === 'Conversations') for (const [c, v, cur] of changes) requests.push(conversationUpdate(int(id, 'Id'), c, v, cur));
    else if (table === 'Customers') requests.push(customerUpdate(int(id, 'Id'), changes));
    else requests.push(articleUpdate(String(id), changes));
  }
  return { statement: 'UPDATE', table, targetSql, rowsMatched: matched, requests };
}

// --- INSERT -------------------------------------------------------------------------

function required(row: ReadonlyMap<string, SqlValue>, ...names: string[]): SqlValue {
  for (const n of names) {
    const v = row.get(n);
    if (v !== undefined && v !== null) return v;
  }
  throw new WriteStatementError(`INSERT needs ${names.join(' or ')}.`);
}

function allowOnly(table: string, row: ReadonlyMap<string, SqlValue>, allowed: readonly string[]): void {
  for (const k of row.keys()) {
    if (!allowed.includes(k)) throw new WriteStatementError(`INSERT INTO ${table} cannot set ${k}; it takes ${allowed.join(', ')}.`);
  }
}

function insertConversation(row: ReadonlyMap<string, SqlValue>): Planned {
  allowOnly('Conversations', row, ['Subject', 'MailboxId', 'CustomerEmail', 'CustomerId', 'CustomerFirstName', 'CustomerLastName', 'Text', 'Type', 'Status', 'AssigneeId', 'Tags']);
  const customer: Record<string, string | number> = {};
  const cid = row.get('CustomerId');
  if (cid !== undefined && cid !== null) customer['id'] = int(cid, 'CustomerId');
  else customer['email'] = str(required(row, 'CustomerEmail', 'CustomerId'), 'CustomerEmail');
  const first = row.get('CustomerFirstName');
  const last = row.get('CustomerLastName');
  if (typeof first === 'string') customer['firstName'] = first;
  if (typeof last === 'string') customer['lastName'] = last;
  const type = row.get('Type') === undefined ? 'email' : oneOf(row.get('Type'), 'Type', ['email', 'chat', 'phone'] as const);
  const threadType = type === 'email' ? 'customer' : type;
  const assignee = row.get('AssigneeId');
  const tags = row.get('Tags');
  const body: CreateConversationInput = {
    subject: str(required(row, 'Subject'), 'Subject'),
    type,
    mailboxId: int(required(row, 'MailboxId'), 'MailboxId'),
    status: row.get('Status') === undefined ? 'active' : oneOf(row.get('Status'), 'Status', ['active', 'closed', 'pending'] as const),
    customer,
    threads: [{ type: threadType, customer, text: str(required(row, 'Text'), 'Text') }],
    ...(assignee !== undefined && assignee !== null ? { assignTo: int(assignee, 'AssigneeId') } : {}),
    ...(tags !== undefined && tags !== null ? { tags: stringArray(tags, 'Tags') } : {}),
  };
  return {
    api: 'mailbox',
    method: 'POST',
    path: '/conversations',
    body,
    description: `New conversation ${JSON.stringify(body.subject)} in mailbox ${body.mailboxId}`,
    send: (c) => mailboxOf(c).createConversation(body, callOpts(c)),
  };
}

function insertNote(row: ReadonlyMap<string, SqlValue>): Planned {
  allowOnly('Threads', row, ['ConversationId', 'Text', 'Body', 'Type', 'CreatedById']);
  const type = row.get('Type');
  if (type !== undefined && type !== 'note') throw new WriteStatementError("INSERT INTO Threads adds notes only (Type = 'note').");
  const id = int(required(row, 'ConversationId'), 'ConversationId');
  const user = row.get('CreatedById');
  const body = { text: str(required(row, 'Text', 'Body'), 'Text'), ...(user !== undefined && user !== null ? { user: int(user, 'CreatedById') } : {}) };
  return {
    api: 'mailbox',
    method: 'POST',
    path: `/conversations/${id}/notes`,
    body,
    description: `New note on conversation ${id}`,
    send: (c) => mailboxOf(c).addNote(id, body, callOpts(c)),
  };
}

function insertCustomerEmail(row: ReadonlyMap<string, SqlValue>): Planned {
  allowOnly('CustomerEmails', row, ['CustomerId', 'Value', 'Type']);
  const id = int(required(row, 'CustomerId'), 'CustomerId');
  const type = row.get('Type');
  const body = { type: type === undefined || type === null ? 'work' : str(type, 'Type'), value: str(required(row, 'Value'), 'Value') };
  return {
    api: 'mailbox',
    method: 'POST',
    path: `/customers/${id}/emails`,
    body,
    description: `New email ${JSON.stringify(body.value)} for customer ${id}`,
    send: (c) => mailboxOf(c).createCustomerEntry(id, 'emails', body, callOpts(c)),
  };
}

const INSERTS: Readonly<Record<string, (row: ReadonlyMap<string, SqlValue>) => Planned>> = {
  Conversations: insertConversation,
  Threads: insertNote,
  CustomerEmails: insertCustomerEmail,
};

function planInsert(s: InsertStatement): WritePlan {
  const make = INSERTS[s.table.name];
  if (!make) throw new WriteStatementError(`Rows cannot be inserted into ${s.table.name} with SQL; insertable tables: ${Object.keys(INSERTS).join(', ')}.`);
  return { statement: 'INSERT', table: s.table.name, rowsMatched: s.rows.length, requests: s.rows.map(make) };
}

// --- entry ---------------------------------------------------------------------------

const extraFields = (t: TableDef): readonly string[] => INSERT_FIELDS[t.name] ?? [];

/** Parses a write statement (throws WriteStatementError with the reason). */
export function readWrite(sql: string): WriteStatement {
  return parseWrite(sql, extraFields);
}

function publicRequest(p: Planned): WriteRequest {
  return { api: p.api, method: p.method, path: p.path, body: p.body, description: p.description };
}

/**
 * Runs an UPDATE or INSERT: finds the target rows, builds the requests and,
 * unless it is a dry run, sends them (only with `allowWrites`). Throws
 * WriteStatementError for statements it cannot map, WritesDisabledError
 * without the opt-in; a failing request ends the run with its error in the
 * last outcome.
 */
export async function runWrite(sql: string, opts: RunWriteOptions): Promise<WriteResult> {
  if (!opts.dryRun && !opts.allowWrites) throw new WritesDisabledError();
  const statement = readWrite(sql);
  let plan: WritePlan;
  let planned: readonly Planned[];
  if (statement.kind === 'update') {
    const p = await planUpdate(statement, opts);
    planned = p.requests as readonly Planned[];
    plan = { ...p, requests: planned.map(publicRequest) };
  } else {
    const p = planInsert(statement);
    planned = p.requests as readonly Planned[];
    plan = { ...p, requests: planned.map(publicRequest) };
  }
  if (opts.dryRun) return { plan, dryRun: true, outcomes: [] };

  const clients: Clients = {
    ...(opts.mailbox ? { mailbox: opts.mailbox } : {}),
    ...(opts.docs ? { docs: opts.docs } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  };
  const outcomes: WriteOutcome[] = [];
  try {
    for (const [i, p] of planned.entries()) {
      const request = plan.requests[i] ?? publicRequest(p);
      let outcome: WriteOutcome;
      try {
        const id = await p.send(clients);
        outcome = { request, ok: true, ...(id !== undefined ? { id } : {}) };
      } catch (e) {
        outcome = { request, ok: false, error: e instanceof Error ? e : new Error(String(e)) };
      }
      outcomes.push(outcome);
      opts.onOutcome?.(outcome, i, planned.length);
      if (!outcome.ok) break;
    }
  } finally {
    // Whatever was cached may now be stale.
    opts.fetcher.cache.clear();
  }
  return { plan, dryRun: false, outcomes };
}
