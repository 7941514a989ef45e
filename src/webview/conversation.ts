// The conversation page, running inside the webview. It posts `ready`, then
// draws what the extension sends: everything with textContent except the
// thread bodies, which arrive sanitized from the extension host and are the
// only HTML inserted. Link clicks never navigate: they are turned into
// `openLink` messages and the extension decides. No framework, plain DOM.
import { type FromPage, type ThreadView, type ToPage, toPageSchema } from '../core/protocol/conversation';

interface VsCodeApi {
  postMessage(message: FromPage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') as HTMLElement;
let nextRequestId = 1;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function button(label: string, onClick: () => void, cls = 'secondary'): HTMLButtonElement {
  const b = el('button', cls, label);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

const TYPE_LABEL: Record<string, string> = {
  customer: 'Customer',
  reply: 'Reply',
  message: 'Message',
  note: 'Note',
  phone: 'Phone',
  chat: 'Chat',
  lineitem: 'Activity',
  forwardparent: 'Forward',
  forwardchild: 'Forward',
  beaconchat: 'Chat',
};

function formatSize(n: number | null): string {
  if (n === null) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function renderThread(t: ThreadView): HTMLElement {
  if (t.type === 'lineitem') {
    const li = el('div', 'lineitem');
    li.append(el('span', 'lineitem-text', t.actionText || 'Activity'), el('span', 'time', t.createdAt));
    return li;
  }
  const article = el('article', `thread thread-${t.type}`);
  article.dataset['threadId'] = String(t.id);
  const header = el('header');
  header.append(el('span', 'type', TYPE_LABEL[t.type] ?? t.type), el('span', 'author', t.author), el('span', 'time', t.createdAt));
  article.append(header);
  if (t.to.length > 0 || t.cc.length > 0) {
    const rcpt = el('div', 'recipients');
    rcpt.textContent = [t.to.length ? `To: ${t.to.join(', ')}` : '', t.cc.length ? `Cc: ${t.cc.join(', ')}` : ''].filter(Boolean).join('  ');
    article.append(rcpt);
  }
  if (t.actionText) article.append(el('div', 'action', t.actionText));
  const body = el('div', 'body');
  // Sanitized in the extension host (sanitize-html allowlist); the CSP blocks scripts and remote loads anyway.
  body.innerHTML = t.bodyHtml;
  article.append(body);
  if (t.attachments.length > 0) {
    const list = el('ul', 'attachments');
    for (const a of t.attachments) {
      const item = el('li');
      item.append(el('span', 'label', 'Attachment: '), el('span', 'name', a.name), el('span', 'meta', ` ${a.mimeType} ${formatSize(a.size)}`.trimEnd()));
      list.append(item);
    }
    article.append(list);
  }
  return article;
}

function renderCompose(): HTMLElement {
  const box = el('section', 'compose');
  const area = el('textarea');
  area.placeholder = 'Write a note for your team, or a reply to the customer…';
  area.rows = 4;
  area.setAttribute('aria-label', 'Message text');
  const status = el('div', 'compose-status');
  status.setAttribute('role', 'status');
  const send = (type: 'addNote' | 'reply'): void => {
    const text = area.value.trim();
    if (text === '') {
      status.textContent = 'Write something first.';
      return;
    }
    const requestId = nextRequestId++;
    pending.set(requestId, (ok, message) => {
      status.textContent = message;
      if (ok) area.value = '';
    });
    status.textContent = type === 'reply' ? 'Waiting for confirmation…' : 'Saving…';
    vscode.postMessage({ type, requestId, text });
  };
  const buttons = el('div', 'compose-buttons');
  buttons.append(button('Add note', () => send('addNote')), button('Send reply…', () => send('reply'), 'primary'));
  box.append(area, buttons, status);
  return box;
}

const pending = new Map<number, (ok: boolean, message: string) => void>();

function render(m: Extract<ToPage, { type: 'render' }>): void {
  const c = m.conversation;
  const header = el('header', 'conversation-header');
  const title = el('h1');
  title.append(el('span', 'number', `#${c.number} `), document.createTextNode(c.subject));
  const meta = el('div', 'meta');
  meta.append(
    el('span', `status status-${c.status}`, c.statusLabel),
    el('span', 'customer', c.customer),
    el('span', 'assignee', `Assignee: ${c.assignee}`),
  );
  if (c.waiting) meta.append(el('span', 'waiting', `Waiting ${c.waiting}`));
  meta.append(el('span', 'created', c.createdAt));
  const tags = el('div', 'tags');
  for (const t of c.tags) tags.append(el('span', 'tag', t));
  const actions = el('div', 'toolbar');
  const act = (label: string, action: Extract<FromPage, { type: 'action' }>['action']): HTMLButtonElement =>
    button(label, () => vscode.postMessage({ type: 'action', action }));
  actions.append(
    act('Status…', 'setStatus'), act('Assign…', 'assign'), act('Tags…', 'editTags'),
    act('Open in Help Scout', 'openInHelpScout'), act('Copy link', 'copyLink'), act('Copy number', 'copyNumber'), act('Refresh', 'refresh'),
  );
  header.append(title, meta, tags, actions);

  const parts: HTMLElement[] = [header];
  if (m.blockedImages > 0 && !m.remoteImagesAllowed) {
    const banner = el('div', 'banner');
    banner.append(
      el('span', undefined, `${m.blockedImages} remote image${m.blockedImages === 1 ? ' was' : 's were'} blocked to protect your privacy. `),
      button('Load remote images', () => vscode.postMessage({ type: 'action', action: 'loadRemoteImages' })),
    );
    parts.push(banner);
  }
  const threads = el('section', 'threads');
  threads.setAttribute('aria-label', 'Threads, oldest first');
  for (const t of m.threads) threads.append(renderThread(t));
  parts.push(threads, renderCompose());
  app.replaceChildren(...parts);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = toPageSchema.safeParse(event.data);
  if (!parsed.success) return;
  const m = parsed.data;
  switch (m.type) {
    case 'render':
      render(m);
      break;
    case 'loading':
      if (!app.firstChild) app.replaceChildren(el('p', 'loading', 'Loading conversation…'));
      else app.classList.add('busy');
      return;
    case 'error': {
      const box = el('div', 'error');
      box.append(el('p', undefined, m.message), button('Retry', () => vscode.postMessage({ type: 'action', action: 'refresh' })));
      app.replaceChildren(box);
      break;
    }
    case 'result':
      pending.get(m.requestId)?.(m.ok, m.message);
      pending.delete(m.requestId);
      return;
  }
  app.classList.remove('busy');
});

// Links in bodies: never navigate inside the webview; ask the extension, which
// opens only http(s) and mailto links, in the user's browser or mail app.
function interceptLink(event: MouseEvent): void {
  const target = event.target instanceof Element ? event.target.closest('a') : null;
  if (!target) return;
  event.preventDefault();
  event.stopPropagation();
  const href = target.getAttribute('href');
  if (href) vscode.postMessage({ type: 'openLink', href });
}
document.addEventListener('click', interceptLink, true);
document.addEventListener('auxclick', interceptLink, true);

vscode.postMessage({ type: 'ready' });
