/**
 * The three ways an index changes, run in the build worker (or inline for tests):
 *
 * - `full`: every paper streams in, a new base segment is built and saved.
 * - `reconcile`: every paper streams in and is compared with the base by text fingerprint;
 *   new and changed papers (and removals) become a delta segment over the base, built in
 *   milliseconds. Upvote/featured-day differences become metadata patches. When too much
 *   changed, the answer is `tooBig` and the caller runs a full build.
 * - `quick`: no scan: the papers just stored (as the ingest handed them to updateMeta) are
 *   added to the current delta, so they are searchable within moments; the reconcile that
 *   follows makes the index exactly current.
 */
import type { IndexDoc } from '../core/ports.js';
import type { MetaPatch } from './corpus-docs.js';
import { Segment, dayNumber } from './segment.js';
import { SegmentBuilder } from './segment-builder.js';
import { fingerprint } from './segment-corpus.js';
import { ensureSegment, writeManifest, writeSegment, type SegmentImage } from './snapshot.js';

interface JobBase {
  shardDocs?: number;
}

export type BuildJob =
  | (JobBase & { mode: 'full'; revision: number; snapshotDir?: string })
  | (JobBase & { mode: 'reconcile'; revision: number; snapshotDir?: string; base: SegmentImage; baseFile: string | null; deltaMax: number })
  | (JobBase & { mode: 'quick'; base: SegmentImage; delta: SegmentImage | null; docs: IndexDoc[] });

interface Written {
  /** Snapshot size on disk (manifest + segments), null when not saved. */
  snapshotBytes: number | null;
  writeError?: string;
  /** Largest heap the build used (sampled). */
  peakHeapBytes: number;
}

export type BuildResult =
  | (Written & { kind: 'base'; base: SegmentImage; baseFile: string | null; revision: number; builtAt: string; docs: number; workMs: number })
  | (Written & {
      kind: 'delta';
      delta: SegmentImage | null;
      /** Null for a quick delta: the store's revision was not checked. */
      revision: number | null;
      builtAt: string;
      changed: number;
      removed: number;
      meta: MetaPatch[];
      workMs: number;
    })
  | { kind: 'tooBig'; changed: number };

function sameDays(a: ArrayLike<number>, dates: readonly string[]): boolean {
  const b = (dates ?? []).map(dayNumber).filter((d): d is number => d !== null);
  if (a.length !== b.length) return false;
  for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** How far a build is: papers read (tokenised), then papers indexed out of the total. */
export interface BuildProgress {
  phase: 'reading' | 'indexing';
  done: number;
  total?: number;
}

export class BuildRun {
  private readonly started = performance.now();
  private builder: SegmentBuilder | null = null;
  private readonly base: Segment | null = null;
  // reconcile
  private readonly seen = new Set<string>();
  private readonly seenBase: Uint8Array | null = null;
  private readonly changed: IndexDoc[] = [];
  private readonly dead: number[] = [];
  private readonly meta: MetaPatch[] = [];
  private tooBig = false;
  private changedCount = 0;

  /** Papers taken in so far; full builds then report their shards (for a progress bar). */
  private added = 0;

  constructor(
    private readonly job: BuildJob,
    private readonly onProgress: (p: BuildProgress) => void = () => {},
  ) {
    const opts = job.shardDocs ? { shardDocs: job.shardDocs } : {};
    if (job.mode === 'full') this.builder = new SegmentBuilder(opts);
    else {
      this.base = new Segment(job.base.buffer, job.base.header);
      if (job.mode === 'reconcile') this.seenBase = new Uint8Array(this.base.docs);
    }
  }

  add(docs: readonly IndexDoc[]): void {
    const job = this.job;
    this.added += docs.length;
    this.onProgress({ phase: 'reading', done: this.added });
    if (job.mode === 'full') return this.builder!.add(docs);
    if (job.mode !== 'reconcile') return;
    const base = this.base!;
    for (const doc of docs) {
      if (!doc || typeof doc.id !== 'string' || !doc.id || this.seen.has(doc.id)) continue;
      this.seen.add(doc.id);
      const b = base.findDoc(doc.id);
      if (b >= 0) {
        this.seenBase![b] = 1;
        const [x, y] = fingerprint(doc);
        if (base.v.fp[2 * b] === x && base.v.fp[2 * b + 1] === y) {
          const upvotes = typeof doc.upvotes === 'number' ? Math.round(doc.upvotes) : null;
          if (base.upvotes(b) !== upvotes || (base.v.hasCode[b] === 1) !== (doc.hasCode === true) || !sameDays(base.featuredDays(b), doc.featuredDates)) {
            this.meta.push({ id: doc.id, featuredDates: [...(doc.featuredDates ?? [])], upvotes: doc.upvotes ?? null, hasCode: doc.hasCode === true });
          }
          continue;
        }
        this.dead.push(b);
      }
      this.changedCount++;
      if (this.tooBig) continue;
      if (this.changedCount > job.deltaMax) {
        this.tooBig = true;
        this.changed.length = 0;
        continue;
      }
      this.changed.push(doc);
    }
  }

  async finish(): Promise<BuildResult> {
    const job = this.job;
    const builtAt = new Date().toISOString();
    if (job.mode === 'full') {
      const builder = this.builder!;
      const built = builder.build({ onShard: (done, total) => this.onProgress({ phase: 'indexing', done, total }) });
      // The worker holds this run until its next job: the corpus it collected is garbage now.
      this.builder = null;
      const workMs = Math.round(performance.now() - this.started);
      const out: BuildResult = {
        kind: 'base',
        base: built,
        baseFile: null,
        revision: job.revision,
        builtAt,
        docs: builder.size,
        workMs,
        snapshotBytes: null,
        peakHeapBytes: builder.peakHeapBytes,
      };
      if (job.snapshotDir) {
        try {
          const ref = await writeSegment(job.snapshotDir, built);
          out.baseFile = ref.file;
          out.snapshotBytes = (await writeManifest(job.snapshotDir, { revision: job.revision, builtAt, base: ref, delta: null })).bytes;
        } catch (err) {
          out.writeError = String((err as Error)?.message ?? err);
        }
      }
      return out;
    }

    const base = this.base!;
    let docs: IndexDoc[];
    let dead: number[];
    let removed = 0;
    if (job.mode === 'reconcile') {
      if (this.tooBig) return { kind: 'tooBig', changed: this.changedCount };
      docs = this.changed;
      dead = this.dead;
      for (let b = 0; b < base.docs; b++) {
        if (!this.seenBase![b]) {
          dead.push(b);
          removed++;
        }
      }
    } else {
      // Quick: the current delta's papers, overridden by the ones just stored.
      const prev = job.delta ? new Segment(job.delta.buffer, job.delta.header) : null;
      const byId = new Map<string, IndexDoc>();
      for (const d of (prev?.deltaDocs() ?? []) as IndexDoc[]) byId.set(d.id, d);
      for (const d of job.docs) if (d && typeof d.id === 'string' && d.id) byId.set(d.id, d);
      docs = [];
      const deadSet = new Set<number>(prev ? Array.from(prev.v.dead) : []);
      for (const d of byId.values()) {
        const b = base.findDoc(d.id);
        if (b >= 0) {
          const [x, y] = fingerprint(d);
          if (base.v.fp[2 * b] === x && base.v.fp[2 * b + 1] === y) {
            deadSet.delete(b); // back to what the base holds
            continue;
          }
          deadSet.add(b);
        }
        docs.push(d);
      }
      dead = [...deadSet];
    }

    let delta: SegmentImage | null = null;
    let peakHeapBytes = 0;
    if (docs.length || dead.length) {
      const builder = new SegmentBuilder({ base, keepDocs: true, ...(job.shardDocs ? { shardDocs: job.shardDocs } : {}) });
      builder.add(docs);
      delta = builder.build({ dead });
      peakHeapBytes = builder.peakHeapBytes;
    }
    const out: BuildResult = {
      kind: 'delta',
      delta,
      revision: job.mode === 'reconcile' ? job.revision : null,
      builtAt,
      changed: docs.length,
      removed,
      meta: this.meta,
      workMs: Math.round(performance.now() - this.started),
      snapshotBytes: null,
      peakHeapBytes,
    };
    if (job.mode === 'reconcile' && job.snapshotDir) {
      try {
        const baseRef = await ensureSegment(job.snapshotDir, job.baseFile, job.base);
        const deltaRef = delta ? await writeSegment(job.snapshotDir, delta) : null;
        out.snapshotBytes = (await writeManifest(job.snapshotDir, { revision: job.revision, builtAt, base: baseRef, delta: deltaRef })).bytes;
      } catch (err) {
        out.writeError = String((err as Error)?.message ?? err);
      }
    }
    return out;
  }
}
