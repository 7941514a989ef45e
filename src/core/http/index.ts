// The HTTP layer's public surface. `createNodeFetch` lives in ./node (it
// imports undici, which the extension bundle does not need).
export * from './client';
export * from './governor';
export * from './redact';
export * from './types';
export * from './paging';
