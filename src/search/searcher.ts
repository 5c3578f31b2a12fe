/**
 * Searching a corpus of segments (a base and, for papers stored since, a small delta).
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
import type { SearchFilters, SearchHit, SearchOptions, SearchResult } from '../core/ports.js';
import { DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, addClauses, clampInt, rankKey, similarFromKeys } from './engine.js';
import type { ParsedQuery, QueryTerm } from './query.js';
import { FIELD_NAMES, NF, Segment, dayNumber, dayString } from './segment.js';

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

/** One term of the vocabulary as the query uses it: where it is in each segment. */
interface Exp {
  term: string;
  gid: number;
  parts: { seg: Segment; off: number; t: number }[];
}

interface Clause {
  term: QueryTerm;
  fields: number[];
  exps: Exp[];
}

/** A postings list of one term in one field of one segment, with its query weight. */
interface List {
  seg: Segment;
  off: number;
  gid: number;
  f: number;
  a: number;
  b: number;
  /** Query vector weight / |query vector| for this field: Lunr's score is Σ coef × weight. */
  coef: number;
}

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

/** lunr 2.3.9 statics that @types/lunr leaves out. */
interface TokenSetStatics {
  fromClause(clause: lunr.Query.Clause): lunr.TokenSet;
  fromArray(words: string[]): lunr.TokenSet;
}

const FIELD_INDEX = new Map(FIELD_NAMES.map((f, i) => [f, i]));

/**
 * A node of a segment's sorted vocabulary seen as a trie (the terms sharing a prefix are a
 * contiguous range), built as lunr.TokenSet#intersect walks it. Shallow nodes are kept
 * between queries: every fuzzy query starts its walk there.
 */
class VocabNode {
  readonly final: boolean;
  private memo: Record<string, VocabNode> | null = null;

  constructor(
    private readonly seg: Segment,
    private readonly lo: number,
    private readonly hi: number,
    private readonly depth: number,
  ) {
    this.final = lo < hi && seg.term(lo).length === depth;
  }

  get edges(): Record<string, VocabNode> {
    if (this.memo) return this.memo;
    const edges = Object.create(null) as Record<string, VocabNode>;
    const { seg, depth: d } = this;
    let i = this.final ? this.lo + 1 : this.lo;
    while (i < this.hi) {
      const code = seg.term(i).charCodeAt(d);
      let a = i + 1;
      let b = this.hi;
      while (a < b) {
        const mid = (a + b) >>> 1;
        if (seg.term(mid).charCodeAt(d) <= code) a = mid + 1;
        else b = mid;
      }
      edges[String.fromCharCode(code)] = new VocabNode(seg, i, a, d + 1);
      i = a;
    }
    if (d < 3) this.memo = edges;
    return edges;
  }
}

const vocabRoots = new WeakMap<Segment, VocabNode>();
function vocabRoot(seg: Segment): VocabNode {
  let root = vocabRoots.get(seg);
  if (!root) vocabRoots.set(seg, (root = new VocabNode(seg, 0, seg.terms, 0)));
  return root;
}

/** What the last query cost (for benchmarks and tests). */
export interface QueryCost {
  /** Postings read to count matches and tiers. */
  postings: number;
  /** Papers Lunr scored, and in how many lunr.Index#query passes. */
  scored: number;
  lunrPasses: number;
  lunrMs: number;
}

export class Corpus {
  readonly nb: number;
  lastCost: QueryCost = { postings: 0, scored: 0, lunrPasses: 0, lunrMs: 0 };
  readonly n: number;
  private readonly dead: Uint8Array;
  private readonly deadCount: number;
  private readonly overlay = new Map<number, Meta>();
  private deltaTermOfGid: Map<number, number> | null = null;

  // Scratch space, reused by every query (a corpus answers one query at a time).
  private epoch = 0;
  private serial = 0;
  private readonly st: Uint32Array;
  private readonly mark: Uint32Array;
  private readonly ban: Uint32Array;
  private readonly excl: Uint32Array;
  private readonly known: Uint32Array;
  private readonly phrase: Uint32Array;
  private readonly tierStamp: Uint32Array;
  private readonly tierOf: Uint8Array;
  private readonly picked: Uint32Array;
  private readonly slot: Uint32Array;
  private readonly touched: Uint32Array;
  private readonly tiers: [Uint32Array, Uint32Array, Uint32Array];

  private readonly scoreAll: number;

  constructor(
    readonly base: Segment,
    readonly delta: Segment | null = null,
    /** `scoreAll`: tiers up to this size are scored whole (tests set it low to exercise the top-k search). */
    tuning: { scoreAll?: number } = {},
  ) {
    this.scoreAll = tuning.scoreAll ?? SCORE_ALL;
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
    const n = Math.max(1, this.n);
    this.st = new Uint32Array(4 * n);
    this.mark = new Uint32Array(n);
    this.ban = new Uint32Array(n);
    this.excl = new Uint32Array(n);
    this.known = new Uint32Array(n);
    this.phrase = new Uint32Array(n);
    this.tierStamp = new Uint32Array(n);
    this.tierOf = new Uint8Array(n);
    this.picked = new Uint32Array(n);
    this.slot = new Uint32Array(n);
    this.touched = new Uint32Array(n);
    this.tiers = [new Uint32Array(n), new Uint32Array(n), new Uint32Array(n)];
  }

  /** Papers searchable (superseded base copies excluded). */
  get docCount(): number {
    return this.n - this.deadCount;
  }

  private segOf(g: number): [Segment, number] {
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

  private meta(g: number): Meta {
    const o = this.overlay.size ? this.overlay.get(g) : undefined;
    if (o) return o;
    const [s, d] = this.segOf(g);
    return { days: s.featuredDays(d), upvotes: s.upvotes(d), hasCode: s.v.hasCode[d] === 1 };
  }

  private filterOf(filters: SearchFilters): ((g: number) => boolean) | null {
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

  private nextSerial(): number {
    if (this.serial >= 0xfffffff0) {
      for (const a of [this.st, this.mark, this.ban, this.excl, this.known, this.phrase, this.tierStamp, this.picked]) a.fill(0);
      this.serial = 0;
    }
    return ++this.serial;
  }

  // ─── Expansion ────────────────────────────────────────────────────────────────────

  private segments(): { seg: Segment; off: number }[] {
    return this.delta ? [{ seg: this.base, off: 0 }, { seg: this.delta, off: this.nb }] : [{ seg: this.base, off: 0 }];
  }

  /** The vocabulary terms a query term stands for, as lunr.TokenSet#intersect finds them. */
  private expand(t: QueryTerm, cache: Map<string, Exp>): Exp[] {
    const found = new Map<string, Exp>();
    const add = (seg: Segment, off: number, i: number) => {
      const term = seg.term(i);
      let e = found.get(term) ?? cache.get(term);
      if (!e) {
        e = { term, gid: seg.gid(i), parts: [] };
        cache.set(term, e);
      }
      if (!e.parts.some((p) => p.seg === seg)) e.parts.push({ seg, off, t: i });
      found.set(term, e);
    };
    for (const { seg, off } of this.segments()) {
      if (seg.terms === 0) continue;
      if (t.editDistance > 0) {
        // What lunr.TokenSet.fromClause builds for this clause, intersected with the vocabulary.
        const clause = { term: t.wildcard ? `${t.key}*` : t.key, editDistance: t.editDistance } as unknown as lunr.Query.Clause;
        const pattern = (lunr.TokenSet as unknown as TokenSetStatics).fromClause(clause);
        const root = vocabRoot(seg);
        const words = (lunr.TokenSet.prototype.intersect.call(root as unknown as lunr.TokenSet, pattern) as lunr.TokenSet).toArray();
        for (const w of words) {
          const i = seg.findTerm(w);
          if (i >= 0) add(seg, off, i);
        }
      } else if (t.wildcard) {
        const [lo, hi] = seg.prefixRange(t.key);
        for (let i = lo; i < hi; i++) add(seg, off, i);
      } else {
        const i = seg.findTerm(t.key);
        if (i >= 0) add(seg, off, i);
      }
    }
    return [...found.values()];
  }

  private lists(c: Clause, coef: (gid: number, f: number) => number): List[] {
    const out: List[] = [];
    for (const e of c.exps) {
      for (const p of e.parts) {
        const o = p.seg.v.postOff;
        for (const f of c.fields) {
          const a = o[p.t * NF + f]!;
          const b = o[p.t * NF + f + 1]!;
          if (b > a) out.push({ seg: p.seg, off: p.off, gid: e.gid, f, a, b, coef: coef(e.gid, f) });
        }
      }
    }
    return out;
  }

  // ─── Searching ────────────────────────────────────────────────────────────────────

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

    const epoch = this.nextSerial();
    this.epoch = epoch;
    const cost: QueryCost = (this.lastCost = { postings: 0, scored: 0, lunrPasses: 0, lunrMs: 0 });
    const cache = new Map<string, Exp>();
    const allFields = FIELD_NAMES.map((_, i) => i);
    const clauseOf = (t: QueryTerm): Clause => ({
      term: t,
      fields: t.fields ? t.fields.map((f) => FIELD_INDEX.get(f)!) : allFields,
      exps: this.expand(t, cache),
    });
    const clauses = parsed.terms.map(clauseOf);
    const singles = parsed.prohibited.filter((g) => g.length === 1).map((g) => clauseOf(g[0]!));
    const groups = parsed.prohibited.filter((g) => g.length > 1).map((g) => g.map(clauseOf));

    // Lunr's query vectors: per field, the summed boost of every clause on each term.
    const qv = FIELD_NAMES.map(() => new Map<number, number>());
    for (const c of clauses) {
      for (const e of c.exps) for (const f of c.fields) qv[f]!.set(e.gid, (qv[f]!.get(e.gid) ?? 0) + c.term.boost);
    }
    const norm = qv.map((m) => Math.sqrt([...m.values()].reduce((s, x) => s + x * x, 0)));
    const coef = (gid: number, f: number) => (norm[f]! > 0 ? (qv[f]!.get(gid) ?? 0) / norm[f]! : 0);

    // The postings lists Lunr's score sums over, one per (segment, term, field).
    const taLists: List[] = [];
    const listIndex = new Map<string, number>();
    const clauseLists = clauses.map((c) =>
      this.lists(c, coef).map((l) => {
        const key = `${l.seg.id}|${l.gid}|${l.f}`;
        let i = listIndex.get(key);
        if (i === undefined) {
          i = taLists.length;
          listIndex.set(key, i);
          taLists.push(l);
        }
        return { l, bit: i < 32 ? 1 << i : 0 };
      }),
    );

    // 1. Which papers match, how many terms and required terms each has, which lists hold them.
    // One record of 4 words per paper: [epoch seen, last clause, terms | required << 16, lists].
    const { st, mark, ban, excl } = this;
    const touched = this.touched;
    let nt = 0;
    const numReq = clauses.filter((c) => c.term.presence === 'required').length;
    for (let ci = 0; ci < clauses.length; ci++) {
      const s = this.nextSerial();
      const inc = clauses[ci]!.term.presence === 'required' ? 0x10001 : 1;
      for (const { l, bit } of clauseLists[ci]!) {
        const docs = l.seg.v.postDocs;
        const off = l.off;
        cost.postings += l.b - l.a;
        for (let p = l.a, end = l.b; p < end; p++) {
          const g = off + docs[p]!;
          const r = g << 2;
          if (st[r] !== epoch) {
            st[r] = epoch;
            st[r + 2] = 0;
            st[r + 3] = 0;
            touched[nt++] = g;
          }
          st[r + 3]! |= bit;
          if (st[r + 1] !== s) {
            st[r + 1] = s;
            st[r + 2]! += inc;
          }
        }
      }
    }
    for (const c of singles) {
      for (const l of this.lists(c, coef)) for (let p = l.a; p < l.b; p++) ban[l.off + l.seg.v.postDocs[p]!] = epoch;
    }
    for (const group of groups) {
      // Papers holding every word of the group are excluded.
      const counts = new Map<number, number>();
      for (const c of group) {
        const s = this.nextSerial();
        for (const l of this.lists(c, coef)) {
          for (let p = l.a; p < l.b; p++) {
            const g = l.off + l.seg.v.postDocs[p]!;
            if (mark[g] === s) continue;
            mark[g] = s;
            const k = (counts.get(g) ?? 0) + 1;
            counts.set(g, k);
            if (k === group.length) excl[g] = epoch;
          }
        }
      }
    }
    for (const id of excludedIds) {
      const g = this.findDoc(id);
      if (g >= 0) excl[g] = epoch;
    }
    const passes = (g: number) => excl[g] !== epoch && !(g < this.nb && this.dead[g]) && (!filter || filter(g));

    // 2. Known items (the query names a paper) and the phrase-in-title tier.
    const knownList = parsed.titleKey ? this.lookupTitle(parsed.titleKey).filter(passes) : [];
    for (const g of knownList) this.known[g] = epoch;
    const hasPhrase = parsed.titleKey.includes(' ');
    if (hasPhrase) this.markPhrase(parsed.titleKey, epoch);

    // 3. Tiers: phrase in title (2), every term (1), some terms (0).
    const needAll = parsed.rankAllTermsFirst && parsed.terms.length > 1 && parsed.terms.some((t) => t.presence !== 'required');
    const numTerms = clauses.length;
    const sizes = [0, 0, 0];
    const { known, phrase, tierOf, tierStamp, tiers, dead } = this;
    const nb = this.nb;
    for (let i = 0; i < nt; i++) {
      const g = touched[i]!;
      const counts = st[(g << 2) + 2]!;
      if (counts >>> 16 < numReq || ban[g] === epoch || known[g] === epoch || excl[g] === epoch) continue;
      if ((g < nb && dead[g]) || (filter && !filter(g))) continue;
      const tier = needAll && (counts & 0xffff) !== numTerms ? 0 : hasPhrase && phrase[g] === epoch ? 2 : 1;
      tiers[tier]![sizes[tier]!++] = g;
      tierOf[g] = tier;
      tierStamp[g] = epoch;
    }
    const total = knownList.length + sizes[0]! + sizes[1]! + sizes[2]!;

    // 4. Lunr scores what can reach the page.
    const ctx: QueryContext = { parsed, exps: [...cache.values()], scored: new Map() };
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
    return result;
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

  // ─── Known items and phrases ──────────────────────────────────────────────────────

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

  /** Marks papers whose normalised title holds the normalised query as a phrase. */
  private markPhrase(key: string, epoch: number): void {
    const words = [...new Set(key.split(' '))];
    const needle = ` ${key} `;
    for (const { seg, off } of this.segments()) {
      const lists: [number, number][] = [];
      for (const w of words) {
        const r = seg.titleWordPosting(w);
        if (!r) {
          lists.length = 0;
          break;
        }
        lists.push(r);
      }
      if (!lists.length) continue;
      lists.sort((a, b) => a[1] - a[0] - (b[1] - b[0]));
      const post = seg.v.twPost;
      const [a0, b0] = lists[0]!;
      outer: for (let i = a0; i < b0; i++) {
        const d = post[i]!;
        for (let j = 1; j < lists.length; j++) {
          let [lo, hi] = lists[j]!;
          while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (post[mid]! < d) lo = mid + 1;
            else hi = mid;
          }
          if (post[lo] !== d || lo >= lists[j]![1]) continue outer;
        }
        if (` ${seg.titleKey(d)} `.includes(needle)) this.phrase[off + d] = epoch;
      }
    }
  }

  // ─── "More like this" from the index ──────────────────────────────────────────────

  private termOfGid(gid: number): string | null {
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
      const vec = seg.v.vec;
      const pairs: [number, number][] = [];
      for (let i = seg.v.vecOff[d * NF + f]!; i < seg.v.vecOff[d * NF + f + 1]!; i++) pairs.push([vec[2 * i]!, vec[2 * i + 1]!]);
      return pairs
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([gid]) => this.termOfGid(gid))
        .filter((t): t is string => t !== null);
    };
    return similarFromKeys(id, [
      { keys: top('title', 12), boost: 2 },
      { keys: top('keywords', 10), boost: 1.5 },
      { keys: top('abstract', 6), boost: 1 },
    ]);
  }
}

interface QueryContext {
  parsed: ParsedQuery;
  /** Every vocabulary term any clause expands to. */
  exps: Exp[];
  /** Lunr's answer per paper scored so far; null when Lunr did not match it. */
  scored: Map<number, Scored | null>;
}
