// Thread bodies are HTML written by strangers. They are sanitized here, in the
// extension host, before they reach the webview (which also has a strict CSP):
// an allowlist of formatting tags; no scripts, styles, frames, forms or SVG; no
// event handlers or style attributes; links only to absolute http(s) and mailto
// URLs (the page intercepts clicks and asks the extension to open them); images only
// from `data:` unless the user allowed remote images for this conversation.
// A blocked remote image becomes a small placeholder so the reader knows.
import sanitizeHtml from 'sanitize-html';

export interface SanitizedBody {
  html: string;
  /** Remote images replaced by a placeholder. */
  blockedImages: number;
}

const TAGS = [
  'p', 'br', 'div', 'span', 'b', 'strong', 'i', 'em', 'u', 's', 'strike', 'del', 'ins', 'mark', 'small', 'sub', 'sup',
  'blockquote', 'pre', 'code', 'kbd', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr',
  'a', 'img', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption',
];

const REMOTE = /^(https?:)?\/\//i;

export function sanitizeBody(html: string, allowRemoteImages: boolean): SanitizedBody {
  let blockedImages = 0;
  const out = sanitizeHtml(html, {
    allowedTags: TAGS,
    allowedAttributes: {
      a: ['href', 'title'],
      img: ['src', 'alt', 'title', 'width', 'height'],
      td: ['colspan', 'rowspan'],
      th: ['colspan', 'rowspan'],
      ol: ['start'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: allowRemoteImages ? ['data', 'https', 'http'] : ['data'] },
    allowedSchemesAppliedToAttributes: ['href', 'src'],
    allowProtocolRelative: false,
    // script, style, textarea, option, noscript lose their content too; other
    // dropped tags (form, button, svg) keep only their text.
    disallowedTagsMode: 'discard',
    transformTags: {
      // A link keeps its href only when it is an absolute http(s) or mailto URL, the only
      // links the extension opens: relative, protocol-relative and odd-looking ones
      // ("\u00a0javascript:…", which a browser reads as a relative path) lose it and stay text.
      a: (tagName, attribs) => {
        const kept = { ...attribs };
        if (kept['href'] !== undefined && !isOpenableLink(kept['href'])) delete kept['href'];
        return { tagName, attribs: kept };
      },
      img: (tagName, attribs) => {
        const src = (attribs['src'] ?? '').trim();
        if (/^data:image\//i.test(src)) return { tagName, attribs };
        // A protocol-relative image ("//host/p.gif") is loaded over https, as mail readers do.
        if (allowRemoteImages && REMOTE.test(src)) return { tagName, attribs: { ...attribs, src: src.startsWith('//') ? `https:${src}` : src } };
        // Remote images wait for consent; relative, cid: and other sources can't load at all.
        if (REMOTE.test(src)) blockedImages++;
        return { tagName: 'span', attribs: { class: 'blocked-image' }, text: attribs['alt'] ? `[${attribs['alt']}]` : '[image]' };
      },
    },
    allowedClasses: { span: ['blocked-image'] },
  });
  return { html: out, blockedImages };
}

/** True for links the extension may open: http(s) and mailto, nothing else. */
export function isOpenableLink(href: string): boolean {
  try {
    const u = new URL(href);
    return u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'mailto:';
  } catch {
    return false;
  }
}
