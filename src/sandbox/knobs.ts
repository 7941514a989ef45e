// Runtime knobs: latency, injected 5xx errors, forced 429s, dropped
// connections, token lifetime and the rate limits. Set from tests through
// `sandbox.knobs.set({...})` or `PUT /__sandbox/knobs`. Fault decisions come
// from a generator seeded from the sandbox seed, so a run is repeatable.
import { z } from 'zod';
import { Rng } from './random';

export const knobsSchema = z.object({
  /** Added before answering: a fixed delay, or a uniform random one in [min, max]. */
  latencyMs: z.union([z.number().min(0), z.tuple([z.number().min(0), z.number().min(0)])]),
  /** Fraction (0–1) of Mailbox/Docs API requests answered 500 or 503 instead. */
  errorRate: z.number().min(0).max(1),
  force429: z.object({
    /** Answer the next N Mailbox/Docs API requests with 429. */
    next: z.number().int().min(0),
    /** Answer every Mailbox API request with 429 while true. */
    mailbox: z.boolean(),
    /** Answer every Docs API request with 429 while true. */
    docs: z.boolean(),
    /** The Retry-After the forced 429s announce. */
    retryAfterSeconds: z.number().int().min(0),
  }),
  /** Fraction (0–1) of Mailbox/Docs API requests whose socket is destroyed without an answer. */
  dropRate: z.number().min(0).max(1),
  /** Drop the next N Mailbox/Docs API requests. */
  dropNext: z.number().int().min(0),
  /** Lifetime of newly issued access tokens (`expires_in`). */
  tokenLifetimeSeconds: z.number().int().min(0),
  rateLimits: z.object({
    /** Per account and window; writes count double. */
    mailbox: z.object({ limit: z.number().int().min(0), windowSeconds: z.number().positive() }),
    docs: z.object({ limit: z.number().int().min(0), windowSeconds: z.number().positive() }),
  }),
});

export type Knobs = z.infer<typeof knobsSchema>;

/** A partial update: any subset of fields, nested objects merged. */
export const knobsPatchSchema = z.object({
  latencyMs: knobsSchema.shape.latencyMs.optional(),
  errorRate: knobsSchema.shape.errorRate.optional(),
  force429: z.union([z.number().int().min(0), knobsSchema.shape.force429.partial()]).optional(),
  dropRate: knobsSchema.shape.dropRate.optional(),
  dropNext: knobsSchema.shape.dropNext.optional(),
  tokenLifetimeSeconds: knobsSchema.shape.tokenLifetimeSeconds.optional(),
  rateLimits: z.object({
    mailbox: knobsSchema.shape.rateLimits.shape.mailbox.partial().optional(),
    docs: knobsSchema.shape.rateLimits.shape.docs.partial().optional(),
  }).optional(),
}).strict();

/** What callers pass to `set()`: `force429` may be a plain number (= next N requests). */
export type KnobsPatch = z.input<typeof knobsPatchSchema>;

export function defaultKnobs(): Knobs {
  return {
    latencyMs: 0,
    errorRate: 0,
    force429: { next: 0, mailbox: false, docs: false, retryAfterSeconds: 1 },
    dropRate: 0,
    dropNext: 0,
    tokenLifetimeSeconds: 172_800,
    rateLimits: {
      mailbox: { limit: 400, windowSeconds: 60 },
      docs: { limit: 3000, windowSeconds: 600 },
    },
  };
}

export type Fault = { kind: 'drop' } | { kind: '429' } | { kind: 'error'; status: 500 | 503 };

export class KnobState {
  private current: Knobs;
  private rng: Rng;

  constructor(private readonly seed: number, private readonly initial: KnobsPatch = {}) {
    this.current = defaultKnobs();
    this.rng = new Rng(seed ^ 0x6b6e6f62);
    this.set(initial);
  }

  get(): Knobs {
    return structuredClone(this.current);
  }

  /** Merges a partial update (validated; throws a ZodError on bad input). */
  set(patch: KnobsPatch): Knobs {
    const p = knobsPatchSchema.parse(patch);
    const k = this.current;
    if (p.latencyMs !== undefined) k.latencyMs = p.latencyMs;
    if (p.errorRate !== undefined) k.errorRate = p.errorRate;
    if (typeof p.force429 === 'number') k.force429.next = p.force429;
    else if (p.force429) Object.assign(k.force429, stripUndefined(p.force429));
    if (p.dropRate !== undefined) k.dropRate = p.dropRate;
    if (p.dropNext !== undefined) k.dropNext = p.dropNext;
    if (p.tokenLifetimeSeconds !== undefined) k.tokenLifetimeSeconds = p.tokenLifetimeSeconds;
    if (p.rateLimits?.mailbox) Object.assign(k.rateLimits.mailbox, stripUndefined(p.rateLimits.mailbox));
    if (p.rateLimits?.docs) Object.assign(k.rateLimits.docs, stripUndefined(p.rateLimits.docs));
    return this.get();
  }

  /** Back to the defaults plus the start options' knobs; the fault sequence restarts too. */
  reset(): void {
    this.current = defaultKnobs();
    this.rng = new Rng(this.seed ^ 0x6b6e6f62);
    this.set(this.initial);
  }

  /** Delay for the next request, in ms. */
  latency(): number {
    const l = this.current.latencyMs;
    if (typeof l === 'number') return l;
    const [min, max] = l;
    return min + this.rng.next() * Math.max(0, max - min);
  }

  /** Decides the fault (if any) for one Mailbox/Docs API request, consuming `next`-style counters. */
  fault(api: 'mailbox' | 'docs'): Fault | undefined {
    const k = this.current;
    if (k.dropNext > 0) {
      k.dropNext -= 1;
      return { kind: 'drop' };
    }
    if (k.dropRate > 0 && this.rng.next() < k.dropRate) return { kind: 'drop' };
    if (k.force429.next > 0) {
      k.force429.next -= 1;
      return { kind: '429' };
    }
    if (k.force429[api]) return { kind: '429' };
    if (k.errorRate > 0 && this.rng.next() < k.errorRate) return { kind: 'error', status: this.rng.chance(0.5) ? 500 : 503 };
    return undefined;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
