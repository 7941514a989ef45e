// Threads of a conversation: list (newest first), add a note/reply/customer/
// phone/chat thread, edit thread text, original source, and attachments.
import { z } from 'zod';
import {
  created, halPage, idParam, noContent, notFound, ok, parseBody, preconditionFailed, validationError,
} from './hal';
import type { MailboxCtx, MailboxRouter } from './context';
import { nowIso } from './context';
import { type AttachmentRec, type ConversationRec, type ConversationStatus, type ThreadRec, nextId } from './model';
import { presentThread } from './present';
import { afterChange, attachmentsSchema, getConversation, makeAttachments, redirectIfMerged } from './shared';

export const MAX_THREADS = 100;




const statusEnum = z.enum(['active', 'closed', 'pending', 'spam']);
const customerRef = z.object({ id: z.number().int() }).passthrough();
const dateString = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, "Malformed date, expected format yyyy-MM-dd'T'HH:mm:ss'Z'");

const schemas = {
  notes: z.object({
    text: z.string().min(1), user: z.number().int().optional(), status: statusEnum.optional(), imported: z.boolean().optional(),
    createdAt: dateString.optional(), attachments: attachmentsSchema.optional(),
  }),
  reply: z.object({
    customer: customerRef, text: z.string().min(1), draft: z.boolean().optional(), imported: z.boolean().optional(),
    status: statusEnum.optional(), user: z.number().int().optional(), assignTo: z.number().int().optional(),
    cc: z.array(z.string()).optional(), bcc: z.array(z.string()).optional(), createdAt: dateString.optional(),
    attachments: attachmentsSchema.optional(),
  }),
  customer: z.object({
    customer: customerRef, text: z.string().min(1), imported: z.boolean().optional(),
    cc: z.array(z.string()).optional(), bcc: z.array(z.string()).optional(), createdAt: dateString.optional(),
    attachments: attachmentsSchema.optional(),
  }),
  phones: z.object({
    customer: customerRef, text: z.string().min(1), imported: z.boolean().optional(), status: statusEnum.optional(),
    user: z.number().int().optional(), createdAt: dateString.optional(), attachments: attachmentsSchema.optional(),
  }),
  chats: z.object({
    customer: customerRef, text: z.string().min(1), imported: z.boolean().optional(), createdAt: dateString.optional(),
    attachments: attachmentsSchema.optional(),
  }),
};

type Kind = keyof typeof schemas;
const THREAD_TYPE: Record<Kind, ThreadRec['type']> = { notes: 'note', reply: 'reply', customer: 'customer', phones: 'phone', chats: 'chat' };

/**
 * Adds a thread and applies the documented status rules: a customer (or chat) thread reactivates
 * the conversation; a reply sets `status` when given and reactivates otherwise; notes and phone
 * threads change the status only when `status` is given. Drafts change nothing but the thread list.
 */
function addThread(kind: Kind) {
  return (ctx: MailboxCtx) => {
    const c = getConversation(ctx);
    const body = parseBody(ctx.req, schemas[kind]) as z.infer<(typeof schemas)['reply']> & z.infer<(typeof schemas)['notes']>;
    if (c.threads.length >= MAX_THREADS) throw preconditionFailed(`A conversation can have at most ${MAX_THREADS} threads`);
    const { store } = ctx;
    const customerId = 'customer' in body && body.customer ? body.customer.id : c.primaryCustomerId;
    if (!store.customers.has(customerId)) {
      throw validationError([{ path: 'customer.id', message: 'Customer not found', rejectedValue: customerId, code: 'InvalidIdentifier' }]);
    }
    const userId = body.user !== undefined && store.users.has(body.user) ? body.user : ctx.userId;
    if ('assignTo' in body && body.assignTo !== undefined && !store.users.has(body.assignTo)) {
      throw validationError([{ path: 'assignTo', message: 'User not found', rejectedValue: body.assignTo, code: 'InvalidIdentifier' }]);
    }
    const type = THREAD_TYPE[kind];
    const fromCustomer = type === 'customer' || type === 'chat';
    const draft = type === 'reply' && body.draft === true;
    const now = nowIso(ctx);
    const at = body.imported && body.createdAt ? body.createdAt : now;
    const prev = c.status;
    let status: ConversationStatus = c.status;
    if (!draft) {
      if (fromCustomer) status = 'active';
      else if (type === 'reply') status = body.status ?? 'active';
      else if (body.status) status = body.status;
    }
    const customer = store.customers.get(customerId);
    const thread: ThreadRec = {
      id: nextId(store, 'thread'), type, status, state: draft ? 'draft' : 'published', hidden: false, action: null,
      body: body.text, source: { type: fromCustomer ? (type === 'chat' ? 'chat' : 'email') : 'api', via: fromCustomer ? 'customer' : 'user' },
      customerId,
      createdBy: fromCustomer ? { type: 'customer', id: customerId } : { type: 'user', id: userId },
      assignedTo: c.assignee, savedReplyId: 0,
      to: type === 'reply' ? [customer?.emails[0]?.value ?? ''].filter((x) => x !== '') : [],
      cc: body.cc ?? [], bcc: body.bcc ?? [], createdAt: at, openedAt: null,
      attachments: makeAttachments(store, body.attachments ?? []),
    };
    c.threads.push(thread);
    if (!draft) {
      c.status = status;
      if (fromCustomer) {
        c.customerWaitingSince = { time: at, latestReplyFrom: 'customer' };
        if (c.snooze?.unsnoozeOnCustomerReply) c.snooze = null;
      } else {
        c.userUpdatedAt = now;
        if (type === 'reply' && c.customerWaitingSince) c.customerWaitingSince = { ...c.customerWaitingSince, latestReplyFrom: 'user' };
        if (type === 'reply' && body.assignTo !== undefined) c.assignee = { type: 'user', id: body.assignTo };
      }
    }
    afterChange(ctx, c, prev);
    return created(ctx.req, `/conversations/${c.id}/threads/${thread.id}`, thread.id);
  };
}

function findThread(ctx: MailboxCtx): { c: ConversationRec; t: ThreadRec } {
  const c = getConversation(ctx);
  const tid = idParam(ctx.params['threadId']);
  const t = c.threads.find((x) => x.id === tid);
  if (!t) throw notFound();
  return { c, t };
}

const threadPatchSchema = z.object({ op: z.literal('replace'), path: z.enum(['/text', '/hidden']), value: z.unknown() });

function findAttachment(ctx: MailboxCtx): { t: ThreadRec; a: AttachmentRec } {
  const c = getConversation(ctx);
  const aid = idParam(ctx.params['attachmentId']);
  for (const t of c.threads) {
    const a = t.attachments.find((x) => x.id === aid);
    if (a) return { t, a };
  }
  throw notFound();
}

export function registerThreads(r: MailboxRouter): void {
  r.add('GET', '/conversations/:id/threads', (ctx) => {
    redirectIfMerged(ctx);
    const c = getConversation(ctx);
    return halPage(ctx.req, 'threads', [...c.threads].reverse(), (t) => presentThread(ctx.store, ctx.base, c.id, t));
  });
  r.add('GET', '/conversations/:id/threads/:threadId', (ctx) => {
    redirectIfMerged(ctx);
    const { c, t } = findThread(ctx);
    return ok(presentThread(ctx.store, ctx.base, c.id, t));
  });
  for (const kind of Object.keys(schemas) as Kind[]) r.add('POST', `/conversations/:id/${kind}`, addThread(kind));
  r.add('PATCH', '/conversations/:id/threads/:threadId', (ctx) => {
    const { t } = findThread(ctx);
    const body = parseBody(ctx.req, threadPatchSchema);
    if (body.path === '/text') {
      if (typeof body.value !== 'string' || body.value === '') throw validationError([{ path: 'value', message: 'may not be empty', code: 'NotEmpty' }]);
      t.body = body.value;
    } else {
      if (typeof body.value !== 'boolean') throw validationError([{ path: 'value', message: 'must be true or false', rejectedValue: body.value as never }]);
      t.hidden = body.value;
    }
    return noContent();
  });
  r.add('GET', '/conversations/:id/threads/:threadId/original-source', (ctx) => {
    const { c, t } = findThread(ctx);
    const from = t.createdBy.type === 'customer'
      ? ctx.store.customers.get(t.createdBy.id)?.emails[0]?.value ?? 'customer@example.com'
      : ctx.store.users.get(t.createdBy.id)?.email ?? 'agent@example.com';
    const raw = [
      `From: ${from}`, `Subject: ${c.subject}`, `Date: ${new Date(t.createdAt).toUTCString()}`,
      `Message-ID: <${t.id}@sandbox.helpscout.example>`, 'MIME-Version: 1.0', 'Content-Type: text/html; charset=UTF-8', '', t.body,
    ].join('\r\n');
    if ((ctx.req.headers.accept ?? '').includes('application/json')) return { status: 200, headers: { 'Content-Type': 'application/json' }, body: { original: raw } };
    return { status: 200, headers: { 'Content-Type': 'message/rfc822' }, body: raw };
  });
  r.add('POST', '/conversations/:id/threads/:threadId/attachments', (ctx) => {
    const { c, t } = findThread(ctx);
    const body = parseBody(ctx.req, attachmentsSchema.element);
    const [a] = makeAttachments(ctx.store, [body]);
    if (!a) throw notFound();
    t.attachments.push(a);
    return created(ctx.req, `/conversations/${c.id}/attachments/${a.id}`, a.id);
  });
  r.add('GET', '/conversations/:id/attachments/:attachmentId/data', (ctx) => ok({ data: findAttachment(ctx).a.data }));
  r.add('DELETE', '/conversations/:id/attachments/:attachmentId', (ctx) => {
    const { t, a } = findAttachment(ctx);
    t.attachments = t.attachments.filter((x) => x !== a);
    return noContent();
  });
}
