/**
 * PaperIndex over Lunr, built to stay fast at 80k papers without blocking the bot.
 *
 * - The index is a base segment plus, for papers stored since it was built, a small delta
 *   segment (segment.ts). Both live in SharedArrayBuffers that every search worker reads;
 *   the pair (with metadata patches) is a numbered generation, and a search names the
 *   generation it started on, so a swap is one assignment here and atomic for searches.
 * - Searches run in a pool of worker threads (backends.ts, planner.ts): this thread
 *   parses the query and passes messages. Lunr matches and scores; the planner decides
 *   which papers Lunr looks at.
 * - Builds run in a build worker (build-job.ts), fed papers in batches from the store:
 *   `refresh` first adds the papers just stored (as updateMeta saw them) to the delta, so
 *   they are searchable within moments, then compares every stored paper with the base by
 *   fingerprint and publishes an exact delta; a large delta is merged into a new base in
 *   the background.
 * - Snapshots (snapshot.ts) are the segments' bytes, read straight into shared memory.
 *
 * `useWorker: false` runs all of it on the calling thread (tests, tiny corpora).
 */
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { BotError, NotFoundError } from '../core/errors.js';
import type { PaperId } from '../core/paper.js';
import type { IndexDoc, Logger, PaperIndex, SearchOptions, SearchResult, Store } from '../core/ports.js';
import { toIndexDoc } from '../core/ports.js';
import { InlineBackend, PoolBackend, WorkerStoppedError, startWorker, type SearchBackend } from './backends.js';
import { BuildRun, type BuildJob, type BuildResult } from './build-job.js';
import type { BuildReply, BuildRequest } from './build-worker.js';
import { similarQuery } from './engine.js';
import { parseQuery } from './query.js';
import type { ThreadMemory } from './query-worker.js';
import type { MetaPatch } from './corpus-docs.js';
import { Segment } from './segment.js';
import { tryLoadSnapshot, type SegmentImage } from './snapshot.js';

/** Where index builds read papers from; the store in production, arrays in tests. */
export interface DocFeed {
  /** Changes whenever searchable text changes; equal revisions mean no rebuild. */
  revision(): Promise<number>;
  /** Every paper, in pages. */
  pages(pageSize?: number): AsyncIterable<IndexDoc[]>;
  /** One paper's text, for "similar"; without it the index's own vectors are used. */
  get?(id: PaperId): Promise<IndexDoc | null>;
  /** How many papers there are, to size a first build's heap; without it that build is uncapped. */
  count?(): Promise<number>;
}

export function storeDocFeed(store: Store): DocFeed {
  return {
    revision: () => store.revision(),
    count: () => store.countPapers(),
    async *pages(pageSize = 500) {
      let afterId: PaperId | undefined;
      for (;;) {
        const page = await store.listPapers(afterId === undefined ? { limit: pageSize } : { afterId, limit: pageSize });
        if (page.length === 0) return;
        yield page.map(toIndexDoc);
        afterId = page[page.length - 1]!.id;
        if (page.length < pageSize) return;
      }
    },
    async get(id) {
      const p = await store.getPaper(id);
      return p ? toIndexDoc(p) : null;
    },
  };
}

export interface LunrPaperIndexOptions {
  feed: DocFeed;
  /** Directory for the snapshot (index.json + segment files); no snapshot when omitted. */
  snapshotDir?: string;
  log: Logger;
  /** Build and search in worker threads (default). Off: everything on the calling thread (tests, tiny corpora). */
  useWorker?: boolean;
  /**
   * The build worker's heap cap in MB: by default estimated from the live index's size, or
   * the feed's count before the first build (buildHeapCapMb); `false` for none. A retry
   * after running out of memory is uncapped.
   */
  buildHeapCapMb?: number | false;
  /** Search worker threads (default: one less than the CPU count, 1–4). */
  searchThreads?: number;
  /** Docs per batch read from the feed. */
  batchSize?: number;
  /** Changed papers a delta may hold before a full rebuild (default max(2000, 5% of the base)). */
  deltaMax?: number;
  /** Delta size that triggers a background merge into a new base (default max(1000, 2% of the base)). */
  mergeAt?: number;
  /** Build tuning (tests). */
  shardDocs?: number;
  impactMin?: number;
}

interface Generation {
  id: number;
  base: SegmentImage;
  baseFile: string | null;
  delta: SegmentImage | null;
  revision: number;
  builtAt: string;
  docs: number;
  /** Metadata patches on top of what the segments say. */
  meta: Map<PaperId, MetaPatch>;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
const BUILD_WORKER_IDLE_MS = 5000;
/**
 * The build worker's old-space cap for a corpus of `docs` papers. Left alone, V8 lets a
 * build's garbage pile up to ~3× what it keeps alive (500 MB peak for 9.6k papers, 720 MB
 * for 80k); capped, it collects sooner and the build takes up to ~1.3× as long, which costs
 * the bot nothing (the build is off its loop). Measured from dist/: a 9.6k build fails at
 * a 140 MB cap and passes at 160; an 80k one passes at 240 (peak 207). This leaves ~35%
 * headroom at 9.6k and more above; a corpus that outgrows it is retried uncapped.
 * A process-wide --max-old-space-size (NODE_OPTIONS) overrides any worker's cap in V8.
 */
export function buildHeapCapMb(docs: number): number {
  return Math.round(192 + (1.5 * docs) / 1000);
}

function isOutOfMemory(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
}
/** Papers remembered from updateMeta for the next quick delta; beyond this the full comparison alone catches up. */
const MAX_HINTS = 5000;

function patchOf(doc: IndexDoc): MetaPatch {
  return { id: doc.id, featuredDates: [...(doc.featuredDates ?? [])], upvotes: doc.upvotes ?? null, hasCode: doc.hasCode === true };
}

function docCount(base: SegmentImage, delta: SegmentImage | null): number {
  if (!delta) return base.header.docs;
  return base.header.docs - new Segment(delta.buffer, delta.header).v.dead.length + delta.header.docs;
}

export class LunrPaperIndex implements PaperIndex {
  private readonly feed: DocFeed;
  private readonly snapshotDir: string | undefined;
  private readonly log: Logger;
  private readonly useWorker: boolean;
  private readonly batchSize: number;
  private readonly opts: LunrPaperIndexOptions;

  private backendInstance: SearchBackend | null = null;
  private live: Generation | null = null;
  private genSeq = 0;
  private readonly inflight = new Map<number, number>();
  private readonly retired = new Set<number>();

  private readyPromise: Promise<void> | null = null;
  private next: Promise<void> | null = null;
  private lane: Promise<unknown> = Promise.resolve();
  private running = 0;
  private buildWorker: Worker | null = null;
  private buildWorkerCap: number | undefined;
  private buildIdle: NodeJS.Timeout | undefined;
  private closed = false;
  /** Papers updateMeta saw since the last full comparison (their text may be new). */
  private readonly hints = new Map<PaperId, IndexDoc>();
  /** The last full build: wall time, time in the builder, the builder's peak heap. */
  lastBuild: { ms: number; workMs: number; peakHeapBytes: number; docs: number } | null = null;
  /** Metadata updates that arrive during a build, replayed on its result. */
  private readonly collectors = new Set<Map<PaperId, MetaPatch>>();

  constructor(opts: LunrPaperIndexOptions) {
    this.opts = opts;
    this.feed = opts.feed;
    this.snapshotDir = opts.snapshotDir;
    this.log = opts.log;
    this.useWorker = opts.useWorker ?? true;
    // Each page is read from the store and handed to the build worker on this thread: small
    // pages keep every such step short.
    this.batchSize = opts.batchSize ?? 200;
  }

  private get backend(): SearchBackend {
    if (!this.backendInstance) {
      // One CPU is left to the bot's event loop (and to builds, which run below normal priority).
      const threads = this.opts.searchThreads ?? Math.max(1, Math.min(4, os.availableParallelism() - 1));
      this.backendInstance = this.useWorker
        ? new PoolBackend(threads, (err) => this.log.error({ err }, 'search worker failed; replaced'))
        : new InlineBackend();
    }
    return this.backendInstance;
  }

  ready(): Promise<void> {
    this.readyPromise ??= this.init().catch((err: unknown) => {
      // Closing during the first load (a quick quit) cancels it; that is not a failure.
      if (this.closed) return;
      this.readyPromise = null; // let the next call try again
      throw err;
    });
    return this.readyPromise;
  }

  private async init(): Promise<void> {
    if (!this.live && this.snapshotDir) {
      const started = performance.now();
      const backend = this.backend; // search workers start while the files are read
      // Read straight into shared memory, asynchronously; with workers, the checksums and
      // table checks run in the search workers as they take the segments.
      const out = await tryLoadSnapshot(this.snapshotDir, this.useWorker, !this.useWorker);
      if (this.closed) throw new Error('index closed');
      let problem = out.kind === 'invalid' ? out.problem : null;
      if (out.kind === 'loaded' && !this.live) {
        const s = out.snapshot;
        const gen = this.generation(s.base, s.baseFile, s.delta, s.revision, s.builtAt, new Map());
        try {
          await this.publish(gen, this.useWorker);
          this.log.info({ docs: gen.docs, revision: gen.revision, ms: Math.round(performance.now() - started) }, 'search index loaded from snapshot');
        } catch (err) {
          if (this.closed) throw err;
          backend.drop(gen.id);
          problem = String((err as Error)?.message ?? err);
        }
      }
      if (problem !== null) this.log.warn({ dir: this.snapshotDir, problem }, 'search snapshot ignored; rebuilding');
    }
    if (!this.live) {
      await this.refreshNow();
      return;
    }
    // Serve the snapshot now; catch up with the store in the background.
    this.refreshNow().catch((err: unknown) => this.log.warn({ err }, 'background index refresh failed'));
  }

  refresh(): Promise<void> {
    return this.ready().then(() => this.refreshNow());
  }

  /** Builds a new base from the feed now (folding in the delta), whatever the revision; resolves when it is live. */
  rebuild(): Promise<void> {
    return this.ready().then(() => this.exclusive(async () => this.buildFull(await this.feed.revision())));
  }

  /** Builds run one at a time (the lane); a refresh asked for during one runs once after it. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lane.then(async () => {
      this.running++;
      try {
        return await fn();
      } finally {
        this.running--;
      }
    });
    this.lane = run.catch(() => {});
    return run;
  }

  private refreshNow(): Promise<void> {
    if (this.next) return this.next;
    const p: Promise<void> = this.exclusive(async () => {
      if (this.next === p) this.next = null;
      await this.rebuildIfStale();
    });
    this.next = p;
    return p;
  }

  private deltaMax(gen: Generation): number {
    return this.opts.deltaMax ?? Math.max(2000, Math.ceil(gen.base.header.docs * 0.05));
  }

  private mergeAt(gen: Generation): number {
    return this.opts.mergeAt ?? Math.max(1000, Math.ceil(gen.base.header.docs * 0.02));
  }

  private tuning(): { shardDocs?: number; impactMin?: number } {
    return { ...(this.opts.shardDocs ? { shardDocs: this.opts.shardDocs } : {}), ...(this.opts.impactMin ? { impactMin: this.opts.impactMin } : {}) };
  }

  private async rebuildIfStale(): Promise<void> {
    if (this.closed) return;
    const revision = await this.feed.revision();
    const live = this.live;
    if (live && live.revision === revision) {
      this.hints.clear();
      return;
    }
    if (!live) return this.buildFull(revision);
    if (this.hints.size) {
      await this.quickDelta().catch((err: unknown) => {
        if (!this.closed) this.log.warn({ err }, 'could not add new papers ahead of the full comparison');
      });
    }
    const started = performance.now();
    const current = this.live!;
    const job: BuildJob = { mode: 'reconcile', revision, base: current.base, baseFile: current.baseFile, deltaMax: this.deltaMax(current), ...this.tuning() };
    if (this.snapshotDir) job.snapshotDir = this.snapshotDir;
    const { result, meta } = await this.runJob(job, true);
    if (this.closed) return;
    if (result.kind === 'tooBig') {
      this.log.info({ changed: result.changed, revision }, 'many papers changed; rebuilding the search index');
      return this.buildFull(revision);
    }
    if (result.kind !== 'delta') throw new Error(`reconcile answered ${result.kind}`);
    this.warnWrite(result.writeError);
    const patches = new Map<PaperId, MetaPatch>(result.meta.map((p) => [p.id, p]));
    for (const [id, p] of meta) patches.set(id, p);
    const gen = this.generation(current.base, current.baseFile, result.delta, revision, result.builtAt, patches);
    await this.publish(gen);
    this.log.info(
      { docs: gen.docs, revision, changed: result.changed, removed: result.removed, ms: Math.round(performance.now() - started), worker: this.useWorker },
      'search index updated',
    );
    if (result.changed >= this.mergeAt(gen)) {
      void this.exclusive(async () => {
        if (this.closed || this.live !== gen) return;
        await this.buildFull(await this.feed.revision());
      }).catch((err: unknown) => this.log.warn({ err }, 'search index merge failed'));
    }
  }

  /** The papers updateMeta saw, added to the delta without reading the store. */
  private async quickDelta(): Promise<void> {
    const live = this.live!;
    const docs = [...this.hints.values()];
    const started = performance.now();
    const { result, meta } = await this.runJob({ mode: 'quick', base: live.base, delta: live.delta, docs, ...this.tuning() }, false);
    if (this.closed || result.kind !== 'delta' || this.live !== live) return;
    const patches = new Map(live.meta);
    for (const [id, p] of meta) patches.set(id, p);
    const gen = this.generation(live.base, live.baseFile, result.delta, live.revision, live.builtAt, patches);
    await this.publish(gen);
    this.log.debug({ docs: gen.docs, added: docs.length, ms: Math.round(performance.now() - started) }, 'new papers searchable');
  }

  private async buildFull(revision: number): Promise<void> {
    const started = performance.now();
    const job: BuildJob = { mode: 'full', revision, ...this.tuning() };
    if (this.snapshotDir) job.snapshotDir = this.snapshotDir;
    const { result, meta } = await this.runJob(job, true);
    if (this.closed) return;
    if (result.kind !== 'base') throw new Error(`build answered ${result.kind}`);
    this.warnWrite(result.writeError);
    const gen = this.generation(result.base, result.baseFile, null, revision, result.builtAt, meta);
    await this.publish(gen);
    this.lastBuild = { ms: Math.round(performance.now() - started), workMs: result.workMs, peakHeapBytes: result.peakHeapBytes, docs: gen.docs };
    this.log.info(
      { ...this.lastBuild, revision, snapshotBytes: result.snapshotBytes, worker: this.useWorker },
      'search index built',
    );
  }

  private warnWrite(problem: string | undefined): void {
    if (problem) this.log.warn({ dir: this.snapshotDir, problem }, 'could not write search snapshot');
  }

  private generation(
    base: SegmentImage,
    baseFile: string | null,
    delta: SegmentImage | null,
    revision: number,
    builtAt: string,
    meta: Map<PaperId, MetaPatch>,
  ): Generation {
    return { id: ++this.genSeq, base, baseFile, delta, revision, builtAt, docs: docCount(base, delta), meta };
  }

  /** Makes `gen` the one searches use; the previous one goes once its searches finish. */
  private async publish(gen: Generation, verify = false): Promise<void> {
    await this.backend.attach(gen.id, { base: gen.base, delta: gen.delta, meta: [...gen.meta.values()], verify });
    if (this.closed) return;
    const old = this.live;
    this.live = gen; // the swap
    if (old) {
      this.retired.add(old.id);
      this.dropIfIdle(old.id);
    }
  }

  private dropIfIdle(gen: number): void {
    if (this.retired.has(gen) && !this.inflight.get(gen)) {
      this.retired.delete(gen);
      this.inflight.delete(gen);
      this.backendInstance?.drop(gen);
    }
  }

  /**
   * Runs a build job in the build worker (or here), feeding it every paper when `scan`.
   * Also returns the metadata updates that arrived meanwhile, for its result.
   */
  private async runJob(job: BuildJob, scan: boolean): Promise<{ result: BuildResult; meta: Map<PaperId, MetaPatch> }> {
    const meta = new Map<PaperId, MetaPatch>();
    this.collectors.add(meta);
    try {
      if (!this.useWorker) return { result: await this.runHere(job, scan), meta };
      const cap = await this.buildHeapCap();
      try {
        return { result: await this.runInWorker(job, scan, cap), meta };
      } catch (err) {
        // A corpus that outgrew the estimate: once more with V8's own limit.
        if (cap === undefined || !isOutOfMemory(err) || this.closed) throw err;
        this.log.warn({ capMb: cap, docs: this.live?.docs }, 'index build ran out of its heap cap; retrying uncapped');
        return { result: await this.runInWorker(job, scan, undefined), meta };
      }
    } finally {
      this.collectors.delete(meta);
    }
  }

  private async buildHeapCap(): Promise<number | undefined> {
    const setting = this.opts.buildHeapCapMb;
    if (setting === false) return undefined;
    const docs = this.live?.docs ?? (await this.feed.count?.().catch(() => undefined));
    if (docs === undefined) return undefined;
    return setting ?? buildHeapCapMb(docs);
  }

  private async *scanFeed(): AsyncIterable<IndexDoc[]> {
    // Everything stored from here on is read by this scan: the hints so far are covered.
    this.hints.clear();
    for await (const page of this.feed.pages(this.batchSize)) {
      if (this.closed) throw new Error('index closed during build');
      yield page;
      await yieldToEventLoop();
    }
  }

  private async runHere(job: BuildJob, scan: boolean): Promise<BuildResult> {
    const run = new BuildRun(job);
    if (scan) for await (const page of this.scanFeed()) run.add(page);
    await yieldToEventLoop();
    return run.finish();
  }

  /**
   * The build worker, kept for a few seconds after a job: a refresh runs two in a row (the
   * quick delta, then the comparison), and a worker is cheaper to keep than to start.
   */
  private takeBuildWorker(capMb: number | undefined): Worker {
    clearTimeout(this.buildIdle);
    if (this.buildWorker && this.buildWorkerCap !== capMb) {
      void this.buildWorker.terminate();
      this.buildWorker = null;
    }
    if (!this.buildWorker) {
      const w = startWorker('build-worker', capMb === undefined ? undefined : { maxOldGenerationSizeMb: capMb });
      w.on('exit', () => {
        if (this.buildWorker === w) this.buildWorker = null;
      });
      this.buildWorker = w;
      this.buildWorkerCap = capMb;
    }
    return this.buildWorker;
  }

  private releaseBuildWorker(worker: Worker, healthy: boolean): void {
    if (!healthy || this.closed) {
      if (this.buildWorker === worker) this.buildWorker = null;
      void worker.terminate();
      return;
    }
    this.buildIdle = setTimeout(() => {
      if (this.buildWorker === worker) this.buildWorker = null;
      void worker.terminate();
    }, BUILD_WORKER_IDLE_MS);
    this.buildIdle.unref();
  }

  private async runInWorker(job: BuildJob, scan: boolean, capMb: number | undefined): Promise<BuildResult> {
    const worker = this.takeBuildWorker(capMb);
    let onMessage: (msg: BuildReply) => void = () => {};
    let onError: (err: Error) => void = () => {};
    let onExit: (code: number) => void = () => {};
    const done = new Promise<BuildResult>((resolve, reject) => {
      onMessage = (msg) => (msg.type === 'done' ? resolve(msg.result) : reject(new Error(`index build worker failed: ${msg.message}`)));
      onError = reject;
      onExit = (code) => reject(new Error(`index build worker exited (code ${code}) before finishing`));
    });
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    done.catch(() => {}); // awaited below; no unhandled rejection while feeding
    let healthy = false;
    try {
      worker.postMessage({ type: 'job', job } satisfies BuildRequest);
      if (scan) for await (const page of this.scanFeed()) worker.postMessage({ type: 'docs', docs: page } satisfies BuildRequest);
      worker.postMessage({ type: 'end' } satisfies BuildRequest);
      const result = await done;
      healthy = true;
      return result;
    } finally {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      this.releaseBuildWorker(worker, healthy);
    }
  }


  /** Waits for a first index; a failed build becomes a short "try again" for the user. */
  private async liveGen(): Promise<Generation> {
    try {
      await this.ready();
    } catch (err) {
      throw unavailable(err);
    }
    if (!this.live) throw unavailable(new Error('index closed'));
    return this.live;
  }

  /** Runs a request against a generation, keeping it attached until the answer is in. */
  private async using<T>(gen: Generation, fn: () => Promise<T>): Promise<T> {
    this.inflight.set(gen.id, (this.inflight.get(gen.id) ?? 0) + 1);
    try {
      return await fn();
    } catch (err) {
      if (err instanceof WorkerStoppedError) throw unavailable(err);
      throw err;
    } finally {
      this.inflight.set(gen.id, (this.inflight.get(gen.id) ?? 1) - 1);
      this.dropIfIdle(gen.id);
    }
  }

  async search(query: string, opts: SearchOptions = {}): Promise<SearchResult> {
    const parsed = parseQuery(query); // throws UserInputError before waiting on anything
    const gen = await this.liveGen();
    return this.using(gen, () => this.backend.search(gen.id, parsed, opts));
  }

  async similar(id: PaperId, opts: SearchOptions = {}): Promise<SearchResult> {
    const gen = await this.liveGen();
    const doc = this.feed.get ? await this.feed.get(id).catch(() => null) : null;
    const parsed = doc ? similarQuery(doc) : null;
    const r = await this.using(gen, () => this.backend.similar(gen.id, id, parsed, opts));
    if (!r) throw new NotFoundError(`Paper ${id} is not in the search index.`);
    return r;
  }

  updateMeta(docs: readonly IndexDoc[]): void {
    const patches = docs.filter((d) => d && typeof d.id === 'string').map(patchOf);
    if (!patches.length) return;
    if (this.live) for (const p of patches) this.live.meta.set(p.id, p);
    for (const c of this.collectors) for (const p of patches) c.set(p.id, p);
    this.backendInstance?.meta(patches);
    for (const d of docs) if (d && typeof d.id === 'string' && (this.hints.has(d.id) || this.hints.size < MAX_HINTS)) this.hints.set(d.id, d);
  }

  stats(): { docs: number; revision: number; building: boolean } {
    return {
      docs: this.live?.docs ?? 0,
      revision: this.live?.revision ?? -1,
      building: this.running > 0,
    };
  }

  /** Heap used by every thread holding index state, and the shared index memory (benchmarks, /health). */
  async memory(): Promise<{ threads: ThreadMemory[]; sharedBytes: number }> {
    const threads = this.backendInstance ? await this.backendInstance.memory() : [];
    const live = this.live;
    const sharedBytes = live ? live.base.buffer.byteLength + (live.delta?.buffer.byteLength ?? 0) : 0;
    return { threads, sharedBytes };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.buildIdle);
    const w = this.buildWorker;
    this.buildWorker = null;
    if (w) await w.terminate();
    await this.backendInstance?.close();
    await this.lane;
    this.live = null;
  }
}

function unavailable(err: unknown): BotError {
  return new BotError('unavailable', 'Search is not available right now; please try again in a minute.', {
    detail: `search index unavailable: ${(err as Error)?.message ?? String(err)}`,
    cause: err,
  });
}
