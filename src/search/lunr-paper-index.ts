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
 *
 * This file is the top of a class chain and serves searches (waiting for a first index,
 * keeping a generation attached while a search uses it, metadata updates, stats, close);
 * IndexFreshness (index-freshness.ts) keeps the index fresh, IndexBuildRunner
 * (index-build-runner.ts) runs the build jobs, and doc-feed.ts is where papers come from.
 */
import type { PaperId } from '../core/paper.js';
import { BotError, NotFoundError } from '../core/errors.js';
import type { IndexDoc, PaperIndex, SearchOptions, SearchResult } from '../core/ports.js';
import { WorkerStoppedError } from './backends.js';
import type { MetaPatch } from './corpus-docs.js';
import { similarQuery } from './similar-query.js';
import type { Generation } from './index-build-runner.js';
import { IndexFreshness } from './index-freshness.js';
import { parseQuery } from './query.js';
import type { ThreadMemory } from './query-worker.js';

/** Papers remembered from updateMeta for the next quick delta; beyond this the full comparison alone catches up. */
const MAX_HINTS = 5000;

/**
 * Searched through the whole path (parsed on this thread, the worker round trip, the answer
 * back) before the first index counts as ready. The search workers warm their own code
 * (query-worker.ts), but this thread's side stayed cold: at 80k papers the first real query
 * after a load took 22-55 ms. With these three, `npm run bench:search` (80k, three runs)
 * has p99 over the first 3 s after a load 7.4-13.4 ms (was 9.5-19.8), start to first
 * answer 1.08-1.13 s.
 */
const PATH_WARM_UP = ['large language model', 'image generation benchmark', 'agents'];

function patchOf(doc: IndexDoc): MetaPatch {
  return { id: doc.id, featuredDates: [...(doc.featuredDates ?? [])], upvotes: doc.upvotes ?? null, hasCode: doc.hasCode === true };
}

export class LunrPaperIndex extends IndexFreshness implements PaperIndex {
  protected override async init(): Promise<void> {
    await super.init();
    const gen = this.live;
    if (!gen?.docs) return;
    for (const q of PATH_WARM_UP) {
      try {
        await this.using(gen, () => this.backend.search(gen.id, parseQuery(q), { limit: 10 }));
      } catch {
        // a warm-up query that fails changes nothing: the real ones will say why
      }
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
