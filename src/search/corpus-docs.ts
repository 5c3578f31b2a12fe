/**
 * What a corpus (a base segment and, for papers stored since, a small delta) knows of its
 * papers apart from searching them: which are live (a delta supersedes base copies), their
 * ids, the metadata overlay (upvotes, featured days, code) and the filters over it, the
 * known-item lookup by title, and the "more like this" query read off stored field vectors.
 * The base of the Corpus class chain: PostingCounts adds counting, the planner scoring.
 */
import type { SearchFilters } from '../core/ports.js';
import { similarFromKeys } from './similar-query.js';
import type { ParsedQuery } from './query.js';
import { FIELD_NAMES, NF, Segment, dayNumber, dayString } from './segment.js';

export interface MetaPatch {
  id: string;
  featuredDates: string[];
  upvotes: number | null;
  hasCode: boolean;
}

interface Meta {
  days: ArrayLike<number>;
  upvotes: number | null;
  hasCode: boolean;
}

export const FIELD_INDEX = new Map(FIELD_NAMES.map((f, i) => [f, i]));

export class CorpusDocs {
  readonly nb: number;
  readonly n: number;
  protected readonly dead: Uint8Array;
  protected readonly deadCount: number;
  protected readonly overlay = new Map<number, Meta>();
  protected deltaTermOfGid: Map<number, number> | null = null;

  constructor(
    readonly base: Segment,
    readonly delta: Segment | null = null,
  ) {
    this.nb = base.docs;
    this.n = base.docs + (delta?.docs ?? 0);
    this.dead = new Uint8Array(this.nb);
    let dead = 0;
    for (const d of delta?.v.dead ?? []) {
      if (d < this.nb && !this.dead[d]) {
        this.dead[d] = 1;
        dead++;
      }
    }
    this.deadCount = dead;
  }

  /** Papers searchable (superseded base copies excluded). */
  get docCount(): number {
    return this.n - this.deadCount;
  }

  protected segOf(g: number): [Segment, number] {
    return g < this.nb ? [this.base, g] : [this.delta!, g - this.nb];
  }

  docId(g: number): string {
    const [s, d] = this.segOf(g);
    return s.docId(d);
  }

  /** The live paper with this id (global number), or -1. */
  findDoc(id: string): number {
    if (this.delta) {
      const d = this.delta.findDoc(id);
      if (d >= 0) return this.nb + d;
    }
    const b = this.base.findDoc(id);
    return b >= 0 && !this.dead[b] ? b : -1;
  }

  has(id: string): boolean {
    return this.findDoc(id) >= 0;
  }

  /** Upvotes, featured days, code: replaces what the segment says until the next build. */
  applyMeta(patches: readonly MetaPatch[]): void {
    for (const p of patches) {
      const g = this.findDoc(p.id);
      if (g < 0) continue;
      const days: number[] = [];
      for (const s of p.featuredDates ?? []) {
        const n = dayNumber(s);
        if (n !== null) days.push(n);
      }
      this.overlay.set(g, { days, upvotes: p.upvotes ?? null, hasCode: p.hasCode === true });
    }
  }

  protected meta(g: number): Meta {
    const o = this.overlay.size ? this.overlay.get(g) : undefined;
    if (o) return o;
    const [s, d] = this.segOf(g);
    return { days: s.featuredDays(d), upvotes: s.upvotes(d), hasCode: s.v.hasCode[d] === 1 };
  }

  protected filterOf(filters: SearchFilters): ((g: number) => boolean) | null {
    const { featuredFrom, featuredTo, minUpvotes, hasCode } = filters;
    const byDate = Boolean(featuredFrom || featuredTo);
    const byVotes = typeof minUpvotes === 'number' && minUpvotes > 0;
    const byCode = typeof hasCode === 'boolean';
    if (!byDate && !byVotes && !byCode) return null;
    const fromN = featuredFrom ? dayNumber(featuredFrom) : null;
    const toN = featuredTo ? dayNumber(featuredTo) : null;
    const numeric = (!featuredFrom || fromN !== null) && (!featuredTo || toN !== null);
    const inRange = numeric
      ? (d: number) => (fromN === null || d >= fromN) && (toN === null || d <= toN)
      : (d: number) => {
          const s = dayString(d);
          return (!featuredFrom || s >= featuredFrom) && (!featuredTo || s <= featuredTo);
        };
    return (g) => {
      const m = this.meta(g);
      if (byCode && m.hasCode !== hasCode) return false;
      if (byVotes && (m.upvotes ?? 0) < (minUpvotes ?? 0)) return false;
      if (byDate) {
        let any = false;
        for (let i = 0; i < m.days.length && !any; i++) any = inRange(m.days[i]!);
        if (!any) return false;
      }
      return true;
    };
  }

  protected segments(): { seg: Segment; off: number }[] {
    return this.delta ? [{ seg: this.base, off: 0 }, { seg: this.delta, off: this.nb }] : [{ seg: this.base, off: 0 }];
  }

  // ─── Known items ──────────────────────────────────────────────────────────────────

  /**
   * Papers the (normalised) query names, as TitleLookup finds them: exact titles, method
   * names (the part before a colon, at most 5), and the start of at most 3 titles.
   */
  lookupTitle(key: string): number[] {
    const out = new Set<number>();
    const live = (g: number) => !(g < this.nb && this.dead[g]);
    const segs = this.segments();
    for (const { seg, off } of segs) {
      const order = seg.v.tkeyOrder;
      for (let i = Segment.lowerBoundBy(order, key, (d) => seg.titleKey(d)); i < order.length; i++) {
        if (seg.titleKey(order[i]!) !== key) break;
        if (live(off + order[i]!)) out.add(off + order[i]!);
      }
    }
    let heads = 0;
    for (const { seg, off } of segs) {
      const order = seg.v.hkeyOrder;
      for (let i = Segment.lowerBoundBy(order, key, (d) => seg.headKey(d)); i < order.length && heads < 5; i++) {
        if (seg.headKey(order[i]!) !== key) break;
        if (live(off + order[i]!)) {
          out.add(off + order[i]!);
          heads++;
        }
      }
    }
    if (key.length >= 10 && key.includes(' ')) {
      const starts: { key: string; g: number }[] = [];
      for (const { seg, off } of segs) {
        const order = seg.v.tkeyOrder;
        let found = 0;
        for (let i = Segment.lowerBoundBy(order, key, (d) => seg.titleKey(d)); i < order.length && found <= 3; i++) {
          const k = seg.titleKey(order[i]!);
          if (!k.startsWith(key)) break;
          if ((k === key || k[key.length] === ' ') && live(off + order[i]!)) {
            starts.push({ key: k, g: off + order[i]! });
            found++;
          }
        }
      }
      if (starts.length <= 3) {
        starts.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.g - b.g));
        for (const s of starts) out.add(s.g);
      }
    }
    return [...out];
  }

  // ─── "More like this" from the index ──────────────────────────────────────────────

  protected termOfGid(gid: number): string | null {
    if (gid < this.base.header.globalTerms) return gid < this.base.terms ? this.base.term(gid) : null;
    if (!this.delta) return null;
    if (!this.deltaTermOfGid) {
      this.deltaTermOfGid = new Map();
      for (let t = 0; t < this.delta.terms; t++) this.deltaTermOfGid.set(this.delta.gid(t), t);
    }
    const t = this.deltaTermOfGid.get(gid);
    return t === undefined ? null : this.delta.term(t);
  }

  /** The "similar" query from a paper's stored field vectors, heaviest terms first. Null when unknown. */
  similarQueryFromIndex(id: string): ParsedQuery | null {
    const g = this.findDoc(id);
    if (g < 0) return null;
    const [seg, d] = this.segOf(g);
    const top = (field: string, n: number): string[] => {
      const f = FIELD_INDEX.get(field)!;
      const { vec, vecW } = seg.v;
      const pairs: [number, number][] = [];
      for (let i = seg.v.vecOff[d * NF + f]!; i < seg.v.vecOff[d * NF + f + 1]!; i++) pairs.push([vec[i]!, vecW[i]!]);
      return pairs
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([gid]) => this.termOfGid(gid))
        .filter((t): t is string => t !== null);
    };
    return similarFromKeys(id, [
      { keys: top('title', 12), boost: 4 },
      { keys: top('keywords', 10), boost: 1.5 },
      { keys: top('abstract', 6), boost: 1 },
    ]);
  }
}
