// Markdown -> HTML for saving an edited article (and for checking that the
// Markdown we write reads back to the article's HTML). CommonMark with GFM
// tables and strikethrough; raw HTML passes through untouched, so blocks kept
// as HTML in the document reach the server byte for byte.
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt('commonmark', { html: true, xhtmlOut: false, linkify: false, typographer: false });
md.enable(['table', 'strikethrough']);

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Fenced code as `<pre><code class="language-x">` without the trailing newline
 * markdown-it adds, so ```` ```js ```` reads back exactly as the editor's HTML.
 */
md.renderer.rules['fence'] = (tokens, idx) => {
  const token = tokens[idx];
  if (token === undefined) return '';
  const lang = token.info.trim().split(/\s+/)[0] ?? '';
  const cls = lang === '' ? '' : ` class="language-${escapeHtml(md.utils.unescapeAll(lang))}"`;
  return `<pre><code${cls}>${escapeHtml(token.content.replace(/\n$/, ''))}</code></pre>\n`;
};

/** Renders an article body written in Markdown to the HTML the Docs API stores. */
export function markdownToHtml(markdown: string): string {
  return md.render(markdown);
}
