// A small path router shared by the sandbox's API modules: `/conversations/:id`
// style patterns, matched in the order they were added.

export type Params = Readonly<Record<string, string>>;

interface Route<H> {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: H;
}

export type RouteMatch<H> = { handler: H; params: Params } | { methodNotAllowed: true } | undefined;

export class Router<H> {
  private readonly routes: Route<H>[] = [];

  add(method: string, path: string, handler: H): this {
    const keys: string[] = [];
    const source = path.split('/').map((seg) => {
      if (seg.startsWith(':')) {
        keys.push(seg.slice(1));
        return '([^/]+)';
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }).join('/');
    this.routes.push({ method, pattern: new RegExp(`^${source}/?$`), keys, handler });
    return this;
  }

  match(method: string, path: string): RouteMatch<H> {
    let pathMatched = false;
    for (const r of this.routes) {
      const m = r.pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (r.method !== method) continue;
      const params: Record<string, string> = {};
      r.keys.forEach((k, i) => {
        params[k] = decodeURIComponent(m[i + 1] ?? '');
      });
      return { handler: r.handler, params };
    }
    return pathMatched ? { methodNotAllowed: true } : undefined;
  }
}
