// Pieces shared by conversations.ts and threads.ts (kept apart so neither
// module has to import the other).
import { z } from 'zod';
import { MailboxError, idParam, notFound } from './hal';
import type { MailboxCtx } from './context';
import { nowIso } from './context';
import { type AttachmentRec, type ConversationRec, type ConversationStatus, type MailboxStore, computePreview, homeFolderId, nextId } from './model';

export function getConversation(ctx: MailboxCtx): ConversationRec {
  const id = idParam(ctx.params['id']);
  const c = ctx.store.conversations.get(id);
  if (!c) throw notFound();
  return c;
}

/** Keeps `folderId`, `preview` and `closedAt` consistent after a change. */
export function afterChange(ctx: MailboxCtx, c: ConversationRec, prevStatus: ConversationStatus): void {
  if (c.status === 'closed' && prevStatus !== 'closed') {
    c.closedAt = nowIso(ctx);
    c.closedBy = ctx.userId;
  } else if (c.status !== 'closed' && prevStatus === 'closed') {
    c.closedAt = null;
    c.closedBy = 0;
  }
  c.preview = computePreview(c);
  c.folderId = homeFolderId(ctx.store, c);
}

/** GET on a merged conversation (or its threads) answers 301 with the survivor's URL. */
export function redirectIfMerged(ctx: MailboxCtx): void {
  const id = idParam(ctx.params['id']);
  const target = ctx.store.merged.get(id);
  if (target === undefined) return;
  const rest = ctx.req.path.replace(/^\/conversations\/\d+/, '');
  const q = ctx.req.query.toString();
  throw new MailboxError({
    status: 301,
    headers: { Location: `${ctx.base}/conversations/${target}${rest}${q ? `?${q}` : ''}` },
  });
}

// Write side uses `fileName`; the read side says `filename`.
export const attachmentsSchema = z.array(z.object({
  fileName: z.string().min(1),
  mimeType: z.string().min(1),
  data: z.string(),
}));

export function makeAttachments(store: MailboxStore, list: z.infer<typeof attachmentsSchema>): AttachmentRec[] {
  return list.map((a) => ({
    id: nextId(store, 'attachment'), filename: a.fileName, mimeType: a.mimeType,
    width: 0, height: 0, size: Buffer.from(a.data, 'base64').length, data: a.data,
  }));
}
