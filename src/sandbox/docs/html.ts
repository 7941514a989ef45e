// Article bodies for the seeded Docs data. The seed calls `articleBody` once
// per article. Bodies use the HTML a Help Scout Docs editor produces
// (headings, inline formatting, nested lists, tables, code, images, links to
// other articles, blockquotes, coloured callouts, video embeds and some raw
// HTML with custom attributes), so the Markdown conversion has real material.
import type { Rng } from '../random';

/** What a body is about, and what it may link to. */
export interface BodyTopic {
  /** The article's name. */
  title: string;
  /** Product area nouns of the article's collection, e.g. ["invoice", "payment method"]. */
  nouns: readonly string[];
  /** Other articles this body may link to. */
  links: readonly { name: string; url: string }[];
  /** Public host of the site, for image URLs. */
  host: string;
  withVideo: boolean;
  withRawHtml: boolean;
}

const PRODUCT = 'Lumen';

const VERBS = ['open', 'select', 'choose', 'enable', 'review', 'update', 'confirm', 'export', 'archive', 'rename'];
const PLACES = ['Settings', 'the Dashboard', 'the sidebar', 'Account Settings', 'the Admin panel', 'the toolbar', 'the Reports tab'];
const BUTTONS = ['Save', 'Apply', 'Continue', 'Done', 'Add new', 'Connect', 'Export CSV'];
const ADVERBS = ['quickly', 'safely', 'at any time', 'in a few clicks', 'without losing data', 'from any device'];
const ROLES = ['Owners', 'Administrators', 'Team members', 'Billing contacts', 'Guests'];
const SECTION_TITLES = [
  'Before you begin', 'Step by step', 'How it works', 'Options explained', 'Common questions',
  'Limits and defaults', 'Troubleshooting', 'What happens next', 'Permissions', 'Tips',
];
const CODE_SAMPLES: readonly { lang: string; code: string }[] = [
  { lang: 'bash', code: 'curl -u "$API_KEY:X" https://api.example.com/v1/status' },
  { lang: 'json', code: '{\n  "enabled": true,\n  "retries": 3,\n  "webhook": "https://example.com/hooks/lumen"\n}' },
  { lang: 'javascript', code: "const client = new Lumen({ apiKey: process.env.LUMEN_KEY });\nconst items = await client.items.list({ page: 1 });\nconsole.log(items.length);" },
  { lang: 'html', code: '<script src="https://cdn.example.com/lumen-widget.js" data-site="main" async></script>' },
  { lang: 'python', code: 'import lumen\n\nclient = lumen.Client(api_key="YOUR_KEY")\nfor item in client.items(status="active"):\n    print(item.name)' },
];

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

class Writer {
  constructor(private readonly rng: Rng, private readonly topic: BodyTopic) {}

  noun(): string {
    return this.rng.pick(this.topic.nouns);
  }

  /** One sentence, sometimes with inline formatting. */
  sentence(inline: boolean): string {
    const r = this.rng;
    const n = escapeHtml(this.noun());
    const place = escapeHtml(r.pick(PLACES));
    const strong = (s: string) => (inline && r.chance(0.4) ? `<strong>${s}</strong>` : s);
    const em = (s: string) => (inline && r.chance(0.3) ? `<em>${s}</em>` : s);
    const templates = [
      () => `${cap(r.pick(VERBS))} the ${n} from ${strong(place)} to get started.`,
      () => `You can change each ${n} ${em(r.pick(ADVERBS))}.`,
      () => `${r.pick(ROLES)} can manage every ${n} in ${strong(place)}.`,
      () => `When you ${r.pick(VERBS)} the ${n}, ${PRODUCT} keeps a copy of the previous version for 30 days.`,
      () => `Click ${strong(escapeHtml(r.pick(BUTTONS)))} and the ${n} updates ${em('immediately')}.`,
      () => `Every ${n} has a unique ID such as ${inline ? `<code>${r.hex(8)}</code>` : r.hex(8)}, shown under ${place}.`,
      () => `If you don't see the ${n}, check that your plan includes it and refresh the page.`,
      () => `${PRODUCT} syncs the ${n} every ${r.int(2, 30)} minutes, so changes may take a moment to appear.`,
    ];
    let s = r.pick(templates)();
    if (inline && this.topic.links.length > 0 && r.chance(0.15)) {
      const link = r.pick(this.topic.links);
      s += ` See <a href="${escapeHtml(link.url)}">${escapeHtml(link.name)}</a> for details.`;
    }
    return s;
  }

  paragraph(): string {
    const count = this.rng.int(1, 4);
    return `<p>${Array.from({ length: count }, () => this.sentence(true)).join(' ')}</p>`;
  }

  listItems(n: number): string[] {
    return Array.from({ length: n }, () => this.sentence(this.rng.chance(0.5)).replace(/\.$/, ''));
  }

  unorderedList(): string {
    const items = this.listItems(this.rng.int(2, 5));
    return `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>`;
  }

  /** A numbered procedure; one step often carries a nested bullet list. */
  orderedList(): string {
    const items = this.listItems(this.rng.int(3, 6));
    const nestAt = this.rng.chance(0.6) ? this.rng.int(0, items.length - 1) : -1;
    return `<ol>${items
      .map((item, i) => {
        if (i !== nestAt) return `<li>${item}</li>`;
        const inner = this.listItems(this.rng.int(2, 3)).map((s) => `<li>${s}</li>`).join('');
        return `<li>${item}<ul>${inner}</ul></li>`;
      })
      .join('')}</ol>`;
  }

  table(): string {
    const r = this.rng;
    const rows = Array.from({ length: r.int(2, 5) }, () => {
      const n = escapeHtml(cap(this.noun()));
      return `<tr><td>${n}</td><td>${r.pick(['Yes', 'No', 'Optional'])}</td><td>${r.int(1, 500)}</td></tr>`;
    });
    return `<table><thead><tr><th>Setting</th><th>Required</th><th>Limit</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  }

  codeBlock(): string {
    const sample = this.rng.pick(CODE_SAMPLES);
    return `<pre><code class="language-${sample.lang}">${escapeHtml(sample.code)}</code></pre>`;
  }

  blockquote(): string {
    return `<blockquote><p>${this.sentence(true)}</p></blockquote>`;
  }

  callout(): string {
    const r = this.rng;
    const kind = r.pick([
      { cls: 'callout-yellow', label: 'Note' },
      { cls: 'callout-blue', label: 'Tip' },
      { cls: 'callout-red', label: 'Warning' },
      { cls: 'callout-green', label: 'Good to know' },
    ]);
    return `<div class="${kind.cls}"><p><strong>${kind.label}:</strong> ${this.sentence(true)}</p></div>`;
  }

  image(): string {
    const n = this.noun();
    const file = `${n.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}-${this.rng.hex(6)}.png`;
    const src = `https://${this.topic.host}/assets/images/${file}`;
    return `<p><img src="${escapeHtml(src)}" alt="${escapeHtml(`Screenshot of the ${n} screen`)}" width="${this.rng.pick([480, 640, 800])}"></p>`;
  }

  video(): string {
    const id = this.rng.hex(11);
    return `<p><iframe src="https://www.youtube.com/embed/${id}" width="560" height="315" frameborder="0" allowfullscreen="true"></iframe></p>`;
  }

  /** HTML an author pasted in by hand: custom data attributes and inline styles. */
  rawHtml(): string {
    const r = this.rng;
    return r.pick([
      () => `<div class="hs-widget" data-widget="contact-form" data-mailbox="${r.int(100, 999)}" style="margin: 12px 0;"><p>Still stuck? Send us a message and we will reply within a day.</p></div>`,
      () => `<p>Press <kbd>Ctrl</kbd> + <kbd>K</kbd> to open the <span class="hint" data-tooltip="Quick search across ${PRODUCT}">command bar</span>.</p>`,
      () => `<details data-collapsed="true"><summary>Show the full ${escapeHtml(this.noun())} reference</summary><p>${this.sentence(false)}</p></details>`,
    ])();
  }

  heading(level: 2 | 3 | 4, text: string): string {
    return `<h${level}>${escapeHtml(text)}</h${level}>`;
  }

  block(): string {
    const r = this.rng.next();
    if (r < 0.28) return this.paragraph();
    if (r < 0.4) return this.unorderedList();
    if (r < 0.52) return this.orderedList();
    if (r < 0.6) return this.table();
    if (r < 0.68) return this.codeBlock();
    if (r < 0.75) return this.blockquote();
    if (r < 0.87) return this.callout();
    return this.image();
  }
}

/** A whole article body: an intro, then 2-5 sections of mixed blocks. */
export function articleBody(rng: Rng, topic: BodyTopic): string {
  const w = new Writer(rng, topic);
  const parts: string[] = [];
  if (rng.chance(0.15)) parts.push(`<h1>${escapeHtml(topic.title)}</h1>`);
  parts.push(w.paragraph());
  if (topic.withVideo) parts.push(w.video());
  const titles = rng.sample(SECTION_TITLES, rng.int(2, 5));
  for (const title of titles) {
    parts.push(w.heading(2, title));
    for (let i = rng.int(1, 3); i > 0; i--) parts.push(w.block());
    if (rng.chance(0.35)) {
      parts.push(w.heading(3, `${cap(w.noun())} ${rng.pick(['options', 'details', 'examples', 'limits'])}`));
      parts.push(w.block());
      if (rng.chance(0.3)) {
        parts.push(w.heading(4, rng.pick(['Example', 'Edge cases', 'Keyboard shortcuts', 'API'])));
        parts.push(w.paragraph());
      }
    }
  }
  if (topic.withRawHtml) parts.push(w.rawHtml());
  // Inline code and an article link appear in most bodies, as they do in real help centres.
  if (rng.chance(0.7)) parts.push(`<p>Use <code>${escapeHtml(w.noun().replace(/\s+/g, '_'))}</code> when you refer to it from the API.</p>`);
  if (topic.links.length > 0 && rng.chance(0.6)) {
    const related = rng.sample(topic.links, rng.int(1, Math.min(3, topic.links.length)));
    parts.push(w.heading(2, 'Related articles'));
    parts.push(`<ul>${related.map((l) => `<li><a href="${escapeHtml(l.url)}">${escapeHtml(l.name)}</a></li>`).join('')}</ul>`);
  }
  return parts.join('\n');
}

/** The same body with one paragraph added or replaced: used for drafts and older revisions. */
export function editedBody(rng: Rng, topic: BodyTopic, text: string): string {
  const w = new Writer(rng, topic);
  const insert = w.paragraph();
  const start = text.indexOf('<p>');
  const end = text.indexOf('</p>', start);
  if (start < 0 || end < 0) return `${text}\n${insert}`;
  return rng.chance(0.5)
    ? `${text.slice(0, end + 4)}\n${insert}${text.slice(end + 4)}`
    : `${text.slice(0, start)}${insert}${text.slice(end + 4)}`;
}
