/**
 * Query-term expansion over a corpus's vocabulary: which indexed terms a query term stands
 * for. Fuzzy terms are expanded the way Lunr does it, with lunr.TokenSet#intersect, walking
 * each segment's sorted vocabulary as a trie (VocabNode) so no lunr.TokenSet of the whole
 * vocabulary is ever built; wildcards take a prefix range, plain terms an exact lookup.
 * Kept apart from the planner because it only reads segments and knows nothing of scoring.
 */
import lunr from 'lunr';
import type { QueryTerm } from './query.js';
import type { Segment } from './segment.js';

/** One term of the vocabulary as the query uses it: where it is in each segment. */
export interface Exp {
  term: string;
  gid: number;
  parts: { seg: Segment; off: number; t: number }[];
}

/** lunr 2.3.9 statics that @types/lunr leaves out. */
export interface TokenSetStatics {
  fromClause(clause: lunr.Query.Clause): lunr.TokenSet;
  fromArray(words: string[]): lunr.TokenSet;
}

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

/** The vocabulary terms a query term stands for, as lunr.TokenSet#intersect finds them. */
export function expandTerm(segments: readonly { seg: Segment; off: number }[], t: QueryTerm, cache: Map<string, Exp>): Exp[] {
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
  for (const { seg, off } of segments) {
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
