// Docs articles as Markdown documents: conversion both ways, the document
// model with YAML front matter, fidelity checks, save planning and the path
// scheme of the `helpscout-docs` file system. No VS Code here.
export {
  articleFields, articleToDocument, documentToArticle, categoryIdsForNames, ArticleDocumentError, FrontMatterSchema,
  READ_ONLY_FIELDS,
  type ArticleContext, type CategoryRef, type DocsArticleFields, type DocumentIssue, type FrontMatter,
  type ParsedArticleDocument, type ReadOnlyField,
} from './document';
export { convertHtmlToMarkdown, htmlToMarkdown, roundTrip, type MarkdownConversion } from './htmlToMarkdown';
export { markdownToHtml } from './markdown';
export { normalizeHtml } from './normalize';
export { articleNumberFromUrl, parseArticleUrl, type ArticleUrl } from './links';
export {
  checkConflict, planArticleSave,
  type ArticleUpdateBody, type ConflictCheck, type ReadOnlyChange, type SavePlan,
} from './save';
export { buildArticlePath, parseArticlePath, safeSegment, slugFromName, categoryForPath, type ArticlePath } from './paths';
