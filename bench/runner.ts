// The benchmark runner's contract. A benchmark measures side by side in one
// run and reports ratios (absolute times depend on the machine); the runner
// prints each report and writes its data to artifacts/bench-<name>.json.
export interface BenchContext {
  /** Progress lines for people (stderr), not results. */
  log(line: string): void;
}

export interface BenchReport {
  /** The human-readable result: a table of ratios. */
  readonly text: string;
  /** Everything measured, written as JSON under artifacts/. */
  readonly data: unknown;
}

export interface Benchmark {
  /** Short name, used to pick it (`npm run bench -- sql`) and in the artifact name. */
  readonly name: string;
  readonly description: string;
  run(ctx: BenchContext): Promise<BenchReport>;
}

/** Formats rows as an aligned text table (numbers right-aligned). */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = rows.map((r) => r.map((c) => String(c)));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]?.length ?? 0)));
  const line = (r: readonly string[], raw?: readonly (string | number)[]): string =>
    r.map((c, i) => (typeof raw?.[i] === 'number' ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map((r, i) => line(r, rows[i]))].join('\n');
}

/** `x` as a ratio with one or two decimals, e.g. `12.4x`. */
export function ratio(a: number, b: number): string {
  if (b === 0) return a === 0 ? '1.0x' : 'inf';
  const r = a / b;
  return `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}x`;
}
