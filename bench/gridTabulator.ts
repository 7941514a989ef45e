// The comparison page for the grid benchmark: the same 100,000 x 20 result
// shown by Tabulator (tabulator-tables, MIT), a maintained grid library with
// a virtual DOM renderer. Called once per run by bench/grid.ts, which measures
// it the same way as our grid.
//
// Unlike our grid, Tabulator keeps the whole result in the page: its data is
// an array of row objects that it sorts and filters itself. Our results page
// never does that; it asks the extension for windows of rows by message. Here
// the rows are generated inside the page (the cheapest way to get them there;
// in VS Code they would first have to cross the webview message channel).
//
// The page source is a string bundled by esbuild because this folder is
// type-checked without the DOM library.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

/**
 * Same values as makeRows in bench/grid.ts, column for column; grid.ts checks
 * a few rows against it after the page is built so the two cannot drift.
 * Tabulator wants one object per row, keyed by field.
 */
const PAGE_SOURCE = `
import { Tabulator, FormatModule, SortModule, FilterModule, ResizeColumnsModule } from 'tabulator-tables';

// Roughly what our grid offers: sorting, filtering, column resizing, and
// plain-text cells (the format module escapes HTML; without it Tabulator
// writes values as HTML).
Tabulator.registerModule([FormatModule, SortModule, FilterModule, ResizeColumnsModule]);

const WORDS = ['billing', 'refund', 'login', 'export', 'invoice', 'webhook', 'sso', 'mobile', 'plan', 'team'];
const COLUMNS = 20;
const cell = (r, c) =>
  c === 0 ? r + 1
    : c % 5 === 1 ? 'Conversation ' + r + ': ' + WORDS[r % 10] + ' ' + WORDS[(r * 7 + c) % 10]
      : c % 5 === 2 ? (r * 31 + c) % 1000
        : c % 5 === 3 ? '2026-0' + (1 + (r % 9)) + '-1' + (r % 9) + 'T10:00:00Z'
          : c % 5 === 4 ? '{"id":' + r + ',"tags":["' + WORDS[r % 10] + '"]}'
            : r % 13 === 0 ? null : (WORDS[(r + c) % 10] ?? null);

const fields = Array.from({ length: COLUMNS }, (_, c) => (c === 0 ? 'Id' : 'Column' + c));
const rows = window.__benchRows;
const data = new Array(rows);
for (let r = 0; r < rows; r++) {
  const row = {};
  for (let c = 0; c < COLUMNS; c++) row[fields[c]] = cell(r, c);
  data[r] = row;
}
performance.mark('tabulator:data');
// For the check in grid.ts: a few rows as arrays, in column order.
window.__benchRow = (r) => fields.map((f) => data[r][f]);

const table = new Tabulator('#grid', {
  data,
  columns: fields.map((f, c) => ({ title: f, field: f, sorter: c === 0 || c % 5 === 2 ? 'number' : 'string', headerSort: true })),
  height: window.innerHeight + 'px',
  renderVertical: 'virtual',
  layout: 'fitData',
});
table.on('tableBuilt', () => performance.mark('tabulator:built'));
`;

export interface TabulatorPage {
  /** The page's script, minified. */
  readonly bundle: string;
  /** Tabulator's own stylesheet (minified, from the package). */
  readonly css: string;
  /** The installed tabulator-tables version. */
  readonly version: string;
}

/** Bundles the page the way grid.ts bundles src/webview/results.ts (iife, minified, es2022). */
export async function buildTabulatorPage(root: string): Promise<TabulatorPage> {
  const built = await esbuild.build({
    stdin: { contents: PAGE_SOURCE, resolveDir: root, loader: 'js', sourcefile: 'tabulator-page.js' },
    bundle: true, minify: true, format: 'iife', target: 'es2022', platform: 'browser', write: false,
  });
  const pkg = join(root, 'node_modules/tabulator-tables');
  const { version } = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string };
  return { bundle: built.outputFiles[0]?.text ?? '', css: readFileSync(join(pkg, 'dist/css/tabulator.min.css'), 'utf8'), version };
}

/** The HTML around the bundle: a fixed-height holder and the row count for the page to generate. */
export function tabulatorHtml(css: string, rows: number): string {
  return `<!DOCTYPE html><html><head><style>${css} html,body{margin:0}</style></head><body><div id="grid"></div><script>window.__benchRows=${rows}</script><script src="/results.js"></script></body></html>`;
}

/**
 * A page expression that is true when the top of Tabulator's visible area
 * shows no row (its virtual renderer has not drawn rows there yet): the
 * counterpart of our grid's placeholder rows.
 */
export const TABULATOR_BLANK = `(() => {
  const h = document.querySelector('.tabulator-tableholder');
  const b = h.getBoundingClientRect();
  const hit = document.elementFromPoint(b.left + 5, b.top + 5);
  return !hit || !hit.closest('.tabulator-row');
})()`;
