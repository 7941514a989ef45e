// The account-level resources: mailboxes (with folders and custom fields),
// users, teams, tags, workflows and webhooks.
import { z } from 'zod';
import { created, halPage, idParam, noContent, notFound, ok, parseBody, queryError, validationError } from './hal';
import type { MailboxCtx, MailboxRouter } from './context';
import { nowIso } from './context';
import { nextId, type ThreadRec } from './model';
import {
  presentField, presentFolder, presentMailbox, presentTag, presentTeam, presentUser, presentWebhook, presentWorkflow,
} from './present';

function intQuery(ctx: MailboxCtx, name: string): number | undefined {
  const raw = ctx.req.query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw queryError(name, raw, 'must be a number', 'InvalidNumber');
  return Number(raw);
}

function mailboxOf(ctx: MailboxCtx): number {
  const id = idParam(ctx.params['id']);
  if (!ctx.store.mailboxes.has(id)) throw notFound();
  return id;
}

const WEBHOOK_EVENTS = [
  'convo.assigned', 'convo.created', 'convo.deleted', 'convo.merged', 'convo.moved', 'convo.status', 'convo.tags',
  'convo.custom-fields', 'convo.customer.reply.created', 'convo.agent.reply.created', 'convo.note.created',
  'customer.created', 'customer.updated', 'customer.deleted', 'organization.created', 'organization.updated',
  'organization.deleted', 'satisfaction.ratings', 'beacon.chat.created', 'beacon.chat.customer.replied', 'tag.created',
  'tag.updated', 'tag.deleted', 'message.survey.response.received', 'user.status.changed',
] as const;

const webhookSchema = z.object({
  url: z.string().url(),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1),
  secret: z.string().min(1).max(40),
  payloadVersion: z.literal('V2').optional(),
  mailboxIds: z.array(z.number().int()).optional(),
  label: z.string().max(100).optional(),
  notification: z.boolean().optional(),
  state: z.enum(['enabled', 'disabled']).optional(),
});

export function registerAccount(r: MailboxRouter): void {
  // --- Mailboxes
  r.add('GET', '/mailboxes', (ctx) => halPage(ctx.req, 'mailboxes', [...ctx.store.mailboxes.values()], (m) => presentMailbox(ctx.base, m)));
  r.add('GET', '/mailboxes/:id', (ctx) => {
    const m = ctx.store.mailboxes.get(mailboxOf(ctx));
    if (!m) throw notFound();
    return ok(presentMailbox(ctx.base, m));
  });
  r.add('GET', '/mailboxes/:id/folders', (ctx) => {
    const id = mailboxOf(ctx);
    const folders = [...ctx.store.folders.values()].filter((f) => f.mailboxId === id);
    return halPage(ctx.req, 'folders', folders, (f) => presentFolder(ctx.store, f));
  });
  r.add('GET', '/mailboxes/:id/fields', (ctx) => {
    const id = mailboxOf(ctx);
    const fields = [...ctx.store.fields.values()].filter((f) => f.mailboxId === id).sort((a, b) => a.order - b.order);
    return halPage(ctx.req, 'fields', fields, presentField);
  });

  // --- Users
  r.add('GET', '/users', (ctx) => {
    const email = ctx.req.query.get('email')?.toLowerCase();
    const mailbox = intQuery(ctx, 'mailbox');
    const users = [...ctx.store.users.values()].filter((u) =>
      (email === undefined || email === '' || u.email.toLowerCase() === email)
      && (mailbox === undefined || u.mailboxIds.includes(mailbox)));
    return halPage(ctx.req, 'users', users, (u) => presentUser(ctx.base, u));
  });
  r.add('GET', '/users/me', (ctx) => {
    const u = ctx.store.users.get(ctx.userId);
    if (!u) throw notFound();
    return ok(presentUser(ctx.base, u, { companyId: ctx.store.companyId }));
  });
  r.add('GET', '/users/:id', (ctx) => {
    const u = ctx.store.users.get(idParam(ctx.params['id']));
    if (!u) throw notFound();
    return ok(presentUser(ctx.base, u));
  });

  // --- Teams
  r.add('GET', '/teams', (ctx) => halPage(ctx.req, 'teams', [...ctx.store.teams.values()], (t) => presentTeam(ctx.base, t)));
  r.add('GET', '/teams/:id/members', (ctx) => {
    const t = ctx.store.teams.get(idParam(ctx.params['id']));
    if (!t) throw notFound();
    const members = t.memberIds.flatMap((id) => {
      const u = ctx.store.users.get(id);
      return u ? [u] : [];
    });
    return halPage(ctx.req, 'users', members, (u) => presentUser(ctx.base, u));
  });

  // --- Tags (alphabetical; ticketCount counted from the conversations)
  r.add('GET', '/tags', (ctx) => {
    const counts = new Map<number, number>();
    for (const c of ctx.store.conversations.values()) for (const id of c.tagIds) counts.set(id, (counts.get(id) ?? 0) + 1);
    const tags = [...ctx.store.tags.values()].sort((a, b) => a.name.localeCompare(b.name, 'en') || a.id - b.id);
    return halPage(ctx.req, 'tags', tags, (t) => presentTag(ctx.store, ctx.base, t, counts));
  });
  r.add('GET', '/tags/:id', (ctx) => {
    const t = ctx.store.tags.get(idParam(ctx.params['id']));
    if (!t) throw notFound();
    return ok(presentTag(ctx.store, ctx.base, t));
  });

  // --- Workflows
  r.add('GET', '/workflows', (ctx) => {
    const mailboxId = intQuery(ctx, 'mailboxId');
    const type = ctx.req.query.get('type');
    if (type !== null && type !== '' && type !== 'manual' && type !== 'automatic') {
      throw queryError('type', type, 'Expected one of these: manual, automatic', 'EnumValue');
    }
    const list = [...ctx.store.workflows.values()].filter((w) =>
      (mailboxId === undefined || w.mailboxId === mailboxId) && (type === null || type === '' || w.type === type));
    return halPage(ctx.req, 'workflows', list, (w) => presentWorkflow(ctx.base, w));
  });
  r.add('PATCH', '/workflows/:id', (ctx) => {
    const w = ctx.store.workflows.get(idParam(ctx.params['id']));
    if (!w) throw notFound();
    const body = parseBody(ctx.req, z.object({ op: z.literal('replace'), path: z.literal('/status'), value: z.enum(['active', 'inactive']) }));
    w.status = body.value;
    w.modifiedAt = nowIso(ctx);
    return noContent();
  });
  r.add('POST', '/workflows/:id/run', (ctx) => {
    const w = ctx.store.workflows.get(idParam(ctx.params['id']));
    if (!w) throw notFound();
    const body = parseBody(ctx.req, z.object({ conversationIds: z.array(z.number().int()).min(1).max(50) }));
    if (w.type !== 'manual') throw validationError([{ path: 'id', message: 'Only manual workflows can be run', rejectedValue: w.id, source: 'PATH' }]);
    const convs = body.conversationIds.map((id, i) => {
      const c = ctx.store.conversations.get(id);
      if (!c) throw validationError([{ path: `conversationIds[${i}]`, message: 'Conversation not found', rejectedValue: id, code: 'InvalidIdentifier' }]);
      return c;
    });
    const now = nowIso(ctx);
    const user = ctx.store.users.get(ctx.userId);
    // Running a workflow leaves a line item on each conversation, as the real app shows.
    for (const c of convs) {
      const t: ThreadRec = {
        id: nextId(ctx.store, 'thread'), type: 'lineitem', status: c.status, state: 'published', hidden: false,
        action: { type: 'manual-workflow', text: `${user?.firstName ?? 'You'} ran the ${w.name} workflow`, associatedEntities: { workflow: w.id } },
        body: '', source: { type: 'api', via: 'user' }, customerId: c.primaryCustomerId, createdBy: { type: 'user', id: ctx.userId },
        assignedTo: c.assignee, savedReplyId: 0, to: [], cc: [], bcc: [], createdAt: now, openedAt: null, attachments: [],
      };
      c.threads.push(t);
      c.userUpdatedAt = now;
    }
    return noContent();
  });

  // --- Webhooks
  r.add('GET', '/webhooks', (ctx) => halPage(ctx.req, 'webhooks', [...ctx.store.webhooks.values()], (w) => presentWebhook(ctx.base, w)));
  r.add('GET', '/webhooks/:id', (ctx) => {
    const w = ctx.store.webhooks.get(idParam(ctx.params['id']));
    if (!w) throw notFound();
    return ok(presentWebhook(ctx.base, w));
  });
  r.add('POST', '/webhooks', (ctx) => {
    const body = parseBody(ctx.req, webhookSchema);
    const id = nextId(ctx.store, 'webhook');
    ctx.store.webhooks.set(id, {
      id, url: body.url, events: body.events, secret: body.secret, state: body.state ?? 'enabled',
      notification: body.notification ?? false, label: body.label ?? '', payloadVersion: 'V2', mailboxIds: body.mailboxIds ?? [],
    });
    return created(ctx.req, `/webhooks/${id}`, id);
  });
  r.add('PUT', '/webhooks/:id', (ctx) => {
    const w = ctx.store.webhooks.get(idParam(ctx.params['id']));
    if (!w) throw notFound();
    const body = parseBody(ctx.req, webhookSchema);
    Object.assign(w, {
      url: body.url, events: body.events, secret: body.secret, state: body.state ?? w.state,
      notification: body.notification ?? false, label: body.label ?? '', mailboxIds: body.mailboxIds ?? [],
    });
    return noContent();
  });
  r.add('DELETE', '/webhooks/:id', (ctx) => {
    const id = idParam(ctx.params['id']);
    if (!ctx.store.webhooks.delete(id)) throw notFound();
    return noContent();
  });
}
