// The conversation list's `embed=threads` (helpscout-api.md, list parameters:
// "embeds threads under each conversation's _embedded.threads (chat threads
// truncated)"): every thread is embedded, newest first, and a chat thread's
// body is cut short there, while the conversation's own threads list and the
// single GET carry it whole.
import * as assert from 'node:assert/strict';
import type { RunningSandbox } from '../../../src/sandbox/index';
import { EMBEDDED_CHAT_CHARS } from '../../../src/sandbox/mailbox/present';
import { type Client, type Json, mailbox, start } from './helpers';

describe('sandbox Mailbox API: conversations with embed=threads', () => {
  let sb: RunningSandbox;
  let api: Client;
  before(async () => {
    sb = await start();
    api = mailbox(sb);
  });
  after(() => sb.close());

  const withChat = (): number => {
    const c = [...sb.store.mailbox.conversations.values()].find((x) => x.threads.some((t) => t.type === 'chat' && t.body.length > 3 * EMBEDDED_CHAT_CHARS));
    assert.ok(c, 'a conversation with a long chat thread');
    return c.id;
  };

  it('embeds every thread of every listed conversation, newest first, 50 conversations per page', async () => {
    const list = await api.json('/conversations?status=all&embed=threads');
    const convs = list._embedded?.['conversations'] ?? [];
    assert.equal(convs.length, 50);
    for (const c of convs) {
      const rec = sb.store.mailbox.conversations.get(Number(c['id']));
      const threads = ((c['_embedded'] as Json | undefined)?.['threads'] ?? []) as Json[];
      assert.equal(c['threads'], rec?.threads.length, 'threads is the count');
      assert.deepEqual(threads.map((t) => t['id']), [...(rec?.threads ?? [])].reverse().map((t) => t.id));
    }
    const plain = await api.json('/conversations?status=all');
    assert.equal((plain._embedded?.['conversations'] ?? []).some((c) => '_embedded' in c), false, 'threads only with embed=threads');
  });

  it('truncates chat thread bodies in the list; the threads endpoint and the single GET have them whole', async () => {
    const id = withChat();
    const rec = sb.store.mailbox.conversations.get(id);
    const list = await api.json(`/conversations?status=all&number=${rec?.number}&embed=threads`);
    const conv = (list._embedded?.['conversations'] ?? [])[0];
    const embedded = ((conv?.['_embedded'] as Json | undefined)?.['threads'] ?? []) as Json[];
    const own = (await api.json(`/conversations/${id}/threads`))._embedded?.['threads'] ?? [];
    assert.equal(embedded.length, own.length, 'no thread is left out');
    for (const [i, t] of embedded.entries()) {
      const whole = own[i] ?? {};
      assert.equal(t['id'], whole['id']);
      if (t['type'] === 'chat') {
        assert.notEqual(t['body'], whole['body']);
        assert.ok(String(t['body']).length <= EMBEDDED_CHAT_CHARS + 1, String(t['body']));
        assert.ok(String(t['body']).endsWith('…'));
      } else {
        assert.deepEqual(t, whole, 'other threads are embedded whole');
      }
    }
    const single = await api.json(`/conversations/${id}?embed=threads`);
    assert.deepEqual(single._embedded?.['threads'], own);
  });
});
