import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { z } from 'zod';
import {
  articleRefSchema,
  articleSchema,
  articleSearchSchema,
  assetUploadSchema,
  categorySchema,
  collectionSchema,
  docsItemSchema,
  docsListSchema,
  personSchema,
  redirectedUrlSchema,
  redirectSchema,
  revisionRefSchema,
  revisionSchema,
  siteSchema,
} from '../../../../src/core/docs/schemas';
import { driftIssues } from '../../../../src/core/http/client';

// The shared fixtures sit beside the repository (../shared from the project root).
const ROOT = path.resolve(__dirname, '../../../../../shared/reference/fixtures/helpscout-docs-api-php');

/** Every fixture file, relative to ROOT, and the schema its JSON must parse through. */
const TABLE: Record<string, z.ZodType> = {
  'tests/fixtures/assets/assets.json': assetUploadSchema,
  'tests/fixtures/articles/articles.json': docsListSchema('articles', articleRefSchema),
  'tests/fixtures/articles/article.json': docsItemSchema('article', articleSchema),
  'tests/fixtures/articles/uploaded.json': docsItemSchema('article', articleSchema),
  'tests/fixtures/articles/revisions.json': docsListSchema('revisions', revisionRefSchema),
  'tests/fixtures/articles/revision.json': docsItemSchema('revision', revisionSchema),
  'tests/fixtures/categories/categories.json': docsListSchema('categories', categorySchema),
  'tests/fixtures/categories/category.json': docsItemSchema('category', categorySchema),
  'tests/fixtures/collections/collections.json': docsListSchema('collections', collectionSchema),
  'tests/fixtures/collections/collection.json': docsItemSchema('collection', collectionSchema),
  'tests/fixtures/redirects/redirects.json': docsListSchema('redirects', redirectSchema),
  'tests/fixtures/redirects/redirect.json': docsItemSchema('redirect', redirectSchema),
  'tests/fixtures/redirects/redirected_url.json': docsItemSchema('redirectedUrl', redirectedUrlSchema),
  'tests/fixtures/sites/sites.json': docsListSchema('sites', siteSchema),
  'tests/fixtures/sites/site.json': docsItemSchema('site', siteSchema),
  'tests/HelpScoutDocs/Models/fixtures/article.json': articleSchema,
  'tests/HelpScoutDocs/Models/fixtures/article_ref.json': articleRefSchema,
  'tests/HelpScoutDocs/Models/fixtures/article_revision.json': revisionSchema,
  'tests/HelpScoutDocs/Models/fixtures/article_revision_ref.json': revisionRefSchema,
  'tests/HelpScoutDocs/Models/fixtures/article_search.json': articleSearchSchema,
  'tests/HelpScoutDocs/Models/fixtures/category.json': categorySchema,
  'tests/HelpScoutDocs/Models/fixtures/collection.json': collectionSchema,
  'tests/HelpScoutDocs/Models/fixtures/person.json': personSchema,
  // This model fixture is wrapped, unlike its siblings.
  'tests/HelpScoutDocs/Models/fixtures/redirect.json': docsItemSchema('redirect', redirectSchema),
  'tests/HelpScoutDocs/Models/fixtures/site.json': siteSchema,
};

function jsonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...jsonFiles(full));
    else if (name.endsWith('.json')) out.push(path.relative(ROOT, full).split(path.sep).join('/'));
  }
  return out.sort();
}

function load(rel: string): unknown {
  return JSON.parse(readFileSync(path.join(ROOT, rel), 'utf8'));
}

describe('Docs schemas against the helpscout-docs-api-php fixtures', () => {
  const files = jsonFiles(ROOT);

  it('finds the fixtures, and every fixture file has a schema in the table', () => {
    assert.ok(files.length >= 25, `expected the fixture tree at ${ROOT}, found ${files.length} files`);
    const unmapped = files.filter((f) => !(f in TABLE));
    assert.deepEqual(unmapped, [], 'fixture files without a schema');
    const missing = Object.keys(TABLE).filter((f) => !files.includes(f));
    assert.deepEqual(missing, [], 'table entries without a file');
  });

  for (const rel of Object.keys(TABLE)) {
    it(`parses ${rel}`, () => {
      const schema = TABLE[rel];
      assert.ok(schema);
      const result = schema.safeParse(load(rel));
      assert.ok(
        result.success,
        result.success ? '' : driftIssues(result.error).map((i) => `${i.path}: ${i.message}`).join('; '),
      );
    });
  }

  it('turns numeric site ids into strings and keeps null updatedAt', () => {
    const sites = docsListSchema('sites', siteSchema).parse(load('tests/fixtures/sites/sites.json'));
    assert.equal(sites.sites.items?.[0]?.id, '1337');
    const article = docsItemSchema('article', articleSchema).parse(load('tests/fixtures/articles/article.json'));
    assert.equal(article.article.updatedAt, null);
    assert.equal(article.article.updatedBy, null);
    assert.deepEqual(article.article.categories, ['5214c77d45667acd25394b52']);
  });

  it('accepts an unwrapped sites list (the official example) as well as the wrapped one', () => {
    const wrapped = load('tests/fixtures/sites/sites.json') as { sites: unknown };
    const parsed = docsListSchema('sites', siteSchema).parse(wrapped.sites);
    assert.equal(parsed.sites.count, 1);
    assert.equal(parsed.sites.items?.[0]?.subDomain, 'test-api');
  });

  it('reads epoch-second category timestamps as ISO strings', () => {
    const raw = load('tests/HelpScoutDocs/Models/fixtures/category.json') as Record<string, unknown>;
    const parsed = categorySchema.parse({ ...raw, createdAt: 1377093693, updatedAt: 1377093693000 });
    assert.equal(parsed.createdAt, '2013-08-21T14:01:33Z');
    assert.equal(parsed.updatedAt, '2013-08-21T14:01:33Z');
  });

  it('names the field path when a fixture is broken', () => {
    const raw = load('tests/fixtures/articles/articles.json') as { articles: { items: Record<string, unknown>[] } };
    const item = raw.articles.items[0];
    assert.ok(item);
    item['createdAt'] = true;
    const result = docsListSchema('articles', articleRefSchema).safeParse(raw);
    assert.equal(result.success, false);
    if (!result.success) {
      const issues = driftIssues(result.error);
      assert.ok(issues.some((i) => i.path === 'articles[0].createdAt'), JSON.stringify(issues));
    }
  });
});
