/**
 * The search planner, i.e. Corpus#search: which papers of a corpus Lunr is asked about and
 * the Lunr passes that score them. Corpus is a chain: CorpusDocs (corpus-docs.ts: papers,
 * metadata, filters, known items) → PostingCounts (posting-counts.ts: totals and tiers) → Corpus.
 *
 * Lunr does the matching and the scoring: for every query, the papers worth scoring are
 * gathered into a small lunr.Index (their postings for the query's terms, their field
 * vectors as lunr.Builder weighted them, a lunr.TokenSet of the query's terms) and the
 * query runs through lunr.Index#query, which expands the terms, applies required and
 * prohibited clauses, builds the query vectors and computes the scores and matchData.
 * Every score, matched-terms list and inclusion decision in a result is Lunr's. Fuzzy
 * terms are expanded with lunr.TokenSet#intersect over the vocabulary.
 *
 * What is ours is the plan, i.e. which papers Lunr is asked about:
 * - Counting (`total`, tiers, filters) reads the compact postings directly, which costs
 *   microseconds per thousand postings where Lunr costs ~10 µs per paper; it also notes
 *   which postings lists hold each paper.
 * - Lunr then scores only papers that can reach the requested page: the known items, the
 *   phrase-in-title tier, and the top of the all-terms and some-terms tiers. Lunr's score
 *   is linear in the stored weights (Σ query weight × field weight / |query vector|), so
 *   counting sums each paper's score from the postings' weights as it reads them; a tier
 *   too large to score whole goes to Lunr highest sum first, a batch at a time, until no
 *   paper left could reach the page. The page is exactly what one Lunr pass over the whole
 *   corpus returns (test/search/planner.test.ts compares them on real papers). Until
 *   issue 13 this was a threshold algorithm over impact-ordered postings, which asked Lunr
 *   about 30,000-55,000 papers for a nine-word description at 80k papers (~0.5-1 s).
 */
import lunr from 'lunr';
import type { SearchHit, SearchOptions, SearchResult } from '../core/ports.js';
import { DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, addClauses, clampInt, rankKey } from './engine.js';
import { PostingCounts } from './posting-counts.js';
import type { ParsedQuery } from './query.js';
import { FIELD_NAMES, NF, type Segment } from './segment.js';
import { didYouMean } from './suggest.js';
import type { Exp, TokenSetStatics } from './vocab-expansion.js';

/** Tiers with at most this many papers are scored whole. */
const SCORE_ALL = 48;
/** Papers per Lunr pass in the top-k search (doubling). */
const FIRST_BATCH = 16;
const EMPTY_METADATA: object = Object.freeze(Object.create(null) as object);
const SEARCH_PIPELINE = (() => {
  const p = new lunr.Pipeline();
  p.add(lunr.stemmer);
  return p;
})();


interface Scored {
  score: number;
  /** rankKey(score): what ordering compares. */
  key: number;
  matched: string[];
}

export class Corpus extends PostingCounts {
  private readonly scoreAll: number;

  constructor(
    base: Segment,
    delta: Segment | null = null,
    /** `scoreAll`: tiers up to this size are scored whole (tests set it low to exercise the top-k search). */
    tuning: { scoreAll?: number } = {},
  ) {
    super(base, delta);
    this.scoreAll = tuning.scoreAll ?? SCORE_ALL;
  }

  search(parsed: ParsedQuery, opts: SearchOptions = {}): SearchResult {
    const limit = clampInt(opts.limit, DEFAULT_LIMIT, 1, MAX_LIMIT);
    const offset = clampInt(opts.offset, 0, 0, MAX_OFFSET);
    const filters = opts.filters ?? {};
    const filter = this.filterOf(filters);
    const excludedIds = [...(filters.excludeIds ?? []), ...(parsed.excludeIds ?? [])];

    if (parsed.kind === 'id') {
      const id = parsed.id ?? '';
      const g = this.findDoc(id);
      const known = g >= 0;
      const ok = known && !excludedIds.includes(id) && (!filter || filter(g));
      const hits: SearchHit[] = ok ? [{ id, score: 1, matched: [] }] : [];
      const result: SearchResult = { hits: hits.slice(offset, offset + limit), total: hits.length, terms: [] };
      if (!known) result.notice = `arXiv:${id} is not in the index yet.`;
      else if (hits.length === 0) result.notice = `arXiv:${id} does not match the filters.`;
      if (parsed.notice) result.notice = parsed.notice;
      return result;
    }

    const { knownList, sizes, total, exps } = this.countTiers(parsed, filter, excludedIds);

    // 4. Lunr scores what can reach the page.
    const ctx: QueryContext = { parsed, exps, scored: new Map() };
    const need = offset + limit;
    const out: { g: number; tier: number }[] = [];
    if (knownList.length) {
      this.score(ctx, knownList);
      const ranked = knownList.map((g, i) => ({ g, i, s: ctx.scored.get(g)?.key ?? 0 })).sort((a, b) => b.s - a.s || a.i - b.i);
      for (const { g } of ranked) out.push({ g, tier: 3 });
    }
    for (const tier of [2, 1, 0]) {
      if (out.length >= need) break;
      const size = sizes[tier]!;
      if (!size) continue;
      for (const g of this.topOfTier(ctx, tier, size, need - out.length)) out.push({ g, tier });
    }

    let top = 0;
    for (const s of ctx.scored.values()) if (s && s.score > top) top = s.score;
    const step = top + 1;
    const result: SearchResult = {
      hits: out.slice(offset, offset + limit).map(({ g, tier }) => {
        const s = ctx.scored.get(g);
        return { id: this.docId(g), score: (s?.score ?? 0) + tier * step, matched: s ? [...s.matched] : [] };
      }),
      total,
      terms: [...parsed.words],
    };
    if (parsed.notice) result.notice = parsed.notice;
    // An unknown word always earns a suggestion; a merely rare one when nothing matched.
    const dym = didYouMean(this.segments(), parsed.terms, (key) => this.termDf(key), total === 0 ? 1 : 0);
    if (dym) result.suggestion = dym.query;
    return result;
  }

  /** Papers holding a term (lunr's df, every segment). */
  private termDf(key: string): number {
    let df = 0;
    for (const { seg } of this.segments()) {
      const t = seg.findTerm(key);
      if (t >= 0) df += seg.df(t);
    }
    return df;
  }

  /**
   * The best `r` papers of a tier by Lunr score (ties: indexing order). Counting summed each
   * paper's score (`acc`, equal to Lunr's up to rounding), so Lunr is asked about the
   * highest sums only, a batch at a time (doubling), until no paper left unasked sums
   * within rounding of the r-th score Lunr gave. Lunr still decides each score and whether
   * a paper matches at all; the sums only choose whom to ask.
   */
  private topOfTier(ctx: QueryContext, tier: number, size: number, r: number): number[] {
    const members = this.tiers[tier]!.subarray(0, size);
    const byScore = (a: number, b: number) => (ctx.scored.get(b)?.key ?? 0) - (ctx.scored.get(a)?.key ?? 0) || a - b;
    if (size <= Math.max(this.scoreAll, r)) {
      const all = Array.from(members);
      this.score(ctx, all);
      return all.sort(byScore).slice(0, r);
    }
    const acc = this.acc;
    const asked = this.nextSerial();
    const eps = (x: number) => Math.abs(x) * 1e-9 + 1e-9;
    const best: number[] = [];
    let theta = Number.NEGATIVE_INFINITY;
    // Half again r: the r-th score and the sum of the r-th paper asked are nearly equal, so a
    // first batch of exactly r almost always needed a second (at 80k papers, r = 30 had Lunr
    // score ~90 papers in two passes; 1.5 r, ~45 in one).
    for (let batch = Math.max(FIRST_BATCH, Math.ceil(r * 1.5)); ; batch *= 2) {
      const now = this.highest(members, batch, asked);
      if (!now.length) return best;
      for (const g of now) this.picked[g] = asked;
      this.score(ctx, now);
      for (const g of now) if (ctx.scored.get(g)) best.push(g);
      best.sort(byScore);
      if (best.length > r) best.length = r;
      if (best.length < r) continue;
      theta = ctx.scored.get(best[r - 1]!)!.score;
      // Papers not asked yet sum at most the lowest of this batch.
      const rest = acc[now[now.length - 1]!]!;
      if (rest + eps(rest) < theta - eps(theta)) return best;
    }
  }

  /**
   * The `k` members not yet asked (picked ≠ asked) with the highest sums, highest first,
   * plus any tied with the last of them within rounding. A binary min-heap of k entries.
   */
  private highest(members: Uint32Array, k: number, asked: number): number[] {
    const acc = this.acc;
    const picked = this.picked;
    const heap: number[] = [];
    const less = (a: number, b: number) => acc[a]! < acc[b]! || (acc[a] === acc[b] && a > b);
    const down = (i: number) => {
      for (;;) {
        const l = 2 * i + 1;
        if (l >= heap.length) return;
        const c = l + 1 < heap.length && less(heap[l + 1]!, heap[l]!) ? l + 1 : l;
        if (!less(heap[c]!, heap[i]!)) return;
        [heap[c], heap[i]] = [heap[i]!, heap[c]!];
        i = c;
      }
    };
    for (let i = 0; i < members.length; i++) {
      const g = members[i]!;
      if (picked[g] === asked) continue;
      if (heap.length < k) {
        heap.push(g);
        for (let j = heap.length - 1; j > 0; ) {
          const up = (j - 1) >> 1;
          if (!less(heap[j]!, heap[up]!)) break;
          [heap[j], heap[up]] = [heap[up]!, heap[j]!];
          j = up;
        }
      } else if (less(heap[0]!, g)) {
        heap[0] = g;
        down(0);
      }
    }
    if (!heap.length) return heap;
    // Ties with the cut (within rounding) come too: their order is Lunr's to decide.
    const cut = acc[heap[0]!]!;
    const floor = cut - (Math.abs(cut) * 1e-9 + 1e-9);
    const out = heap.slice();
    if (heap.length === k) {
      const inHeap = new Set(heap);
      for (let i = 0; i < members.length; i++) {
        const g = members[i]!;
        if (picked[g] !== asked && acc[g]! >= floor && !inHeap.has(g)) out.push(g);
      }
    }
    return out.sort((a, b) => acc[b]! - acc[a]! || a - b);
  }

  /** Runs the query through lunr.Index#query over a lunr.Index holding just these papers. */
  private score(ctx: QueryContext, gs: readonly number[]): void {
    const todo = gs.filter((g) => !ctx.scored.has(g));
    if (!todo.length) return;
    const started = performance.now();
    // Postings of the query's terms restricted to these papers, read off their field vectors
    // (a term is in a paper's field exactly when the field vector holds it).
    const exps = [...ctx.exps].sort((a, b) => a.gid - b.gid);
    const gids = exps.map((e) => e.gid);
    const invertedIndex = Object.create(null) as Record<string, Record<string, unknown>>;
    const fieldPostings = exps.map((e) => {
      const posting = Object.create(null) as Record<string, unknown>;
      posting._index = e.gid;
      invertedIndex[e.term] = posting;
      return FIELD_NAMES.map((name) => (posting[name] = Object.create(null) as Record<number, object>));
    });
    const fieldVectors = Object.create(null) as Record<string, lunr.Vector>;
    for (const g of todo) {
      const [seg, d] = this.segOf(g);
      const vec = seg.v.vec;
      const vo = seg.v.vecOff;
      for (let f = 0; f < NF; f++) {
        const a = vo[d * NF + f]!;
        const b = vo[d * NF + f + 1]!;
        let lo = a;
        let matched = false;
        for (let i = 0; i < gids.length && lo < b; i++) {
          const gid = gids[i]!;
          let hi = b;
          while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (vec[mid]! < gid) lo = mid + 1;
            else hi = mid;
          }
          if (lo < b && vec[lo] === gid) {
            fieldPostings[i]![f]![g] = EMPTY_METADATA;
            matched = true;
            lo++;
          }
        }
        if (matched) fieldVectors[`${FIELD_NAMES[f]}/${g}`] = new lunr.Vector(seg.vectorElements(d, f));
      }
    }
    const index = new lunr.Index({
      invertedIndex,
      fieldVectors,
      tokenSet: (lunr.TokenSet as unknown as TokenSetStatics).fromArray(exps.map((e) => e.term).sort()),
      fields: [...FIELD_NAMES],
      pipeline: SEARCH_PIPELINE,
    } as unknown as lunr.Index.Attributes);
    for (const r of index.query((q) => addClauses(q, ctx.parsed))) {
      ctx.scored.set(Number(r.ref), { score: r.score, key: rankKey(r.score), matched: Object.keys(r.matchData.metadata) });
    }
    for (const g of todo) if (!ctx.scored.has(g)) ctx.scored.set(g, null);
    this.lastCost.scored += todo.length;
    this.lastCost.lunrPasses++;
    this.lastCost.lunrMs += performance.now() - started;
  }
}

interface QueryContext {
  parsed: ParsedQuery;
  /** Every vocabulary term any clause expands to. */
  exps: Exp[];
  /** Lunr's answer per paper scored so far; null when Lunr did not match it. */
  scored: Map<number, Scored | null>;
}
