// New articles before they exist on the server. "New Article" writes a
// document with front matter but no id; saving it creates the article. These
// helpers build that template and read it back (the front matter of an
// existing article requires an id, so it has its own schema here).
import YAML from 'yaml';
import { z } from 'zod';
import { ArticleDocumentError, FrontMatterSchema } from './document';
import { markdownToHtml } from './markdown';

const nonEmpty = z.string().refine((s) => s.trim() !== '', 'must not be empty');

/** Front matter of a document that creates an article. Read-only fields may be present but empty. */
export const NewArticleSchema = FrontMatterSchema.extend({
  id: z.union([z.string().max(0), z.null()]).optional(),
  number: z.null().optional(),
  name: nonEmpty,
  updatedAt: z.null().optional(),
});
export type NewArticleFrontMatter = z.infer<typeof NewArticleSchema>;

/** The document "New Article" opens: the collection and (when created in one) the category are filled in. */
export function newArticleTemplate(input: { name: string; collectionName: string; categoryName: string | null }): string {
  const fields = {
    name: input.name,
    status: 'notpublished',
    collection: input.collectionName,
    categories: input.categoryName === null ? [] : [input.categoryName],
    keywords: [],
  };
  const doc = new YAML.Document(fields);
  doc.commentBefore = ' A new Help Scout Docs article: save this file to create it.';
  return `---\n${doc.toString({ lineWidth: 0 })}---\n\nWrite the article here.\n`;
}

/** Reads a new-article document: front matter and the body as HTML. Throws ArticleDocumentError. */
export function parseNewArticle(text: string): { frontMatter: NewArticleFrontMatter; html: string } {
  const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  const end = lines.findIndex((l, i) => i > 0 && l.trimEnd() === '---');
  if ((lines[0] ?? '').trimEnd() !== '---' || end < 0) {
    throw new ArticleDocumentError([{ field: 'front matter', message: 'the file must start with front matter between "---" lines' }]);
  }
  let data: unknown;
  try {
    data = YAML.parse(lines.slice(1, end).join('\n')) ?? {};
  } catch (e) {
    throw new ArticleDocumentError([{ field: 'front matter', message: e instanceof Error ? e.message.split('\n')[0] ?? '' : String(e) }]);
  }
  const parsed = NewArticleSchema.safeParse(data);
  if (!parsed.success) {
    throw new ArticleDocumentError(parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.') || 'front matter', message: i.message })));
  }
  const body = lines.slice(end + 1).join('\n').replace(/^\n+/, '');
  return { frontMatter: parsed.data, html: markdownToHtml(body).replace(/\n$/, '') };
}

/** The one slug function lives with the paths; kept here for callers that import it from this module. */
export { slugFromName } from './paths';
