// Fills a DocsStore with believable, deterministic data: the same seed and
// sizes always give the same sites, collections, categories, articles,
// revisions and redirects. Called once by createDocsStore.
import { Rng } from '../random';
import { articleBody, editedBody, type BodyTopic } from './html';
import type {
  ArticleRecord, CategoryRecord, CategorySort, CollectionRecord, DocsSizes, Person, Redirect, Site, Visibility,
} from './model';
import { iso, slugify, type DocsStore } from './store';

interface Theme {
  name: string;
  description: string;
  visibility: Visibility;
  categories: readonly string[];
  nouns: readonly string[];
}

const THEMES: readonly Theme[] = [
  {
    name: 'Getting Started', description: 'Set up your workspace in minutes', visibility: 'public',
    categories: ['Quick start', 'Your account', 'Inviting your team', 'Mobile apps'],
    nouns: ['workspace', 'profile', 'team invitation', 'mobile app', 'notification', 'dashboard widget'],
  },
  {
    name: 'Billing & Plans', description: 'Invoices, payments and plan changes', visibility: 'public',
    categories: ['Plans and pricing', 'Invoices', 'Payment methods'],
    nouns: ['invoice', 'payment method', 'subscription', 'receipt', 'billing contact', 'coupon'],
  },
  {
    name: 'Integrations', description: 'Connect Lumen to the tools you use', visibility: 'public',
    categories: ['Slack', 'Salesforce', 'Zapier', 'Webhooks', 'Single sign-on'],
    nouns: ['webhook', 'Slack channel', 'Salesforce field', 'Zapier trigger', 'SSO provider', 'API key'],
  },
  {
    name: 'Troubleshooting', description: 'Fixes for common problems', visibility: 'public',
    categories: ['Login problems', 'Sync errors'],
    nouns: ['login session', 'sync job', 'browser cache', 'error message', 'import file', 'password reset link'],
  },
  {
    name: 'Developer API', description: 'Build on the Lumen REST API', visibility: 'public',
    categories: ['Authentication', 'Endpoints', 'SDKs', 'Rate limits'],
    nouns: ['access token', 'endpoint', 'SDK', 'rate limit', 'pagination cursor', 'request header'],
  },
  {
    name: 'Internal Playbooks', description: 'For the support team only', visibility: 'private',
    categories: ['Escalations', 'Refunds', 'Tone and style'],
    nouns: ['escalation', 'refund request', 'saved reply', 'priority ticket', 'handover note'],
  },
  {
    name: 'Security & Privacy', description: 'How we protect your data', visibility: 'public',
    categories: ['Two-factor authentication', 'Data retention', 'Compliance'],
    nouns: ['security key', 'audit log', 'data export', 'retention policy', 'trusted device'],
  },
  {
    name: 'Reporting', description: 'Dashboards and exports for managers', visibility: 'private',
    categories: ['Dashboards', 'Scheduled exports'],
    nouns: ['report', 'dashboard filter', 'scheduled export', 'chart', 'date range'],
  },
];

const TITLE_TEMPLATES: readonly ((n: string) => string)[] = [
  (n) => `How to set up ${a(n)}`,
  (n) => `Change or remove ${a(n)}`,
  (n) => `${cap(n)} overview`,
  (n) => `Troubleshooting ${n} problems`,
  (n) => `Why can't I see my ${n}?`,
  (n) => `Best practices for your ${n}`,
  (n) => `Limits for each ${n}`,
  (n) => `Share ${a(n)} with your team`,
  (n) => `What happens when ${a(n)} expires`,
  (n) => `Export ${a(n)} to CSV`,
  (n) => `Permissions for ${n} settings`,
  (n) => `Automate your ${n} with rules`,
];

const FIRST = ['Ava', 'Noah', 'Maya', 'Liam', 'Zoe', 'Omar', 'Ines', 'Theo'];
const LAST = ['Appleseed', 'Okafor', 'Lindqvist', 'Moreau', 'Tanaka', 'Silva', 'Novak', 'Reyes'];

/** The noun with "a" or "an" in front. */
function a(noun: string): string {
  return `${/^[aeio]/i.test(noun) || /^SDK|^SSO/.test(noun) ? 'an' : 'a'} ${noun}`;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The people who author Docs content. Made before the store so it can name its API user. */
export function seedUsers(seed: number): Person[] {
  const rng = new Rng(seed ^ 0x0d0c5);
  const first = rng.sample(FIRST, 5);
  const last = rng.sample(LAST, 5);
  return first.map((f, i) => ({ id: 70000 + rng.int(1000, 9999) + i * 10000, firstName: f, lastName: last[i] as string }));
}

const SEED_START = Date.UTC(2021, 0, 4, 9, 0, 0);
const DAY = 86_400_000;

export function seedDocs(store: DocsStore, seed: number, sizes: DocsSizes): void {
  const rng = new Rng(seed);
  const userIds = store.users.map((u) => u.id);
  const at = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);

  // Sites: the public help centre, a developer site, then numbered extras.
  const sites: Site[] = [];
  for (let i = 0; i < sizes.sites; i++) {
    const created = at(SEED_START - (500 - i * 60) * DAY + rng.int(0, DAY));
    const sub = i === 0 ? 'lumen' : i === 1 ? 'lumen-developers' : `lumen-${i + 1}`;
    const title = i === 0 ? 'Lumen Help Center' : i === 1 ? 'Lumen Developers' : `Lumen Docs ${i + 1}`;
    const author = rng.pick(userIds);
    const site: Site = {
      id: store.newId(created),
      status: 'active',
      subDomain: sub,
      cname: i === 0 ? 'help.lumenapp.io' : null,
      hasPublicSite: true,
      companyName: 'Lumen',
      title,
      logoUrl: `https://${sub}.helpscoutdocs.com/assets/logo.png`,
      logoWidth: 174,
      logoHeight: 40,
      favIconUrl: `https://${sub}.helpscoutdocs.com/assets/favicon.png`,
      touchIconUrl: null,
      homeUrl: 'https://lumenapp.io',
      homeLinkText: 'Back to Lumen',
      homePageContent: 'Articles',
      bgColor: '#f4f5f7',
      pageBgColor: '#ffffff',
      headerBgColor: '#1f2d3d',
      navTextColor: '#ffffff',
      navActiveColor: '#4f9cf9',
      linkColor: '#1f6fd0',
      articleTextColor: '#2b2b2b',
      description: i === 1 ? 'Guides and reference for the Lumen API' : 'Answers to common questions about Lumen',
      metaDescription: `${title}: guides and answers`,
      includeMetadata: i === 0,
      hasContactForm: i === 0,
      mailboxId: i === 0 ? 4521 : null,
      contactEmail: i === 0 ? 'support@lumenapp.io' : null,
      styleSheetUrl: i === 0 ? 'https://lumenapp.io/docs.css' : null,
      headerCode: null,
      createdBy: author,
      updatedBy: author,
      createdAt: iso(created),
      updatedAt: iso(at(created.getTime() + rng.int(1, 90) * DAY)),
    };
    store.sites.set(site.id, site);
    sites.push(site);
  }
  if (sites.length === 0) return;

  // Collections, each with 2-5 categories and its Uncategorized one.
  const collections: { rec: CollectionRecord; theme: Theme }[] = [];
  for (let i = 0; i < sizes.collections; i++) {
    const theme = THEMES[i % THEMES.length] as Theme;
    const round = Math.floor(i / THEMES.length);
    const name = round === 0 ? theme.name : `${theme.name} ${round + 1}`;
    // The main help centre holds about two thirds of the collections.
    const mainShare = Math.ceil((sizes.collections * 2) / 3);
    const site = (sites.length === 1 || i < mainShare ? sites[0] : sites[1 + ((i - mainShare) % (sites.length - 1))]) as Site;
    const created = at(SEED_START - rng.int(30, 180) * DAY + rng.int(0, DAY));
    const rec: CollectionRecord = {
      id: store.newId(created),
      siteId: site.id,
      number: store.nextNumber('collection'),
      slug: slugify(name),
      visibility: theme.visibility,
      order: collections.filter((c) => c.rec.siteId === site.id).length + 1,
      name,
      description: theme.description,
      createdBy: rng.pick(userIds),
      updatedBy: rng.chance(0.7) ? rng.pick(userIds) : null,
      createdAt: iso(created),
      updatedAt: null,
    };
    rec.updatedAt = rec.updatedBy === null ? null : iso(at(created.getTime() + rng.int(1, 30) * DAY));
    store.collections.set(rec.id, rec);
    collections.push({ rec, theme });
    theme.categories.forEach((catName, order) => {
      const catCreated = at(created.getTime() + rng.int(0, 5) * DAY + rng.int(0, DAY));
      const updatedBy = rng.chance(0.5) ? rng.pick(userIds) : null;
      const cat: CategoryRecord = {
        id: store.newId(catCreated),
        number: store.nextNumber('category'),
        slug: slugify(catName),
        visibility: theme.visibility === 'private' || rng.chance(0.1) ? 'private' : 'public',
        collectionId: rec.id,
        order: order + 1,
        defaultSort: rng.pick<CategorySort>(['popularity', 'name', 'updatedAt', 'custom']),
        name: catName,
        description: rng.chance(0.4) ? `Everything about ${catName.toLowerCase()}` : null,
        uncategorized: false,
        createdBy: rng.pick(userIds),
        updatedBy,
        createdAt: iso(catCreated),
        updatedAt: updatedBy === null ? null : iso(at(catCreated.getTime() + rng.int(1, 60) * DAY)),
      };
      store.categories.set(cat.id, cat);
    });
    store.uncategorized(rec.id, created);
  }
  if (collections.length === 0) return;

  // Article metadata first, so bodies can link to any article's public URL.
  const topics = new Map<string, Theme>();
  const articles: ArticleRecord[] = [];
  const namesIn = new Map<string, Set<string>>();
  for (let i = 0; i < sizes.articles; i++) {
    const { rec: col, theme } = i < collections.length ? collections[i] as (typeof collections)[number] : rng.pick(collections);
    const names = namesIn.get(col.id) ?? new Set<string>();
    namesIn.set(col.id, names);
    let name = '';
    for (let tries = 0; tries < 12 && (name === '' || names.has(name)); tries++) {
      name = rng.pick(TITLE_TEMPLATES)(rng.pick(theme.nouns));
    }
    if (names.has(name)) name = `${name} (part ${names.size + 1})`;
    names.add(name);

    const cats = store.categoriesOf(col.id).filter((c) => !c.uncategorized);
    const roll = rng.next();
    const categories = roll < 0.08 || cats.length === 0
      ? [store.uncategorized(col.id, new Date(SEED_START)).id]
      : rng.sample(cats, roll < 0.3 ? Math.min(2, cats.length) : 1).map((c) => c.id);

    const created = at(SEED_START + rng.int(0, 3 * 365) * DAY + rng.int(0, DAY));
    const edited = rng.chance(0.85);
    const updatedAt = edited ? at(created.getTime() + rng.int(1, 240) * DAY + rng.int(0, DAY)) : null;
    const status = rng.chance(0.82) ? 'published' : 'notpublished';
    if (rng.chance(0.2)) store.nextNumber('article'); // numbers have gaps where articles were deleted
    const art: ArticleRecord = {
      id: store.newId(created),
      number: store.nextNumber('article'),
      collectionId: col.id,
      slug: slugify(name),
      status,
      name,
      text: '',
      draft: null,
      code: rng.chance(0.03) ? '<script>window.lumenDocs = { tracking: true };</script>' : null,
      categories,
      related: [],
      keywords: rng.sample(theme.nouns, rng.int(0, 3)).map((k) => k.toLowerCase()),
      popularity: Math.round(rng.next() * 100) / 10,
      viewCount: status === 'published' ? rng.int(0, 5000) : rng.int(0, 20),
      order: names.size,
      createdBy: rng.pick(userIds),
      updatedBy: edited ? rng.pick(userIds) : null,
      createdAt: iso(created),
      updatedAt: updatedAt && iso(updatedAt),
      lastPublishedAt: status === 'published' ? iso(updatedAt ?? created) : null,
    };
    store.articles.set(art.id, art);
    articles.push(art);
    topics.set(art.id, theme);
  }

  // Related articles come from the same site.
  const bySite = new Map<string, ArticleRecord[]>();
  for (const a of articles) {
    const siteId = store.collections.get(a.collectionId)?.siteId ?? '';
    bySite.set(siteId, [...(bySite.get(siteId) ?? []), a]);
  }
  for (const a of articles) {
    if (!rng.chance(0.4)) continue;
    const pool = (bySite.get(store.collections.get(a.collectionId)?.siteId ?? '') ?? []).filter((b) => b !== a);
    a.related = rng.sample(pool, rng.int(1, 3)).map((b) => b.id);
  }

  // Bodies, drafts and revisions.
  for (const a of articles) {
    const site = store.siteOfCollection(a.collectionId) as Site;
    const pool = bySite.get(site.id) ?? [];
    const topic: BodyTopic = {
      title: a.name,
      nouns: (topics.get(a.id) as Theme).nouns,
      links: rng.sample(pool.filter((b) => b !== a && b.status === 'published'), 6)
        .map((b) => ({ name: b.name, url: store.articleUrl(b) })),
      host: store.siteHost(site),
      withVideo: rng.chance(0.05),
      withRawHtml: rng.chance(0.1),
    };
    a.text = articleBody(rng, topic);
    if (rng.chance(0.12)) a.draft = editedBody(rng, topic, a.text);
    if (a.updatedAt !== null && rng.chance(0.4)) {
      // Older versions, oldest first; each records the text as it was then.
      const count = rng.int(1, 3);
      const from = Date.parse(a.createdAt);
      const to = Date.parse(a.updatedAt);
      let text = a.text;
      const versions: string[] = [];
      for (let k = 0; k < count; k++) {
        text = editedBody(rng, topic, text);
        versions.unshift(text);
      }
      versions.forEach((old, k) => {
        const when = at(from + ((to - from) * k) / count);
        const id = store.newId(when);
        store.revisions.set(id, {
          id, articleId: a.id, text: old, createdBy: k === 0 ? a.createdBy : rng.pick(userIds), createdAt: iso(when),
        });
      });
    }
  }

  seedRedirects(store, rng, sizes.redirects, articles, userIds);
}

/**
 * Redirects from old URLs: to articles, a category, a collection, an outside
 * page, and one chain (old path -> another old path -> an article).
 */
function seedRedirects(store: DocsStore, rng: Rng, count: number, articles: ArticleRecord[], userIds: number[]): void {
  const published = articles.filter((a) => a.status === 'published');
  if (count <= 0 || published.length === 0) return;
  const add = (fields: Pick<Redirect, 'siteId' | 'urlMapping' | 'type' | 'documentId' | 'anchor' | 'redirect'>) => {
    const taken = [...store.redirects.values()].some((r) => r.siteId === fields.siteId && r.urlMapping === fields.urlMapping);
    if (taken) return;
    const created = new Date(SEED_START + rng.int(100, 900) * DAY);
    const by = rng.pick(userIds);
    const r: Redirect = {
      id: store.newId(created), ...fields, createdBy: by, modifiedBy: by, createdAt: iso(created), modifiedAt: iso(created),
    };
    store.redirects.set(r.id, r);
  };
  const siteOf = (a: ArticleRecord) => store.siteOfCollection(a.collectionId) as Site;

  // The chain: /help/old-<slug> -> https://<host>/legacy/<slug> -> the article (with an anchor).
  const target = rng.pick(published);
  const site = siteOf(target);
  add({
    siteId: site.id, urlMapping: `/help/old-${target.slug}`, type: 'custom', documentId: null, anchor: null,
    redirect: `https://${store.siteHost(site)}/legacy/${target.slug}`,
  });
  if (count >= 2) {
    add({
      siteId: site.id, urlMapping: `/legacy/${target.slug}`, type: 'article', documentId: target.id, anchor: 'before-you-begin',
      redirect: `${store.articleUrl(target)}#before-you-begin`,
    });
  }
  for (let i = 2; i < count; i++) {
    const kind = i % 4;
    if (kind === 2) {
      const cat = rng.pick([...store.categories.values()].filter((c) => !c.uncategorized));
      const catSite = store.siteOfCollection(cat.collectionId) as Site;
      add({
        siteId: catSite.id, urlMapping: `/section/${cat.slug}-${i}`, type: 'category', documentId: cat.id, anchor: null,
        redirect: store.categoryUrl(cat),
      });
    } else if (kind === 3) {
      const col = rng.pick([...store.collections.values()]);
      add({
        siteId: col.siteId, urlMapping: `/topics/${col.slug}`, type: 'collection', documentId: col.id, anchor: null,
        redirect: store.collectionUrl(col),
      });
    } else if (kind === 0) {
      const s = rng.pick([...store.sites.values()]);
      add({
        siteId: s.id, urlMapping: `/status-page-${i}`, type: 'custom', documentId: null, anchor: null,
        redirect: 'https://status.lumenapp.io/',
      });
    } else {
      const a = rng.pick(published);
      add({
        siteId: siteOf(a).id, urlMapping: `/article/${a.number + 1000}-${a.slug}`, type: 'article', documentId: a.id, anchor: null,
        redirect: store.articleUrl(a),
      });
    }
  }
}
