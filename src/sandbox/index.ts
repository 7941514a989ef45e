// Public entry point of the sandbox: a faithful local Help Scout (Mailbox API
// 2.0, Docs API v1, OAuth2) over seeded data, for tests, benchmarks and the
// demo. Start it with `startSandbox({ port: 0 })` and point the client at the
// returned URLs.
export {
  startSandbox,
  AUTHORIZE_PATH,
  DEMO_CALLBACK_PATH,
  type DocsSizes,
  type RunningSandbox,
  type SandboxCredentials,
  type SandboxData,
  type SandboxInfo,
  type SandboxOptions,
} from './server';
export { defaultKnobs, type Knobs, type KnobsPatch, KnobState } from './knobs';
export { RequestLog, type ApiName, type LogEntry, type LogFilter } from './log';
export { DEFAULT_MAILBOX_SIZES, DEFAULT_SEED_DATE, HOSTILE_SUBJECT, type MailboxSizes } from './seed/mailbox';
export type * from './mailbox/model';
export { conversationModifiedAt } from './mailbox/model';
