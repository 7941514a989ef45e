// The results grid in Chromium at 100,000 rows x 20 columns: first paint,
// scrolling and memory, side by side with a plain <table> that renders every
// row of a 10,000-row result (ten times fewer rows) as the baseline.
//
// The page is the production bundle of src/webview/results.ts with the real
// stylesheet. A stand-in for the extension (an init script defining
// `acquireVsCodeApi`) keeps the generated rows and answers the page's
// `getRows` requests by message, exactly as ResultsPanel does, so the page
// never holds more than the windows it asked for.
//
// Tabulator, a maintained grid library, runs in the same run on the same
// 100,000 x 20 data (bench/gridTabulator.ts), holding all rows in the page as
// such libraries do.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type { Page } from 'playwright-core';
import { launchBrowser, newContext } from '../scripts/vscode-host/host';
import { buildTabulatorPage, TABULATOR_BLANK, tabulatorHtml } from './gridTabulator';
import { ratio, table, type BenchContext, type BenchReport, type Benchmark } from './runner';

const COLUMNS = 20;

const WORDS = ['billing', 'refund', 'login', 'export', 'invoice', 'webhook', 'sso', 'mobile', 'plan', 'team'];

/** Generated result rows: ids, subjects, numbers, timestamps, JSON text and some NULLs. */
function makeRows(rows: number, columns: number): (string | number | null)[][] {
  const cell = (r: number, c: number): string | number | null =>
    c === 0 ? r + 1
      : c % 5 === 1 ? `Conversation ${r}: ${WORDS[r % 10]} ${WORDS[(r * 7 + c) % 10]}`
        : c % 5 === 2 ? (r * 31 + c) % 1000
          : c % 5 === 3 ? `2026-0${1 + (r % 9)}-1${r % 9}T10:00:00Z`
            : c % 5 === 4 ? `{"id":${r},"tags":["${WORDS[r % 10]}"]}`
              : r % 13 === 0 ? null : (WORDS[(r + c) % 10] ?? null);
  return Array.from({ length: rows }, (_, r) => Array.from({ length: columns }, (_, c) => cell(r, c)));
}

/**
 * The extension's side, in this process: keeps the rows and answers the page's
 * messages (through an exposed function, so every window crosses a process
 * boundary as it does in VS Code, and the page's heap holds only the grid).
 */
async function installHost(page: Page, rows: number): Promise<{ requests: () => number; rowsSent: () => number }> {
  const data = makeRows(rows, COLUMNS);
  const columns = Array.from({ length: COLUMNS }, (_, c) => (c === 0 ? 'Id' : `Column${c}`));
  const types = columns.map((_, c) => (c === 0 || c % 5 === 2 ? 'INTEGER' : 'TEXT'));
  const status = { state: 'done', rowCount: rows, viewCount: rows, requestsDone: 12, requestsPlanned: 12, asOf: Date.now(), durationMs: 1234, resumesAt: null, error: null };
  let requests = 0;
  let rowsSent = 0;
  await page.exposeFunction('__host', (m: { type: string; reqId?: number; start?: number; count?: number }) => {
    if (m.type === 'ready') return { type: 'init', run: 1, sql: 'SELECT ...', columns, types, plan: null, status, htmlAsText: false };
    if (m.type === 'getRows') {
      requests++;
      const slice = data.slice(m.start ?? 0, (m.start ?? 0) + (m.count ?? 0));
      rowsSent += slice.length;
      return { type: 'rows', run: 1, reqId: m.reqId, start: m.start, rows: slice };
    }
    if (m.type === 'setView') return { type: 'view', run: 1, reqId: m.reqId, viewCount: rows };
    return null;
  });
  await page.addInitScript({
    content: `window.acquireVsCodeApi = () => ({
      getState: () => undefined, setState: () => {},
      postMessage: (m) => { window.__host(m).then((reply) => { if (reply) window.dispatchEvent(new MessageEvent('message', { data: reply })); }); },
    });`,
  });
  return { requests: () => requests, rowsSent: () => rowsSent };
}

interface GridMeasure {
  firstPaintMs: number;
  heapMb: number;
  domNodes: number;
  frames: number;
  medianFrameMs: number;
  p95FrameMs: number;
  longFrames: number;
  blankFrames: number;
  rowsSent: number;
  requests: number;
}

async function heapMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
  await cdp.detach();
  return used / 1024 / 1024;
}

/** Our grid's rows that are still waiting for their data. */
const PLACEHOLDER = "!!document.querySelector('.row.loading:not([hidden])')";

/** Scrolls for `ms` by `step` pixels per frame and records frame times and frames whose top rows were still placeholders (`blank`, a page expression). */
async function scroll(page: Page, selector: string, step: number, ms: number, blank = PLACEHOLDER): Promise<{ frames: number[]; blank: number }> {
  // Page code as text: this file is type-checked without the DOM library.
  return page.evaluate<{ frames: number[]; blank: number }>(`new Promise((resolve) => {
    const el = document.querySelector(${JSON.stringify(selector)});
    const frames = [];
    let blank = 0;
    let last = performance.now();
    const start = last;
    let dir = 1;
    const tick = (now) => {
      frames.push(now - last);
      last = now;
      if (${blank}) blank++;
      if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) dir = -1;
      if (el.scrollTop <= 0) dir = 1;
      el.scrollTop += dir * ${step};
      if (now - start < ${ms}) requestAnimationFrame(tick);
      else resolve({ frames: frames.slice(1), blank });
    };
    requestAnimationFrame(tick);
  })`);
}

function stats(frames: number[]): { median: number; p95: number; long: number } {
  const s = [...frames].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  return { median: at(0.5), p95: at(0.95), long: s.filter((f) => f > 50).length };
}

/** Serves one page at a made-up origin (requests are answered here, nothing goes to a network). */
async function serve(page: Page, html: string, bundle = ''): Promise<void> {
  await page.route('http://grid.bench/**', (route) => {
    const path = new URL(route.request().url()).pathname;
    return route.fulfill(path === '/results.js' ? { contentType: 'text/javascript', body: bundle } : { contentType: 'text/html', body: html });
  });
  await page.goto('http://grid.bench/');
}

const DOM_NODES = "document.getElementsByTagName('*').length";
const TWO_FRAMES = 'new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))';

/**
 * What every page is measured on once its first rows are drawn: first paint
 * (two frames after `painted` was taken), scrolling `scroller` for 3 s, heap
 * and DOM size. `sent`, asked after scrolling, says how many rows reached the page in how many requests.
 */
async function measurePage(
  page: Page,
  painted: number,
  scroller: string,
  sent: () => { rows: number; requests: number },
  blankCheck?: string,
): Promise<GridMeasure> {
  const s = await scroll(page, scroller, 400, 3000, blankCheck);
  const st = stats(s.frames);
  return {
    firstPaintMs: painted,
    heapMb: await heapMb(page),
    domNodes: await page.evaluate<number>(DOM_NODES),
    frames: s.frames.length,
    medianFrameMs: st.median,
    p95FrameMs: st.p95,
    longFrames: st.long,
    blankFrames: s.blank,
    rowsSent: sent().rows,
    requests: sent().requests,
  };
}

async function measureGrid(page: Page, bundle: string, css: string, rows: number): Promise<GridMeasure> {
  const host = await installHost(page, rows);
  await serve(page, `<!DOCTYPE html><html><head><style>${css}</style></head><body><div id="app" data-l10n="{}"></div><script src="/results.js"></script></body></html>`, bundle);
  await page.waitForFunction("performance.getEntriesByName('results:first-rows').length > 0", undefined, { timeout: 60_000 });
  // Two frames later the first rows are on screen; time counts from navigation start.
  const painted = await page.evaluate<number>(TWO_FRAMES);
  return measurePage(page, painted, '.viewport', () => ({ rows: host.rowsSent(), requests: host.requests() }));
}

/**
 * Tabulator with all rows generated in the page. First paint counts from
 * navigation start to two frames after its tableBuilt event, so it includes
 * generating the rows (`dataMs`, reported apart).
 */
async function measureTabulator(page: Page, bundle: string, css: string, rows: number): Promise<GridMeasure & { dataMs: number }> {
  await serve(page, tabulatorHtml(css, rows), bundle);
  await page.waitForFunction("performance.getEntriesByName('tabulator:built').length > 0", undefined, { timeout: 60_000 });
  const painted = await page.evaluate<number>(TWO_FRAMES);
  const dataMs = await page.evaluate<number>("performance.getEntriesByName('tabulator:data')[0].startTime");
  // The page's rows must be the ones our grid shows.
  const expected = makeRows(rows, COLUMNS);
  for (const r of [0, 12, 13, rows - 1]) {
    const got = await page.evaluate<unknown>(`window.__benchRow(${r})`);
    if (JSON.stringify(got) !== JSON.stringify(expected[r])) throw new Error(`Tabulator page row ${r} differs: ${JSON.stringify(got)}`);
  }
  return { ...(await measurePage(page, painted, '.tabulator-tableholder', () => ({ rows, requests: 0 }), TABULATOR_BLANK)), dataMs };
}

/** The plain table's page script: asks for every row at once and builds one <table>. */
const TABLE_PAGE = `
  const api = acquireVsCodeApi();
  window.addEventListener('message', (e) => {
    const m = e.data;
    if (m.type !== 'rows') return;
    const body = document.createElement('tbody');
    for (const r of m.rows) {
      const tr = document.createElement('tr');
      for (const v of r) { const td = document.createElement('td'); td.textContent = v === null ? 'NULL' : String(v); tr.append(td); }
      body.append(tr);
    }
    const tbl = document.createElement('table');
    tbl.append(body);
    document.querySelector('.wrap').append(tbl);
    performance.mark('table:rows');
  });
  api.postMessage({ type: 'getRows', reqId: 1, start: 0, count: 1e9 });`;

/** The baseline: every row of the result sent at once and rendered into one <table>. */
async function measureTable(page: Page, css: string, rows: number): Promise<GridMeasure> {
  await installHost(page, rows);
  await serve(page, `<!DOCTYPE html><html><head><style>${css} .wrap{height:100vh;overflow:auto} td{white-space:nowrap;padding:0 6px}</style></head><body><div class="wrap"></div><script>${TABLE_PAGE}</script></body></html>`);
  await page.waitForFunction("performance.getEntriesByName('table:rows').length > 0", undefined, { timeout: 120_000 });
  const painted = await page.evaluate<number>(TWO_FRAMES);
  // A plain table has no placeholder rows: its blank-frame count is what the scroll check finds (none).
  return measurePage(page, painted, '.wrap', () => ({ rows, requests: 1 }));
}

export const gridBenchmark: Benchmark = {
  name: 'grid',
  description: 'results grid in Chromium: 100k x 20 virtual grid vs a plain table of 10k rows (first paint, scroll frames, heap)',
  async run(ctx: BenchContext): Promise<BenchReport> {
    const root = join(__dirname, '..');
    const built = await esbuild.build({
      entryPoints: [join(root, 'src/webview/results.ts')], bundle: true, minify: true, format: 'iife', target: 'es2022', platform: 'browser', write: false,
    });
    const bundle = built.outputFiles[0]?.text ?? '';
    const css = readFileSync(join(root, 'media/results.css'), 'utf8');
    const tabulator = await buildTabulatorPage(root);
    const tablePage = (await esbuild.transform(TABLE_PAGE, { minify: true, target: 'es2022' })).code;
    // Minified page scripts (what each page loads), raw and gzipped, in KiB.
    const size = (js: string): { kib: number; gzipKiB: number } => ({ kib: Buffer.byteLength(js) / 1024, gzipKiB: gzipSync(js).length / 1024 });
    const scripts = { grid: size(bundle), tabulator: size(tabulator.bundle), table: size(tablePage) };
    ctx.log(`results.js (production): ${scripts.grid.kib.toFixed(0)} KiB; Tabulator ${tabulator.version} page: ${scripts.tabulator.kib.toFixed(0)} KiB`);
    const browser = await launchBrowser();
    try {
      const run = async <T>(fn: (p: Page) => Promise<T>): Promise<T> => {
        const context = await newContext(browser);
        try {
          return await fn(await context.newPage());
        } finally {
          await context.close();
        }
      };
      ctx.log('virtual grid, 100,000 rows');
      const grid100k = await run((p) => measureGrid(p, bundle, css, 100_000));
      ctx.log('virtual grid, 10,000 rows');
      const grid10k = await run((p) => measureGrid(p, bundle, css, 10_000));
      ctx.log(`Tabulator ${tabulator.version}, 100,000 rows in the page`);
      const tabulator100k = await run((p) => measureTabulator(p, tabulator.bundle, tabulator.css, 100_000));
      ctx.log('plain table, 10,000 rows');
      const table10k = await run((p) => measureTable(p, css, 10_000));
      const f = (n: number): string => n.toFixed(1);
      const rowsOf = (name: string, m: GridMeasure, script: { kib: number }): (string | number)[] => [
        name, f(m.firstPaintMs), f(m.medianFrameMs), f(m.p95FrameMs), m.longFrames, m.blankFrames, f(m.heapMb), m.domNodes, m.rowsSent, f(script.kib),
      ];
      const vsGrid = (label: string, pick: (m: GridMeasure) => number): string =>
        `${label}: ${ratio(pick(tabulator100k), pick(grid100k))}`;
      const text = [
        'Results grid in Chromium (20 columns). Times in ms; page heap after GC in MiB (our grid\'s rows live in the host process, as in VS Code;',
        'Tabulator\'s live in the page). Placeholder frames: frames whose top row was not drawn yet. Script: minified page script in KiB.',
        table(
          ['page', 'first paint', 'median frame', 'p95 frame', 'frames >50ms', 'placeholder frames', 'heap MiB', 'DOM nodes', 'rows sent', 'script KiB'],
          [
            rowsOf('virtual grid, 100k rows', grid100k, scripts.grid),
            rowsOf('virtual grid, 10k rows', grid10k, scripts.grid),
            rowsOf(`Tabulator ${tabulator.version}, 100k rows`, tabulator100k, scripts.tabulator),
            rowsOf('plain table, 10k rows', table10k, scripts.table),
          ],
        ),
        '',
        `Tabulator 100k / virtual grid 100k:`,
        `  ${vsGrid('first paint', (m) => m.firstPaintMs)} (${f(tabulator100k.dataMs)} ms of Tabulator's first paint is generating the rows in the page)`,
        `  ${vsGrid('median frame', (m) => m.medianFrameMs)}, ${vsGrid('p95 frame', (m) => m.p95FrameMs)}`,
        `  ${vsGrid('heap', (m) => m.heapMb)}, ${vsGrid('DOM nodes', (m) => m.domNodes)}`,
        `  script: ${ratio(scripts.tabulator.kib, scripts.grid.kib)} (gzipped ${scripts.tabulator.gzipKiB.toFixed(0)} vs ${scripts.grid.gzipKiB.toFixed(0)} KiB)`,
        `first paint, plain table 10k / virtual grid 100k: ${ratio(table10k.firstPaintMs, grid100k.firstPaintMs)}`,
        `DOM nodes, plain table 10k / virtual grid 100k: ${ratio(table10k.domNodes, grid100k.domNodes)}`,
        `rows shipped to the page, 100k result: ${grid100k.rowsSent} of 100000 in ${grid100k.requests} requests`,
      ].join('\n');
      return { text, data: { bundleKiB: bundle.length / 1024, scripts, tabulatorVersion: tabulator.version, grid100k, grid10k, tabulator100k, table10k } };
    } finally {
      await browser.close();
    }
  },
};
