// The HTML shell every webview panel uses, so the security rules live in one
// place: a fresh random nonce per render, a CSP that starts from
// `default-src 'none'`, scripts only from dist/webview with that nonce (no
// inline script, no 'unsafe-inline'), styles and fonts only from the
// extension, and images from the extension or data: unless a caller widens
// `img-src` for one page after the user asked (remote images in a conversation).
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export interface WebviewPageOptions {
  webview: vscode.Webview;
  extensionUri: vscode.Uri;
  /** Bundle name under dist/webview, without `.js`. */
  script: string;
  /** Stylesheet under media/. */
  style: string;
  title: string;
  /** Body markup before the script tag. Callers escape anything dynamic in it. */
  body: string;
  /** Extra `img-src` sources, e.g. `https: http:` once the user allowed remote images. */
  extraImageSources?: string;
}

export function webviewPage(o: WebviewPageOptions): string {
  const nonce = randomBytes(16).toString('base64');
  const script = o.webview.asWebviewUri(vscode.Uri.joinPath(o.extensionUri, 'dist', 'webview', `${o.script}.js`));
  const style = o.webview.asWebviewUri(vscode.Uri.joinPath(o.extensionUri, 'media', o.style));
  const source = o.webview.cspSource;
  const csp = [
    "default-src 'none'",
    `img-src ${source} data:${o.extraImageSources ? ` ${o.extraImageSources}` : ''}`,
    `script-src 'nonce-${nonce}'`,
    `style-src ${source}`,
    `font-src ${source}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${String(style)}">
<title>${escapeHtml(o.title)}</title>
</head>
<body>
${o.body}
<script nonce="${nonce}" src="${String(script)}"></script>
</body>
</html>`;
}

/** Escapes text for an HTML attribute value or text content. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
