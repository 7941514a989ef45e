// A small typed view of the DOM that domino (the HTML parser turndown itself
// uses under Node) builds. Core compiles without the DOM library, so these
// interfaces name only what the article converter touches. Parsing runs each
// time an article is converted or compared, never at import time.
import * as domino from '@mixmark-io/domino';

export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;
export const COMMENT_NODE = 8;

export interface DomNode {
  readonly nodeType: number;
  /** Upper case for HTML elements ("P"), "#text" for text. */
  readonly nodeName: string;
  readonly childNodes: ArrayLike<DomNode>;
  readonly parentNode: DomNode | null;
  readonly textContent: string | null;
  /** Text of a text or comment node. */
  readonly nodeValue: string | null;
  cloneNode(deep: boolean): DomNode;
}

export interface DomAttribute {
  readonly name: string;
  readonly value: string;
}

export interface DomElement extends DomNode {
  readonly tagName: string;
  readonly attributes: ArrayLike<DomAttribute>;
  readonly outerHTML: string;
  innerHTML: string;
  getAttribute(name: string): string | null;
  appendChild(node: DomNode): DomNode;
  cloneNode(deep: boolean): DomElement;
}

interface DomDocument {
  readonly body: DomElement;
  createElement(name: string): DomElement;
}

interface Domino {
  createDocument(html?: string): DomDocument;
}

const parser = domino as unknown as Domino;
let sharedDocument: DomDocument | undefined;

export function isElement(node: DomNode): node is DomElement {
  return node.nodeType === ELEMENT_NODE;
}

/**
 * Parses an article body the way a browser parses `innerHTML` of a `<div>`:
 * `<style>` or `<meta>` stay where they are instead of moving into a `<head>`.
 * Returns the container whose children are the body's top-level nodes.
 */
export function parseFragment(html: string): DomElement {
  // One document serves every parse (creating a document costs more than parsing a block).
  sharedDocument ??= parser.createDocument('<!DOCTYPE html><html><body></body></html>');
  const root = sharedDocument.createElement('div');
  root.innerHTML = html;
  return root;
}

/** An empty `<div>` to hold cloned nodes for turndown (which converts a node's children). */
export function containerFor(node: DomNode): DomElement {
  const doc = (node as unknown as { ownerDocument: DomDocument }).ownerDocument;
  return doc.createElement('div');
}

export function children(node: DomNode): DomNode[] {
  return Array.from(node.childNodes);
}

export function attributesOf(el: DomElement): DomAttribute[] {
  return Array.from(el.attributes);
}
