// Filter columns filled from the request: Users.MailboxId (the mailbox the
// user list was asked for) and Articles.CategoryId (the category whose
// articles were listed). The API objects do not carry them; a row gets the
// value of the request that returned it. Called by the planner before a
// statement is planned.
//
// A reference to such a table either fills the column, when it is filtered on
// it (`= n`, `IN (...)`, `IN (SELECT ...)` over another table, or a join with
// another table), or reads the plain list, where the column is NULL. Rows
// fetched for different values carry their own value, so references that
// all fill the column share one table: each keeps its own rows by its own
// filter, which SQLite applies again. A plain reference would see those rows
// too (a user once per mailbox), so a statement mixing the two kinds is
// refused with an explanation instead of answered wrongly.
import { getTable, type ColumnDef, type TableDef } from './catalog';
import { SqlRejectedError, type Analysis, type TableRef } from './parse';

/** The request-filled column of a table, if it has one. */
export function filledColumn(def: TableDef): ColumnDef | undefined {
  return def.columns.find((c) => c.requestEcho);
}

/** True when the reference is filtered on its table's request-filled column in a way the planner sends. */
export function fillsColumn(a: Analysis, ref: TableRef): boolean {
  const column = filledColumn(getTable(ref.table))?.name;
  if (!column) return false;
  const other = (i: number): boolean => {
    const t = a.refs[i]?.table;
    return t !== undefined && t !== ref.table;
  };
  return (
    ref.predicates.some((p) => p.column === column && (p.op === '=' || p.op === 'IN')) ||
    ref.subqueryIns.some((s) => s.column === column && other(s.ref)) ||
    ref.joins.some((j) => j.column === column && other(j.otherRef))
  );
}

/** Throws when a table with a request-filled column is read both with and without a filter on it. */
export function checkFilledColumns(a: Analysis): void {
  for (const table of a.tables) {
    const def = getTable(table);
    const column = filledColumn(def)?.name;
    if (!column) continue;
    const refs = a.refs.filter((r) => r.table === def.name);
    const filling = refs.filter((r) => fillsColumn(a, r)).length;
    if (filling === 0 || filling === refs.length) continue;
    throw new SqlRejectedError(
      `${def.name} is read both with and without a ${column} filter in this statement. ${def.name}.${column} comes from the request ` +
        `(each row carries the ${column} it was listed for), so a reference without the filter would also see the rows listed for the others, ` +
        `once per ${column}. Filter every ${def.name} reference on ${column} (= n, IN (...), IN (SELECT ...) or a join with another table), or none of them.`,
    );
  }
}

/**
 * Where every value of a request-filled column is listed, for a reference whose
 * values cannot be known first: the parent of the list it fills (Articles by
 * category: Categories.Id), or for a query parameter the table it names.
 */
export function filledSource(def: TableDef): { readonly table: string; readonly column: string } | undefined {
  const column = filledColumn(def)?.name;
  const parent = def.list.find((l) => l.parent?.column === column)?.parent;
  if (parent) return { table: parent.table, column: parent.parentColumn };
  return column ? QUERY_SOURCES[`${def.name}.${column}`] : undefined;
}

/** The values of the request-filled query parameters: Users.MailboxId takes a mailbox id. */
const QUERY_SOURCES: Readonly<Record<string, { readonly table: string; readonly column: string }>> = {
  'Users.MailboxId': { table: 'Mailboxes', column: 'Id' },
};
