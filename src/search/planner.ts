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
 *   phrase-in-title tier, and the top of the all-terms and some-terms tiers. A tier too
 *   large to score whole is searched top-k over impact-ordered postings (Fagin's threshold
 *   algorithm, in its no-random-access form): reading a list in weight order gives a
 *   paper's weight in it, so a paper's score is at most its weights in the lists read so
 *   far plus the next weight of each other list holding it, and an unread paper's at most
 *   the sum of every list's next weight. Lunr scores the candidates whose bound can still
 *   reach the k-th Lunr score, best bound first; reading stops when no unread paper can.
 *   Lunr's score is linear in the stored weights (Σ query weight × field weight / |query|),
 *   so these are true upper bounds and the page is exactly what one Lunr pass over the
 *   whole corpus returns (test/search/planner.test.ts compares them on real papers).
 */
import lunr from 'lunr';
import type { SearchHit, SearchOptions, SearchResult } from '../core/ports.js';
import { DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, addClauses, clampInt, rankKey } from './engine.js';
import { type List, PostingCounts } from './posting-counts.js';
import type { ParsedQuery } from './query.js';
import { FIELD_NAMES, NF, type Segment } from './segment.js';
import { didYouMean } from './suggest.js';
import type { Exp, TokenSetStatics } from './vocab-expansion.js';

/** Tiers with at most this many papers are scored whole. */
const SCORE_ALL = 48;
/** Papers per Lunr pass in the top-k search (doubling), postings read between passes, and the read step. */
const FIRST_BATCH = 16;
const READS_PER_ROUND = 512;
const STEP = 16;
const EMPTY_METADATA: object = Object.freeze(Object.create(null) as object);
const SEARCH_PIPELINE = (() => {
  const p = new lunr.Pipeline();
  p.add(lunr.stemmer);
  return p;
})();

interface Cand {
  g: number;
  /** What it scores in the lists it was read in. */
  known: number;
  read: number[];
  done: boolean;
}

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

    const { knownList, sizes, total, taLists, exps } = this.countTiers(parsed, filter, excludedIds);

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
      for (const g of this.topOfTier(ctx, tier, size, need - out.length, taLists, taLists.length <= 32)) out.push({ g, tier });
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

  /** The best `r` papers of a tier by Lunr score (ties: indexing order). */
  private topOfTier(ctx: QueryContext, tier: number, size: number, r: number, lists: List[], masks: boolean): number[] {
    const members = this.tiers[tier]!;
    const byScore = (a: number, b: number) => (ctx.scored.get(b)?.key ?? 0) - (ctx.scored.get(a)?.key ?? 0) || a - b;
    if (size <= Math.max(this.scoreAll, r)) {
      const all = Array.from(members.subarray(0, size));
      this.score(ctx, all);
      return all.sort(byScore).slice(0, r);
    }
    // Top-k over the impact-ordered lists (Fagin's threshold algorithm, in its "no random
    // access" form). Reading a list in weight order tells each paper's weight in it; a
    // paper's score is at most what it got in the lists read so far plus the next weight of
    // every other list that holds it (known from the count), and an unread paper's is at most
    // the sum of every list's next weight. Lunr scores the candidates whose bound can still
    // reach the k-th Lunr score; reading stops when no unread paper can. Reads go first to
    // the list whose next weight counts most.
    const epoch = this.epoch;
    const picked = this.nextSerial();
    const cands: Cand[] = [];
    const slot = this.slot;
    const n = lists.length;
    const depth = new Uint32Array(n);
    const front = new Float64Array(n);
    const take = (g: number, i: number, w: number) => {
      let c: Cand;
      if (this.picked[g] !== picked) {
        this.picked[g] = picked;
        slot[g] = cands.length;
        cands.push((c = { g, known: 0, read: [], done: false }));
      } else c = cands[slot[g]!]!;
      c.known += w;
      c.read.push(i);
    };
    const weightAt = (i: number, p: number) => {
      const l = lists[i]!;
      return (l.coef * l.seg.weight(l.seg.v.impDocs[p]!, l.f, l.gid)) / 1000;
    };
    const readTo = (i: number, to: number) => {
      const l = lists[i]!;
      const docs = l.seg.v.impDocs;
      for (let p = l.a + depth[i]!; p < to; p++) {
        const g = l.off + docs[p]!;
        if (this.tierStamp[g] === epoch && this.tierOf[g] === tier) take(g, i, weightAt(i, p));
      }
      depth[i] = to - l.a;
      front[i] = to < l.b ? weightAt(i, to) : 0;
    };
    for (let i = 0; i < n; i++) {
      const l = lists[i]!;
      if (l.b - l.a < l.seg.header.impactMin) readTo(i, l.b); // short lists: read whole
      else front[i] = weightAt(i, l.a);
    }
    const upper = (c: Cand): number => {
      let ub = c.known;
      if (masks) {
        let m = this.st[(c.g << 2) + 3]!;
        for (const i of c.read) m &= ~(1 << i);
        while (m) {
          const i = 31 - Math.clz32(m);
          ub += front[i]!;
          m &= ~(1 << i);
        }
      } else {
        let all = 0;
        for (let i = 0; i < n; i++) all += front[i]!;
        ub += all;
        for (const i of c.read) ub -= front[i]!;
      }
      return ub;
    };
    const eps = (x: number) => x * 1e-9 + 1e-9;
    const best: number[] = []; // scored papers in the tier, best first (at most r kept)
    let theta = Number.NEGATIVE_INFINITY;
    let batch = Math.max(FIRST_BATCH, r);
    for (;;) {
      let bound = 0;
      for (let i = 0; i < n; i++) bound += front[i]!;
      // Read while an unread paper could still make the page.
      if (bound > 0 && (best.length < r || bound + eps(bound) >= theta)) {
        for (let reads = 0; reads < READS_PER_ROUND; ) {
          let at = -1;
          for (let i = 0; i < n; i++) if (front[i]! > 0 && (at < 0 || front[i]! > front[at]!)) at = i;
          if (at < 0) break;
          const l = lists[at]!;
          const from = l.a + depth[at]!;
          const to = Math.min(l.b, from + Math.max(STEP, depth[at]! >>> 2));
          readTo(at, to);
          reads += to - from;
        }
        bound = 0;
        for (let i = 0; i < n; i++) bound += front[i]!;
      }
      // Score the most promising candidates that can still make the page.
      const open: { c: Cand; ub: number }[] = [];
      for (const c of cands) {
        if (c.done) continue;
        const ub = upper(c);
        if (best.length < r || ub + eps(ub) >= theta) open.push({ c, ub });
      }
      if (!open.length) {
        if (bound === 0 || (best.length >= r && bound + eps(bound) < theta)) return best;
        continue;
      }
      open.sort((a, b) => b.ub - a.ub);
      const now = open.slice(0, batch).map((o) => o.c);
      for (const c of now) c.done = true;
      this.score(
        ctx,
        now.map((c) => c.g),
      );
      for (const c of now) if (ctx.scored.get(c.g)) best.push(c.g);
      best.sort(byScore);
      if (best.length > r) best.length = r;
      if (best.length >= r) theta = ctx.scored.get(best[r - 1]!)?.score ?? 0;
      batch *= 2;
    }
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
            if (vec[2 * mid]! < gid) lo = mid + 1;
            else hi = mid;
          }
          if (lo < b && vec[2 * lo] === gid) {
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
