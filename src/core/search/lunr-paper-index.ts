/**
 * PaperIndex over Lunr. The live index (lunr.Index + filter metadata + revision) is one
 * object swapped in a single assignment, so a search always sees a consistent pair.
 *
 * Builds and snapshot reads run in a worker thread (build-worker.ts), fed docs in
 * batches; the result comes back in chunks that this thread assembles one message at
 * a time, so neither a rebuild nor a start from a snapshot blocks the event loop for
 * long. Searches themselves are synchronous Lunr queries on this thread.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { BotError, NotFoundError } from '../errors.js';
import type { IndexDoc, Logger, PaperIndex, SearchOptions, SearchResult, Store } from '../ports.js';
import { toIndexDoc } from '../ports.js';
import type { PaperId } from '../paper.js';
import type { WorkerReply, WorkerRequest } from './build-worker.js';
import { IndexBuilder, buildMeta, runQuery, similarQuery, similarQueryFromIndex, type DocMeta } from './engine.js';
import { parseQuery } from './query.js';
import { IndexAssembler, readSnapshot, serializeSnapshot, writeSnapshot, type LoadedIndex, type SerializedLunr } from './snapshot.js';

/** Where index builds read papers from; the store in production, arrays in tests. */
export interface DocFeed {
  /** Changes whenever searchable text changes; equal revisions mean no rebuild. */
  revision(): Promise<number>;
  /** Every paper, in pages. */
  pages(pageSize?: number): AsyncIterable<IndexDoc[]>;
  /** One paper's text, for "similar"; without it the index's own vectors are used. */
  get?(id: PaperId): Promise<IndexDoc | null>;
}

export function storeDocFeed(store: Store): DocFeed {
  return {
    revision: () => store.revision(),
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
  /** Directory for index.json; no snapshot when omitted. */
  snapshotDir?: string;
  log: Logger;
  /** Build in a worker thread (default). Off: build on the calling thread (tests, tiny corpora). */
  useWorker?: boolean;
  /** Docs per batch sent to the builder. */
  batchSize?: number;
}

type WorkerOutcome =
  | { kind: 'index'; loaded: LoadedIndex; info: Extract<WorkerReply, { type: 'built' }> }
  | { kind: 'missing' }
  | { kind: 'invalid'; problem: string };

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** tsx's ESM API entry (its `import` export: the CommonJS one cannot register hooks from ESM). */
function tsxEsmApiPath(from: string): string {
  const pkgJson = createRequire(from).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return path.join(path.dirname(pkgJson), pkg.exports['./esm/api']!.import.default);
}

/** Starts the build worker from compiled `.js`, or from the `.ts` source under vitest/tsx. */
function startBuildWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./build-worker.js', here));
  // Node 20 does not apply loader hooks from a worker's `--import tsx` to its entry
  // module, so a tiny bootstrap registers tsx in the worker and then imports the source.
  const tsxApi = pathToFileURL(tsxEsmApiPath(here)).href;
  const entry = new URL('./build-worker.ts', here).href;
  const code = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(code, { eval: true });
}

export class LunrPaperIndex implements PaperIndex {
  private readonly feed: DocFeed;
  private readonly snapshotDir: string | undefined;
  private readonly log: Logger;
  private readonly useWorker: boolean;
  private readonly batchSize: number;

  private live: LoadedIndex | null = null;
  private readyPromise: Promise<void> | null = null;
  private current: Promise<void> | null = null;
  private next: Promise<void> | null = null;
  private worker: Worker | null = null;
  private closed = false;
  /** Metadata updates that arrive during a build, replayed on the new index. */
  private pendingMeta: Map<PaperId, IndexDoc> | null = null;

  constructor(opts: LunrPaperIndexOptions) {
    this.feed = opts.feed;
    this.snapshotDir = opts.snapshotDir;
    this.log = opts.log;
    this.useWorker = opts.useWorker ?? true;
    this.batchSize = opts.batchSize ?? 500;
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
      const snap = this.useWorker ? await this.loadInWorker(this.snapshotDir) : await readSnapshot(this.snapshotDir, this.log);
      if (snap && !this.live) {
        this.live = snap;
        this.log.info(
          { docs: snap.meta.docs.size, revision: snap.revision, ms: Math.round(performance.now() - started) },
          'search index loaded from snapshot',
        );
      }
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

  /** One build at a time; a call during a build schedules exactly one more after it. */
  private refreshNow(): Promise<void> {
    if (this.next) return this.next;
    if (!this.current) return this.startRefresh();
    this.next = this.current
      .catch(() => {})
      .then(() => {
        this.next = null;
        return this.startRefresh();
      });
    return this.next;
  }

  private startRefresh(): Promise<void> {
    const run = this.rebuildIfStale().finally(() => {
      if (this.current === run) this.current = null;
    });
    this.current = run;
    return run;
  }

  private async rebuildIfStale(): Promise<void> {
    if (this.closed) return;
    const revision = await this.feed.revision();
    if (this.live && this.live.revision === revision) return;
    const started = performance.now();
    this.pendingMeta = new Map();
    try {
      const built = this.useWorker ? await this.buildInWorker(revision) : await this.buildHere(revision);
      if (this.closed) return;
      for (const doc of this.pendingMeta.values()) this.applyMeta(built, doc);
      this.live = built; // the swap: searches from now on see the new index
      this.log.info(
        { docs: built.meta.docs.size, revision, ms: Math.round(performance.now() - started), worker: this.useWorker },
        'search index built',
      );
    } finally {
      this.pendingMeta = null;
    }
  }

  private async buildHere(revision: number): Promise<LoadedIndex> {
    const builder = new IndexBuilder();
    for await (const page of this.feed.pages(this.batchSize)) {
      builder.add(page);
      await yieldToEventLoop();
    }
    const index = builder.build();
    const docs = builder.docMetas();
    const loaded: LoadedIndex = { index, meta: buildMeta(docs), revision, builtAt: new Date().toISOString() };
    if (this.snapshotDir) {
      try {
        await writeSnapshot(this.snapshotDir, serializeSnapshot(index, docs, revision));
      } catch (err) {
        this.log.warn({ err, dir: this.snapshotDir }, 'could not write search snapshot');
      }
    }
    return loaded;
  }

  private async buildInWorker(revision: number): Promise<LoadedIndex> {
    const job = this.runWorker(async (worker) => {
      for await (const page of this.feed.pages(this.batchSize)) {
        if (this.closed) throw new Error('index closed during build');
        worker.postMessage({ type: 'docs', docs: page } satisfies WorkerRequest);
        await yieldToEventLoop();
      }
      const end: WorkerRequest = { type: 'end', revision };
      if (this.snapshotDir) end.snapshotDir = this.snapshotDir;
      worker.postMessage(end);
    });
    const outcome = await job;
    if (outcome.kind !== 'index') throw new Error(`index build worker answered ${outcome.kind}`);
    const { info } = outcome;
    if (info.writeError) this.log.warn({ dir: this.snapshotDir, problem: info.writeError }, 'could not write search snapshot');
    this.log.debug({ docs: info.docs, workMs: info.workMs, snapshotBytes: info.snapshotBytes }, 'index built in worker');
    return outcome.loaded;
  }

  /** Reads the snapshot in the worker; null (rebuild) when there is none or it is unusable. */
  private async loadInWorker(dir: string): Promise<LoadedIndex | null> {
    try {
      const outcome = await this.runWorker(async (worker) => {
        worker.postMessage({ type: 'load', snapshotDir: dir } satisfies WorkerRequest);
      });
      if (outcome.kind === 'index') return outcome.loaded;
      if (outcome.kind === 'invalid') this.log.warn({ dir, problem: outcome.problem }, 'search snapshot ignored; rebuilding');
      return null;
    } catch (err) {
      if (this.closed) throw err;
      this.log.warn({ err, dir }, 'search snapshot could not be loaded; rebuilding');
      return null;
    }
  }

  /**
   * Starts a worker, lets `feed` send it work, and assembles the index it streams back
   * one chunk per message (acknowledging each), so the event loop keeps turning.
   */
  private async runWorker(feed: (worker: Worker) => Promise<void>): Promise<WorkerOutcome> {
    const worker = startBuildWorker();
    this.worker = worker;
    const outcome = new Promise<WorkerOutcome>((resolve, reject) => {
      let assembler: IndexAssembler | null = null;
      let head: Extract<WorkerReply, { type: 'head' }> | null = null;
      const ack = () => worker.postMessage({ type: 'ack' } satisfies WorkerRequest);
      worker.on('message', (msg: WorkerReply) => {
        try {
          switch (msg.type) {
            case 'head':
              head = msg;
              assembler = new IndexAssembler(msg.fields, msg.pipeline);
              return ack();
            case 'terms':
              assembler!.addTerms(JSON.parse(msg.json) as SerializedLunr['invertedIndex']);
              return ack();
            case 'vectors':
              assembler!.addVectors(JSON.parse(msg.json) as SerializedLunr['fieldVectors']);
              return ack();
            case 'built': {
              const loaded: LoadedIndex = {
                index: assembler!.finish(),
                meta: buildMeta(JSON.parse(head!.docs) as DocMeta[]),
                revision: head!.revision,
                builtAt: head!.builtAt,
              };
              return resolve({ kind: 'index', loaded, info: msg });
            }
            case 'missing':
              return resolve({ kind: 'missing' });
            case 'invalid':
              return resolve({ kind: 'invalid', problem: msg.problem });
            case 'error':
              return reject(new Error(`index worker failed: ${msg.message}`));
          }
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`index worker exited (code ${code}) before finishing`)));
    });
    outcome.catch(() => {}); // awaited below; no unhandled rejection while feeding
    try {
      await feed(worker);
      return await outcome;
    } finally {
      if (this.worker === worker) this.worker = null;
      void worker.terminate();
    }
  }

  /** Waits for a first index; a failed build becomes a short "try again" for the user. */
  private async liveIndex(): Promise<LoadedIndex> {
    try {
      await this.ready();
    } catch (err) {
      throw new BotError('unavailable', 'Search is not available right now; please try again in a minute.', {
        detail: `search index unavailable: ${(err as Error)?.message ?? String(err)}`,
        cause: err,
      });
    }
    return this.live!;
  }

  async search(query: string, opts: SearchOptions = {}): Promise<SearchResult> {
    const parsed = parseQuery(query); // throws UserInputError before waiting on anything
    const live = await this.liveIndex();
    return runQuery(live.index, parsed, live.meta, opts);
  }

  async similar(id: PaperId, opts: SearchOptions = {}): Promise<SearchResult> {
    const live = await this.liveIndex();
    if (!live.meta.docs.has(id)) throw new NotFoundError(`Paper ${id} is not in the search index.`);
    const doc = this.feed.get ? await this.feed.get(id).catch(() => null) : null;
    const parsed = doc ? similarQuery(doc) : similarQueryFromIndex(live.index, id);
    if (!parsed || parsed.terms.length === 0) return { hits: [], total: 0, terms: [] };
    return runQuery(live.index, parsed, live.meta, opts);
  }

  updateMeta(docs: readonly IndexDoc[]): void {
    for (const doc of docs) {
      if (this.live) this.applyMeta(this.live, doc);
      this.pendingMeta?.set(doc.id, doc);
    }
  }

  private applyMeta(target: LoadedIndex, doc: IndexDoc): void {
    const m = target.meta.docs.get(doc.id);
    if (!m) return;
    m.featuredDates = [...doc.featuredDates];
    m.upvotes = doc.upvotes;
    m.hasCode = doc.hasCode;
  }

  stats(): { docs: number; revision: number; building: boolean } {
    return {
      docs: this.live?.meta.docs.size ?? 0,
      revision: this.live?.revision ?? -1,
      building: this.current !== null,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
    await Promise.allSettled([this.current, this.next].filter(Boolean));
  }
}
