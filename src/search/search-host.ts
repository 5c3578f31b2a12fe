/**
 * What a search thread holds: the generations of the index it was told about (each a
 * Corpus over shared segments, plus metadata patches), answering searches against the one
 * a request names. The same object serves inline (tests, tiny corpora) and inside each
 * search worker (query-worker.ts).
 */
import type { SearchOptions, SearchResult } from '../core/ports.js';
import type { ParsedQuery } from './query.js';
import type { MetaPatch } from './corpus-docs.js';
import { Corpus } from './planner.js';
import type { QueryCost } from './posting-counts.js';
import { Segment } from './segment.js';
import { verifySegments, type SegmentImage } from './snapshot.js';

export interface GenPayload {
  base: SegmentImage;
  delta: SegmentImage | null;
  meta: MetaPatch[];
  /** Check checksums and tables before accepting it (segments read from disk). */
  verify?: boolean;
}

export class SearchHost {
  private readonly gens = new Map<number, Corpus>();
  private readonly segments = new Map<string, Segment>();

  private segment(img: SegmentImage): Segment {
    // Consecutive generations share their base: keep one Segment (and its decoded-term cache).
    let s = this.segments.get(img.header.id);
    if (!s) this.segments.set(img.header.id, (s = new Segment(img.buffer, img.header)));
    return s;
  }

  attach(gen: number, p: GenPayload): void {
    if (p.verify) verifySegments(p.base, p.delta);
    const corpus = new Corpus(this.segment(p.base), p.delta ? this.segment(p.delta) : null);
    corpus.applyMeta(p.meta);
    this.gens.set(gen, corpus);
  }

  /** Papers in a generation (0 when it is not attached). */
  docCount(gen: number): number {
    return this.gens.get(gen)?.docCount ?? 0;
  }

  has(gen: number): boolean {
    return this.gens.has(gen);
  }

  /** Forgets a generation; the bytes of segments no other generation uses, when any. */
  drop(gen: number): number {
    this.gens.delete(gen);
    const used = new Set<string>();
    for (const c of this.gens.values()) {
      used.add(c.base.id);
      if (c.delta) used.add(c.delta.id);
    }
    let freed = 0;
    for (const [id, seg] of [...this.segments]) {
      if (used.has(id)) continue;
      this.segments.delete(id);
      freed += seg.buffer.byteLength;
    }
    return freed;
  }

  meta(patches: MetaPatch[]): void {
    for (const c of this.gens.values()) c.applyMeta(patches);
  }

  private corpus(gen: number): Corpus {
    const c = this.gens.get(gen);
    if (!c) throw new Error(`index generation ${gen} is not attached`);
    return c;
  }

  search(gen: number, parsed: ParsedQuery, opts: SearchOptions): SearchResult {
    return this.corpus(gen).search(parsed, opts);
  }

  /** Null when the paper is not indexed. */
  similar(gen: number, id: string, parsed: ParsedQuery | null, opts: SearchOptions): SearchResult | null {
    const c = this.corpus(gen);
    if (!c.has(id)) return null;
    const q = parsed ?? c.similarQueryFromIndex(id);
    if (!q || q.terms.length === 0) return { hits: [], total: 0, terms: [] };
    return c.search(q, opts);
  }

  lastCost(gen: number): QueryCost | null {
    return this.gens.get(gen)?.lastCost ?? null;
  }
}
