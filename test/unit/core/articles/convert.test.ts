// Each HTML feature of Docs articles, both ways: the Markdown a writer sees,
// and the HTML that Markdown (or an edit of it) turns into.
import assert from 'node:assert/strict';
import {
  convertHtmlToMarkdown, htmlToMarkdown, markdownToHtml, normalizeHtml,
} from '../../../../src/core/articles';

/** HTML -> Markdown must give `md`, and `md` must read back as the same HTML. */
function both(html: string, md: string): void {
  const conversion = convertHtmlToMarkdown(html);
  assert.equal(conversion.markdown, md);
  assert.equal(conversion.exact, true, 'reads back as the same HTML');
  assert.equal(normalizeHtml(markdownToHtml(md)), normalizeHtml(html));
}

/** Applies `edit` to the Markdown of `html` and returns the HTML that would be saved. */
function afterEdit(html: string, edit: (md: string) => string): string {
  const md = htmlToMarkdown(html);
  const edited = edit(md);
  assert.notEqual(edited, md, 'the edit changed the Markdown');
  return normalizeHtml(markdownToHtml(edited));
}

describe('core/articles HTML <-> Markdown', () => {
  describe('features Markdown expresses', () => {
    it('paragraphs and inline formatting', () => {
      both('<p>Open <strong>Settings</strong>, then <em>Billing</em> and <code>api_key</code>.</p><p>Second.</p>',
        'Open **Settings**, then *Billing* and `api_key`.\n\nSecond.\n');
    });

    it('headings h1-h6 as ATX headings', () => {
      both('<h1>One</h1><h2>Two</h2><h3>Three</h3><h4>Four</h4><h5>Five</h5><h6>Six</h6>',
        '# One\n\n## Two\n\n### Three\n\n#### Four\n\n##### Five\n\n###### Six\n');
    });

    it('nested lists', () => {
      both('<ol><li>First<ul><li>Sub a</li><li>Sub b</li></ul></li><li>Second</li></ol>',
        '1. First\n   - Sub a\n   - Sub b\n2. Second\n');
    });

    it('an ordered list that starts later', () => {
      both('<ol start="4"><li>four</li><li>five</li></ol>', '4. four\n5. five\n');
    });

    it('two lists in a row stay two lists (different markers)', () => {
      both('<ul><li>a</li></ul><ul><li>b</li></ul><ol><li>x</li></ol><ol><li>y</li></ol>',
        '- a\n\n* b\n\n1. x\n\n1) y\n');
    });

    it('simple tables as GFM tables', () => {
      both('<table><thead><tr><th>Setting</th><th>Limit</th></tr></thead><tbody><tr><td>Users</td><td>5</td></tr></tbody></table>',
        '| Setting | Limit |\n| --- | --- |\n| Users | 5   |\n');
    });

    it('code blocks keep their language', () => {
      both('<pre><code class="language-js">const a = 1;\n\nconsole.log(a);</code></pre>',
        '```js\nconst a = 1;\n\nconsole.log(a);\n```\n');
      both('<pre><code>plain</code></pre>', '```\nplain\n```\n');
    });

    it('code that ends with a newline or contains a fence', () => {
      both('<pre><code>x\n</code></pre>', '```\nx\n\n```\n');
      both('<pre><code>```\nin\n```</code></pre>', '````\n```\nin\n```\n````\n');
    });

    it('images with alt and title', () => {
      both('<p><img src="https://x.test/a.png" alt="The screen" title="Settings"></p>',
        '![The screen](https://x.test/a.png "Settings")\n');
    });

    it('links, including links to other articles, keep their URL', () => {
      const url = 'https://lumen.helpscoutdocs.com/article/42-reset-your-password';
      both(`<p>See <a href="${url}">Reset</a> or <a href="https://x.test/" title="Home">home</a>.</p>`,
        `See [Reset](${url}) or [home](https://x.test/ "Home").\n`);
    });

    it('blockquotes', () => {
      both('<blockquote><p>Quoted <strong>text</strong>.</p><p>Two.</p></blockquote>', '> Quoted **text**.\n>\n> Two.\n');
    });

    it('horizontal rules and strikethrough', () => {
      both('<p><s>old</s> new</p><hr><p>after</p>', '~~old~~ new\n\n---\n\nafter\n');
    });

    it('text that looks like Markdown stays text', () => {
      both('<p>2 * 3 = 6, a_b_c, [x], `y`, &lt;b&gt;, &amp;copy;</p><p># hash</p><p>1. one</p>',
        '2 \\* 3 = 6, a\\_b\\_c, \\[x\\], \\`y\\`, \\<b>, \\&copy;\n\n\\# hash\n\n1\\. one\n');
    });
  });

  describe('what Markdown cannot express stays HTML', () => {
    for (const color of ['yellow', 'blue', 'red', 'green']) {
      it(`callout-${color}: its tags stay HTML, its inside is Markdown`, () => {
        both(`<div class="callout-${color}"><p><strong>Note:</strong> Back up first.</p></div>`,
          `<div class="callout-${color}">\n\n**Note:** Back up first.\n\n</div>\n`);
      });
    }

    it('a callout with inline content only stays HTML as it is', () => {
      both('<div class="callout-yellow">Careful: <em>this</em> deletes data.</div>',
        '<div class="callout-yellow">Careful: <em>this</em> deletes data.</div>\n');
    });

    it('video embeds', () => {
      const iframe = '<iframe src="https://www.youtube.com/embed/abc" width="560" height="315" frameborder="0" allowfullscreen="true"></iframe>';
      both(`<p>${iframe}</p>`, `<p>${iframe}</p>\n`);
      both(iframe, `${iframe}\n`);
    });

    it('elements with id, class, style or data attributes', () => {
      both('<h2 id="setup">Setup</h2>', '<h2 id="setup">Setup</h2>\n');
      both('<p class="lead" style="color: red">Big</p>', '<p class="lead" style="color: red">Big</p>\n');
      both('<p>Open the <span class="hint" data-tooltip="Quick search">command bar</span>.</p>',
        'Open the <span class="hint" data-tooltip="Quick search">command bar</span>.\n');
      both('<p><a href="https://x.test/" target="_blank">out</a></p>', '<a href="https://x.test/" target="_blank">out</a>\n');
    });

    it('images with a width', () => {
      both('<p><img src="a.png" alt="A" width="480"></p>', '<p><img src="a.png" alt="A" width="480"></p>\n');
    });

    it('tables GFM cannot express', () => {
      both('<table><tbody><tr><td colspan="2">wide</td></tr><tr><td>a</td><td>b</td></tr></tbody></table>',
        '<table><tbody><tr><td colspan="2">wide</td></tr><tr><td>a</td><td>b</td></tr></tbody></table>\n');
      both('<table><thead><tr><th>A</th></tr></thead><tbody><tr><td><ul><li>x</li></ul></td></tr></tbody></table>',
        '<table><thead><tr><th>A</th></tr></thead><tbody><tr><td><ul><li>x</li></ul></td></tr></tbody></table>\n');
    });

    it('<br> inside a paragraph', () => {
      both('<p>Line one<br>Line two</p>', 'Line one<br>\nLine two\n');
      both('<p>Watch:<br><iframe src="https://v.test/e"></iframe></p>', 'Watch:<br><iframe src="https://v.test/e"></iframe>\n');
    });

    it('raw HTML blocks such as <details>, and comments', () => {
      both('<details data-collapsed="true"><summary>More</summary><p>Hidden <em>text</em>.</p></details>',
        '<details data-collapsed="true">\n\n<summary>More</summary>\n\nHidden *text*.\n\n</details>\n');
      both('<!-- internal note --><p>Text</p>', '<!-- internal note -->\n\nText\n');
    });

    it('code blocks with other classes', () => {
      both('<pre class="x"><code>a</code></pre>', '<pre class="x"><code>a</code></pre>\n');
      both('<pre><code class="hljs language-js">a</code></pre>', '<pre><code class="hljs language-js">a</code></pre>\n');
    });

    it('Markdown inside kept blocks is not touched', () => {
      const html = '<div class="x">a *b* _c_ # d</div>';
      assert.equal(normalizeHtml(markdownToHtml(htmlToMarkdown(html))), normalizeHtml(html));
    });
  });

  describe('edits in Markdown', () => {
    const article = '<p>Intro.</p><ul><li>Alpha step</li><li>Beta step</li></ul><div class="callout-blue"><p>Tip text.</p></div><p><img src="a.png" alt="A" width="480"></p>';

    it('changing a word in a list item changes only that item', () => {
      const html = afterEdit(article, (md) => md.replace('Beta step', 'Gamma step'));
      assert.equal(html, normalizeHtml(article.replace('Beta step', 'Gamma step')));
    });

    it('editing text inside a callout keeps the callout', () => {
      const html = afterEdit(article, (md) => md.replace('Tip text.', 'Better **tip**.'));
      assert.equal(html, normalizeHtml(article.replace('<p>Tip text.</p>', '<p>Better <strong>tip</strong>.</p>')));
    });

    it('adding a list item and a paragraph', () => {
      const html = afterEdit(article, (md) => md.replace('- Beta step', '- Beta step\n- New step').replace('Intro.', 'Intro.\n\nMore.'));
      assert.equal(html, normalizeHtml(article.replace('<li>Beta step</li>', '<li>Beta step</li><li>New step</li>').replace('<p>Intro.</p>', '<p>Intro.</p><p>More.</p>')));
    });

    it('new Markdown from the writer renders as expected', () => {
      assert.equal(
        normalizeHtml(markdownToHtml('## Title\n\nSee https://x.test and "quotes" -- dashes.\n\n```sh\nls\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n')),
        normalizeHtml('<h2>Title</h2><p>See https://x.test and "quotes" -- dashes.</p><pre><code class="language-sh">ls</code></pre><table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>'),
      );
    });
  });

  describe('normalizeHtml', () => {
    it('ignores attribute order, quoting, entity spelling, self-closing syntax and whitespace', () => {
      assert.equal(
        normalizeHtml('<p  class=a id=\'x\'>a&nbsp;b &amp; c<br/>d</p>\n\n<img alt="" src="i.png"/>'),
        normalizeHtml('<p id="x" class="a">a\u00a0b &#38; c<br>\n d</p><img src="i.png" alt="">'),
      );
    });

    it('moves whitespace out of inline tags but keeps it between words', () => {
      assert.equal(normalizeHtml('<p>a<em> b </em>c</p>'), normalizeHtml('<p>a <em>b</em> c</p>'));
      assert.notEqual(normalizeHtml('<p>a<em>b</em>c</p>'), normalizeHtml('<p>a <em>b</em> c</p>'));
    });

    it('keeps differences that show: text, tags, attributes, whitespace in <pre>, comments', () => {
      assert.notEqual(normalizeHtml('<p>a</p>'), normalizeHtml('<p>b</p>'));
      assert.notEqual(normalizeHtml('<p>a</p>'), normalizeHtml('<div>a</div>'));
      assert.notEqual(normalizeHtml('<p class="x">a</p>'), normalizeHtml('<p class="y">a</p>'));
      assert.notEqual(normalizeHtml('<pre>a  b</pre>'), normalizeHtml('<pre>a b</pre>'));
      assert.notEqual(normalizeHtml('<p>a<!-- c --></p>'), normalizeHtml('<p>a</p>'));
      assert.notEqual(normalizeHtml('<p>a <img src="x"></p>'), normalizeHtml('<p>a<img src="x"></p>'));
    });
  });
});
