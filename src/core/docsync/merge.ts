// Three-way merge of article files, line by line, with node-diff3 (a small,
// dependency-free implementation of the diff3 algorithm). Where both sides
// changed the same lines differently, the result keeps both with the standard
// conflict markers, local text first.
import { diff3Merge } from 'node-diff3';

export const CONFLICT_START = '<<<<<<< local';
export const CONFLICT_MIDDLE = '=======';
export const CONFLICT_END = '>>>>>>> help scout';

export interface MergeOutcome {
  text: string;
  /** Number of clashing regions left with markers. */
  conflicts: number;
}

function lines(text: string): string[] {
  return text.replace(/\r\n?/g, '\n').split('\n');
}

/** Merges the writer's text and the server's text, both derived from `base`. */
export function mergeText(local: string, base: string, server: string): MergeOutcome {
  const l = local.replace(/\r\n?/g, '\n');
  const s = server.replace(/\r\n?/g, '\n');
  const b = base.replace(/\r\n?/g, '\n');
  if (l === s || s === b) return { text: l, conflicts: 0 };
  if (l === b) return { text: s, conflicts: 0 };
  const out: string[] = [];
  let conflicts = 0;
  // Identical changes on both sides are not a clash.
  for (const region of diff3Merge(lines(l), lines(b), lines(s), { excludeFalseConflicts: true })) {
    if (region.ok) out.push(...region.ok);
    else if (region.conflict) {
      conflicts++;
      out.push(CONFLICT_START, ...region.conflict.a, CONFLICT_MIDDLE, ...region.conflict.b, CONFLICT_END);
    }
  }
  return { text: out.join('\n'), conflicts };
}

/** Whether a file still holds conflict markers from a pull (push refuses such a file). */
export function hasConflictMarkers(text: string): boolean {
  const ls = lines(text);
  return ls.some((x) => x === CONFLICT_START) && ls.some((x) => x === CONFLICT_END);
}
