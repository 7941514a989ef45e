// Every command, view and context key the extension uses, in one place, so
// package.json and code cannot drift apart silently (scripts/check-commands.mjs
// checks the commands).

export const Commands = {
  showLog: 'helpscout.showLog',
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
