// Child rows embedded in a parent list (Threads in `GET /conversations?embed=threads`,
// 50 conversations with their threads per request): which parents' embedded
// children are incomplete and must come from the parent's own child list
// instead, and how those replace the embedded ones. Used by both executors
// (execute.ts, fetcher.ts) on every page of an embedded step.
import { pick } from './catalog';
import type { PlanStep } from './planner';

export type EmbeddedStep = NonNullable<PlanStep['embedded']>;

function children(item: unknown, path: string): unknown[] {
  const v = pick(item, path);
  return Array.isArray(v) ? v : [];
}

/**
 * True when the children embedded in `item` may not be the whole story: the
 * parent counts more children than are embedded, or one of them is of a kind
 * whose embedded copy is documented as cut short and the statement reads a
 * column that would be cut.
 */
export function needsOwnChildren(item: unknown, e: EmbeddedStep): boolean {
  if (item === null || typeof item !== 'object') return false;
  const list = children(item, e.path);
  const counted = e.countField ? pick(item, e.countField) : undefined;
  if (typeof counted === 'number' && counted > list.length) return true;
  const { field, values } = e.refetch;
  return values.length > 0 && list.some((c) => values.includes(String(pick(c, field))));
}

/** The item with its embedded children replaced (the path's objects are copied, never changed). */
export function withChildren(item: unknown, path: string, list: readonly unknown[]): unknown {
  const [head, ...rest] = path.split('.');
  if (head === undefined || item === null || typeof item !== 'object') return item;
  const obj = item as Record<string, unknown>;
  return { ...obj, [head]: rest.length ? withChildren(obj[head] ?? {}, rest.join('.'), list) : [...list] };
}
