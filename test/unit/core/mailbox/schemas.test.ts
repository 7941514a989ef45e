import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { parseApiDate } from '../../../../src/core/http/client';
import {
  conversationSchema,
  customerSchema,
  fieldSchema,
  folderSchema,
  halListSchema,
  mailboxSchema,
  socialProfilesOf,
  teamSchema,
  threadSchema,
  userSchema,
  workflowSchema,
} from '../../../../src/core/mailbox/schemas';

const TAP = path.resolve(__dirname, '../../../../../shared/reference/fixtures/tap-helpscout/tap_helpscout/schemas');

describe('Mailbox schemas', () => {
  it('treats a list without _embedded (the empty-list quirk) and without page as valid', () => {
    const parsed = halListSchema('customers', customerSchema).parse({ _links: { self: { href: 'x' } } });
    assert.equal(parsed._embedded, undefined);
    assert.equal(parsed.page, undefined);
  });

  it('keeps the wire quirks: first/last on person refs, tag on conversation tags, unknown fields', () => {
    const c = conversationSchema.parse({
      id: 2391938111,
      number: 349,
      threads: 3,
      status: 'pending',
      mailboxId: 85,
      assignee: { id: 256, type: 'user', first: 'Ada', last: 'Agent', email: 'ada@example.com' },
      tags: [{ id: 9150, color: '#929499', tag: 'billing' }],
      closedAt: null,
      customerWaitingSince: { time: '2024-03-02T09:59:00Z', friendly: 'Mar 2', latestReplyFrom: 'customer' },
      somethingNew: { nested: true },
    });
    assert.equal(c.assignee?.first, 'Ada');
    assert.equal(c.tags?.[0]?.tag, 'billing');
    assert.deepEqual((c as Record<string, unknown>)['somethingNew'], { nested: true });
  });

  it("reads a customer's social profiles under social_profiles or social-profiles", () => {
    const a = customerSchema.parse({ id: 1, _embedded: { social_profiles: [{ id: 5, value: '@pat', type: 'twitter' }] } });
    const b = customerSchema.parse({ id: 1, _embedded: { 'social-profiles': [{ id: 6, value: '@pat', type: 'twitter' }] } });
    assert.equal(socialProfilesOf(a)[0]?.id, 5);
    assert.equal(socialProfilesOf(b)[0]?.id, 6);
  });

  it('parses dates with or without Z and milliseconds, and epoch numbers', () => {
    const want = Date.UTC(2017, 11, 12, 12, 12, 13);
    assert.equal(parseApiDate('2017-12-12T12:12:13Z').getTime(), want);
    assert.equal(parseApiDate('2017-12-12T12:12:13').getTime(), want);
    assert.equal(parseApiDate('2017-12-12T12:12:13.000Z').getTime(), want);
    assert.equal(parseApiDate('2017-12-12T14:12:13+02:00').getTime(), want);
    assert.equal(parseApiDate(want / 1000).getTime(), want);
  });

  it('rejects a wrongly typed field (so drift is detected)', () => {
    const r = conversationSchema.safeParse({ id: 1, number: 1, status: 'active', mailboxId: 1, createdAt: 17 });
    assert.equal(r.success, false);
  });

  // The tap's JSON Schemas (snake_case, _embedded copied up, a few synthetic
  // fields) list what real payloads carry. Every property they name must be a
  // field our schema knows, after the reverse mapping to camelCase.
  describe('covers every property in the tap-helpscout JSON Schemas', () => {
    const table: Record<string, { schema: z.ZodType; synthetic: string[]; embedded?: string }> = {
      'conversations.json': { schema: conversationSchema, synthetic: ['updatedAt'] },
      'conversation_threads.json': {
        schema: threadSchema,
        synthetic: ['conversationId', 'attachments'],
      },
      'customers.json': { schema: customerSchema, synthetic: [], embedded: '_embedded' },
      'mailboxes.json': { schema: mailboxSchema, synthetic: [] },
      'mailbox_fields.json': { schema: fieldSchema, synthetic: ['mailboxId'] },
      'mailbox_folders.json': { schema: folderSchema, synthetic: ['mailboxId'] },
      'users.json': { schema: userSchema, synthetic: [] },
      'teams.json': { schema: teamSchema, synthetic: [] },
      'workflows.json': { schema: workflowSchema, synthetic: [] },
    };

    for (const [file, entry] of Object.entries(table)) {
      it(file, () => {
        const json = JSON.parse(readFileSync(path.join(TAP, file), 'utf8')) as JsonSchema;
        const unknown = missingProperties(json, entry.schema, '', entry.synthetic, entry.embedded);
        assert.deepEqual(unknown, []);
      });
    }
  });
});

interface JsonSchema {
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
}

function camel(s: string): string {
  return s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** Unwraps optional/nullable/array/pipe layers down to an object's shape, if there is one. */
function shapeOf(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  let s: unknown = schema;
  for (let i = 0; i < 10; i++) {
    if (s instanceof z.ZodObject) return s.shape as Record<string, z.ZodType>;
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap();
    else if (s instanceof z.ZodArray) s = s.element;
    else return undefined;
  }
  return undefined;
}

function missingProperties(
  json: JsonSchema,
  schema: z.ZodType,
  prefix: string,
  synthetic: string[],
  embeddedKey?: string,
): string[] {
  const shape = shapeOf(schema);
  if (!shape) return [];
  const embedded = embeddedKey && shape[embeddedKey] ? shapeOf(shape[embeddedKey]) : undefined;
  const out: string[] = [];
  for (const [snake, sub] of Object.entries(json.properties ?? {})) {
    const name = camel(snake);
    const full = prefix + name;
    if (synthetic.includes(full)) continue;
    // The tap renames latestReplyFrom to last_reply_from; our schema keeps both spellings.
    const field = shape[name] ?? shape[snake] ?? embedded?.[name] ?? embedded?.[snake];
    if (!field) {
      out.push(full);
      continue;
    }
    const child = sub.properties ? sub : sub.items?.properties ? sub.items : undefined;
    if (child) out.push(...missingProperties(child, field, `${full}.`, synthetic));
  }
  return out;
}
