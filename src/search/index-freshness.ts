/**
 * Keeping LunrPaperIndex fresh: the first load (snapshot, else a build), refreshes that add
 * the papers just stored to the delta and then publish an exact delta from a comparison
 * with the store, the delta/merge policy (a delta too large means a full rebuild; a large
 * one is merged into a new base in the background), builds one at a time, and publishing a
 * generation (the atomic swap; the old one is dropped once its searches finish).
 * Builds run through IndexBuildRunner (index-build-runner.ts); searches are served by
 * LunrPaperIndex (lunr-paper-index.ts), the top of the chain.
 */
import os from 'node:os';
import type { PaperId } from '../core/paper.js';
import { InlineBackend, PoolBackend, type SearchBackend } from './backends.js';
import type { BuildJob } from './build-job.js';
import type { MetaPatch } from './corpus-docs.js';
import { IndexBuildRunner, type Generation } from './index-build-runner.js';
import { Segment } from './segment.js';
import { tryLoadSnapshot, type SegmentImage } from './snapshot.js';

function docCount(base: SegmentImage, delta: SegmentImage | null): number {
  if (!delta) return base.header.docs;
  return base.header.docs - new Segment(delta.buffer, delta.header).v.dead.length + delta.header.docs;
}

export class IndexFreshness extends IndexBuildRunner {
  protected backendInstance: SearchBackend | null = null;
  protected genSeq = 0;
  protected readonly inflight = new Map<number, number>();
  protected readonly retired = new Set<number>();

  protected readyPromise: Promise<void> | null = null;
  protected next: Promise<void> | null = null;
  protected lane: Promise<unknown> = Promise.resolve();
  protected running = 0;
  /** The last full build: wall time, time in the builder, the builder's peak heap. */
  lastBuild: { ms: number; workMs: number; peakHeapBytes: number; docs: number } | null = null;

  protected get backend(): SearchBackend {
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

  protected async init(): Promise<void> {
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
  protected exclusive<T>(fn: () => Promise<T>): Promise<T> {
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

  protected refreshNow(): Promise<void> {
    if (this.next) return this.next;
    const p: Promise<void> = this.exclusive(async () => {
      if (this.next === p) this.next = null;
      await this.rebuildIfStale();
    });
    this.next = p;
    return p;
  }

  protected deltaMax(gen: Generation): number {
    return this.opts.deltaMax ?? Math.max(2000, Math.ceil(gen.base.header.docs * 0.05));
  }

  protected mergeAt(gen: Generation): number {
    return this.opts.mergeAt ?? Math.max(1000, Math.ceil(gen.base.header.docs * 0.02));
  }

  protected tuning(): { shardDocs?: number } {
    return this.opts.shardDocs ? { shardDocs: this.opts.shardDocs } : {};
  }

  protected async rebuildIfStale(): Promise<void> {
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
  protected async quickDelta(): Promise<void> {
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

  protected async buildFull(revision: number): Promise<void> {
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

  protected warnWrite(problem: string | undefined): void {
    if (problem) this.log.warn({ dir: this.snapshotDir, problem }, 'could not write search snapshot');
  }

  protected generation(
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
  protected async publish(gen: Generation, verify = false): Promise<void> {
    await this.backend.attach(gen.id, { base: gen.base, delta: gen.delta, meta: [...gen.meta.values()], verify });
    if (this.closed) return;
    const old = this.live;
    this.live = gen; // the swap
    if (old) {
      this.retired.add(old.id);
      this.dropIfIdle(old.id);
    }
  }

  protected dropIfIdle(gen: number): void {
    if (this.retired.has(gen) && !this.inflight.get(gen)) {
      this.retired.delete(gen);
      this.inflight.delete(gen);
      this.backendInstance?.drop(gen);
    }
  }
}
