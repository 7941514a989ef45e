// Messages between the conversation webview (src/webview/conversation.ts) and
// the extension (src/extension/conversation/panel.ts). Both sides parse every
// message they receive with these schemas. The page posts `ready` first; the
// extension answers with `render`. Requests that change data carry a
// `requestId` that the `result` echoes. Thread bodies arrive already
// sanitized (`bodyHtml`); everything else is plain text for `textContent`.
import { z } from 'zod';

export const threadViewSchema = z.object({
  id: z.number(),
  /** customer, reply, note, message, phone, chat, lineitem, forwardparent, forwardchild... */
  type: z.string(),
  author: z.string(),
  createdAt: z.string(),
  /** Sanitized HTML: the only HTML the page inserts. */
  bodyHtml: z.string(),
  /** Line items (status changes, assignments...) carry a sentence instead of a body. */
  actionText: z.string(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  attachments: z.array(z.object({ name: z.string(), mimeType: z.string(), size: z.number().nullable() })),
});
export type ThreadView = z.infer<typeof threadViewSchema>;

export const conversationViewSchema = z.object({
  id: z.number(),
  number: z.number(),
  subject: z.string(),
  status: z.string(),
  statusLabel: z.string(),
  customer: z.string(),
  assignee: z.string(),
  tags: z.array(z.string()),
  createdAt: z.string(),
  waiting: z.string(),
  webUrl: z.string(),
});
export type ConversationView = z.infer<typeof conversationViewSchema>;

/** Extension → page. */
export const toPageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('render'),
    conversation: conversationViewSchema,
    threads: z.array(threadViewSchema),
    /** Remote images removed from the bodies; they load only after the user asks. */
    blockedImages: z.number(),
    remoteImagesAllowed: z.boolean(),
  }),
  z.object({ type: z.literal('loading') }),
  z.object({ type: z.literal('error'), message: z.string() }),
  z.object({ type: z.literal('result'), requestId: z.number(), ok: z.boolean(), message: z.string() }),
]);
export type ToPage = z.infer<typeof toPageSchema>;

export const panelActionSchema = z.enum([
  'openInHelpScout', 'copyLink', 'copyNumber', 'setStatus', 'assign', 'editTags', 'refresh', 'loadRemoteImages',
]);
export type PanelAction = z.infer<typeof panelActionSchema>;

/** Page → extension. */
export const fromPageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  /** A link in a body was clicked; the extension checks the scheme before opening it. */
  z.object({ type: z.literal('openLink'), href: z.string().max(8192) }),
  z.object({ type: z.literal('action'), action: panelActionSchema }),
  z.object({ type: z.literal('addNote'), requestId: z.number(), text: z.string().min(1).max(100_000) }),
  z.object({ type: z.literal('reply'), requestId: z.number(), text: z.string().min(1).max(100_000) }),
]);
export type FromPage = z.infer<typeof fromPageSchema>;
