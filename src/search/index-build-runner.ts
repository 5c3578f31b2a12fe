/**
 * Running LunrPaperIndex's build jobs (build-job.ts): in the build worker, kept warm for a
 * few seconds between jobs and capped in heap (retried uncapped when a corpus outgrows the
 * estimate), or on the calling thread; either way fed every paper from the DocFeed in
 * batches when the job scans, and collecting the metadata updates that arrive meanwhile.
 * The base of the index's class chain: IndexFreshness (index-freshness.ts) decides which
 * jobs run and publishes their results; LunrPaperIndex (lunr-paper-index.ts) serves searches.
 * Also the index's options and its Generation record, which every layer shares.
 */
import type { Worker } from 'node:worker_threads';
import type { PaperId } from '../core/paper.js';
import type { IndexDoc, Logger } from '../core/ports.js';
import { startWorker } from './backends.js';
import { BuildRun, type BuildJob, type BuildProgress, type BuildResult } from './build-job.js';
import type { BuildReply, BuildRequest } from './build-worker.js';
import type { MetaPatch } from './corpus-docs.js';
import type { DocFeed } from './doc-feed.js';
import type { SegmentImage } from './snapshot.js';

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
  /** How far a build is, for a progress bar (the CLI); called often, keep it cheap. */
  onBuildProgress?: (p: BuildProgress) => void;
  /** Build tuning (tests). */
  shardDocs?: number;
}

export interface Generation {
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
 * Batches sent to the build worker and not yet taken in. The store reads faster than a
 * build at the lowest priority tokenises: without a bound the whole corpus would wait in
 * the worker's message queue (~150 MB at 80k papers).
 */
const FEED_AHEAD = 4;
/**
 * The build worker's young generation, in MB (V8's default semi-spaces are 16 MB): at 80k
 * papers 8 took the rebuild's process peak from ~790 to 757 MB and 4 to ~690, the build
 * still ~35 s (its garbage is short-lived, so it is collected young either way).
 */
const BUILD_YOUNG_MB = 4;
/**
 * The build worker's old-space cap for a corpus of `docs` papers. Left alone, V8 lets a
 * build's garbage pile up to several times what it keeps alive (uncapped, an 80k build's
 * heap reached 383 MB and the process 1 GB); capped, it collects sooner. What a full build
 * keeps alive peaks at the end of reading (the tokenised corpus plus query.ts's term memo:
 * ~99 MB at 80k papers); the shards add ~13 MB at 1024 papers each. Measured in the build
 * worker: a 9.6k build fails at a 40 MB cap and passes at 50; an 80k one fails at 90,
 * passes at 100 (but GC-bound, 62 s) and at 110 (36 s). This leaves ~30% headroom at 9.6k
 * and 80k (66 and 136 MB), and tiny corpora need ~15; a corpus that outgrows it is
 * retried uncapped. A process-wide --max-old-space-size (NODE_OPTIONS) overrides any
 * worker's cap in V8.
 */
export function buildHeapCapMb(docs: number): number {
  return Math.round(56 + docs / 1000);
}

function isOutOfMemory(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
}

export class IndexBuildRunner {
  protected readonly feed: DocFeed;
  protected readonly snapshotDir: string | undefined;
  protected readonly log: Logger;
  protected readonly useWorker: boolean;
  protected readonly batchSize: number;
  protected readonly opts: LunrPaperIndexOptions;

  protected live: Generation | null = null;
  protected buildWorker: Worker | null = null;
  protected buildWorkerCap: number | undefined;
  protected buildIdle: NodeJS.Timeout | undefined;
  protected closed = false;
  /** Papers updateMeta saw since the last full comparison (their text may be new). */
  protected readonly hints = new Map<PaperId, IndexDoc>();
  /** Metadata updates that arrive during a build, replayed on its result. */
  protected readonly collectors = new Set<Map<PaperId, MetaPatch>>();

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

  /**
   * Runs a build job in the build worker (or here), feeding it every paper when `scan`.
   * Also returns the metadata updates that arrived meanwhile, for its result.
   */
  protected async runJob(job: BuildJob, scan: boolean): Promise<{ result: BuildResult; meta: Map<PaperId, MetaPatch> }> {
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

  protected async buildHeapCap(): Promise<number | undefined> {
    const setting = this.opts.buildHeapCapMb;
    if (setting === false) return undefined;
    const docs = this.live?.docs ?? (await this.feed.count?.().catch(() => undefined));
    if (docs === undefined) return undefined;
    return setting ?? buildHeapCapMb(docs);
  }

  protected async *scanFeed(): AsyncIterable<IndexDoc[]> {
    // Everything stored from here on is read by this scan: the hints so far are covered.
    this.hints.clear();
    for await (const page of this.feed.pages(this.batchSize)) {
      if (this.closed) throw new Error('index closed during build');
      yield page;
      await yieldToEventLoop();
    }
  }

  protected async runHere(job: BuildJob, scan: boolean): Promise<BuildResult> {
    const run = new BuildRun(job, this.opts.onBuildProgress);
    if (scan) for await (const page of this.scanFeed()) run.add(page);
    await yieldToEventLoop();
    return run.finish();
  }

  /**
   * The build worker, kept for a few seconds after a job: a refresh runs two in a row (the
   * quick delta, then the comparison), and a worker is cheaper to keep than to start.
   */
  protected takeBuildWorker(capMb: number | undefined): Worker {
    clearTimeout(this.buildIdle);
    if (this.buildWorker && this.buildWorkerCap !== capMb) {
      void this.buildWorker.terminate();
      this.buildWorker = null;
    }
    if (!this.buildWorker) {
      const w = startWorker('build-worker', { maxYoungGenerationSizeMb: BUILD_YOUNG_MB, ...(capMb === undefined ? {} : { maxOldGenerationSizeMb: capMb }) });
      w.on('exit', () => {
        if (this.buildWorker === w) this.buildWorker = null;
      });
      this.buildWorker = w;
      this.buildWorkerCap = capMb;
    }
    return this.buildWorker;
  }

  protected releaseBuildWorker(worker: Worker, healthy: boolean, keep = true): void {
    if (!healthy || this.closed || !keep) {
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

  protected async runInWorker(job: BuildJob, scan: boolean, capMb: number | undefined): Promise<BuildResult> {
    const worker = this.takeBuildWorker(capMb);
    let onMessage: (msg: BuildReply) => void = () => {};
    let onError: (err: Error) => void = () => {};
    let onExit: (code: number) => void = () => {};
    let ahead = 0;
    let wake: (() => void) | null = null;
    const done = new Promise<BuildResult>((resolve, reject) => {
      onMessage = (msg) => {
        if (msg.type === 'took') {
          ahead--;
          wake?.();
        } else if (msg.type === 'progress') this.opts.onBuildProgress?.(msg.progress);
        else if (msg.type === 'done') resolve(msg.result);
        else reject(new Error(`index build worker failed: ${msg.message}`));
      };
      onError = reject;
      onExit = (code) => reject(new Error(`index build worker exited (code ${code}) before finishing`));
    });
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    let healthy = false;
    try {
      worker.postMessage({ type: 'job', job } satisfies BuildRequest);
      // A failed or stopped worker settles `done`, which also ends any wait for room.
      let settled = false;
      const settle = () => {
        settled = true;
        wake?.();
      };
      done.then(settle, settle);
      if (scan) {
        for await (const page of this.scanFeed()) {
          while (ahead >= FEED_AHEAD && !settled) await new Promise<void>((r) => (wake = r));
          wake = null;
          if (settled) break;
          worker.postMessage({ type: 'docs', docs: page } satisfies BuildRequest);
          ahead++;
        }
      }
      worker.postMessage({ type: 'end' } satisfies BuildRequest);
      const result = await done;
      healthy = true;
      return result;
    } finally {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      // After a full build the worker's heap is mostly the build's garbage (~130 MB at 80k):
      // it goes at once, while the bot briefly holds the old and the new segment.
      this.releaseBuildWorker(worker, healthy, job.mode !== 'full');
    }
  }
}
