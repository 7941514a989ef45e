// An article as the Markdown file a writer edits: YAML front matter with the
// article's fields, then the body. The file system provider calls
// `articleToDocument` when VS Code reads the file and `documentToArticle`
// (through `planArticleSave`) when it writes it back.
import YAML from 'yaml';
import { z } from 'zod';
import { htmlToMarkdown } from './htmlToMarkdown';
import { markdownToHtml } from './markdown';

/** The article fields the document shows (a subset of the Docs API Article object). */
export interface DocsArticleFields {
  id: string;
  number: number;
  name: string;
  slug: string;
  status: 'published' | 'notpublished';
  hasDraft: boolean;
  /** HTML body. */
  text: string;
  /** Category ids. */
  categories: readonly string[];
  /** Article ids. */
  related: readonly string[];
  keywords: readonly string[];
  updatedAt: string | null;
}

/**
 * The document fields from an article as the Docs client returns it, where
 * most fields may be missing or null. Called by the file system provider
 * right after `GET /articles/{id}`.
 */
export function articleFields(a: {
  readonly id: string;
  readonly number: number;
  readonly name: string;
  readonly text: string;
  readonly slug?: string | null | undefined;
  readonly status?: string | null | undefined;
  readonly hasDraft?: boolean | null | undefined;
  readonly categories?: readonly string[] | null | undefined;
  readonly related?: readonly string[] | null | undefined;
  readonly keywords?: readonly string[] | null | undefined;
  readonly updatedAt?: string | null | undefined;
}): DocsArticleFields {
  return {
    id: a.id,
    number: a.number,
    name: a.name,
    text: a.text,
    slug: a.slug ?? '',
    // Anything but "published" is treated as not published: the safer reading.
    status: a.status === 'published' ? 'published' : 'notpublished',
    hasDraft: a.hasDraft ?? false,
    categories: [...(a.categories ?? [])],
    related: [...(a.related ?? [])],
    keywords: [...(a.keywords ?? [])],
    updatedAt: a.updatedAt ?? null,
  };
}

export interface CategoryRef {
  id: string;
  name: string;
  /** `uncategorized` marks the collection's Uncategorized category. */
  slug?: string | undefined;
}

/** What the document needs to know about the article's collection. */
export interface ArticleContext {
  collectionName: string;
  /** Every category of the collection (names are shown instead of ids). */
  categories: readonly CategoryRef[];
}

/** Front matter fields the writer may not change; a change is reported, never sent. */
export const READ_ONLY_FIELDS = ['id', 'number', 'collection', 'hasDraft', 'updatedAt'] as const;
export type ReadOnlyField = (typeof READ_ONLY_FIELDS)[number];

// Values are kept exactly as written (no trimming), so an unedited save changes nothing.
const nonEmpty = z.string().refine((s) => s.trim() !== '', 'must not be empty');

/**
 * The front matter as read back. `id` and `updatedAt` are required (they tie
 * the file to its article and detect conflicting edits). An editable field
 * that is left out is left unchanged; an empty list is a real change.
 */
export const FrontMatterSchema = z.strictObject({
  id: nonEmpty,
  number: z.number().int().positive().optional(),
  name: nonEmpty.optional(),
  slug: z.string().regex(/^[^\s/?#]*$/, 'must be one word without spaces, "/", "?" or "#"').optional(),
  status: z.enum(['published', 'notpublished']).optional(),
  collection: z.string().optional(),
  categories: z.array(nonEmpty).optional(),
  keywords: z.array(nonEmpty).optional(),
  related: z.array(nonEmpty).optional(),
  hasDraft: z.boolean().optional(),
  updatedAt: z.string().nullable(),
});
export type FrontMatter = z.infer<typeof FrontMatterSchema>;

export interface DocumentIssue {
  /** Front matter field ("categories", "keywords.2"), or "front matter" / "body" for the whole. */
  field: string;
  message: string;
  /** For unknown category names: the names that exist. */
  validValues?: string[];
}

/** The document cannot be saved as it is. `issues` says which field is wrong and why. */
export class ArticleDocumentError extends Error {
  readonly issues: readonly DocumentIssue[];

  constructor(issues: readonly DocumentIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('\n'));
    this.name = 'ArticleDocumentError';
    this.issues = issues;
  }
}

const READ_ONLY_COMMENT = ' Read-only: id, number, collection, hasDraft, updatedAt';

/** Category names for ids, in the article's order; unknown ids are shown as they are. */
function categoryNames(ids: readonly string[], context: ArticleContext): string[] {
  return ids.map((id) => context.categories.find((c) => c.id === id)?.name ?? id);
}

/** The Markdown document for an article: front matter, a blank line, then the body. */
export function articleToDocument(article: DocsArticleFields, context: ArticleContext): string {
  const fields = {
    id: article.id,
    number: article.number,
    name: article.name,
    slug: article.slug,
    status: article.status,
    collection: context.collectionName,
    categories: categoryNames(article.categories, context),
    keywords: [...article.keywords],
    related: [...article.related],
    hasDraft: article.hasDraft,
    updatedAt: article.updatedAt,
  } satisfies Required<FrontMatter>;
  const doc = new YAML.Document(fields);
  doc.commentBefore = READ_ONLY_COMMENT;
  const yaml = doc.toString({ lineWidth: 0 });
  const body = htmlToMarkdown(article.text);
  return `---\n${yaml}---\n\n${body}`;
}

export interface ParsedArticleDocument {
  frontMatter: FrontMatter;
  /** The body as written. */
  markdown: string;
  /** The body rendered to HTML, as it would be sent. */
  html: string;
  /** The categories as ids, when a context was given and the document lists categories. */
  categoryIds?: string[];
}

const STRING_FIELDS = ['id', 'name', 'slug', 'status', 'collection', 'updatedAt'];
const STRING_LIST_FIELDS = ['categories', 'keywords', 'related'];

/**
 * Makes scalars in string fields strings again, as they were written: YAML
 * reads `name: 2024` as a number and `slug: 1.10` as 1.1, but a name or a
 * keyword is always text.
 */
function keepScalarsAsWritten(doc: YAML.Document.Parsed): void {
  const asWritten = (node: unknown) => {
    if (YAML.isScalar(node) && (typeof node.value === 'number' || typeof node.value === 'boolean')) {
      node.value = typeof node.source === 'string' ? node.source : String(node.value);
    }
  };
  for (const key of STRING_FIELDS) asWritten(doc.get(key, true));
  for (const key of STRING_LIST_FIELDS) {
    const list = doc.get(key, true);
    if (YAML.isSeq(list)) list.items.forEach(asWritten);
  }
}

function splitFrontMatter(text: string): { yaml: string; body: string; yamlLine: number } {
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = normalized.split('\n');
  if ((lines[0] ?? '').trimEnd() !== '---') {
    throw new ArticleDocumentError([{ field: 'front matter', message: 'the file must start with a "---" line' }]);
  }
  const end = lines.findIndex((line, i) => i > 0 && (line.trimEnd() === '---' || line.trimEnd() === '...'));
  if (end < 0) {
    throw new ArticleDocumentError([{ field: 'front matter', message: 'no closing "---" line after the front matter' }]);
  }
  return {
    yaml: lines.slice(1, end).join('\n'),
    body: lines.slice(end + 1).join('\n').replace(/^\n+/, ''),
    yamlLine: 2,
  };
}

function issuesFromZod(error: z.ZodError): DocumentIssue[] {
  const issues: DocumentIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) issues.push({ field: key, message: 'is not a known field' });
      continue;
    }
    const field = issue.path.map(String).join('.') || 'front matter';
    const message = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
    issues.push({ field, message });
  }
  return issues;
}

/**
 * Reads a document back: validates the front matter and renders the body to
 * HTML. With a context, category names are also checked and mapped to ids.
 * Throws `ArticleDocumentError` naming each wrong field.
 */
export function documentToArticle(text: string, context?: ArticleContext): ParsedArticleDocument {
  const { yaml, body, yamlLine } = splitFrontMatter(text);
  const doc = YAML.parseDocument(yaml, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ArticleDocumentError(doc.errors.map((e) => ({
      field: 'front matter',
      message: `${e.message.split('\n')[0] ?? e.code} (line ${(e.linePos?.[0].line ?? 1) + yamlLine - 1})`,
    })));
  }
  keepScalarsAsWritten(doc);
  const parsed = FrontMatterSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) throw new ArticleDocumentError(issuesFromZod(parsed.error));
  const result: ParsedArticleDocument = { frontMatter: parsed.data, markdown: body, html: markdownToHtml(body).replace(/\n$/, '') };
  if (context !== undefined && parsed.data.categories !== undefined) {
    result.categoryIds = categoryIdsForNames(parsed.data.categories, context);
  }
  return result;
}

/**
 * The document's category names as ids. Throws when a name is not a category
 * of the collection, listing the names that are.
 */
export function categoryIdsForNames(names: readonly string[], context: ArticleContext): string[] {
  const issues: DocumentIssue[] = [];
  const ids = names.map((name, i) => {
    // A name, or an id (shown for a category the context does not know).
    let matches = context.categories.filter((c) => c.name === name.trim());
    if (matches.length === 0) matches = context.categories.filter((c) => c.id === name.trim());
    const only = matches[0];
    if (matches.length === 1 && only !== undefined) return only.id;
    const message = matches.length === 0
      ? `"${name}" is not a category of ${context.collectionName}`
      : `"${name}" names ${matches.length} categories of ${context.collectionName}`;
    issues.push({ field: `categories.${i}`, message, validValues: context.categories.map((c) => c.name) });
    return '';
  });
  if (issues.length > 0) {
    const valid = context.categories.map((c) => c.name).join(', ');
    throw new ArticleDocumentError(issues.map((i) => ({ ...i, message: `${i.message} (valid: ${valid})` })));
  }
  return ids;
}
