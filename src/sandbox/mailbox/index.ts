// The Mailbox API 2.0 module: routes `/v2/...` requests (prefix already
// stripped, token already checked by the server) to the resource handlers.
import { Router } from '../router';
import type { SandboxRequest, SandboxResponse } from '../types';
import { registerAccount } from './account';
import type { MailboxHandler } from './context';
import { registerConversations } from './conversations';
import { registerCustomers } from './customers';
import { MailboxError, VND_ERROR, logRef, notFound, unsupportedMediaType } from './hal';
import type { MailboxStore } from './model';
import { registerThreads } from './threads';

export type MailboxApi = (req: SandboxRequest, userId: number) => Promise<SandboxResponse>;

export function createMailboxApi(getStore: () => MailboxStore, now: () => Date): MailboxApi {
  const router = new Router<MailboxHandler>();
  registerConversations(router);
  registerThreads(router);
  registerCustomers(router);
  registerAccount(router);

  return async (req, userId) => {
    try {
      const m = router.match(req.method, req.path);
      if (m === undefined) throw notFound(`No resource at ${req.path}`);
      if ('methodNotAllowed' in m) {
        return { status: 405, headers: { 'Content-Type': VND_ERROR }, body: { logRef: logRef(), message: `Method ${req.method} not allowed` } };
      }
      if (req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH') {
        const type = String(req.headers['content-type'] ?? '').toLowerCase();
        if (!/^application\/([a-z.+-]*\+)?json\b/.test(type)) throw unsupportedMediaType();
      }
      return await m.handler({ req, store: getStore(), userId, params: m.params, base: req.baseUrl, now });
    } catch (e) {
      if (e instanceof MailboxError) return e.response;
      throw e;
    }
  };
}
