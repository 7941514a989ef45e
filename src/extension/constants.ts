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
  // Queries (registered by src/extension/query)
  queryRun: 'helpscout.query.run',
  queryRunSaved: 'helpscout.query.runSaved',
  queryExplain: 'helpscout.query.explain',
  queryNewFile: 'helpscout.query.newFile',
  queryRunStatement: 'helpscout.query.runStatement',
  queryExplainStatement: 'helpscout.query.explainStatement',
  querySave: 'helpscout.query.save',
  queryRunItem: 'helpscout.query.runItem',
  queryOpenItem: 'helpscout.query.openItem',
  queryDeleteItem: 'helpscout.query.deleteItem',
  queryClearHistory: 'helpscout.query.clearHistory',
  queryRefresh: 'helpscout.query.refresh',
  queryExportResults: 'helpscout.query.exportResults',
  queryCancel: 'helpscout.query.cancel',
  // Browsing (registered by src/extension/views and src/extension/conversation)
  refreshMailboxes: 'helpscout.mailboxes.refresh',
  filterMailboxes: 'helpscout.mailboxes.filter',
  clearMailboxFilter: 'helpscout.mailboxes.clearFilter',
  refreshDocs: 'helpscout.docs.refresh',
  filterDocs: 'helpscout.docs.filter',
  clearDocsFilter: 'helpscout.docs.clearFilter',
  refreshCustomers: 'helpscout.customers.refresh',
  searchCustomers: 'helpscout.customers.search',
  clearCustomerSearch: 'helpscout.customers.clearSearch',
  refreshNode: 'helpscout.refreshNode',
  loadMore: 'helpscout.loadMore',
  retry: 'helpscout.retry',
  openConversation: 'helpscout.conversation.open',
  openConversationByNumber: 'helpscout.conversation.openByNumber',
  openConversationInHelpScout: 'helpscout.conversation.openInHelpScout',
  copyConversationLink: 'helpscout.conversation.copyLink',
  copyConversationNumber: 'helpscout.conversation.copyNumber',
  setConversationStatus: 'helpscout.conversation.setStatus',
  assignConversation: 'helpscout.conversation.assign',
  editConversationTags: 'helpscout.conversation.editTags',
  addConversationNote: 'helpscout.conversation.addNote',
  replyToConversation: 'helpscout.conversation.reply',
  browseArticle: 'helpscout.docs.openArticle',
  openArticlePublicUrl: 'helpscout.docs.openPublicUrl',
  copyArticleLink: 'helpscout.docs.copyLink',
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
  docsSearch: 'helpscout.docs.search',
  docsCloneToFolder: 'helpscout.docs.cloneToFolder',
  docsPull: 'helpscout.docs.pull',
  docsPush: 'helpscout.docs.push',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

/** Context keys for `when` clauses (viewsWelcome, menus). */
export const ContextKeys = {
  mailboxConnected: 'helpscout.mailboxConnected',
  docsConnected: 'helpscout.docsConnected',
  mailboxesFiltered: 'helpscout.mailboxesFiltered',
  docsFiltered: 'helpscout.docsFiltered',
  customersFiltered: 'helpscout.customersFiltered',
  /** The active editor is a Docs article's draft (`?draft`). */
  docsActiveIsDraft: 'helpscout.docs.activeIsDraft',
  /** The active editor's Docs article has a draft on the server. */
  docsActiveHasDraft: 'helpscout.docs.activeHasDraft',
} as const;

export const Views = {
  mailboxes: 'helpscout.mailboxes',
  docs: 'helpscout.docs',
  customers: 'helpscout.customers',
  queries: 'helpscout.queries',
} as const;
