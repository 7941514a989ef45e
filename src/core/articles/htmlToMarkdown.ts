// HTML -> Markdown for opening an article as a file. The promise to writers:
// opening and saving an unedited article gives back the same HTML (compared
// with `normalizeHtml`). The converter keeps that promise by construction:
// every top-level block is converted with turndown, rendered back with
// markdown-it and compared; a block that does not come back the same is
// written as verbatim HTML instead (which markdown-it passes through as an
// HTML block). Containers with attributes, such as Help Scout callouts
// (`<div class="callout-blue">`), keep their tags as HTML lines and have
// their inside converted the same way, so their text stays easy to edit.
import TurndownService from 'turndown';
import { strikethrough, tables } from '@joplin/turndown-plugin-gfm';
import {
  COMMENT_NODE, TEXT_NODE, attributesOf, children, containerFor, isElement, parseFragment,
  type DomElement, type DomNode,
} from './dom';
import { markdownToHtml } from './markdown';
import { normalizeHtml, normalizeNode, normalizeOuter } from './normalize';

/**
 * Tags that start an HTML block in CommonMark (conditions 1 and 6), so that a
 * line beginning with them is passed through by markdown-it. Only these can be
 * kept as verbatim HTML blocks; anything else at the top level is inline content.
 */
const HTML_BLOCK_TAGS = new Set([
  'PRE', 'SCRIPT', 'STYLE', 'TEXTAREA',
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BASE', 'BASEFONT', 'BLOCKQUOTE', 'BODY', 'CAPTION', 'CENTER', 'COL', 'COLGROUP',
  'DD', 'DETAILS', 'DIALOG', 'DIR', 'DIV', 'DL', 'DT', 'FIELDSET', 'FIGCAPTION', 'FIGURE', 'FOOTER', 'FORM', 'FRAME',
  'FRAMESET', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEAD', 'HEADER', 'HR', 'HTML', 'IFRAME', 'LEGEND', 'LI', 'LINK',
  'MAIN', 'MENU', 'MENUITEM', 'NAV', 'NOFRAMES', 'OL', 'OPTGROUP', 'OPTION', 'P', 'PARAM', 'SEARCH', 'SECTION',
  'SUMMARY', 'TABLE', 'TBODY', 'TD', 'TFOOT', 'TH', 'THEAD', 'TITLE', 'TR', 'TRACK', 'UL',
]);

/** Block tags whose inside may be written as Markdown between their own HTML tag lines. */
const CONTAINER_TAGS = new Set([
  'DIV', 'SECTION', 'ASIDE', 'ARTICLE', 'HEADER', 'FOOTER', 'NAV', 'MAIN', 'DETAILS', 'FIGURE', 'CENTER',
  'FIELDSET', 'DIALOG', 'ADDRESS', 'BLOCKQUOTE', 'SEARCH',
]);

/** Inline elements written verbatim (their content is not Markdown or is not text). */
const OPAQUE_INLINE = new Set([
  'IMG', 'IFRAME', 'VIDEO', 'AUDIO', 'OBJECT', 'EMBED', 'CANVAS', 'SVG', 'MATH', 'INPUT', 'SELECT', 'TEXTAREA',
  'SCRIPT', 'STYLE', 'PICTURE', 'BUTTON', 'TEMPLATE', 'NOSCRIPT',
]);

/** Elements Markdown can express, with the attributes it can express on them. */
const EXPRESSIBLE: Readonly<Record<string, readonly string[]>> = {
  P: [], H1: [], H2: [], H3: [], H4: [], H5: [], H6: [], BLOCKQUOTE: [], UL: [], OL: ['start'], LI: [], HR: [],
  BR: [], EM: [], STRONG: [], CODE: [], PRE: [], A: ['href', 'title'], IMG: ['src', 'alt', 'title'], S: [],
  TABLE: [], THEAD: [], TBODY: [], TR: [], TH: [], TD: [],
};

function tagOf(node: DomNode): string {
  return isElement(node) ? node.tagName.toUpperCase() : '';
}

function significantChildren(node: DomNode): DomNode[] {
  return children(node).filter((c) => !(c.nodeType === TEXT_NODE && /^[ \t\n\r\f]*$/.test(c.nodeValue ?? '')));
}

/** Whether Markdown has a form for this element itself (its children are judged on their own). */
function expressible(el: DomElement): boolean {
  const tag = tagOf(el);
  const allowed = EXPRESSIBLE[tag];
  if (allowed === undefined) return false;
  const attrs = attributesOf(el);
  if (tag === 'CODE' && tagOf(el.parentNode as DomNode) === 'PRE') {
    // The language class of a fenced block; nothing else.
    return attrs.every((a) => a.name === 'class' && /^language-[^\s`]+$/.test(a.value));
  }
  if (!attrs.every((a) => allowed.includes(a.name.toLowerCase()))) return false;
  if (tag === 'PRE') {
    const kids = children(el);
    return kids.length === 1 && tagOf(kids[0] as DomNode) === 'CODE';
  }
  if (tag === 'A') return el.getAttribute('href') !== null;
  if (tag === 'IMG') return (el.getAttribute('src') ?? '') !== '';
  if (tag === 'OL') {
    const start = el.getAttribute('start');
    return start === null || /^(0|[1-9][0-9]{0,8})$/.test(start);
  }
  if (tag === 'TABLE') return simpleTable(el);
  return true;
}

/**
 * A table GFM can express: a first row of header cells, then rows of data
 * cells, all with the same number of cells and only inline content.
 */
function simpleTable(table: DomElement): boolean {
  const rows: DomElement[] = [];
  for (const section of significantChildren(table)) {
    const tag = tagOf(section);
    if (tag === 'TR') rows.push(section as DomElement);
    else if (tag === 'THEAD' || tag === 'TBODY') {
      if (attributesOf(section as DomElement).length > 0) return false;
      for (const row of significantChildren(section)) {
        if (tagOf(row) !== 'TR') return false;
        rows.push(row as DomElement);
      }
    } else return false;
  }
  if (rows.length === 0) return false;
  const width = significantChildren(rows[0] as DomElement).length;
  if (width === 0) return false;
  return rows.every((row, i) => {
    if (attributesOf(row).length > 0) return false;
    const cells = significantChildren(row);
    if (cells.length !== width) return false;
    return cells.every((cell) => {
      const tag = tagOf(cell);
      if (tag !== (i === 0 ? 'TH' : 'TD')) return false;
      if (attributesOf(cell as DomElement).length > 0) return false;
      return !hasBlockDescendant(cell);
    });
  });
}

function hasBlockDescendant(node: DomNode): boolean {
  return children(node).some((c) => (HTML_BLOCK_TAGS.has(tagOf(c)) && tagOf(c) !== 'IFRAME') || hasBlockDescendant(c));
}

function escapeAttribute(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
}

function openTag(el: DomElement): string {
  const attrs = attributesOf(el).map((a) => ` ${a.name}="${escapeAttribute(a.value)}"`).join('');
  return `<${el.tagName.toLowerCase()}${attrs}>`;
}

function closeTag(el: DomElement): string {
  return `</${el.tagName.toLowerCase()}>`;
}

function hasPreserved(node: DomNode): boolean {
  return children(node).some((c) => ['PRE', 'TEXTAREA', 'SCRIPT', 'STYLE'].includes(tagOf(c)) || hasPreserved(c));
}

/**
 * An element as an HTML block: its serialisation with no blank line inside,
 * because a blank line would end the HTML block and let markdown-it parse
 * the rest as Markdown. Outside preformatted text a blank line is only
 * whitespace and is dropped; inside it, line breaks become `&#10;`.
 */
function htmlBlock(el: DomElement): string {
  const html = el.outerHTML;
  if (!/\n[ \t]*\n/.test(html)) return html;
  const tag = tagOf(el);
  if (['PRE', 'SCRIPT', 'STYLE', 'TEXTAREA'].includes(tag)) return html; // ends at its own closing tag
  if (!hasPreserved(el)) return html.replace(/\n(?:[ \t]*\n)+/g, '\n');
  return html.replace(/\n(?=[ \t]*\n)/g, '&#10;');
}

/** Escapes text so that markdown-it reads it back as the same text. */
export function escapeMarkdownText(text: string): string {
  let s = text
    .replace(/[\\`*_[\]]/g, '\\$&')
    .replace(/~(?=~)|(?<=~)~/g, '\\~')
    .replace(/<(?=[A-Za-z/!?])/g, '\\<')
    .replace(/&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)/g, '\\&');
  // Text may start a line (after a `<br>`): keep it from starting a list, heading, quote or rule.
  s = s
    .replace(/^([-+=])/, '\\$1')
    .replace(/^(#{1,6})(?=[ \t]|$)/, '\\$1')
    .replace(/^>/, '\\>')
    .replace(/^(\d{1,9})([.)])(?=[ \t]|$)/, '$1\\$2');
  return s;
}

/**
 * `<pre><code class="language-x">` as a fenced block. The code is written
 * exactly, followed by one newline that the renderer drops again, so code
 * that ends with a newline keeps it. The fence is longer than any run of
 * backticks that starts a line of the code.
 */
function fencedCode(pre: DomElement): string {
  const code = children(pre)[0] as DomElement;
  const lang = /^language-(\S+)$/.exec(code.getAttribute('class') ?? '')?.[1] ?? '';
  const text = code.textContent ?? '';
  let size = 3;
  for (const m of text.matchAll(/^ {0,3}(`{3,})/gm)) size = Math.max(size, (m[1] ?? '').length + 1);
  const fence = '`'.repeat(size);
  return `\n\n${fence}${lang}\n${text}\n${fence}\n\n`;
}

interface ListMarkers {
  bullet: '-' | '*';
  ordered: '.' | ')';
}

/** What a conversion produced, for callers that want to warn about imperfect bodies. */
export interface MarkdownConversion {
  markdown: string;
  /** True when markdown-it renders `markdown` back to the same HTML (after `normalizeHtml`). */
  exact: boolean;
  /** How many blocks were kept as verbatim HTML because Markdown could not express them. */
  htmlBlocks: number;
  /** Top-level text outside any block (Markdown will wrap it in a paragraph on save). */
  bareInline: number;
}

class Converter {
  private markers: ListMarkers = { bullet: '-', ordered: '.' };
  private readonly service: TurndownService;
  htmlBlocks = 0;
  bareInline = 0;

  constructor() {
    const service = new TurndownService({
      headingStyle: 'atx',
      hr: '---',
      bulletListMarker: '-',
      codeBlockStyle: 'fenced',
      fence: '```',
      emDelimiter: '*',
      strongDelimiter: '**',
      linkStyle: 'inlined',
      preformattedCode: false,
      // Empty elements that turndown would drop are kept as HTML.
      blankReplacement: (_content, node) => this.keepAsHtml('', node as unknown as DomElement),
    });
    service.use([tables, strikethrough]);
    service.escape = escapeMarkdownText;
    // Rules added later are tried first: the catch-all for what Markdown cannot say comes last.
    service.addRule('fencedCodeBlock', {
      filter: (node) => tagOf(node as unknown as DomNode) === 'PRE',
      replacement: (_content, node) => fencedCode(node as unknown as DomElement),
    });
    service.addRule('listItem', {
      filter: 'li',
      replacement: (content, node) => this.listItem(content, node as unknown as DomElement),
    });
    service.addRule('lineBreak', {
      filter: 'br',
      replacement: (_content, node) => {
        // In a table cell or a heading the Markdown must stay on one line.
        for (let p = (node as unknown as DomNode).parentNode; p !== null; p = p.parentNode) {
          if (['TD', 'TH', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6'].includes(p.nodeName)) return '<br>';
        }
        // A line starting with a block tag (an <iframe>, say) would end the paragraph.
        const next = (node as unknown as { nextSibling: DomNode | null }).nextSibling;
        if (next !== null && HTML_BLOCK_TAGS.has(tagOf(next))) return '<br>';
        return '<br>\n';
      },
    });
    service.addRule('keepAsHtml', {
      filter: (node) => !expressible(node as unknown as DomElement),
      replacement: (content, node) => this.keepAsHtml(content, node as unknown as DomElement),
    });
    this.service = service;
  }

  private keepAsHtml(content: string, el: DomElement): string {
    const tag = tagOf(el);
    if ((el as unknown as { isBlock?: boolean }).isBlock === true || (HTML_BLOCK_TAGS.has(tag) && tag !== 'IFRAME')) {
      this.htmlBlocks++;
      return `\n\n${htmlBlock(el)}\n\n`;
    }
    if (OPAQUE_INLINE.has(tag) || content === '') return el.outerHTML;
    return `${openTag(el)}${content}${closeTag(el)}`;
  }

  private listItem(content: string, li: DomElement): string {
    const parent = li.parentNode;
    let prefix = `${this.markers.bullet} `;
    if (parent !== null && tagOf(parent) === 'OL') {
      const items = children(parent).filter((c) => tagOf(c) === 'LI');
      const start = Number((parent as DomElement).getAttribute('start') ?? '1');
      prefix = `${start + items.indexOf(li)}${this.markers.ordered} `;
    }
    const loose = /\n$/.test(content);
    const body = content.replace(/^\n+/, '').replace(/\n+$/, '') + (loose ? '\n' : '');
    const indented = body.replace(/\n(?=.)/g, `\n${' '.repeat(prefix.length)}`);
    const next = (li as unknown as { nextSibling: DomNode | null }).nextSibling;
    return prefix + indented + (next !== null ? '\n' : '');
  }

  /** Runs turndown on a copy of `nodes` (turndown converts a container's children). */
  private turndown(nodes: DomNode[]): string {
    const first = nodes[0];
    if (first === undefined) return '';
    const box = containerFor(first);
    for (const n of nodes) box.appendChild(n.cloneNode(true));
    return this.service.turndown(box as unknown as TurndownService.Node);
  }

  /** Markdown for the children of `container`, one string per block. */
  blocks(container: DomNode): string[] {
    const out: string[] = [];
    let run: DomNode[] = [];
    let previousList: { tag: string; markers: ListMarkers } | undefined;
    const flushRun = () => {
      if (run.some((n) => n.nodeType !== TEXT_NODE || /[^ \t\n\r\f]/.test(n.nodeValue ?? ''))) {
        const html = this.inlineRunAsHtml(run);
        if (html !== undefined) {
          this.htmlBlocks++;
          out.push(html);
        } else {
          const md = this.turndown(run);
          if (md !== '') {
            this.bareInline++;
            out.push(md);
          }
        }
        previousList = undefined;
      }
      run = [];
    };
    for (const node of children(container)) {
      if (node.nodeType === COMMENT_NODE) {
        flushRun();
        out.push(`<!--${node.nodeValue ?? ''}-->`);
        previousList = undefined;
        continue;
      }
      if (!isElement(node) || !HTML_BLOCK_TAGS.has(tagOf(node))) {
        run.push(node);
        continue;
      }
      flushRun();
      const tag = tagOf(node);
      if (tag === 'UL' || tag === 'OL') {
        // Two lists in a row need different markers, or Markdown joins them into one.
        const markers: ListMarkers = { bullet: '-', ordered: '.' };
        if (previousList?.tag === tag) {
          markers.bullet = previousList.markers.bullet === '-' ? '*' : '-';
          markers.ordered = previousList.markers.ordered === '.' ? ')' : '.';
        }
        this.markers = markers;
        out.push(this.block(node));
        previousList = { tag, markers };
        this.markers = { bullet: '-', ordered: '.' };
      } else {
        out.push(this.block(node));
        previousList = undefined;
      }
    }
    flushRun();
    return out.filter((s) => s !== '');
  }

  /**
   * Inline content outside any block (`<img>` or `<a>` straight in the body),
   * which Markdown would wrap in a paragraph. When it starts with an element,
   * it can stay HTML: a line holding just an opening tag starts an HTML block
   * (CommonMark's condition 7), and the line break after that tag is only
   * whitespace. Undefined when that does not read back the same.
   */
  private inlineRunAsHtml(run: DomNode[]): string | undefined {
    const nodes = run.slice(run.findIndex((n) => n.nodeType !== TEXT_NODE || /[^ \t\n\r\f]/.test(n.nodeValue ?? '')));
    const first = nodes[0];
    if (first === undefined || !isElement(first) || ['SCRIPT', 'STYLE', 'PRE', 'TEXTAREA'].includes(tagOf(first))) {
      return undefined;
    }
    const box = containerFor(first);
    for (const n of nodes) box.appendChild(n.cloneNode(true));
    const serialized = box.innerHTML;
    const open = openTag(first);
    if (!serialized.startsWith(open)) return undefined;
    const html = `${open}\n${serialized.slice(open.length)}`.replace(/\n(?:[ \t]*\n)+/g, '\n').replace(/\s+$/, '');
    return normalizeHtml(markdownToHtml(html)) === normalizeNode(box) ? html : undefined;
  }

  /** One block element as Markdown, or as an HTML block when Markdown would change it. */
  private block(el: DomElement): string {
    const expected = normalizeOuter(el);
    const faithful = (md: string) => normalizeHtml(markdownToHtml(md)) === expected;
    const tag = tagOf(el);
    const before = this.htmlBlocks;
    const inner = significantChildren(el);
    const onlyBlocks = inner.length > 0
      && inner.every((c) => c.nodeType === COMMENT_NODE || (isElement(c) && HTML_BLOCK_TAGS.has(tagOf(c))));
    if (CONTAINER_TAGS.has(tag) && onlyBlocks) {
      const parts = this.blocks(el);
      const md = tag === 'BLOCKQUOTE' && expressible(el)
        ? parts.join('\n\n').split('\n').map((line) => (line === '' ? '>' : `> ${line}`)).join('\n')
        : `${openTag(el)}\n\n${parts.join('\n\n')}\n\n${closeTag(el)}`;
      if (faithful(md)) return md;
      this.htmlBlocks = before;
    } else if (expressible(el)) {
      const md = this.turndown([el]);
      if (faithful(md)) return md;
      this.htmlBlocks = before;
    }
    this.htmlBlocks++;
    return htmlBlock(el);
  }
}

/** Converts an article body to Markdown and reports whether it reads back exactly. */
export function convertHtmlToMarkdown(html: string): MarkdownConversion {
  const root = parseFragment(html);
  const converter = new Converter();
  const parts = converter.blocks(root);
  const markdown = parts.length === 0 ? '' : `${parts.join('\n\n')}\n`;
  const exact = normalizeHtml(markdownToHtml(markdown)) === normalizeNode(root);
  return { markdown, exact, htmlBlocks: converter.htmlBlocks, bareInline: converter.bareInline };
}

/** An article body's HTML as Markdown (HTML blocks where Markdown cannot express it). */
export function htmlToMarkdown(html: string): string {
  return convertHtmlToMarkdown(html).markdown;
}

/** What a save of the unedited document would send: the fidelity check's subject. */
export function roundTrip(html: string): string {
  return markdownToHtml(htmlToMarkdown(html));
}
