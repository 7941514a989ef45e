// What every Mailbox API handler receives: the request, the data, the user the
// access token acts as, and the sandbox clock.
import type { Params, Router } from '../router';
import type { SandboxRequest, SandboxResponse } from '../types';
import type { MailboxStore } from './model';
import { isoSeconds } from './model';

export interface MailboxCtx {
  req: SandboxRequest;
  store: MailboxStore;
  /** The user the access token acts as. */
  userId: number;
  params: Params;
  /** `req.baseUrl`, e.g. `http://127.0.0.1:5055/v2`. */
  base: string;
  now(): Date;
}

export type MailboxHandler = (ctx: MailboxCtx) => SandboxResponse | Promise<SandboxResponse>;
export type MailboxRouter = Router<MailboxHandler>;

export function nowIso(ctx: MailboxCtx): string {
  return isoSeconds(ctx.now());
}
