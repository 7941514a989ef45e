// Types for domino, the HTML parser turndown uses under Node. Its own typings
// declare a module named 'domino', which does not match the package name.
declare module '@mixmark-io/domino' {
  export function createDocument(html?: string): unknown;
}
