// Every command, view and context key the extension uses, in one place, so
// package.json and code cannot drift apart silently (scripts/check-commands.mjs
// checks the commands).

export const Commands = {
  showLog: 'helpscout.showLog',
  // Connecting (registered by src/extension/auth)
  signIn: 'helpscout.signIn',
  signOut: 'helpscout.signOut',
  setDocsApiKey: 'helpscout.setDocsApiKey',
  testDocsApiKey: 'helpscout.testDocsApiKey',
  clearDocsApiKey: 'helpscout.clearDocsApiKey',
  importConnectionString: 'helpscout.importConnectionString',
  copyCallbackUrl: 'helpscout.copyCallbackUrl',
  setClientSecret: 'helpscout.setClientSecret',
  connectionActions: 'helpscout.connectionActions',
  /** Internal (hidden from the palette): lets automated tests play the browser during sign-in. */
  authTestHooks: 'helpscout.internal.authTestHooks',
} as const;

/** Context keys for `when` clauses (viewsWelcome, menus). */
export const ContextKeys = {
  mailboxConnected: 'helpscout.mailboxConnected',
  docsConnected: 'helpscout.docsConnected',
} as const;

export const Views = {
  container: 'helpscout',
  mailboxes: 'helpscout.mailboxes',
  docs: 'helpscout.docs',
  customers: 'helpscout.customers',
} as const;

export const Settings = {
  section: 'helpscout',
  mailboxBaseUrl: 'mailbox.baseUrl',
  docsBaseUrl: 'docs.baseUrl',
  authorizeUrl: 'oauth.authorizeUrl',
} as const;
