// Mailbox API 2.0 tables. Wire names follow helpscout-api.md §1; column names
// are the PascalCase of the wire names, with flattened scalars for the nested
// objects people filter on (assignee, primaryCustomer) and JSON text for lists.
import { col, computed, jsonCol, paramCol, parentCol, pick } from './columns';
import type { ApiObject, KeyColumn, ListEndpoint, TableDef } from './types';

const PAGE = 50;

function key(
  column: string,
  ops: KeyColumn['ops'],
  target: KeyColumn['target'],
  valueType: KeyColumn['valueType'],
  multi: KeyColumn['multi'],
  exact: boolean,
  more: Partial<Pick<KeyColumn, 'values' | 'note' | 'valuesFrom' | 'elementOf' | 'rangeSearch' | 'unique'>> = {},
): KeyColumn {
  return { column, ops, target, valueType, multi, exact, ...more };
}

const getById = (column = 'Id'): KeyColumn => key(column, ['=', 'IN'], { in: 'get' }, 'int', 'each', true);

function list(path: string, embedded: string, parent?: ListEndpoint['parent']): ListEndpoint {
  return { path, envelope: [`_embedded.${embedded}`], pageSize: PAGE, paged: true, ...(parent ? { parent } : {}) };
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function tagNames(item: ApiObject): string[] {
  return arr(item['tags']).map((t) => pick(t, 'tag')).filter((t): t is string => typeof t === 'string');
}

/** Latest of the visible timestamps; see the ModifiedAt column description. */
function conversationModifiedAt(item: ApiObject): unknown {
  const explicit = item['modifiedAt'];
  if (typeof explicit === 'string') return explicit;
  const candidates = [item['userUpdatedAt'], pick(item, 'customerWaitingSince.time'), item['closedAt'], item['createdAt']]
    .filter((v): v is string => typeof v === 'string');
  return candidates.sort().at(-1);
}

const conversations: TableDef = {
  name: 'Conversations',
  description: 'Conversations (tickets) in all mailboxes the token can see. Without a Status filter every status is fetched (status=all).',
  api: 'mailbox',
  primaryKey: ['Id'],
  list: [list('/conversations', 'conversations')],
  get: { path: '/conversations/{id}', envelope: '', column: 'Id' },
  defaults: { status: 'all' },
  typicalPages: 20,
  columns: [
    col('Id', 'INTEGER', 'id', 'Conversation id.'),
    col('Number', 'INTEGER', 'number', 'Conversation number shown in the Help Scout UI.'),
    col('Subject', 'TEXT', 'subject', 'Subject line.'),
    col('Preview', 'TEXT', 'preview', 'Start of the latest thread.'),
    col('Type', 'TEXT', 'type', 'email, chat or phone.'),
    col('Status', 'TEXT', 'status', 'active, pending, closed or spam.'),
    col('State', 'TEXT', 'state', 'published, draft or deleted.'),
    col('MailboxId', 'INTEGER', 'mailboxId', 'Mailbox (inbox) id.'),
    col('FolderId', 'INTEGER', 'folderId', 'Folder id.'),
    col('ThreadCount', 'INTEGER', 'threads', 'Number of threads.'),
    col('AssigneeId', 'INTEGER', 'assignee.id', 'Assigned user or team id.'),
    col('AssigneeType', 'TEXT', 'assignee.type', 'user or team.'),
    col('AssigneeFirstName', 'TEXT', 'assignee.first', 'Assignee first name.'),
    col('AssigneeLastName', 'TEXT', 'assignee.last', 'Assignee last name.'),
    col('AssigneeEmail', 'TEXT', 'assignee.email', 'Assignee email.'),
    col('CustomerId', 'INTEGER', 'primaryCustomer.id', 'Primary customer id.'),
    col('CustomerEmail', 'TEXT', 'primaryCustomer.email', 'Primary customer email.'),
    col('CustomerFirstName', 'TEXT', 'primaryCustomer.first', 'Primary customer first name.'),
    col('CustomerLastName', 'TEXT', 'primaryCustomer.last', 'Primary customer last name.'),
    col('CreatedById', 'INTEGER', 'createdBy.id', 'Id of the customer or user who created it.'),
    col('CreatedByType', 'TEXT', 'createdBy.type', 'customer or user.'),
    col('CreatedByEmail', 'TEXT', 'createdBy.email', 'Creator email.'),
    col('CreatedAt', 'DATETIME', 'createdAt', 'Creation time (UTC).'),
    col('ClosedAt', 'DATETIME', 'closedAt', 'Closing time (UTC).'),
    col('ClosedBy', 'INTEGER', 'closedBy', 'Id of the user who closed it (0 when none).'),
    col('UserUpdatedAt', 'DATETIME', 'userUpdatedAt', 'Last change by a user.'),
    computed(
      'ModifiedAt',
      'DATETIME',
      'Last modification: the API\'s modifiedAt when present, else the latest of UserUpdatedAt, CustomerWaitingSince, ClosedAt and CreatedAt. Filters on it push down as modifiedSince, or query=(modifiedAt:[A TO B]) with an upper bound (a superset).',
      conversationModifiedAt,
    ),
    col('CustomerWaitingSince', 'DATETIME', 'customerWaitingSince.time', 'Since when the customer waits for a reply.'),
    col('LatestReplyFrom', 'TEXT', 'customerWaitingSince.latestReplyFrom', 'customer or user.'),
    col('SourceType', 'TEXT', 'source.type', 'email, web, api, chat, beacon, ...'),
    col('SourceVia', 'TEXT', 'source.via', 'customer or user.'),
    computed('Tags', 'TEXT', 'Tag names as a JSON array; use json_each(Tags).', (item) => tagNames(item), { json: true }),
    computed(
      'Tag',
      'TEXT',
      'Filter column: with Tag = \'x\' or Tag IN (...) it holds the first matching tag; otherwise the first tag. One value per row, so use json_each(Tags) for "has all of these tags".',
      (item, ctx) => {
        const names = tagNames(item);
        const wanted = ctx.literals['Tag'] ?? [];
        return names.find((n) => wanted.includes(n)) ?? names[0];
      },
      { echoLiterals: true },
    ),
    jsonCol('Cc', 'cc', 'Cc addresses (JSON array).'),
    jsonCol('Bcc', 'bcc', 'Bcc addresses (JSON array).'),
    jsonCol('CustomFields', 'customFields', 'Custom field values [{id,name,value,text}] (JSON).'),
    col('SnoozedUntil', 'DATETIME', 'snooze.snoozedUntil', 'Snoozed until.'),
    col('WebUrl', 'TEXT', '_links.web.href', 'Link to the conversation in Help Scout.'),
  ],
  keys: [
    getById(),
    key('MailboxId', ['=', 'IN'], { in: 'query', name: 'mailbox' }, 'int', 'comma', true, { valuesFrom: { table: 'Mailboxes', column: 'Id' } }),
    key('FolderId', ['=', 'IN'], { in: 'query', name: 'folder' }, 'int', 'each', true, { valuesFrom: { table: 'MailboxFolders', column: 'Id' } }),
    key('Status', ['=', 'IN'], { in: 'query', name: 'status' }, 'string', 'each', true, {
      values: ['active', 'pending', 'closed', 'spam'],
      note: 'The API also takes open and all; rows never hold those values.',
    }),
    key('Tag', ['=', 'IN'], { in: 'query', name: 'tag' }, 'string', 'comma', true, { valuesFrom: { table: 'Tags', column: 'Name' }, elementOf: 'Tags' }),
    key('AssigneeId', ['=', 'IN'], { in: 'query', name: 'assigned_to' }, 'int', 'each', true),
    key('ModifiedAt', ['>', '>=', '<', '<=', 'BETWEEN'], { in: 'query', name: 'modifiedSince' }, 'datetime', 'each', false, {
      rangeSearch: 'modifiedAt',
      note: 'A lower bound alone goes as modifiedSince; with an upper bound both go as query=(modifiedAt:[A TO B]).',
    }),
    key('Number', ['=', 'IN'], { in: 'query', name: 'number' }, 'int', 'each', true, { unique: true }),
    key('Subject', ['LIKE'], { in: 'search', field: 'subject' }, 'string', 'each', false, {
      note: 'LIKE \'%word%\' becomes query=(subject:"word"); Help Scout search matches words, not substrings.',
    }),
    key('CustomerEmail', ['='], { in: 'search', field: 'email' }, 'string', 'each', false),
    key('CreatedAt', ['>', '>=', '<', '<=', 'BETWEEN'], { in: 'search', field: 'createdAt' }, 'datetime', 'each', false),
  ],
  sort: {
    fieldParam: 'sortField',
    orderParam: 'sortOrder',
    columns: { CreatedAt: 'createdAt', Number: 'number', MailboxId: 'mailboxid' },
  },
  write: {
    insert: 'POST /conversations',
    update: 'PATCH /conversations/{id} (Subject, Status, AssigneeId, MailboxId); PUT /conversations/{id}/tags (Tags)',
    delete: 'DELETE /conversations/{id}',
  },
};

const threads: TableDef = {
  name: 'Threads',
  description: 'Threads (messages, notes, line items) of a conversation, newest first.',
  api: 'mailbox',
  primaryKey: ['ConversationId', 'Id'],
  list: [
    list('/conversations/{conversationId}/threads', 'threads', {
      column: 'ConversationId',
      param: 'conversationId',
      table: 'Conversations',
      parentColumn: 'Id',
    }),
  ],
  typicalPages: 1,
  columns: [
    col('Id', 'INTEGER', 'id', 'Thread id.'),
    computed('ConversationId', 'INTEGER', 'Conversation the thread belongs to.', (_item, ctx) => ctx.params['conversationId'] ?? pick(ctx.parent, 'id')),
    col('Type', 'TEXT', 'type', 'customer, reply, note, phone, chat, lineitem, ...'),
    col('Status', 'TEXT', 'status', 'Conversation status set by this thread.'),
    col('State', 'TEXT', 'state', 'published, draft, ...'),
    col('Body', 'TEXT', 'body', 'HTML body.'),
    col('ActionType', 'TEXT', 'action.type', 'Line item action type.'),
    col('ActionText', 'TEXT', 'action.text', 'Line item text.'),
    col('SourceType', 'TEXT', 'source.type', 'Source type.'),
    col('SourceVia', 'TEXT', 'source.via', 'customer or user.'),
    col('CustomerId', 'INTEGER', 'customer.id', 'Customer id.'),
    col('CustomerEmail', 'TEXT', 'customer.email', 'Customer email.'),
    col('CreatedById', 'INTEGER', 'createdBy.id', 'Author id.'),
    col('CreatedByType', 'TEXT', 'createdBy.type', 'user or customer.'),
    col('CreatedByEmail', 'TEXT', 'createdBy.email', 'Author email.'),
    col('AssignedToId', 'INTEGER', 'assignedTo.id', 'Assignee id set by this thread.'),
    col('SavedReplyId', 'INTEGER', 'savedReplyId', 'Saved reply used (0 when none).'),
    jsonCol('To', 'to', 'To addresses (JSON array).'),
    jsonCol('Cc', 'cc', 'Cc addresses (JSON array).'),
    jsonCol('Bcc', 'bcc', 'Bcc addresses (JSON array).'),
    col('CreatedAt', 'DATETIME', 'createdAt', 'Creation time.'),
    col('OpenedAt', 'DATETIME', 'openedAt', 'When the customer viewed the reply.'),
    jsonCol('Attachments', '_embedded.attachments', 'Attachments [{id,filename,mimeType,size,...}] (JSON).'),
  ],
  keys: [key('ConversationId', ['=', 'IN'], { in: 'path', name: 'conversationId' }, 'int', 'each', true)],
  // helpscout-api.md, list parameters: `embed=threads` "embeds threads under each conversation's
  // _embedded.threads (chat threads truncated)". The notes do not say what is cut; we read it as
  // the body of a chat thread (a transcript) and also check the conversation's `threads` count,
  // so a list cut short is caught too. Either way the conversation's own threads are fetched.
  embeddedIn: {
    table: 'Conversations', parentColumn: 'Id', column: 'ConversationId', query: { embed: 'threads' }, path: '_embedded.threads',
    countField: 'threads', incomplete: { field: 'type', values: ['chat'], columns: ['Body'] },
  },
  write: { insert: 'POST /conversations/{id}/reply | /notes | /customer | /phones | /chats', update: 'PATCH /conversations/{id}/threads/{threadId}' },
};

const conversationCustomFields: TableDef = {
  name: 'ConversationCustomFields',
  description: 'Custom field values of conversations, one row per field (taken from the conversation objects).',
  api: 'mailbox',
  primaryKey: ['ConversationId', 'FieldId'],
  list: [list('/conversations', 'conversations')],
  get: { path: '/conversations/{id}', envelope: '', column: 'ConversationId' },
  defaults: { status: 'all' },
  explode: (item) => arr(item['customFields']) as ApiObject[],
  typicalPages: 20,
  columns: [
    parentCol('ConversationId', 'INTEGER', 'id', 'Conversation id.'),
    parentCol('MailboxId', 'INTEGER', 'mailboxId', 'Mailbox of the conversation.'),
    col('FieldId', 'INTEGER', 'id', 'Custom field id.'),
    col('Name', 'TEXT', 'name', 'Field name.'),
    col('Value', 'TEXT', 'value', 'Raw value (option id for dropdowns).'),
    col('Text', 'TEXT', 'text', 'Display text.'),
  ],
  keys: [
    getById('ConversationId'),
    key('MailboxId', ['=', 'IN'], { in: 'query', name: 'mailbox' }, 'int', 'comma', true),
  ],
  write: { update: 'PUT /conversations/{id}/fields (replaces all values)' },
};

/** Customer-entry tables read `_embedded.<name>` of each customer object. */
function customerEntryTable(
  name: string,
  embedded: string,
  description: string,
  columns: TableDef['columns'],
  extraKeys: KeyColumn[] = [],
  write?: TableDef['write'],
): TableDef {
  return {
    name,
    description: `${description} Taken from each customer's embedded entries.`,
    api: 'mailbox',
    primaryKey: ['CustomerId', ...(columns.some((c) => c.name === 'Id') ? ['Id'] : [])],
    list: [list('/customers', 'customers')],
    get: { path: '/customers/{id}', envelope: '', column: 'CustomerId' },
    explode: (item) => {
      const v = pick(item, `_embedded.${embedded}`);
      if (Array.isArray(v)) return v as ApiObject[];
      return v !== null && typeof v === 'object' ? [v as ApiObject] : [];
    },
    detail: { path: '/customers/{id}', envelope: '', idField: 'id', when: 'missingEmbedded' },
    typicalPages: 20,
    columns: [parentCol('CustomerId', 'INTEGER', 'id', 'Customer id.'), ...columns],
    keys: [getById('CustomerId'), ...extraKeys],
    ...(write ? { write } : {}),
  };
}

const entryColumns = (kind: string): TableDef['columns'] => [
  col('Id', 'INTEGER', 'id', `${kind} entry id.`),
  col('Value', 'TEXT', 'value', `${kind}.`),
  col('Type', 'TEXT', 'type', `${kind} type.`),
];

const entryWrite = (path: string): TableDef['write'] => ({
  insert: `POST /customers/{id}/${path}`,
  update: `PUT /customers/{id}/${path}/{entryId}`,
  delete: `DELETE /customers/{id}/${path}/{entryId}`,
});

function firstEmail(item: ApiObject): unknown {
  const emails = pick(item, '_embedded.emails');
  return Array.isArray(emails) ? pick(emails[0], 'value') : undefined;
}

const customers: TableDef = {
  name: 'Customers',
  description: 'Customers. Entries (emails, phones, ...) are JSON columns here and rows in the Customer* tables.',
  api: 'mailbox',
  primaryKey: ['Id'],
  list: [list('/customers', 'customers')],
  get: { path: '/customers/{id}', envelope: '', column: 'Id' },
  typicalPages: 20,
  columns: [
    col('Id', 'INTEGER', 'id', 'Customer id.'),
    col('FirstName', 'TEXT', 'firstName', 'First name.'),
    col('LastName', 'TEXT', 'lastName', 'Last name.'),
    computed('Email', 'TEXT', 'First email address.', firstEmail),
    col('Gender', 'TEXT', 'gender', 'male, female or unknown.'),
    col('JobTitle', 'TEXT', 'jobTitle', 'Job title.'),
    col('Location', 'TEXT', 'location', 'Location.'),
    col('Organization', 'TEXT', 'organization', 'Organization name (deprecated by Help Scout).'),
    col('OrganizationId', 'INTEGER', 'organizationId', 'Organization id.'),
    col('PhotoType', 'TEXT', 'photoType', 'Photo source.'),
    col('PhotoUrl', 'TEXT', 'photoUrl', 'Photo URL.'),
    col('Background', 'TEXT', 'background', 'Notes.'),
    col('Age', 'TEXT', 'age', 'Age range.'),
    col('CreatedAt', 'DATETIME', 'createdAt', 'Creation time.'),
    col('UpdatedAt', 'DATETIME', 'updatedAt', 'Last update. Filters push down as modifiedSince, or query=(modifiedAt:[A TO B]) with an upper bound.'),
    jsonCol('Emails', '_embedded.emails', 'Email entries (JSON).'),
    jsonCol('Phones', '_embedded.phones', 'Phone entries (JSON).'),
    jsonCol('Chats', '_embedded.chats', 'Chat handles (JSON).'),
    jsonCol('SocialProfiles', '_embedded.social_profiles', 'Social profiles (JSON).'),
    jsonCol('Websites', '_embedded.websites', 'Websites (JSON).'),
    jsonCol('Address', '_embedded.address', 'Address (JSON).'),
    jsonCol('Properties', '_embedded.properties', 'Customer property values (JSON).'),
  ],
  keys: [
    getById(),
    key('FirstName', ['='], { in: 'query', name: 'firstName' }, 'string', 'each', false),
    key('LastName', ['='], { in: 'query', name: 'lastName' }, 'string', 'each', false),
    key('UpdatedAt', ['>', '>=', '<', '<=', 'BETWEEN'], { in: 'query', name: 'modifiedSince' }, 'datetime', 'each', false, {
      rangeSearch: 'modifiedAt',
      note: 'A lower bound alone goes as modifiedSince; with an upper bound both go as query=(modifiedAt:[A TO B]).',
    }),
    key('Email', ['='], { in: 'search', field: 'email' }, 'string', 'each', false),
  ],
  write: { insert: 'POST /customers', update: 'PATCH /customers/{id} (JSON Patch array)', delete: 'DELETE /customers/{id}' },
};

const emailKey = key('Value', ['='], { in: 'search', field: 'email' }, 'string', 'each', false);

const customerTables: TableDef[] = [
  customerEntryTable('CustomerEmails', 'emails', 'Customer email addresses.', entryColumns('Email'), [emailKey], entryWrite('emails')),
  customerEntryTable('CustomerPhones', 'phones', 'Customer phone numbers.', entryColumns('Phone'), [], entryWrite('phones')),
  customerEntryTable('CustomerChats', 'chats', 'Customer chat handles.', entryColumns('Chat handle'), [], entryWrite('chats')),
  customerEntryTable('CustomerSocialProfiles', 'social_profiles', 'Customer social profiles.', entryColumns('Social profile'), [], entryWrite('social-profiles')),
  customerEntryTable(
    'CustomerWebsites',
    'websites',
    'Customer websites.',
    [col('Id', 'INTEGER', 'id', 'Website entry id.'), col('Value', 'TEXT', 'value', 'URL.')],
    [],
    entryWrite('websites'),
  ),
  customerEntryTable(
    'CustomerAddresses',
    'address',
    'Customer postal address (at most one per customer).',
    [
      col('City', 'TEXT', 'city', 'City.'),
      jsonCol('Lines', 'lines', 'Street lines (JSON array).'),
      col('State', 'TEXT', 'state', 'State or region.'),
      col('PostalCode', 'TEXT', 'postalCode', 'Postal code.'),
      col('Country', 'TEXT', 'country', 'Two-letter country code.'),
    ],
    [],
    { insert: 'POST /customers/{id}/address', update: 'PUT /customers/{id}/address', delete: 'DELETE /customers/{id}/address' },
  ),
  customerEntryTable(
    'CustomerProperties',
    'properties',
    'Customer property values.',
    [
      col('Slug', 'TEXT', 'slug', 'Property slug.'),
      col('Name', 'TEXT', 'name', 'Property name.'),
      col('Type', 'TEXT', 'type', 'number, text, url, date or dropdown.'),
      col('Value', 'TEXT', 'value', 'Value.'),
      col('Source', 'TEXT', 'source', 'Where the value came from.'),
    ],
    [],
    { update: 'PATCH /customers/{id}/properties' },
  ),
];
// CustomerProperties has no entry id: its rows are keyed by the slug.
const propsIndex = customerTables.findIndex((t) => t.name === 'CustomerProperties');
const props = customerTables[propsIndex];
if (props) customerTables[propsIndex] = { ...props, primaryKey: ['CustomerId', 'Slug'] };

const mailboxes: TableDef = {
  name: 'Mailboxes',
  description: 'Mailboxes (inboxes).',
  api: 'mailbox',
  primaryKey: ['Id'],
  list: [list('/mailboxes', 'mailboxes')],
  get: { path: '/mailboxes/{id}', envelope: '', column: 'Id' },
  typicalPages: 1,
  columns: [
    col('Id', 'INTEGER', 'id', 'Mailbox id.'),
    col('Name', 'TEXT', 'name', 'Name.'),
    col('Slug', 'TEXT', 'slug', 'Opaque slug.'),
    col('Email', 'TEXT', 'email', 'Mailbox address.'),
    col('CreatedAt', 'DATETIME', 'createdAt', 'Creation time.'),
    col('UpdatedAt', 'DATETIME', 'updatedAt', 'Last update.'),
  ],
  keys: [getById()],
};

const mailboxParent = { column: 'MailboxId', param: 'mailboxId', table: 'Mailboxes', parentColumn: 'Id' };

const mailboxFolders: TableDef = {
  name: 'MailboxFolders',
  description: 'Folders of a mailbox.',
  api: 'mailbox',
  primaryKey: ['MailboxId', 'Id'],
  list: [list('/mailboxes/{mailboxId}/folders', 'folders', mailboxParent)],
  typicalPages: 1,
  columns: [
    paramCol('MailboxId', 'INTEGER', 'mailboxId', 'Mailbox id.'),
    col('Id', 'INTEGER', 'id', 'Folder id.'),
    col('Name', 'TEXT', 'name', 'Name.'),
    col('Type', 'TEXT', 'type', 'Folder type (mytickets, ...).'),
    col('UserId', 'INTEGER', 'userId', 'Owner of a personal folder.'),
    col('TotalCount', 'INTEGER', 'totalCount', 'Conversations in the folder.'),
    col('ActiveCount', 'INTEGER', 'activeCount', 'Active conversations in the folder.'),
    col('UpdatedAt', 'DATETIME', 'updatedAt', 'Last update.'),
  ],
  keys: [key('MailboxId', ['=', 'IN'], { in: 'path', name: 'mailboxId' }, 'int', 'each', true)],
};

const mailboxFields: TableDef = {
  name: 'MailboxFields',
  description: 'Custom field definitions of a mailbox.',
  api: 'mailbox',
  primaryKey: ['MailboxId', 'Id'],
  list: [list('/mailboxes/{mailboxId}/fields', 'fields', mailboxParent)],
  typicalPages: 1,
  columns: [
    paramCol('MailboxId', 'INTEGER', 'mailboxId', 'Mailbox id.'),
    col('Id', 'INTEGER', 'id', 'Field id.'),
    col('Name', 'TEXT', 'name', 'Name.'),
    col('Type', 'TEXT', 'type', 'dropdown, singleline, multiline, date or number.'),
    col('Order', 'INTEGER', 'order', 'Display order.'),
    col('Required', 'BOOLEAN', 'required', 'Required field.'),
    jsonCol('Options', 'options', 'Dropdown options [{id,order,label}] (JSON).'),
  ],
  keys: [key('MailboxId', ['=', 'IN'], { in: 'path', name: 'mailboxId' }, 'int', 'each', true)],
};

const userColumns: TableDef['columns'] = [
  col('FirstName', 'TEXT', 'firstName', 'First name.'),
  col('LastName', 'TEXT', 'lastName', 'Last name.'),
  col('Email', 'TEXT', 'email', 'Email.'),
  col('Role', 'TEXT', 'role', 'owner, admin or user.'),
  col('Timezone', 'TEXT', 'timezone', 'IANA time zone.'),
  col('PhotoUrl', 'TEXT', 'photoUrl', 'Photo URL.'),
  col('Type', 'TEXT', 'type', 'user.'),
  col('Mention', 'TEXT', 'mention', '@mention handle.'),
  col('Initials', 'TEXT', 'initials', 'Initials.'),
  col('JobTitle', 'TEXT', 'jobTitle', 'Job title.'),
  col('Phone', 'TEXT', 'phone', 'Phone.'),
  jsonCol('AlternateEmails', 'alternateEmails', 'Other addresses (JSON array).'),
  col('CreatedAt', 'DATETIME', 'createdAt', 'Creation time.'),
  col('UpdatedAt', 'DATETIME', 'updatedAt', 'Last update.'),
];

const users: TableDef = {
  name: 'Users',
  description: 'Users of the account (including invited users).',
  api: 'mailbox',
  primaryKey: ['Id', 'MailboxId'],
  list: [list('/users', 'users')],
  get: { path: '/users/{id}', envelope: '', column: 'Id' },
  typicalPages: 1,
  columns: [
    col('Id', 'INTEGER', 'id', 'User id.'),
    ...userColumns,
    computed(
      'MailboxId',
      'INTEGER',
      'Filter column: set only when the query filters MailboxId = n or IN (...) (the users of that mailbox); NULL otherwise.',
      (_item, ctx) => ctx.params['mailbox'],
      { requestEcho: true },
    ),
  ],
  keys: [
    getById(),
    key('Email', ['='], { in: 'query', name: 'email' }, 'string', 'each', false),
    key('MailboxId', ['=', 'IN'], { in: 'query', name: 'mailbox' }, 'int', 'each', true),
  ],
};

const teams: TableDef = {
  name: 'Teams',
  description: 'Teams.',
  api: 'mailbox',
  primaryKey: ['Id'],
  list: [list('/teams', 'teams')],
  typicalPages: 1,
  columns: [
    col('Id', 'INTEGER', 'id', 'Team id.'),
    col('Name', 'TEXT', 'name', 'Name.'),
    col('Timezone', 'TEXT', 'timezone', 'IANA time zone.'),
    col('PhotoUrl', 'TEXT', 'photoUrl', 'Photo URL.'),
    col('Mention', 'TEXT', 'mention', '@mention handle.'),
    col('Initials', 'TEXT', 'initials', 'Initials.'),
    col('CreatedAt', 'DATETIME', 'createdAt', 'Creation time.'),
    col('UpdatedAt', 'DATETIME', 'updatedAt', 'Last update.'),
  ],
  keys: [],
};

const teamMembers: TableDef = {
  name: 'TeamMembers',
  description: 'Members of a team (user objects).',
  api: 'mailbox',
  primaryKey: ['TeamId', 'UserId'],
  list: [list('/teams/{teamId}/members', 'users', { column: 'TeamId', param: 'teamId', table: 'Teams', parentColumn: 'Id' })],
  typicalPages: 1,
  columns: [paramCol('TeamId', 'INTEGER', 'teamId', 'Team id.'), col('UserId', 'INTEGER', 'id', 'User id.'), ...userColumns],
  keys: [key('TeamId', ['=', 'IN'], { in: 'path', name: 'teamId' }, 'int', 'each', true)],
};

const tags: TableDef = {
  name: 'Tags',
  description: 'Tags, alphabetical.',
  api: 'mailbox',
  primaryKey: ['Id'],
  list: [list('/tags', 'tags')],
  get: { path: '/tags/{id}', envelope: '', column: 'Id' },
  typicalPages: 1,
  columns: [
    col('Id', 'INTEGER', 'id', 'Tag id.'),
    col('Slug', 'TEXT', 'slug', 'Slug.'),
    col('Name', 'TEXT', 'name', 'Name (the value in Conversations.Tags).'),
    col('Color', 'TEXT', 'color', 'Colour name or hex.'),
    col('TicketCount', 'INTEGER', 'ticketCount', 'Conversations with the tag.'),
    col('CreatedAt', 'DATETIME', 'createdAt', 'Creation time.'),
    col('UpdatedAt', 'DATETIME', 'updatedAt', 'Last update.'),
  ],
  keys: [getById()],
};

const workflows: TableDef = {
  name: 'Workflows',
  description: 'Workflows (manual and automatic).',
  api: 'mailbox',
  primaryKey: ['Id'],
  list: [list('/workflows', 'workflows')],
  typicalPages: 1,
  columns: [
    col('Id', 'INTEGER', 'id', 'Workflow id.'),
    col('MailboxId', 'INTEGER', 'mailboxId', 'Mailbox id.'),
    col('Type', 'TEXT', 'type', 'manual or automatic.'),
    col('Status', 'TEXT', 'status', 'active, inactive or invalid.'),
    col('Order', 'INTEGER', 'order', 'Order.'),
    col('Name', 'TEXT', 'name', 'Name.'),
    col('CreatedAt', 'DATETIME', 'createdAt', 'Creation time.'),
    col('ModifiedAt', 'DATETIME', 'modifiedAt', 'Last change.'),
  ],
  keys: [
    key('MailboxId', ['=', 'IN'], { in: 'query', name: 'mailboxId' }, 'int', 'each', true),
    key('Type', ['=', 'IN'], { in: 'query', name: 'type' }, 'string', 'each', true, { values: ['manual', 'automatic'] }),
  ],
  write: { update: 'PATCH /workflows/{id} (Status)', note: 'POST /workflows/{id}/run runs a manual workflow.' },
};

const webhooks: TableDef = {
  name: 'Webhooks',
  description: 'Webhooks. The signing secret is not exposed.',
  api: 'mailbox',
  primaryKey: ['Id'],
  list: [list('/webhooks', 'webhooks')],
  get: { path: '/webhooks/{id}', envelope: '', column: 'Id' },
  typicalPages: 1,
  columns: [
    col('Id', 'INTEGER', 'id', 'Webhook id.'),
    col('Url', 'TEXT', 'url', 'Target URL.'),
    jsonCol('Events', 'events', 'Event names (JSON array).'),
    col('State', 'TEXT', 'state', 'enabled or disabled.'),
    col('Notification', 'BOOLEAN', 'notification', 'Notification flag.'),
    col('Label', 'TEXT', 'label', 'Label.'),
    col('PayloadVersion', 'TEXT', 'payloadVersion', 'Payload version (V2).'),
    jsonCol('MailboxIds', 'mailboxIds', 'Mailbox ids (JSON array).'),
  ],
  keys: [getById()],
  write: { insert: 'POST /webhooks', update: 'PUT /webhooks/{id}', delete: 'DELETE /webhooks/{id}' },
};

export const mailboxTables: readonly TableDef[] = [
  mailboxes,
  mailboxFolders,
  mailboxFields,
  conversations,
  threads,
  conversationCustomFields,
  customers,
  ...customerTables,
  users,
  teams,
  teamMembers,
  tags,
  workflows,
  webhooks,
];
