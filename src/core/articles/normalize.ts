// A canonical form of article HTML, used only to compare two bodies: "did
// this save change the article meaningfully?" The converter calls it to check
// each block it writes as Markdown, the save planner calls it to skip sending
// an unchanged body, and the fidelity tests call it on every article.
//
// What counts as the same HTML: attribute order and quoting, entity spelling
// (`&nbsp;` and U+00A0, `&#39;` and `'`), self-closing syntax (`<br/>`, `<br>`),
// runs of whitespace outside preformatted text, whitespace next to block
// boundaries and `<br>`, and whitespace just inside an inline element's tags
// (`<em> a</em>` reads as ` <em>a</em>`). Everything else, including comments,
// classes, inline styles and text inside `<pre>`, must match.
import {
  COMMENT_NODE, TEXT_NODE, attributesOf, children, isElement, parseFragment,
  type DomElement, type DomNode,
} from './dom';

/** Elements that start and end a line of text, so whitespace next to them is insignificant. */
const BLOCK = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'BODY', 'CAPTION', 'CENTER', 'COL', 'COLGROUP', 'DD', 'DETAILS',
  'DIALOG', 'DIR', 'DIV', 'DL', 'DT', 'FIELDSET', 'FIGCAPTION', 'FIGURE', 'FOOTER', 'FORM', 'H1', 'H2', 'H3', 'H4',
  'H5', 'H6', 'HEAD', 'HEADER', 'HGROUP', 'HR', 'HTML', 'LEGEND', 'LI', 'LINK', 'MAIN', 'MENU', 'META', 'NAV', 'OL',
  'OPTGROUP', 'OPTION', 'P', 'PRE', 'SECTION', 'SUMMARY', 'TABLE', 'TBODY', 'TD', 'TFOOT', 'TH', 'THEAD', 'TITLE',
  'TR', 'UL', 'SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'BR',
]);

/** Elements whose text is shown as written: whitespace inside them is kept exactly. */
const PRESERVE = new Set(['PRE', 'TEXTAREA', 'SCRIPT', 'STYLE', 'XMP', 'LISTING', 'PLAINTEXT']);

/** Inline elements that show something themselves, so a space before them is visible. */
const REPLACED = new Set([
  'IMG', 'IFRAME', 'VIDEO', 'AUDIO', 'OBJECT', 'EMBED', 'CANVAS', 'SVG', 'MATH', 'INPUT', 'SELECT', 'TEXTAREA',
  'BUTTON', 'PICTURE', 'METER', 'PROGRESS',
]);

const VOID = new Set([
  'AREA', 'BASE', 'BR', 'COL', 'EMBED', 'HR', 'IMG', 'INPUT', 'LINK', 'META', 'PARAM', 'SOURCE', 'TRACK', 'WBR',
]);

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\u00a0/g, '&nbsp;');
}

function escapeAttribute(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/\u00a0/g, '&nbsp;');
}

function canonicalAttributeValue(name: string, value: string): string {
  if (name === 'class') return value.trim().split(/[ \t\n\r\f]+/).filter(Boolean).join(' ');
  if (name === 'style') {
    return value
      .split(';')
      .map((decl) => {
        const colon = decl.indexOf(':');
        if (colon < 0) return decl.trim();
        return `${decl.slice(0, colon).trim().toLowerCase()}: ${decl.slice(colon + 1).trim()}`;
      })
      .filter(Boolean)
      .join('; ');
  }
  return value;
}

function openTag(el: DomElement): string {
  const name = el.tagName.toLowerCase();
  const attrs = attributesOf(el)
    .map((a) => ({ name: a.name.toLowerCase(), value: canonicalAttributeValue(a.name.toLowerCase(), a.value) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((a) => ` ${a.name}="${escapeAttribute(a.value)}"`)
    .join('');
  return `<${name}${attrs}>`;
}

class Writer {
  private readonly out: string[] = [];
  /** Whitespace was seen and not yet written; it is written only before visible inline content. */
  private pendingSpace = false;
  /** Nothing visible since the last block boundary, so leading whitespace is dropped. */
  private atLineStart = true;

  /** A block boundary or `<br>`: whitespace on either side of it is not shown. */
  boundary(tag: string): void {
    this.pendingSpace = false;
    this.atLineStart = true;
    this.out.push(tag);
  }

  /** An inline tag: whitespace stays pending, so it reads the same inside or outside the tag. */
  inlineTag(tag: string): void {
    this.out.push(tag);
  }

  /** Something visible (text or a replaced element such as an image). */
  visible(s: string): void {
    if (this.pendingSpace && !this.atLineStart) this.out.push(' ');
    this.pendingSpace = false;
    this.atLineStart = false;
    this.out.push(s);
  }

  text(s: string): void {
    for (const part of s.split(/([ \t\n\r\f]+)/)) {
      if (part === '') continue;
      if (/^[ \t\n\r\f]+$/.test(part)) this.pendingSpace = true;
      else this.visible(escapeText(part));
    }
  }

  /** Comments are compared, but do not count as visible content for whitespace. */
  raw(s: string): void {
    this.out.push(s);
  }

  toString(): string {
    return this.out.join('');
  }
}

function writePreserved(node: DomNode, w: Writer): void {
  if (node.nodeType === TEXT_NODE) {
    w.raw(escapeText(node.nodeValue ?? ''));
  } else if (node.nodeType === COMMENT_NODE) {
    w.raw(`<!--${node.nodeValue ?? ''}-->`);
  } else if (isElement(node)) {
    w.raw(openTag(node));
    for (const child of children(node)) writePreserved(child, w);
    if (!VOID.has(node.tagName)) w.raw(`</${node.tagName.toLowerCase()}>`);
  }
}

function write(node: DomNode, w: Writer): void {
  if (node.nodeType === TEXT_NODE) {
    w.text(node.nodeValue ?? '');
    return;
  }
  if (node.nodeType === COMMENT_NODE) {
    w.raw(`<!--${node.nodeValue ?? ''}-->`);
    return;
  }
  if (!isElement(node)) return;
  const name = node.tagName.toUpperCase();
  const open = openTag(node);
  const close = VOID.has(name) ? '' : `</${name.toLowerCase()}>`;
  if (PRESERVE.has(name)) {
    if (BLOCK.has(name)) w.boundary(open);
    else w.visible(open);
    for (const child of children(node)) writePreserved(child, w);
    if (BLOCK.has(name)) w.boundary(close);
    else w.raw(close);
    return;
  }
  if (BLOCK.has(name)) w.boundary(open);
  else if (REPLACED.has(name)) w.visible(open);
  else w.inlineTag(open);
  for (const child of children(node)) write(child, w);
  if (close === '') return;
  if (BLOCK.has(name)) w.boundary(close);
  else w.inlineTag(close);
}

/** The canonical form of an article body's HTML (for comparison only; never sent to the server). */
export function normalizeHtml(html: string): string {
  return normalizeNode(parseFragment(html));
}

/** The canonical form of a parsed container's children. */
export function normalizeNode(container: DomNode): string {
  const w = new Writer();
  for (const child of children(container)) write(child, w);
  return w.toString();
}

/** The canonical form of one node including itself. */
export function normalizeOuter(node: DomNode): string {
  const w = new Writer();
  write(node, w);
  return w.toString();
}
