/**
 * Where searches run: a pool of search workers sharing the index segments (the bot's
 * event loop only parses queries and passes messages), or inline on the calling thread
 * (tests, tiny corpora). Both hold generations of the index by number; the caller decides
 * which one a search uses, so a swap is atomic.
 */
import { BusyError } from '../core/errors.js';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { SearchOptions, SearchResult } from '../core/ports.js';
import type { ParsedQuery } from './query.js';
import { threadMemory, type QueryReply, type QueryRequest, type ThreadMemory } from './query-worker.js';
import { SearchHost, type GenPayload } from './search-host.js';
import type { MetaPatch } from './corpus-docs.js';

/** tsx's ESM API entry (its `import` export: the CommonJS one cannot register hooks from ESM). */
function tsxEsmApiPath(from: string): string {
  const pkgJson = createRequire(from).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return path.join(path.dirname(pkgJson), pkg.exports['./esm/api']!.import.default);
}

/** Starts a worker from compiled `.js`, or from the `.ts` source under vitest/tsx. */
export function startWorker(name: 'build-worker' | 'query-worker', resourceLimits?: ResourceLimits): Worker {
  const here = import.meta.url;
  const limits = resourceLimits ? { resourceLimits } : {};
  if (!here.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, here), limits);
  // Node 20 does not apply loader hooks from a worker's `--import tsx` to its entry
  // module, so a tiny bootstrap registers tsx in the worker and then imports the source.
  const tsxApi = pathToFileURL(tsxEsmApiPath(here)).href;
  const entry = new URL(`./${name}.ts`, here).href;
  const code = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(code, { eval: true, ...limits });
}

export interface SearchBackend {
  readonly threads: number;
  attach(gen: number, payload: GenPayload): Promise<void>;
  drop(gen: number): void;
  /** Metadata patches for every attached generation. */
  meta(patches: MetaPatch[]): void;
  search(gen: number, parsed: ParsedQuery, opts: SearchOptions): Promise<SearchResult>;
  /** Null when the paper is not indexed. */
  similar(gen: number, id: string, parsed: ParsedQuery | null, opts: SearchOptions): Promise<SearchResult | null>;
  /** Heap of every thread that holds index state (this one included). */
  memory(): Promise<ThreadMemory[]>;
  close(): Promise<void>;
}

export class InlineBackend implements SearchBackend {
  readonly threads = 0;
  private readonly host = new SearchHost();

  async attach(gen: number, payload: GenPayload): Promise<void> {
    this.host.attach(gen, payload);
  }
  drop(gen: number): void {
    this.host.drop(gen);
  }
  meta(patches: MetaPatch[]): void {
    this.host.meta(patches);
  }
  async search(gen: number, parsed: ParsedQuery, opts: SearchOptions): Promise<SearchResult> {
    return this.host.search(gen, parsed, opts);
  }
  async similar(gen: number, id: string, parsed: ParsedQuery | null, opts: SearchOptions): Promise<SearchResult | null> {
    return this.host.similar(gen, id, parsed, opts);
  }
  async memory(): Promise<ThreadMemory[]> {
    return [threadMemory()];
  }
  async close(): Promise<void> {}
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  ready: boolean;
  /** Generations this worker has confirmed holding. */
  holds: Set<number>;
}

/** How long the other search workers wait for the first (see PoolBackend). */
const STAGGER_MS = 1000;

/**
 * Past these a query is refused (BusyError: "busy, try again") instead of joining a
 * pile-up: a flood of searches then costs each user a short wait, not everyone a long one.
 * The queue counts queries a worker has not answered yet, including ones past their
 * deadline (the worker still runs them: Lunr cannot be interrupted).
 */
export const MAX_QUEUED_PER_WORKER = 64;
export const QUERY_DEADLINE_MS = 3_000;

/** Thrown for requests a worker could not answer because it stopped. */
export class WorkerStoppedError extends Error {}

export class PoolBackend implements SearchBackend {
  private readonly slots: Slot[] = [];
  /** Attached generations, to bring a replacement worker up to date. */
  private readonly attached = new Map<number, GenPayload>();
  private seq = 0;
  private closed = false;

  constructor(
    readonly threads: number,
    private readonly onWorkerError: (err: Error) => void = () => {},
    opts: { staggerMs?: number; maxQueued?: number; deadlineMs?: number } = {},
  ) {
    this.maxQueued = opts.maxQueued ?? MAX_QUEUED_PER_WORKER;
    this.deadlineMs = opts.deadlineMs ?? QUERY_DEADLINE_MS;
    // One worker at once, the others a moment later: starting together they would compete
    // for the CPU while the first index loads and the first answer is on its way.
    this.slots.push(this.spawn());
    const stagger = opts.staggerMs ?? STAGGER_MS;
    if (threads > 1 && stagger <= 0) this.spawnRest();
    else if (threads > 1) {
      this.moreSoon = setTimeout(() => this.spawnRest(), stagger);
      this.moreSoon.unref();
    }
  }

  private moreSoon: NodeJS.Timeout | undefined;
  private readonly maxQueued: number;
  private readonly deadlineMs: number;

  private spawnRest(): void {
    clearTimeout(this.moreSoon);
    this.moreSoon = undefined;
    while (!this.closed && this.slots.length < this.threads) {
      const slot = this.spawn();
      this.slots.push(slot);
      for (const [gen, payload] of this.attached) void this.request(slot, { type: 'attach', id: 0, gen, payload }).then(() => slot.holds.add(gen), () => {});
    }
  }

  private spawn(): Slot {
    const worker = startWorker('query-worker');
    const slot: Slot = { worker, pending: new Map(), ready: true, holds: new Set() };
    worker.on('message', (msg: QueryReply) => {
      const p = slot.pending.get(msg.id);
      if (!p) return;
      slot.pending.delete(msg.id);
      if (msg.type === 'ok') p.resolve(msg.value);
      else p.reject(new Error(msg.message));
    });
    const down = (err: Error) => {
      if (!slot.ready) return;
      slot.ready = false;
      for (const p of slot.pending.values()) p.reject(new WorkerStoppedError(`search worker stopped: ${err.message}`));
      slot.pending.clear();
      if (this.closed) return;
      this.onWorkerError(err);
      // Replace it, with every generation still in use.
      const i = this.slots.indexOf(slot);
      const fresh = this.spawn();
      if (i >= 0) this.slots[i] = fresh;
      for (const [gen, payload] of this.attached) {
        void this.request(fresh, { type: 'attach', id: 0, gen, payload: { ...payload, verify: false } }).then(
          () => fresh.holds.add(gen),
          () => {},
        );
      }
    };
    worker.on('error', down);
    worker.on('exit', (code) => down(new Error(`exited with code ${code}`)));
    worker.unref();
    return slot;
  }

  private request<T>(slot: Slot, msg: QueryRequest): Promise<T> {
    if (this.closed) return Promise.reject(new WorkerStoppedError('search workers closed'));
    const id = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      slot.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      slot.worker.ref();
      slot.worker.postMessage({ ...msg, id });
    }).finally(() => {
      if (slot.pending.size === 0) slot.worker.unref();
    });
  }

  /**
   * The worker with the fewest requests in flight among those holding `gen` (any worker
   * would do: it was sent the generation before this request, and answers in order).
   */
  private pick(gen: number): Slot {
    let best: Slot | null = null;
    for (const s of this.slots) {
      if (!s.ready) continue;
      const better = !best || (s.holds.has(gen) && !best.holds.has(gen)) || (s.holds.has(gen) === best.holds.has(gen) && s.pending.size < best.pending.size);
      if (better) best = s;
    }
    return best ?? this.slots[0]!;
  }

  /** Resolves once one worker holds the generation (the others follow); rejects when none accepts it. */
  attach(gen: number, payload: GenPayload): Promise<void> {
    this.attached.set(gen, { ...payload, verify: false });
    return new Promise<void>((resolve, reject) => {
      let failed = 0;
      for (const s of this.slots) {
        this.request(s, { type: 'attach', id: 0, gen, payload }).then(
          () => {
            s.holds.add(gen);
            resolve();
          },
          (err: Error) => {
            if (++failed === this.slots.length) {
              this.attached.delete(gen);
              reject(err);
            }
          },
        );
      }
    });
  }

  drop(gen: number): void {
    this.attached.delete(gen);
    for (const s of this.slots) {
      s.holds.delete(gen);
      void this.request(s, { type: 'drop', id: 0, gen }).catch(() => {});
    }
  }

  meta(patches: MetaPatch[]): void {
    if (!patches.length) return;
    for (const payload of this.attached.values()) payload.meta.push(...patches);
    for (const s of this.slots) void this.request(s, { type: 'meta', id: 0, patches }).catch(() => {});
  }

  search(gen: number, parsed: ParsedQuery, opts: SearchOptions): Promise<SearchResult> {
    return this.query(gen, { type: 'search', id: 0, gen, parsed, opts });
  }

  similar(gen: number, id: string, parsed: ParsedQuery | null, opts: SearchOptions): Promise<SearchResult | null> {
    return this.query(gen, { type: 'similar', id: 0, gen, docId: id, parsed, opts });
  }

  /** A user's query: refused when its worker's queue is full, given up on at the deadline. */
  private query<T>(gen: number, msg: QueryRequest): Promise<T> {
    if (this.closed) return Promise.reject(new WorkerStoppedError('search workers closed'));
    const slot = this.pick(gen);
    if (slot.pending.size >= this.maxQueued) return Promise.reject(new BusyError(`search queue full (${slot.pending.size} waiting)`));
    const answer = this.request<T>(slot, msg);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new BusyError(`search past its ${this.deadlineMs} ms deadline`)), this.deadlineMs);
    });
    answer.catch(() => {}); // a late failure, after the deadline answered, is nobody's to handle
    return Promise.race([answer, late]).finally(() => clearTimeout(timer));
  }

  async memory(): Promise<ThreadMemory[]> {
    const mine = threadMemory();
    const theirs = await Promise.all(this.slots.map((s) => this.request<ThreadMemory>(s, { type: 'memory', id: 0 }).catch(() => null)));
    return [mine, ...theirs.filter((m): m is ThreadMemory => m !== null)];
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.moreSoon);
    const slots = this.slots.splice(0);
    for (const s of slots) {
      s.ready = false;
      for (const p of s.pending.values()) p.reject(new WorkerStoppedError('search workers closed'));
      s.pending.clear();
    }
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
