/**
 * Counting a query over a corpus's compact postings, without Lunr: which papers match, how
 * many terms and required terms each holds, the score Lunr will give each (summed from the
 * postings' weights as they are read: Lunr's score is Σ query weight × field weight /
 * |query vector|), the prohibited and excluded papers, the known items and phrase-in-title
 * papers, and so the result's `total` and its tiers (phrase in title, every term, some
 * terms). Reading postings costs microseconds per thousand where Lunr costs ~10 µs per
 * paper, which is why counting is ours and only the page is Lunr's (see planner.ts).
 * The scratch arrays here are reused by every query: a corpus answers one query at a time.
 */
import { CorpusDocs, FIELD_INDEX } from './corpus-docs.js';
import type { ParsedQuery, QueryTerm } from './query.js';
import { FIELD_NAMES, NF, type Segment } from './segment.js';
import { type Exp, expandTerm } from './vocab-expansion.js';

interface Clause {
  term: QueryTerm;
  fields: number[];
  exps: Exp[];
}

/** A postings list of one term in one field of one segment, with its query weight. */
export interface List {
  seg: Segment;
  off: number;
  gid: number;
  f: number;
  a: number;
  b: number;
  /** Query vector weight / |query vector| for this field: Lunr's score is Σ coef × weight. */
  coef: number;
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

/** What counting found: the known items, the tier sizes (members in `tiers`; their scores in `acc`). */
export interface TierCounts {
  knownList: number[];
  sizes: number[];
  total: number;
  /** Every vocabulary term any clause expands to. */
  exps: Exp[];
}

export class PostingCounts extends CorpusDocs {
  lastCost: QueryCost = { postings: 0, scored: 0, lunrPasses: 0, lunrMs: 0 };

  // Scratch space, reused by every query (a corpus answers one query at a time).
  protected epoch = 0;
  protected serial = 0;
  protected readonly st: Uint32Array;
  protected readonly mark: Uint32Array;
  protected readonly ban: Uint32Array;
  protected readonly excl: Uint32Array;
  protected readonly known: Uint32Array;
  protected readonly phrase: Uint32Array;
  protected readonly tierStamp: Uint32Array;
  protected readonly tierOf: Uint8Array;
  /** Each touched paper's score as Lunr computes it (see the file comment). */
  protected readonly acc: Float64Array;
  protected readonly picked: Uint32Array;
  protected readonly touched: Uint32Array;
  protected readonly tiers: [Uint32Array, Uint32Array, Uint32Array];

  constructor(base: Segment, delta: Segment | null = null) {
    super(base, delta);
    const n = Math.max(1, this.n);
    this.st = new Uint32Array(3 * n);
    this.mark = new Uint32Array(n);
    this.ban = new Uint32Array(n);
    this.excl = new Uint32Array(n);
    this.known = new Uint32Array(n);
    this.phrase = new Uint32Array(n);
    this.tierStamp = new Uint32Array(n);
    this.tierOf = new Uint8Array(n);
    this.acc = new Float64Array(n);
    this.picked = new Uint32Array(n);
    this.touched = new Uint32Array(n);
    this.tiers = [new Uint32Array(n), new Uint32Array(n), new Uint32Array(n)];
  }

  protected nextSerial(): number {
    if (this.serial >= 0xfffffff0) {
      for (const a of [this.st, this.mark, this.ban, this.excl, this.known, this.phrase, this.tierStamp, this.picked]) a.fill(0);
      this.serial = 0;
    }
    return ++this.serial;
  }

  protected lists(c: Clause, coef: (gid: number, f: number) => number): List[] {
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

  /** Steps 1-3 of a search: counts, exclusions, known items, phrase marks and tiers. */
  protected countTiers(parsed: ParsedQuery, filter: ((g: number) => boolean) | null, excludedIds: string[]): TierCounts {
    const epoch = this.nextSerial();
    this.epoch = epoch;
    const cost: QueryCost = (this.lastCost = { postings: 0, scored: 0, lunrPasses: 0, lunrMs: 0 });
    const cache = new Map<string, Exp>();
    const allFields = FIELD_NAMES.map((_, i) => i);
    const clauseOf = (t: QueryTerm): Clause => ({
      term: t,
      fields: t.fields ? t.fields.map((f) => FIELD_INDEX.get(f)!) : allFields,
      exps: expandTerm(this.segments(), t, cache),
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

    // Lunr's score sums over each (segment, term, field) postings list once, however many
    // clauses share it (coef already sums their boosts): `k` is its factor, 0 on a repeat.
    const seen = new Set<string>();
    const clauseLists = clauses.map((c) =>
      this.lists(c, coef).map((l) => {
        const key = `${l.seg.id}|${l.gid}|${l.f}`;
        const first = !seen.has(key);
        seen.add(key);
        return { l, k: first ? l.coef / 1000 : 0 };
      }),
    );

    // 1. Which papers match, how many terms and required terms each has, and its score.
    // One record of 3 words per paper: [epoch seen, last clause, terms | required << 16].
    const { st, mark, ban, excl, acc } = this;
    const touched = this.touched;
    let nt = 0;
    const numReq = clauses.filter((c) => c.term.presence === 'required').length;
    for (let ci = 0; ci < clauses.length; ci++) {
      const s = this.nextSerial();
      const inc = clauses[ci]!.term.presence === 'required' ? 0x10001 : 1;
      for (const { l, k } of clauseLists[ci]!) {
        const docs = l.seg.v.postDocs;
        const w = l.seg.v.postW;
        const off = l.off;
        cost.postings += l.b - l.a;
        for (let p = l.a, end = l.b; p < end; p++) {
          const g = off + docs[p]!;
          const r = g * 3;
          if (st[r] !== epoch) {
            st[r] = epoch;
            st[r + 2] = 0;
            acc[g] = 0;
            touched[nt++] = g;
          }
          acc[g]! += k * w[p]!;
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
      const counts = st[g * 3 + 2]!;
      if (counts >>> 16 < numReq || ban[g] === epoch || known[g] === epoch || excl[g] === epoch) continue;
      if ((g < nb && dead[g]) || (filter && !filter(g))) continue;
      const tier = needAll && (counts & 0xffff) !== numTerms ? 0 : hasPhrase && phrase[g] === epoch ? 2 : 1;
      tiers[tier]![sizes[tier]!++] = g;
      tierOf[g] = tier;
      tierStamp[g] = epoch;
    }
    const total = knownList.length + sizes[0]! + sizes[1]! + sizes[2]!;
    return { knownList, sizes, total, exps: [...cache.values()] };
  }

  /** Marks papers whose normalised title holds the normalised query as a phrase. */
  protected markPhrase(key: string, epoch: number): void {
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
}
