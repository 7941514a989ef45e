// The Docs API v1 surface: schemas and the typed client.
export * from './client';
export * from './schemas';
