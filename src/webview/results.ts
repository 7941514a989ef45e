// The query results page. A virtual grid: fixed row height, a canvas as tall
// as all rows, and a small pool of absolutely positioned row elements reused
// while scrolling, so 100,000 rows cost the same as 100. The page holds only
// blocks of rows near what is visible and asks the extension for more by
// range (`getRows`); sorting and filtering run in the extension on the whole
// result, and the page then shows the new view. Help Scout data is written by
// strangers: every value is set with `textContent`, never as HTML.
import {
  ExtensionMessageSchema, MAX_WINDOW,
  type Cell, type CopyFormat, type ExportFormat, type ExtensionMessage, type Filters, type PageMessage, type Sort, type Status,
} from '../core/protocol/results';

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const send = (msg: PageMessage): void => vscode.postMessage(msg);

const ROW_HEIGHT = 24;
const BLOCK = 100;
/** Blocks kept in memory; older ones are dropped (and asked for again when scrolled back). */
const MAX_BLOCKS = 60;
const OVERSCAN = 8;
const MIN_WIDTH = 48;

const app = document.getElementById('app') as HTMLElement;
const strings = JSON.parse(app.dataset['l10n'] ?? '{}') as Record<string, string>;
const t = (key: string): string => strings[key] ?? key;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

// --- state -------------------------------------------------------------------

let run = -1;
let sql = '';
let columns: string[] = [];
let types: string[] = [];
let widths: number[] = [];
let viewCount = 0;
let status: Status | undefined;
let plan: { columns: string[]; rows: Cell[][] } | null = null;
let sort: Sort | null = null;
let filters: Filters = {};
let htmlAsText = false;
/** Bumped whenever the view changes: row replies for an older view are dropped. */
let viewGen = 0;
let nextReq = 1;
let viewReq = 0;
const blocks = new Map<number, Cell[][]>();
const pending = new Map<number, { gen: number; block: number; count: number }>();
let selection: { anchor: { r: number; c: number }; focus: { r: number; c: number } } | null = null;
let firstRowsMarked = false;

interface SavedState {
  run: number;
  sort: Sort | null;
  filters: Filters;
  widths: number[];
  scrollTop: number;
  htmlAsText: boolean;
}

function saveState(): void {
  const s: SavedState = { run, sort, filters, widths, scrollTop: viewport.scrollTop, htmlAsText };
  vscode.setState(s);
}

// --- DOM ---------------------------------------------------------------------

const toolbar = el('div', 'toolbar');
const statusText = el('span', 'status-text');
statusText.setAttribute('role', 'status');
const spacer = el('span', 'spacer');
const cancelBtn = el('button', 'btn', t('cancel'));
const rerunBtn = el('button', 'btn', t('rerun'));
const copySelect = el('select', 'select');
copySelect.title = t('copyAs');
for (const [v, label] of [['', t('copyAs') + '…'], ['tsv', 'TSV'], ['csv', 'CSV'], ['markdown', 'Markdown'], ['json', 'JSON']] as const) {
  const o = el('option', undefined, label);
  o.value = v;
  copySelect.append(o);
}
const exportSelect = el('select', 'select');
exportSelect.title = t('export');
for (const [v, label] of [['', t('export') + '…'], ['csv', 'CSV'], ['json', 'JSON'], ['markdown', 'Markdown']] as const) {
  const o = el('option', undefined, label);
  o.value = v;
  exportSelect.append(o);
}
const htmlLabel = el('label', 'toggle');
const htmlToggle = el('input');
htmlToggle.type = 'checkbox';
htmlLabel.append(htmlToggle, document.createTextNode(` ${t('htmlAsText')}`));
const planBtn = el('button', 'btn', t('plan'));
planBtn.setAttribute('aria-expanded', 'false');
toolbar.append(statusText, spacer, cancelBtn, rerunBtn, copySelect, exportSelect, htmlLabel, planBtn);

const banner = el('div', 'banner');
banner.hidden = true;
const planBox = el('div', 'plan');
planBox.hidden = true;

const body = el('div', 'body');
const viewport = el('div', 'viewport');
viewport.tabIndex = 0;
viewport.setAttribute('role', 'grid');
const header = el('div', 'header');
header.setAttribute('role', 'row');
const filterRow = el('div', 'filters');
const canvas = el('div', 'canvas');
viewport.append(header, filterRow, canvas);
const detail = el('aside', 'detail');
detail.hidden = true;
body.append(viewport, detail);
const notice = el('div', 'notice');
notice.hidden = true;
const empty = el('div', 'empty', t('noRows'));
empty.hidden = true;
app.append(toolbar, banner, planBox, body, empty, notice);

// --- formatting --------------------------------------------------------------

const htmlCache = new Map<string, string>();
const LOOKS_HTML = /<\/?[a-z][\s\S]*>/i;

/** Text of an HTML body. DOMParser builds an inert document: no scripts run, nothing loads. */
function htmlToText(s: string): string {
  const hit = htmlCache.get(s);
  if (hit !== undefined) return hit;
  const doc = new DOMParser().parseFromString(s.replace(/<br\s*\/?>/gi, '\n').replace(/<\/(p|div|li|h\d)>/gi, '$&\n'), 'text/html');
  const text = (doc.body.textContent ?? '').replace(/\n{3,}/g, '\n\n').trim();
  if (htmlCache.size > 5000) htmlCache.clear();
  htmlCache.set(s, text);
  return text;
}

function display(v: Cell): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number') return String(v);
  let s = htmlAsText && LOOKS_HTML.test(v) ? htmlToText(v) : v;
  if (s.length > 400) s = `${s.slice(0, 400)}…`;
  return s.replace(/\r?\n/g, ' ⏎ ');
}

const fmt = new Intl.NumberFormat();

function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

// --- header, filters, widths -------------------------------------------------

function totalWidth(): number {
  return widths.reduce((a, b) => a + b, 0);
}

function defaultWidth(name: string, type: string): number {
  const base = type === 'INTEGER' || type === 'REAL' ? 90 : 160;
  return Math.max(base, Math.min(260, name.length * 8 + 36));
}

function buildHeader(): void {
  header.replaceChildren();
  filterRow.replaceChildren();
  columns.forEach((name, c) => {
    const h = el('div', 'hcell');
    h.setAttribute('role', 'columnheader');
    h.dataset['col'] = String(c);
    const label = el('span', 'hname', name);
    label.title = `${name}${types[c] ? ` (${types[c]})` : ''}`;
    const arrow = el('span', 'sort');
    const handle = el('span', 'resize');
    h.append(label, arrow, handle);
    label.addEventListener('click', () => cycleSort(c));
    arrow.addEventListener('click', () => cycleSort(c));
    handle.addEventListener('pointerdown', (e) => startResize(e, c));
    header.append(h);

    const f = el('div', 'fcell');
    const input = el('input', 'filter');
    input.type = 'text';
    input.placeholder = t('filter');
    input.setAttribute('aria-label', `${t('filter')} ${name}`);
    input.value = filters[String(c)] ?? '';
    input.addEventListener('input', () => {
      const v = input.value;
      if (v.trim()) filters[String(c)] = v;
      else delete filters[String(c)];
      scheduleView();
    });
    f.append(input);
    filterRow.append(f);
  });
  applyWidths();
  updateSortMarks();
  measureHeader();
}

function updateSortMarks(): void {
  header.querySelectorAll<HTMLElement>('.hcell').forEach((h, c) => {
    const s = sort && sort.column === c ? (sort.descending ? 'descending' : 'ascending') : 'none';
    h.setAttribute('aria-sort', s);
    const arrow = h.querySelector('.sort');
    if (arrow) arrow.textContent = s === 'ascending' ? '▲' : s === 'descending' ? '▼' : '';
  });
}

function applyWidths(): void {
  const total = `${totalWidth()}px`;
  header.style.width = total;
  filterRow.style.width = total;
  canvas.style.width = total;
  header.querySelectorAll<HTMLElement>('.hcell').forEach((h, c) => (h.style.width = `${widths[c] ?? 100}px`));
  filterRow.querySelectorAll<HTMLElement>('.fcell').forEach((h, c) => (h.style.width = `${widths[c] ?? 100}px`));
  for (const r of pool) {
    r.el.style.width = total;
    r.cells.forEach((cell, c) => (cell.style.width = `${widths[c] ?? 100}px`));
  }
}

function startResize(e: PointerEvent, c: number): void {
  e.preventDefault();
  e.stopPropagation();
  const target = e.target as HTMLElement;
  target.setPointerCapture(e.pointerId);
  const startX = e.clientX;
  const startW = widths[c] ?? 100;
  let frame = 0;
  const move = (ev: PointerEvent): void => {
    widths[c] = Math.max(MIN_WIDTH, startW + ev.clientX - startX);
    if (!frame) frame = requestAnimationFrame(() => {
      frame = 0;
      applyWidths();
    });
  };
  const up = (): void => {
    target.removeEventListener('pointermove', move);
    target.removeEventListener('pointerup', up);
    saveState();
  };
  target.addEventListener('pointermove', move);
  target.addEventListener('pointerup', up);
}

function cycleSort(c: number): void {
  if (!sort || sort.column !== c) sort = { column: c, descending: false };
  else if (!sort.descending) sort = { column: c, descending: true };
  else sort = null;
  updateSortMarks();
  requestView();
}

let viewTimer = 0;
function scheduleView(): void {
  clearTimeout(viewTimer);
  viewTimer = window.setTimeout(requestView, 250);
}

function requestView(): void {
  viewReq = nextReq++;
  send({ type: 'setView', reqId: viewReq, sort, filters: { ...filters } });
  saveState();
}

// --- the row pool ------------------------------------------------------------

interface PoolRow {
  el: HTMLElement;
  cells: HTMLElement[];
  /** View row shown, and the view generation it was filled for; -1 when empty. */
  row: number;
  gen: number;
  loaded: boolean;
  /** Selection version painted on this row. */
  sel: number;
}

let pool: PoolRow[] = [];

function makeRow(): PoolRow {
  const r = el('div', 'row');
  r.setAttribute('role', 'row');
  const cells = columns.map((_, c) => {
    const cell = el('div', 'cell');
    cell.setAttribute('role', 'gridcell');
    cell.dataset['col'] = String(c);
    cell.style.width = `${widths[c] ?? 100}px`;
    r.append(cell);
    return cell;
  });
  r.style.width = `${totalWidth()}px`;
  canvas.append(r);
  return { el: r, cells, row: -1, gen: -1, loaded: false, sel: -1 };
}

function ensurePool(size: number): void {
  if (pool.length === size && pool[0]?.cells.length === columns.length) return;
  for (const p of pool) p.el.remove();
  pool = [];
  for (let i = 0; i < size; i++) pool.push(makeRow());
}

function resetGrid(): void {
  for (const p of pool) p.el.remove();
  pool = [];
  blocks.clear();
  pending.clear();
  viewGen++;
}

function rowData(i: number): Cell[] | undefined {
  return blocks.get(Math.floor(i / BLOCK))?.[i % BLOCK];
}

function isSelected(r: number, c: number): boolean {
  if (!selection) return false;
  const { anchor: a, focus: f } = selection;
  return r >= Math.min(a.r, f.r) && r <= Math.max(a.r, f.r) && c >= Math.min(a.c, f.c) && c <= Math.max(a.c, f.c);
}

function fillRow(p: PoolRow, i: number): void {
  const data = rowData(i);
  p.row = i;
  p.gen = viewGen;
  p.loaded = data !== undefined;
  p.el.style.transform = `translateY(${i * ROW_HEIGHT}px)`;
  p.el.dataset['row'] = String(i);
  p.el.setAttribute('aria-rowindex', String(i + 1));
  p.el.classList.toggle('loading', !data);
  p.el.classList.toggle('odd', i % 2 === 1);
  for (let c = 0; c < p.cells.length; c++) {
    const cell = p.cells[c] as HTMLElement;
    const v = data ? (data[c] ?? null) : undefined;
    cell.textContent = v === undefined ? (c === 0 ? '…' : '') : display(v);
    const kind = v === null ? 'cell null' : typeof v === 'number' ? 'cell num' : 'cell';
    if (cell.className !== kind) cell.className = kind;
  }
}

/** Bumped when the selection changes; rows repaint their selection only when behind. */
let selVersion = 0;
/** Rows whose cells carry selection classes, so clearing touches only them. */
function paintRowSelection(p: PoolRow): void {
  p.sel = selVersion;
  const has = selection !== null && p.row >= Math.min(selection.anchor.r, selection.focus.r) && p.row <= Math.max(selection.anchor.r, selection.focus.r);
  if (!has && !p.el.classList.contains('has-selection')) return;
  p.el.classList.toggle('has-selection', has);
  p.cells.forEach((cell, c) => {
    cell.classList.toggle('selected', has && isSelected(p.row, c));
    cell.classList.toggle('focus', has && selection !== null && selection.focus.r === p.row && selection.focus.c === c);
  });
}

function paintSelection(): void {
  selVersion++;
  for (const p of pool) if (p.row >= 0) paintRowSelection(p);
}

let frameQueued = false;
function scheduleRender(): void {
  if (frameQueued) return;
  frameQueued = true;
  requestAnimationFrame(() => {
    frameQueued = false;
    render();
  });
}

/** Height of the sticky header and filter rows; read once per layout change, not per frame (reading forces layout). */
let headerPx = 52;
function headerHeight(): number {
  return headerPx;
}
function measureHeader(): void {
  headerPx = header.offsetHeight + filterRow.offsetHeight || headerPx;
}

function visibleRange(): [number, number] {
  const h = Math.max(0, viewport.clientHeight - headerHeight());
  const first = Math.max(0, Math.floor(viewport.scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(viewCount - 1, Math.ceil((viewport.scrollTop + h) / ROW_HEIGHT) + OVERSCAN);
  return [first, last];
}

function render(): void {
  canvas.style.height = `${viewCount * ROW_HEIGHT}px`;
  empty.hidden = !(viewCount === 0 && status?.state !== 'running' && columns.length > 0);
  viewport.setAttribute('aria-rowcount', String(viewCount));
  if (columns.length === 0) return;
  const [first, last] = visibleRange();
  const size = Math.max(0, Math.ceil(viewport.clientHeight / ROW_HEIGHT) + 2 * OVERSCAN + 2);
  ensurePool(size);
  if (last < first) {
    for (const p of pool) {
      p.el.hidden = true;
      p.row = -1;
    }
    return;
  }
  request(first, last);
  for (let i = first; i <= last; i++) {
    const p = pool[i % pool.length] as PoolRow;
    p.el.hidden = false;
    if (p.row !== i || p.gen !== viewGen || (!p.loaded && rowData(i))) {
      fillRow(p, i);
      paintRowSelection(p);
    } else if (p.sel !== selVersion) {
      paintRowSelection(p);
    }
  }
  for (const p of pool) {
    if (p.row < first || p.row > last) {
      p.el.hidden = true;
      p.row = -1;
    }
  }
  if (!firstRowsMarked && rowData(first)) {
    firstRowsMarked = true;
    performance.mark('results:first-rows');
  }
}

/** Asks for the blocks covering [first, last] (plus one on each side) that are neither here nor on their way. */
function request(first: number, last: number): void {
  const b0 = Math.max(0, Math.floor(first / BLOCK) - 1);
  const b1 = Math.min(Math.floor(Math.max(0, viewCount - 1) / BLOCK), Math.floor(last / BLOCK) + 1);
  const waiting = new Set([...pending.values()].filter((p) => p.gen === viewGen).map((p) => p.block));
  let runStart = -1;
  const flush = (end: number): void => {
    if (runStart < 0) return;
    for (let b = runStart; b < end; b += MAX_WINDOW / BLOCK) {
      const count = Math.min(end - b, MAX_WINDOW / BLOCK) * BLOCK;
      const reqId = nextReq++;
      pending.set(reqId, { gen: viewGen, block: b, count });
      send({ type: 'getRows', reqId, start: b * BLOCK, count });
    }
    runStart = -1;
  };
  for (let b = b0; b <= b1; b++) {
    const missing = !blocks.has(b) && !waiting.has(b);
    if (missing && runStart < 0) runStart = b;
    if (!missing) flush(b);
  }
  flush(b1 + 1);
}

function onRows(msg: Extract<ExtensionMessage, { type: 'rows' }>): void {
  const p = pending.get(msg.reqId);
  pending.delete(msg.reqId);
  if (msg.run !== run || !p || p.gen !== viewGen) return;
  for (let i = 0; i < msg.rows.length; i += BLOCK) {
    const b = Math.floor((msg.start + i) / BLOCK);
    blocks.set(b, msg.rows.slice(i, i + BLOCK));
  }
  // Keep memory bounded: drop the blocks farthest from what is visible.
  if (blocks.size > MAX_BLOCKS) {
    const centre = Math.floor(viewport.scrollTop / ROW_HEIGHT / BLOCK);
    const far = [...blocks.keys()].sort((a, b) => Math.abs(b - centre) - Math.abs(a - centre));
    for (const b of far.slice(0, blocks.size - MAX_BLOCKS)) blocks.delete(b);
  }
  scheduleRender();
}

// --- status, banner, plan ----------------------------------------------------

let rateTimer = 0;

function renderStatus(): void {
  const s = status;
  if (!s) return;
  const rowsWord = s.rowCount === 1 ? t('row') : t('rows');
  const count = s.viewCount !== s.rowCount || Object.keys(filters).length
    ? `${fmt.format(viewCount)} ${t('of')} ${fmt.format(s.rowCount)} ${rowsWord}`
    : `${fmt.format(s.rowCount)} ${rowsWord}`;
  const parts: string[] = [];
  if (s.state === 'running') {
    parts.push(t('running'), `${s.requestsDone}/${s.requestsPlanned} ${t('requests')}`, count);
  } else {
    parts.push(count, `${s.requestsDone} ${s.requestsDone === 1 ? t('request') : t('requests')}`);
    if (s.durationMs !== null) parts.push(duration(s.durationMs));
    if (s.asOf !== null) parts.push(`${t('asOf')} ${new Date(s.asOf).toLocaleTimeString()}`);
  }
  statusText.textContent = parts.join(' · ');
  statusText.title = sql;
  cancelBtn.hidden = s.state !== 'running';
  rerunBtn.disabled = s.state === 'running';
  app.dataset['state'] = s.state;
  renderBanner();
}

function renderBanner(): void {
  const s = status;
  banner.replaceChildren();
  banner.className = 'banner';
  clearTimeout(rateTimer);
  if (!s) {
    banner.hidden = true;
    return;
  }
  if (s.state === 'error' && s.error) {
    banner.classList.add('error');
    const where = s.error.line !== null ? ` (line ${s.error.line}, column ${s.error.column ?? 1})` : '';
    banner.append(el('span', 'message', s.error.message + where));
    s.error.actions.forEach((title, index) => {
      const b = el('button', 'btn', title);
      b.addEventListener('click', () => send({ type: 'errorAction', index }));
      banner.append(b);
    });
    const show = el('button', 'btn link', t('showQuery'));
    show.addEventListener('click', () => send({ type: 'showQuery' }));
    banner.append(show);
  } else if (s.state === 'cancelled') {
    banner.classList.add('warning');
    banner.append(el('span', 'message', s.rowCount > 0 ? t('cancelled') : t('cancelledNone')));
  } else if (s.state === 'running' && s.resumesAt !== null) {
    banner.classList.add('warning');
    const until = s.resumesAt;
    const tick = (): void => {
      const secs = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      banner.replaceChildren(el('span', 'message', `${t('rateLimited')} ${new Date(until).toLocaleTimeString()} (${secs} s)`));
      if (secs > 0) rateTimer = window.setTimeout(tick, 1000);
    };
    tick();
  } else {
    banner.hidden = true;
    return;
  }
  banner.hidden = false;
}

function renderPlan(): void {
  planBox.replaceChildren();
  planBtn.disabled = !plan;
  if (!plan) return;
  const table = el('table', 'plan-table');
  const head = el('tr');
  for (const c of plan.columns) head.append(el('th', undefined, c));
  table.append(head);
  for (const r of plan.rows) {
    const tr = el('tr');
    for (const v of r) tr.append(el('td', v === null ? 'null' : undefined, v === null ? '' : String(v)));
    table.append(tr);
  }
  planBox.append(table);
}

// --- selection, keys, copy, detail -------------------------------------------

function cellFromEvent(e: MouseEvent): { r: number; c: number } | undefined {
  const cell = (e.target as HTMLElement).closest<HTMLElement>('.cell');
  const row = cell?.parentElement;
  if (!cell || !row?.dataset['row']) return undefined;
  return { r: Number(row.dataset['row']), c: Number(cell.dataset['col']) };
}

let dragging = false;
canvas.addEventListener('mousedown', (e) => {
  const at = cellFromEvent(e);
  if (!at || e.button !== 0) return;
  viewport.focus({ preventScroll: true });
  selection = e.shiftKey && selection ? { anchor: selection.anchor, focus: at } : { anchor: at, focus: at };
  dragging = true;
  paintSelection();
  if (!detail.hidden) showDetail();
});
canvas.addEventListener('mousemove', (e) => {
  if (!dragging || !selection || !(e.buttons & 1)) return;
  const at = cellFromEvent(e);
  if (at && (at.r !== selection.focus.r || at.c !== selection.focus.c)) {
    selection = { anchor: selection.anchor, focus: at };
    paintSelection();
  }
});
window.addEventListener('mouseup', () => (dragging = false));
canvas.addEventListener('dblclick', (e) => {
  const at = cellFromEvent(e);
  if (!at) return;
  selection = { anchor: at, focus: at };
  paintSelection();
  showDetail();
});

function selectionRange(): { rowStart: number; rowEnd: number; colStart: number; colEnd: number } | undefined {
  if (viewCount === 0 || columns.length === 0) return undefined;
  if (!selection) return { rowStart: 0, rowEnd: viewCount - 1, colStart: 0, colEnd: columns.length - 1 };
  const { anchor: a, focus: f } = selection;
  return { rowStart: Math.min(a.r, f.r), rowEnd: Math.max(a.r, f.r), colStart: Math.min(a.c, f.c), colEnd: Math.max(a.c, f.c) };
}

function copy(format: CopyFormat): void {
  const range = selectionRange();
  if (!range) return;
  const single = range.rowStart === range.rowEnd && range.colStart === range.colEnd;
  send({ type: 'copy', range, format, header: !single || format === 'markdown' || format === 'json' });
}

function moveFocus(dr: number, dc: number, extend: boolean): void {
  if (viewCount === 0) return;
  const f = selection?.focus ?? { r: 0, c: 0 };
  const next = { r: Math.max(0, Math.min(viewCount - 1, f.r + dr)), c: Math.max(0, Math.min(columns.length - 1, f.c + dc)) };
  selection = extend && selection ? { anchor: selection.anchor, focus: next } : { anchor: next, focus: next };
  // Keep the focused cell in view.
  const top = next.r * ROW_HEIGHT;
  const visible = viewport.clientHeight - headerHeight();
  if (top < viewport.scrollTop) viewport.scrollTop = top;
  else if (top + ROW_HEIGHT > viewport.scrollTop + visible) viewport.scrollTop = top + ROW_HEIGHT - visible;
  const left = widths.slice(0, next.c).reduce((a, b) => a + b, 0);
  const w = widths[next.c] ?? 100;
  if (left < viewport.scrollLeft) viewport.scrollLeft = left;
  else if (left + w > viewport.scrollLeft + viewport.clientWidth) viewport.scrollLeft = left + w - viewport.clientWidth;
  paintSelection();
  scheduleRender();
  if (!detail.hidden) showDetail();
}

viewport.addEventListener('keydown', (e) => {
  if ((e.target as HTMLElement).tagName === 'INPUT') return;
  const mod = e.ctrlKey || e.metaKey;
  const page = Math.max(1, Math.floor((viewport.clientHeight - headerHeight()) / ROW_HEIGHT) - 1);
  const keys: Record<string, () => void> = {
    ArrowDown: () => moveFocus(1, 0, e.shiftKey),
    ArrowUp: () => moveFocus(-1, 0, e.shiftKey),
    ArrowRight: () => moveFocus(0, 1, e.shiftKey),
    ArrowLeft: () => moveFocus(0, -1, e.shiftKey),
    PageDown: () => moveFocus(page, 0, e.shiftKey),
    PageUp: () => moveFocus(-page, 0, e.shiftKey),
    Home: () => moveFocus(mod ? -viewCount : 0, -columns.length, e.shiftKey),
    End: () => moveFocus(mod ? viewCount : 0, columns.length, e.shiftKey),
    Enter: () => showDetail(),
    Escape: () => {
      detail.hidden = true;
      selection = null;
      paintSelection();
    },
  };
  if (mod && e.key.toLowerCase() === 'c') {
    e.preventDefault();
    copy('tsv');
    return;
  }
  if (mod && e.key.toLowerCase() === 'a') {
    e.preventDefault();
    if (viewCount > 0) selection = { anchor: { r: 0, c: 0 }, focus: { r: viewCount - 1, c: columns.length - 1 } };
    paintSelection();
    return;
  }
  const action = keys[e.key];
  if (action) {
    e.preventDefault();
    action();
  }
});

/** A collapsible, inert view of a JSON value. */
function jsonNode(key: string | null, value: unknown, depth: number): HTMLElement {
  const label = key === null ? '' : `${key}: `;
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value as Record<string, unknown>);
    const d = el('details', 'json-node');
    d.open = depth < 2;
    const s = el('summary', undefined, `${label}${Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`}`);
    d.append(s);
    for (const [k, v] of entries.slice(0, 1000)) d.append(jsonNode(k, v, depth + 1));
    return d;
  }
  const leaf = el('div', 'json-leaf');
  leaf.append(el('span', 'json-key', label), el('span', `json-${value === null ? 'null' : typeof value}`, JSON.stringify(value)));
  return leaf;
}

function showDetail(): void {
  const f = selection?.focus;
  if (!f) return;
  const data = rowData(f.r);
  const v = data?.[f.c] ?? null;
  detail.replaceChildren();
  const bar = el('div', 'detail-bar');
  bar.append(el('strong', undefined, columns[f.c] ?? ''), el('span', 'detail-row', ` · row ${f.r + 1}`));
  const copyBtn = el('button', 'btn', t('copyValue'));
  copyBtn.addEventListener('click', () => send({ type: 'copy', range: { rowStart: f.r, rowEnd: f.r, colStart: f.c, colEnd: f.c }, format: 'tsv', header: false }));
  const close = el('button', 'btn', '✕');
  close.title = t('close');
  close.addEventListener('click', () => (detail.hidden = true));
  bar.append(el('span', 'spacer'), copyBtn, close);
  detail.append(bar);
  const content = el('div', 'detail-content');
  let parsed: unknown;
  let isJson = false;
  if (typeof v === 'string' && /^\s*[[{]/.test(v)) {
    try {
      parsed = JSON.parse(v) as unknown;
      isJson = true;
    } catch {
      isJson = false;
    }
  }
  if (isJson) content.append(jsonNode(null, parsed, 0));
  else content.append(el('pre', 'detail-text', v === null ? 'NULL' : typeof v === 'string' && htmlAsText && LOOKS_HTML.test(v) ? htmlToText(v) : String(v)));
  detail.append(content);
  detail.hidden = false;
}

function showNotice(text: string): void {
  notice.textContent = text;
  notice.hidden = false;
  window.setTimeout(() => (notice.hidden = true), 2500);
}

// --- toolbar -----------------------------------------------------------------

cancelBtn.addEventListener('click', () => send({ type: 'cancel' }));
rerunBtn.addEventListener('click', () => send({ type: 'rerun' }));
copySelect.addEventListener('change', () => {
  const v = copySelect.value as CopyFormat | '';
  copySelect.value = '';
  if (v) copy(v);
});
exportSelect.addEventListener('change', () => {
  const v = exportSelect.value as ExportFormat | '';
  exportSelect.value = '';
  if (v) send({ type: 'export', format: v });
});
htmlToggle.addEventListener('change', () => {
  htmlAsText = htmlToggle.checked;
  viewGen++; // refill every row with the new display
  for (const p of pool) p.gen = -1;
  scheduleRender();
  if (!detail.hidden) showDetail();
  saveState();
});
planBtn.addEventListener('click', () => {
  planBox.hidden = !planBox.hidden;
  planBtn.setAttribute('aria-expanded', String(!planBox.hidden));
});
viewport.addEventListener('scroll', () => {
  scheduleRender();
  scheduleSave();
}, { passive: true });
window.addEventListener('resize', () => {
  measureHeader();
  scheduleRender();
});

let saveTimer = 0;
function scheduleSave(): void {
  clearTimeout(saveTimer);
  saveTimer = window.setTimeout(saveState, 300);
}

// --- messages ----------------------------------------------------------------

function onInit(msg: Extract<ExtensionMessage, { type: 'init' }>): void {
  const sameRun = msg.run === run;
  const saved = vscode.getState() as SavedState | undefined;
  const restoring = !sameRun && saved?.run === msg.run;
  run = msg.run;
  sql = msg.sql;
  plan = msg.plan;
  status = msg.status;
  const columnsChanged = msg.columns.join('\u0000') !== columns.join('\u0000');
  columns = msg.columns;
  types = msg.types;
  if (!sameRun) {
    sort = restoring ? saved.sort : null;
    filters = restoring ? saved.filters : {};
    htmlAsText = restoring ? saved.htmlAsText : msg.htmlAsText;
    htmlToggle.checked = htmlAsText;
    selection = null;
    detail.hidden = true;
    firstRowsMarked = false;
    viewport.scrollTop = 0;
  }
  if (!sameRun || columnsChanged) {
    widths = restoring && saved.widths.length === columns.length ? saved.widths : columns.map((c, i) => defaultWidth(c, types[i] ?? ''));
    buildHeader();
  }
  resetGrid();
  viewCount = msg.status.viewCount;
  renderPlan();
  renderStatus();
  if (sort || Object.keys(filters).length) requestView();
  if (restoring) requestAnimationFrame(() => (viewport.scrollTop = saved.scrollTop));
  performance.mark('results:init');
  scheduleRender();
}

function onStatus(s: Status): void {
  const before = viewCount;
  status = s;
  if (!sort && !Object.keys(filters).length) {
    viewCount = s.viewCount;
    // The last block may have been partial; ask for it again.
    const lastBlock = Math.floor(Math.max(0, before - 1) / BLOCK);
    const b = blocks.get(lastBlock);
    if (b && b.length < BLOCK && viewCount > before) blocks.delete(lastBlock);
  } else if (s.rowCount !== before && s.state === 'running') {
    scheduleView();
  }
  renderStatus();
  scheduleRender();
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = ExtensionMessageSchema.safeParse(event.data);
  if (!parsed.success) return;
  const msg = parsed.data;
  switch (msg.type) {
    case 'init':
      onInit(msg);
      return;
    case 'columns':
      if (msg.run !== run) return;
      columns = msg.columns;
      types = msg.types;
      widths = columns.map((c, i) => defaultWidth(c, types[i] ?? ''));
      resetGrid();
      buildHeader();
      scheduleRender();
      return;
    case 'status':
      if (msg.run === run) onStatus(msg.status);
      return;
    case 'rows':
      onRows(msg);
      return;
    case 'view':
      if (msg.run !== run || msg.reqId !== viewReq) return;
      viewCount = msg.viewCount;
      resetGrid();
      selection = null;
      renderStatus();
      scheduleRender();
      return;
    case 'notice':
      showNotice(msg.text);
      return;
  }
});

send({ type: 'ready' });
