// Shapes shared by the sandbox's server and the API modules it hosts.
// The sandbox is written from the API documentation alone: nothing here (or
// anywhere under src/sandbox) imports from src/core.
import type { IncomingHttpHeaders } from 'node:http';

/** One parsed HTTP request, as the API modules see it. */
export interface SandboxRequest {
  readonly method: string;
  /** Path below the API's prefix, e.g. `/conversations/12` for `/v2/conversations/12`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: Buffer;
  /** Absolute base URL of this API as the client reached it, e.g. `http://127.0.0.1:5000/v2`. */
  readonly baseUrl: string;
}

/** What an API module answers. `body` is JSON-serialised unless it is a string or Buffer. */
export interface SandboxResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** An API module: answers a request, or returns undefined when no route matches. */
export type ApiHandler = (req: SandboxRequest) => SandboxResponse | undefined | Promise<SandboxResponse | undefined>;
