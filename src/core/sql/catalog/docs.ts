// Docs API v1 tables (helpscout-api.md §4). Ids are 24-hex strings; lists are
// `{"<plural>":{page,pages,count,items}}`, and the sites/redirects lists may
// come unwrapped, so those envelopes list both forms.
import { col, computed, jsonCol } from './columns';
import type { KeyColumn, ListEndpoint, TableDef } from './types';

const PAGE = 50;

function key(
  column: string,
  ops: KeyColumn['ops'],
  target: KeyColumn['target'],
  multi: KeyColumn['multi'],
  exact: boolean,
  more: Partial<Pick<KeyColumn, 'values' | 'note' | 'valueType'>> = {},
): KeyColumn {
  return { column, ops, target, valueType: 'string', multi, exact, ...more };
}

const getById = (): KeyColumn => key('Id', ['=', 'IN'], { in: 'get' }, 'each', true);

function list(path: string, plural: string, parent?: ListEndpoint['parent'], unwrapped = false): ListEndpoint {
  return {
    path,
    envelope: unwrapped ? [`${plural}.items`, 'items'] : [`${plural}.items`],
    pageSize: PAGE,
    paged: true,
    ...(parent ? { parent } : {}),
  };
}

const audit: TableDef['columns'] = [
  col('CreatedBy', 'INTEGER', 'createdBy', 'User id of the creator.'),
  col('UpdatedBy', 'INTEGER', 'updatedBy', 'User id of the last editor.'),
  col('CreatedAt', 'DATETIME', 'createdAt', 'Creation time.'),
  col('UpdatedAt', 'DATETIME', 'updatedAt', 'Last update.'),
];

const sites: TableDef = {
  name: 'Sites',
  description: 'Docs sites.',
  api: 'docs',
  primaryKey: ['Id'],
  list: [list('/sites', 'sites', undefined, true)],
  get: { path: '/sites/{id}', envelope: 'site', column: 'Id' },
  typicalPages: 1,
  columns: [
    col('Id', 'TEXT', 'id', 'Site id.'),
    col('Status', 'TEXT', 'status', 'active or inactive.'),
    col('SubDomain', 'TEXT', 'subDomain', 'Sub-domain on helpscoutdocs.com.'),
    col('Cname', 'TEXT', 'cname', 'Custom domain.'),
    col('HasPublicSite', 'BOOLEAN', 'hasPublicSite', 'Site is public.'),
    col('CompanyName', 'TEXT', 'companyName', 'Company name.'),
    col('Title', 'TEXT', 'title', 'Title.'),
    col('LogoUrl', 'TEXT', 'logoUrl', 'Logo URL.'),
    col('FavIconUrl', 'TEXT', 'favIconUrl', 'Favicon URL.'),
    col('HomeUrl', 'TEXT', 'homeUrl', 'Home URL.'),
    col('HomeLinkText', 'TEXT', 'homeLinkText', 'Home link text.'),
    col('BgColor', 'TEXT', 'bgColor', 'Background colour.'),
    col('Description', 'TEXT', 'description', 'Description.'),
    col('HasContactForm', 'BOOLEAN', 'hasContactForm', 'Contact form enabled.'),
    col('MailboxId', 'INTEGER', 'mailboxId', 'Mailbox that receives contact-form messages.'),
    col('ContactEmail', 'TEXT', 'contactEmail', 'Contact email.'),
    ...audit,
  ],
  keys: [getById()],
  write: { insert: 'POST /sites', update: 'PUT /sites/{id}', delete: 'DELETE /sites/{id}' },
};

const collections: TableDef = {
  name: 'Collections',
  description: 'Docs collections.',
  api: 'docs',
  primaryKey: ['Id'],
  list: [list('/collections', 'collections')],
  get: { path: '/collections/{id}', envelope: 'collection', column: 'Id' },
  typicalPages: 1,
  columns: [
    col('Id', 'TEXT', 'id', 'Collection id.'),
    col('SiteId', 'TEXT', 'siteId', 'Site id.'),
    col('Number', 'INTEGER', 'number', 'Collection number.'),
    col('Slug', 'TEXT', 'slug', 'Slug.'),
    col('Visibility', 'TEXT', 'visibility', 'public or private.'),
    col('Order', 'INTEGER', 'order', 'Display order.'),
    col('Name', 'TEXT', 'name', 'Name.'),
    col('Description', 'TEXT', 'description', 'Description.'),
    col('PublicUrl', 'TEXT', 'publicUrl', 'Public URL.'),
    col('ArticleCount', 'INTEGER', 'articleCount', 'Articles.'),
    col('PublishedArticleCount', 'INTEGER', 'publishedArticleCount', 'Published articles.'),
    ...audit,
  ],
  keys: [
    getById(),
    key('SiteId', ['=', 'IN'], { in: 'query', name: 'siteId' }, 'each', true),
    key('Visibility', ['=', 'IN'], { in: 'query', name: 'visibility' }, 'each', true, { values: ['public', 'private'] }),
  ],
  sort: { fieldParam: 'sort', orderParam: 'order', columns: { Number: 'number', Order: 'order', CreatedAt: 'createdAt' } },
  write: { insert: 'POST /collections', update: 'PUT /collections/{id}', delete: 'DELETE /collections/{id}' },
};

const categories: TableDef = {
  name: 'Categories',
  description: 'Categories of a collection.',
  api: 'docs',
  primaryKey: ['Id'],
  list: [
    list('/collections/{collectionId}/categories', 'categories', {
      column: 'CollectionId',
      param: 'collectionId',
      table: 'Collections',
      parentColumn: 'Id',
    }),
  ],
  get: { path: '/categories/{id}', envelope: 'category', column: 'Id' },
  typicalPages: 1,
  columns: [
    col('Id', 'TEXT', 'id', 'Category id.'),
    col('CollectionId', 'TEXT', 'collectionId', 'Collection id.'),
    col('Number', 'INTEGER', 'number', 'Category number.'),
    col('Slug', 'TEXT', 'slug', 'Slug.'),
    col('Visibility', 'TEXT', 'visibility', 'public or private.'),
    col('Order', 'INTEGER', 'order', 'Display order.'),
    col('DefaultSort', 'TEXT', 'defaultSort', 'Default article order.'),
    col('Name', 'TEXT', 'name', 'Name.'),
    col('Description', 'TEXT', 'description', 'Description.'),
    col('ArticleCount', 'INTEGER', 'articleCount', 'Articles.'),
    col('PublishedArticleCount', 'INTEGER', 'publishedArticleCount', 'Published articles.'),
    col('PublicUrl', 'TEXT', 'publicUrl', 'Public URL.'),
    ...audit,
  ],
  keys: [getById(), key('CollectionId', ['=', 'IN'], { in: 'path', name: 'collectionId' }, 'each', true)],
  sort: { fieldParam: 'sort', orderParam: 'order', columns: { Number: 'number', Order: 'order', ArticleCount: 'articleCount', CreatedAt: 'createdAt' } },
  write: { insert: 'POST /categories', update: 'PUT /categories/{id}', delete: 'DELETE /categories/{id}' },
};

const articleList = (path: string, parent: NonNullable<ListEndpoint['parent']>): ListEndpoint => ({
  ...list(path, 'articles', parent),
  pageSizeParam: { name: 'pageSize', max: 100 },
});

const articles: TableDef = {
  name: 'Articles',
  description: 'Docs articles. Text, Categories, Related and Keywords need one GET per article (only for the rows that pass the filters on the other columns): select them only when needed.',
  api: 'docs',
  primaryKey: ['Id', 'CategoryId'],
  list: [
    articleList('/collections/{collectionId}/articles', {
      column: 'CollectionId',
      param: 'collectionId',
      table: 'Collections',
      parentColumn: 'Id',
    }),
    articleList('/categories/{categoryId}/articles', {
      column: 'CategoryId',
      param: 'categoryId',
      table: 'Categories',
      parentColumn: 'Id',
    }),
  ],
  get: { path: '/articles/{id}', envelope: 'article', column: 'Id' },
  detail: { path: '/articles/{id}', envelope: 'article', idField: 'id', when: 'columns' },
  typicalPages: 1,
  columns: [
    col('Id', 'TEXT', 'id', 'Article id.'),
    col('Number', 'INTEGER', 'number', 'Article number.'),
    col('CollectionId', 'TEXT', 'collectionId', 'Collection id.'),
    computed(
      'CategoryId',
      'TEXT',
      'Filter column: the category the article was listed from when the query filters CategoryId = x or IN (...); NULL otherwise. See Categories (JSON) for all of them.',
      (_item, ctx) => ctx.params['categoryId'],
      { requestEcho: true },
    ),
    col('Status', 'TEXT', 'status', 'published or notpublished.'),
    col('HasDraft', 'BOOLEAN', 'hasDraft', 'An unpublished draft exists.'),
    col('Name', 'TEXT', 'name', 'Title.'),
    col('PublicUrl', 'TEXT', 'publicUrl', 'Public URL.'),
    col('Popularity', 'REAL', 'popularity', 'Popularity score.'),
    col('ViewCount', 'INTEGER', 'viewCount', 'Views.'),
    ...audit,
    col('LastPublishedAt', 'DATETIME', 'lastPublishedAt', 'Last publication.'),
    col('Slug', 'TEXT', 'slug', 'Slug (in the list items: no per-article GET).'),
    col('Text', 'TEXT', 'text', 'HTML body (per-article GET).', { detail: true }),
    jsonCol('Categories', 'categories', 'Category ids (JSON array, per-article GET).', { detail: true }),
    jsonCol('Related', 'related', 'Related article ids (JSON array, per-article GET).', { detail: true }),
    jsonCol('Keywords', 'keywords', 'Keywords (JSON array, per-article GET).', { detail: true }),
  ],
  keys: [
    getById(),
    key('CollectionId', ['=', 'IN'], { in: 'path', name: 'collectionId' }, 'each', true),
    key('CategoryId', ['=', 'IN'], { in: 'path', name: 'categoryId' }, 'each', true),
    key('Status', ['=', 'IN'], { in: 'query', name: 'status' }, 'each', true, { values: ['published', 'notpublished'] }),
  ],
  sort: { fieldParam: 'sort', orderParam: 'order', columns: { Number: 'number', Popularity: 'popularity', CreatedAt: 'createdAt' } },
  write: { insert: 'POST /articles', update: 'PUT /articles/{id} (Name, Text, Status, Slug, Categories, Keywords)', delete: 'DELETE /articles/{id}' },
};

const articleRevisions: TableDef = {
  name: 'ArticleRevisions',
  description: 'Saved revisions of an article (without text).',
  api: 'docs',
  primaryKey: ['Id'],
  list: [
    list('/articles/{articleId}/revisions', 'revisions', { column: 'ArticleId', param: 'articleId', table: 'Articles', parentColumn: 'Id' }),
  ],
  typicalPages: 1,
  columns: [
    col('Id', 'TEXT', 'id', 'Revision id.'),
    computed('ArticleId', 'TEXT', 'Article id.', (item, ctx) => item['articleId'] ?? ctx.params['articleId']),
    col('CreatedById', 'INTEGER', 'createdBy.id', 'Author user id.'),
    col('CreatedByFirstName', 'TEXT', 'createdBy.firstName', 'Author first name.'),
    col('CreatedByLastName', 'TEXT', 'createdBy.lastName', 'Author last name.'),
    col('CreatedAt', 'DATETIME', 'createdAt', 'Creation time.'),
  ],
  keys: [key('ArticleId', ['=', 'IN'], { in: 'path', name: 'articleId' }, 'each', true)],
};

const redirects: TableDef = {
  name: 'Redirects',
  description: 'URL redirects of a site.',
  api: 'docs',
  primaryKey: ['Id'],
  list: [list('/redirects/site/{siteId}', 'redirects', { column: 'SiteId', param: 'siteId', table: 'Sites', parentColumn: 'Id' }, true)],
  get: { path: '/redirects/{id}', envelope: 'redirect', column: 'Id' },
  typicalPages: 1,
  columns: [
    col('Id', 'TEXT', 'id', 'Redirect id.'),
    computed('SiteId', 'TEXT', 'Site id.', (item, ctx) => item['siteId'] ?? ctx.params['siteId']),
    col('UrlMapping', 'TEXT', 'urlMapping', 'Old path.'),
    col('Type', 'TEXT', 'type', 'article, category, collection or custom.'),
    col('DocumentId', 'TEXT', 'documentId', 'Target document id.'),
    col('Anchor', 'TEXT', 'anchor', 'Anchor.'),
    col('Redirect', 'TEXT', 'redirect', 'Target URL.'),
    col('CreatedBy', 'INTEGER', 'createdBy', 'Creator user id.'),
    col('ModifiedBy', 'INTEGER', 'modifiedBy', 'Last editor user id.'),
    col('CreatedAt', 'DATETIME', 'createdAt', 'Creation time.'),
    col('ModifiedAt', 'DATETIME', 'modifiedAt', 'Last change.'),
  ],
  keys: [getById(), key('SiteId', ['=', 'IN'], { in: 'path', name: 'siteId' }, 'each', true)],
  write: { insert: 'POST /redirects', update: 'PUT /redirects/{id}', delete: 'DELETE /redirects/{id}' },
};

export const docsTables: readonly TableDef[] = [sites, collections, categories, articles, articleRevisions, redirects];
