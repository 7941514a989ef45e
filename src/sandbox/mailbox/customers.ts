// Customers: list/search, get, create, overwrite (PUT), JSON-Patch update,
// delete, the entry sub-resources (emails, phones, chats, social profiles,
// websites, address), property values, and property definitions.
import { z } from 'zod';
import {
  compareValues, created, dateParam, forbidden, halList, halPage, idParam, noContent, notFound, ok, parseBody,
  jsonBody, queryError, validationError,
} from './hal';
import type { MailboxCtx, MailboxRouter } from './context';
import { nowIso } from './context';
import { type CustomerRec, type EntryRec, type MailboxStore, nextId } from './model';
import { presentAddress, presentCustomer, presentEntry } from './present';
import { type QueryNode, contains, evaluate, parseQuery, validateQuery } from './search';

export function customerFullName(c: CustomerRec): string {
  return [c.firstName, c.lastName].filter((x) => x !== null && x !== '').join(' ');
}

export function findCustomerByEmail(store: MailboxStore, email: string): CustomerRec | undefined {
  const e = email.toLowerCase();
  for (const c of store.customers.values()) if (c.emails.some((x) => x.value.toLowerCase() === e)) return c;
  return undefined;
}

/** A customer reference inside a conversation/thread create body: `{id}` or `{email, firstName, …}`. */
export const personSchema = z.object({
  id: z.number().int().optional(),
  email: z.string().email().optional(),
  firstName: z.string().max(40).optional(),
  lastName: z.string().max(40).optional(),
}).passthrough();

export function newCustomerFromPerson(ctx: MailboxCtx, p: z.infer<typeof personSchema>): CustomerRec {
  const now = nowIso(ctx);
  const c: CustomerRec = {
    id: nextId(ctx.store, 'customer'), firstName: p.firstName ?? null, lastName: p.lastName ?? null, gender: null,
    jobTitle: null, location: null, organization: null, photoType: 'unknown', photoUrl: null, background: null, age: null,
    createdAt: now, updatedAt: now,
    emails: p.email !== undefined ? [{ id: nextId(ctx.store, 'entry'), type: 'work', value: p.email }] : [],
    phones: [], chats: [], socialProfiles: [], websites: [], address: null, properties: {},
  };
  ctx.store.customers.set(c.id, c);
  return c;
}

const ENTRY_TYPES = {
  emails: ['work', 'home', 'other'],
  phones: ['home', 'work', 'mobile', 'fax', 'pager', 'other'],
  chats: ['aim', 'gtalk', 'icq', 'msn', 'qq', 'skype', 'xmpp', 'yahoo', 'wechat', 'other'],
  'social-profiles': ['twitter', 'facebook', 'linkedin', 'googleplus', 'aboutme', 'flickr', 'instagram', 'youtube', 'quora', 'tumblr', 'other'],
} as const;
type EntryKind = keyof typeof ENTRY_TYPES | 'websites';
const ENTRY_KINDS: EntryKind[] = ['emails', 'phones', 'chats', 'social-profiles', 'websites'];

function entriesOf(c: CustomerRec, kind: EntryKind): (EntryRec | { id: number; value: string })[] {
  switch (kind) {
    case 'emails': return c.emails;
    case 'phones': return c.phones;
    case 'chats': return c.chats;
    case 'social-profiles': return c.socialProfiles;
    case 'websites': return c.websites;
  }
}

function entrySchema(kind: EntryKind): z.ZodType<{ type?: string | undefined; value: string }> {
  if (kind === 'websites') return z.object({ value: z.string().min(1).max(200) });
  const value = kind === 'emails' ? z.string().email() : z.string().min(1).max(200);
  return z.object({ type: z.enum(ENTRY_TYPES[kind]).optional(), value });
}

function makeEntry(store: MailboxStore, kind: EntryKind, e: { type?: string | undefined; value: string }): EntryRec | { id: number; value: string } {
  if (kind === 'websites') return { id: nextId(store, 'entry'), value: e.value };
  return { id: nextId(store, 'entry'), type: e.type ?? 'other', value: e.value };
}

const opt = (max: number): z.ZodOptional<z.ZodNullable<z.ZodString>> => z.string().max(max).nullable().optional();
const CORE = {
  firstName: opt(40), lastName: opt(40), gender: z.enum(['male', 'female', 'unknown']).nullable().optional(),
  jobTitle: opt(60), location: opt(60), organization: opt(60),
  photoType: z.enum(['unknown', 'gravatar', 'twitter', 'facebook', 'googleprofile', 'googleplus', 'linkedin', 'instagram']).nullable().optional(),
  photoUrl: opt(200), background: opt(200), age: opt(20),
};
type CoreKey = keyof typeof CORE;
const CORE_KEYS = Object.keys(CORE) as CoreKey[];

const addressSchema = z.object({
  city: z.string().max(60), lines: z.array(z.string().max(100)).min(1), state: z.string().max(60).default(''),
  postalCode: z.string().max(10), country: z.string().length(2),
});

const createSchema = z.object({
  ...CORE,
  phone: z.string().optional(),
  emails: z.array(entrySchema('emails')).optional(),
  phones: z.array(entrySchema('phones')).optional(),
  chats: z.array(entrySchema('chats')).optional(),
  socialProfiles: z.array(entrySchema('social-profiles')).optional(),
  websites: z.array(entrySchema('websites')).optional(),
  address: addressSchema.optional(),
  properties: z.array(z.object({ slug: z.string().optional(), name: z.string().optional(), value: z.union([z.string(), z.number()]) })).optional(),
});

function setCore(c: CustomerRec, body: Partial<Record<CoreKey, string | null | undefined>>, overwrite: boolean): void {
  for (const k of CORE_KEYS) {
    const v = body[k];
    if (v !== undefined) c[k] = v;
    else if (overwrite) c[k] = null;
  }
}

function getCustomer(ctx: MailboxCtx): CustomerRec {
  const c = ctx.store.customers.get(idParam(ctx.params['id']));
  if (!c) throw notFound();
  return c;
}

function touch(ctx: MailboxCtx, c: CustomerRec): void {
  c.updatedAt = nowIso(ctx);
}

const SORT: Record<string, (c: CustomerRec) => string | null> = {
  score: (c) => c.createdAt,
  createdAt: (c) => c.createdAt,
  firstName: (c) => c.firstName,
  lastName: (c) => c.lastName,
  modifiedAt: (c) => c.updatedAt,
};

/** Does customer `c` match a parsed `query`? Names and emails match case-insensitive substrings; `emailDomain` a whole domain. */
export function customerMatchesQuery(c: CustomerRec, q: QueryNode): boolean {
  return evaluate(q, {
    term(field, v) {
      switch (field) {
        case null: return contains(customerFullName(c), v) || c.emails.some((e) => contains(e.value, v));
        case 'firstname': return contains(c.firstName, v);
        case 'lastname': return contains(c.lastName, v);
        case 'email': return c.emails.some((e) => contains(e.value, v));
        case 'emaildomain': return c.emails.some((e) => e.value.toLowerCase().split('@')[1] === v.toLowerCase().replace(/^@/, ''));
        case 'organization': return contains(c.organization, v);
        case 'phone': return c.phones.some((p) => contains(p.value, v));
        default: return undefined;
      }
    },
    range(field) {
      if (field === 'modifiedat') return c.updatedAt;
      if (field === 'createdat') return c.createdAt;
      return undefined;
    },
  });
}

function listCustomers(ctx: MailboxCtx): ReturnType<typeof halPage> {
  const { req, store } = ctx;
  const q = req.query;
  const mailboxRaw = q.get('mailbox');
  let inMailbox: Set<number> | undefined;
  if (mailboxRaw) {
    if (!/^\d+$/.test(mailboxRaw)) throw queryError('mailbox', mailboxRaw, 'must be a number', 'InvalidNumber');
    const mailboxId = Number(mailboxRaw);
    inMailbox = new Set();
    for (const conv of store.conversations.values()) if (conv.mailboxId === mailboxId) inMailbox.add(conv.primaryCustomerId);
  }
  const firstName = q.get('firstName')?.toLowerCase();
  const lastName = q.get('lastName')?.toLowerCase();
  const modifiedSince = dateParam(req, 'modifiedSince');
  const sortField = q.get('sortField') ?? 'score';
  const sortKey = SORT[sortField];
  if (!sortKey) throw queryError('sortField', sortField, `Expected one of these: ${Object.keys(SORT).join(', ')}`, 'EnumValue');
  const sortOrder = q.get('sortOrder') ?? 'desc';
  if (sortOrder !== 'asc' && sortOrder !== 'desc') throw queryError('sortOrder', sortOrder, 'Expected one of these: asc, desc', 'EnumValue');
  const queryRaw = q.get('query');
  let query: QueryNode | undefined;
  if (queryRaw !== null && queryRaw.trim() !== '') {
    query = parseQuery(queryRaw);
    validateQuery(query, queryRaw, ['firstName', 'lastName', 'email', 'emailDomain', 'organization', 'phone'], ['modifiedAt', 'createdAt']);
  }
  const out: CustomerRec[] = [];
  for (const c of store.customers.values()) {
    if (inMailbox && !inMailbox.has(c.id)) continue;
    // firstName/lastName filters: whole-name, case-insensitive.
    if (firstName !== undefined && firstName !== '' && (c.firstName ?? '').toLowerCase() !== firstName) continue;
    if (lastName !== undefined && lastName !== '' && (c.lastName ?? '').toLowerCase() !== lastName) continue;
    if (modifiedSince !== undefined && c.updatedAt < modifiedSince) continue;
    if (query && !customerMatchesQuery(c, query)) continue;
    out.push(c);
  }
  const dir = sortOrder === 'asc' ? 1 : -1;
  out.sort((a, b) => dir * (compareValues(sortKey(a), sortKey(b)) || a.id - b.id));
  return halPage(req, 'customers', out, (c) => presentCustomer(store, ctx.base, c));
}

function createCustomer(ctx: MailboxCtx): ReturnType<typeof created> {
  const body = parseBody(ctx.req, createSchema);
  const { store } = ctx;
  for (const e of body.emails ?? []) {
    if (findCustomerByEmail(store, e.value)) {
      throw validationError([{ path: 'emails', message: 'A customer with this email already exists', rejectedValue: e.value, code: 'Invalid' }], 'Bad request');
    }
  }
  const c = newCustomerFromPerson(ctx, {});
  setCore(c, body, false);
  c.photoType ??= 'unknown';
  for (const e of body.emails ?? []) c.emails.push(makeEntry(store, 'emails', e) as EntryRec);
  const phones = [...(body.phones ?? []), ...(body.phone ? [{ type: 'work', value: body.phone }] : [])];
  for (const e of phones) c.phones.push(makeEntry(store, 'phones', e) as EntryRec);
  for (const e of body.chats ?? []) c.chats.push(makeEntry(store, 'chats', e) as EntryRec);
  for (const e of body.socialProfiles ?? []) c.socialProfiles.push(makeEntry(store, 'social-profiles', e) as EntryRec);
  for (const e of body.websites ?? []) c.websites.push(makeEntry(store, 'websites', e));
  if (body.address) c.address = { ...body.address };
  for (const p of body.properties ?? []) {
    const def = store.customerProperties.find((d) => d.slug === p.slug || d.name === p.name);
    if (!def) throw validationError([{ path: 'properties', message: 'Unknown customer property', rejectedValue: p.slug ?? p.name, code: 'InvalidIdentifier' }]);
    c.properties[def.slug] = String(p.value);
  }
  return created(ctx.req, `/customers/${c.id}`, c.id);
}

const patchOp = z.object({ op: z.enum(['add', 'remove', 'replace']), path: z.string().startsWith('/'), value: z.unknown().optional() });

/** PATCH /customers/{id}: a JSON-Patch array over core fields and entries. A bare object is a 400. */
function patchCustomer(ctx: MailboxCtx): ReturnType<typeof noContent> {
  const c = getCustomer(ctx);
  const raw = jsonBody(ctx.req);
  if (!Array.isArray(raw)) {
    throw validationError([{ path: '', message: 'The body must be an array of patch operations', source: 'JSON', code: 'Invalid' }], 'Bad request');
  }
  const ops = parseBody(ctx.req, z.array(patchOp));
  const { store } = ctx;
  ops.forEach((o, i) => {
    const bad = (message: string): never => {
      throw validationError([{ path: `[${i}].path`, message, rejectedValue: o.path }]);
    };
    const parts = o.path.slice(1).split('/');
    const head = parts[0] ?? '';
    if ((CORE_KEYS as string[]).includes(head) && parts.length === 1) {
      if (o.op === 'remove') c[head as CoreKey] = null;
      else {
        const one = z.object({ v: CORE[head as CoreKey] }).safeParse({ v: o.value });
        if (!one.success || one.data.v === undefined) bad(`Invalid value for ${head}`);
        else c[head as CoreKey] = one.data.v;
      }
      return;
    }
    const kind = (head === 'socialProfiles' ? 'social-profiles' : head) as EntryKind;
    if (ENTRY_KINDS.includes(kind)) {
      const list = entriesOf(c, kind);
      if (parts.length === 1) {
        if (o.op !== 'add') bad(`Only 'add' is allowed on /${head}`);
        const parsed = entrySchema(kind).safeParse(o.value);
        if (!parsed.success) bad(`Invalid ${head} entry`);
        else list.push(makeEntry(store, kind, parsed.data));
        return;
      }
      const entryId = Number(parts[1]);
      const idx = list.findIndex((e) => e.id === entryId);
      if (idx < 0) bad('Entry not found');
      if (o.op === 'remove' && parts.length === 2) {
        list.splice(idx, 1);
        return;
      }
      const field = parts[2];
      const entry = list[idx];
      if (o.op === 'replace' && entry && (field === 'value' || field === 'type') && typeof o.value === 'string') {
        if (field === 'value') entry.value = o.value;
        else if ('type' in entry) entry.type = o.value;
        return;
      }
      bad('Unsupported entry operation');
    }
    if (head === 'address') {
      if (o.op === 'remove') c.address = null;
      else {
        const parsed = addressSchema.safeParse(o.value);
        if (!parsed.success) bad('Invalid address');
        else c.address = parsed.data;
      }
      return;
    }
    bad(`Unsupported path ${o.path}`);
  });
  touch(ctx, c);
  return noContent();
}

function registerEntries(r: MailboxRouter): void {
  r.add('GET', '/customers/:id/address', (ctx) => {
    const a = presentAddress(ctx.base, getCustomer(ctx));
    if (!a) throw notFound();
    return ok(a);
  });
  const writeAddress = (status: 'create' | 'update') => (ctx: MailboxCtx) => {
    const c = getCustomer(ctx);
    c.address = parseBody(ctx.req, addressSchema);
    touch(ctx, c);
    return status === 'create' ? created(ctx.req, `/customers/${c.id}/address`, c.id) : noContent();
  };
  r.add('POST', '/customers/:id/address', writeAddress('create'));
  r.add('PUT', '/customers/:id/address', writeAddress('update'));
  r.add('DELETE', '/customers/:id/address', (ctx) => {
    const c = getCustomer(ctx);
    c.address = null;
    touch(ctx, c);
    return noContent();
  });
  for (const kind of ENTRY_KINDS) {
    r.add('GET', `/customers/:id/${kind}`, (ctx) => {
      const c = getCustomer(ctx);
      return halList(ctx.req, kind, entriesOf(c, kind).map((e) => presentEntry(ctx.base, c.id, kind, e)));
    });
    r.add('POST', `/customers/:id/${kind}`, (ctx) => {
      const c = getCustomer(ctx);
      const e = makeEntry(ctx.store, kind, parseBody(ctx.req, entrySchema(kind)));
      entriesOf(c, kind).push(e);
      touch(ctx, c);
      return created(ctx.req, `/customers/${c.id}/${kind}/${e.id}`, e.id);
    });
    const find = (ctx: MailboxCtx): { c: CustomerRec; list: ReturnType<typeof entriesOf>; idx: number } => {
      const c = getCustomer(ctx);
      const list = entriesOf(c, kind);
      const id = idParam(ctx.params['entryId']);
      const idx = list.findIndex((e) => e.id === id);
      if (idx < 0) throw notFound();
      return { c, list, idx };
    };
    r.add('PUT', `/customers/:id/${kind}/:entryId`, (ctx) => {
      const { c, list, idx } = find(ctx);
      const body = parseBody(ctx.req, entrySchema(kind));
      const e = list[idx];
      if (e) {
        e.value = body.value;
        if ('type' in e && body.type !== undefined) e.type = body.type;
      }
      touch(ctx, c);
      return noContent();
    });
    r.add('DELETE', `/customers/:id/${kind}/:entryId`, (ctx) => {
      const { c, list, idx } = find(ctx);
      list.splice(idx, 1);
      touch(ctx, c);
      return noContent();
    });
  }
}

const propertyDefSchema = z.object({
  type: z.enum(['number', 'text', 'url', 'date', 'dropdown']),
  slug: z.string().min(1).max(100).regex(/^[a-z0-9-]+$/),
  name: z.string().min(1).max(100),
  options: z.array(z.object({ label: z.string().min(1) })).max(100).optional(),
});

export function registerCustomers(r: MailboxRouter): void {
  r.add('GET', '/customers', listCustomers);
  r.add('POST', '/customers', createCustomer);
  r.add('GET', '/customers/:id', (ctx) => ok(presentCustomer(ctx.store, ctx.base, getCustomer(ctx))));
  r.add('PUT', '/customers/:id', (ctx) => {
    const c = getCustomer(ctx);
    // Overwrite: core fields left out become null; entries are untouched.
    setCore(c, parseBody(ctx.req, z.object(CORE)), true);
    touch(ctx, c);
    return noContent();
  });
  r.add('PATCH', '/customers/:id', patchCustomer);
  r.add('DELETE', '/customers/:id', (ctx) => {
    const c = getCustomer(ctx);
    let n = 0;
    for (const conv of ctx.store.conversations.values()) if (conv.primaryCustomerId === c.id) n += 1;
    if (n > 100) throw forbidden('Customers with more than 100 conversations cannot be deleted');
    ctx.store.customers.delete(c.id);
    return ctx.req.query.get('async') === 'true' ? { status: 202 } : noContent();
  });
  r.add('PATCH', '/customers/:id/properties', (ctx) => {
    const c = getCustomer(ctx);
    const raw = jsonBody(ctx.req);
    if (!Array.isArray(raw)) throw validationError([{ path: '', message: 'The body must be an array of patch operations', code: 'Invalid' }], 'Bad request');
    const ops = parseBody(ctx.req, z.array(patchOp));
    ops.forEach((o, i) => {
      const slug = o.path.slice(1);
      const def = ctx.store.customerProperties.find((d) => d.slug === slug);
      if (!def) throw validationError([{ path: `[${i}].path`, message: 'Unknown customer property', rejectedValue: o.path, code: 'InvalidIdentifier' }]);
      if (o.op === 'remove') delete c.properties[slug];
      else {
        const v = o.value;
        if (typeof v !== 'string' && typeof v !== 'number') throw validationError([{ path: `[${i}].value`, message: 'must be a string or number', code: 'Invalid' }]);
        if (def.type === 'number' && !/^-?\d+(\.\d+)?$/.test(String(v))) throw validationError([{ path: `[${i}].value`, message: 'must be a number', rejectedValue: v }]);
        if (def.type === 'dropdown' && !def.options?.some((op) => op.label === String(v) || op.id === String(v))) {
          throw validationError([{ path: `[${i}].value`, message: 'must be one of the dropdown options', rejectedValue: v, code: 'EnumValue' }]);
        }
        c.properties[slug] = String(v);
      }
    });
    touch(ctx, c);
    return noContent();
  });
  registerEntries(r);
  r.add('GET', '/customer-properties', (ctx) => halPage(ctx.req, 'customer-properties', ctx.store.customerProperties, (p) => ({ ...p })));
  r.add('POST', '/customer-properties', (ctx) => {
    const body = parseBody(ctx.req, propertyDefSchema);
    const { store } = ctx;
    if (['email', 'name', 'company', 'jobtitle'].includes(body.slug.toLowerCase()) || store.customerProperties.some((p) => p.slug === body.slug)) {
      throw validationError([{ path: 'slug', message: 'Slug is reserved or already in use', rejectedValue: body.slug }]);
    }
    if (store.customerProperties.length >= 50) throw validationError([{ path: 'slug', message: 'At most 50 properties per account', code: 'Size' }]);
    store.customerProperties.push({
      type: body.type, slug: body.slug, name: body.name,
      ...(body.type === 'dropdown' ? { options: (body.options ?? []).map((o, i) => ({ id: `opt-${Date.now()}-${i}`, label: o.label })) } : {}),
    });
    return created(ctx.req, `/customer-properties/${body.slug}`, body.slug);
  });
}
