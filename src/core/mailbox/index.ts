// The Mailbox API 2.0 surface: schemas, the typed client and the search-query builder.
export * from './client';
export * from './query';
export * from './schemas';
