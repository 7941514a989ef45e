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
  // Docs articles as files (registered by src/extension/docsfs)
  openArticle: 'helpscout.openArticle',
  docsOpenWorkspaceFolder: 'helpscout.docs.openAsWorkspaceFolder',
  docsNewArticle: 'helpscout.docs.newArticle',
  docsSaveAsDraft: 'helpscout.docs.saveAsDraft',
  docsPublish: 'helpscout.docs.publish',
  docsDiscardDraft: 'helpscout.docs.discardDraft',
  docsOpenDraft: 'helpscout.docs.openDraft',
  docsOpenPublished: 'helpscout.docs.openPublished',
  docsRestoreVersion: 'helpscout.docs.restorePreviousVersion',
  docsCompareWithServer: 'helpscout.docs.compareWithServer',
  docsDeleteArticle: 'helpscout.docs.deleteArticle',
  docsOverwrite: 'helpscout.docs.overwrite',
  docsSaveDiscardingDraft: 'helpscout.docs.saveDiscardingDraft',
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
