// What the statement generator knows about the catalog: the columns of every
// table, the columns the planner can push (and with which operators), and the
// columns that point at another table, so generated joins, sub-selects and
// EXISTS conditions connect rows that really match.
import { getTable, tableNames, type PredicateOp, type SqlType, type TableDef } from '../../../../../src/core/sql';

export interface ColumnInfo {
  readonly name: string;
  readonly type: SqlType;
  readonly json: boolean;
  /** Operators the planner may push for this column (empty when none). */
  readonly pushOps: readonly PredicateOp[];
  /** Filled from the request that listed the row (Users.MailboxId, Articles.CategoryId). */
  readonly echo: boolean;
}

export interface TableInfo {
  readonly name: string;
  readonly def: TableDef;
  readonly columns: readonly ColumnInfo[];
  readonly primaryKey: readonly string[];
}

/** `from.column` holds values of `to.column`. */
export interface Link {
  readonly from: string;
  readonly fromColumn: string;
  readonly to: string;
  readonly toColumn: string;
}

export const LINKS: readonly Link[] = [
  { from: 'Conversations', fromColumn: 'MailboxId', to: 'Mailboxes', toColumn: 'Id' },
  { from: 'Conversations', fromColumn: 'FolderId', to: 'MailboxFolders', toColumn: 'Id' },
  { from: 'Conversations', fromColumn: 'AssigneeId', to: 'Users', toColumn: 'Id' },
  { from: 'Conversations', fromColumn: 'CustomerId', to: 'Customers', toColumn: 'Id' },
  { from: 'Conversations', fromColumn: 'Tag', to: 'Tags', toColumn: 'Name' },
  { from: 'Threads', fromColumn: 'ConversationId', to: 'Conversations', toColumn: 'Id' },
  { from: 'Threads', fromColumn: 'CustomerId', to: 'Customers', toColumn: 'Id' },
  { from: 'Threads', fromColumn: 'CreatedById', to: 'Users', toColumn: 'Id' },
  { from: 'ConversationCustomFields', fromColumn: 'ConversationId', to: 'Conversations', toColumn: 'Id' },
  { from: 'ConversationCustomFields', fromColumn: 'MailboxId', to: 'Mailboxes', toColumn: 'Id' },
  { from: 'ConversationCustomFields', fromColumn: 'FieldId', to: 'MailboxFields', toColumn: 'Id' },
  { from: 'CustomerEmails', fromColumn: 'CustomerId', to: 'Customers', toColumn: 'Id' },
  { from: 'CustomerPhones', fromColumn: 'CustomerId', to: 'Customers', toColumn: 'Id' },
  { from: 'CustomerChats', fromColumn: 'CustomerId', to: 'Customers', toColumn: 'Id' },
  { from: 'CustomerSocialProfiles', fromColumn: 'CustomerId', to: 'Customers', toColumn: 'Id' },
  { from: 'CustomerWebsites', fromColumn: 'CustomerId', to: 'Customers', toColumn: 'Id' },
  { from: 'CustomerAddresses', fromColumn: 'CustomerId', to: 'Customers', toColumn: 'Id' },
  { from: 'CustomerProperties', fromColumn: 'CustomerId', to: 'Customers', toColumn: 'Id' },
  { from: 'CustomerEmails', fromColumn: 'Value', to: 'Conversations', toColumn: 'CustomerEmail' },
  { from: 'MailboxFolders', fromColumn: 'MailboxId', to: 'Mailboxes', toColumn: 'Id' },
  { from: 'MailboxFolders', fromColumn: 'UserId', to: 'Users', toColumn: 'Id' },
  { from: 'MailboxFields', fromColumn: 'MailboxId', to: 'Mailboxes', toColumn: 'Id' },
  { from: 'Users', fromColumn: 'MailboxId', to: 'Mailboxes', toColumn: 'Id' },
  { from: 'TeamMembers', fromColumn: 'TeamId', to: 'Teams', toColumn: 'Id' },
  { from: 'TeamMembers', fromColumn: 'UserId', to: 'Users', toColumn: 'Id' },
  { from: 'Workflows', fromColumn: 'MailboxId', to: 'Mailboxes', toColumn: 'Id' },
  { from: 'Sites', fromColumn: 'MailboxId', to: 'Mailboxes', toColumn: 'Id' },
  { from: 'Collections', fromColumn: 'SiteId', to: 'Sites', toColumn: 'Id' },
  { from: 'Categories', fromColumn: 'CollectionId', to: 'Collections', toColumn: 'Id' },
  { from: 'Articles', fromColumn: 'CollectionId', to: 'Collections', toColumn: 'Id' },
  { from: 'Articles', fromColumn: 'CategoryId', to: 'Categories', toColumn: 'Id' },
  { from: 'ArticleRevisions', fromColumn: 'ArticleId', to: 'Articles', toColumn: 'Id' },
  { from: 'Redirects', fromColumn: 'SiteId', to: 'Sites', toColumn: 'Id' },
  { from: 'Redirects', fromColumn: 'DocumentId', to: 'Articles', toColumn: 'Id' },
  { from: 'sys_tablecolumns', fromColumn: 'TableName', to: 'sys_tables', toColumn: 'TableName' },
];

function pushOps(def: TableDef, column: string): PredicateOp[] {
  const ops = new Set<PredicateOp>();
  for (const k of def.keys) if (k.column === column) for (const op of k.ops) ops.add(op);
  for (const l of def.list) if (l.parent?.column === column) ops.add('=').add('IN');
  return [...ops];
}

export function tableInfo(name: string): TableInfo {
  const def = getTable(name);
  return {
    name: def.name,
    def,
    primaryKey: def.primaryKey,
    columns: def.columns.map((c) => ({
      name: c.name,
      type: c.type,
      json: c.json === true,
      pushOps: pushOps(def, c.name),
      echo: c.requestEcho === true,
    })),
  };
}

export function allTables(): TableInfo[] {
  return tableNames().map(tableInfo);
}

/** Links touching a table, seen from it: [its column, other table, other column]. */
export function linksOf(table: string): { column: string; other: string; otherColumn: string }[] {
  const out: { column: string; other: string; otherColumn: string }[] = [];
  for (const l of LINKS) {
    if (l.from === table) out.push({ column: l.fromColumn, other: l.to, otherColumn: l.toColumn });
    if (l.to === table) out.push({ column: l.toColumn, other: l.from, otherColumn: l.fromColumn });
  }
  return out;
}

/** Tables whose rows depend on a filter column (requestEcho): their rows differ per filter value. */
export function echoColumn(table: string): string | undefined {
  return getTable(table).columns.find((c) => c.requestEcho)?.name;
}
