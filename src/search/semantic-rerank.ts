/**
 * The stage after Lunr for descriptions: Lunr's first RERANK_DEPTH papers of a query of
 * RERANK_MIN_TERMS words or more are put in order of Lunr's score (as a share of the best
 * one) plus RERANK_WEIGHT × the cosine between the query's vector and the paper's
 * (word-vectors.ts). Lunr still decides which papers match, how many, and everything past
 * the head; tiers stay as the planner made them (a paper never leaves its tier).
 *
 * Why: someone describing a paper uses some of its words and some of their own ("sound"
 * for audio, "clip" for video); the vectors, learned from 80k abstracts, let the papers
 * whose whole abstract is about what the query says rise over those that merely share
 * more of its words. Measured on scripts/description-set.ts (hit@1 / hit@10, dev / held),
 * the weight chosen on the dev half: Lunr alone 72.5 / 87.5, 75 / 88.8; re-ranking the
 * first 30 at weight 0.3, 75 / 88.8, 75 / 88.8; 0.5, 71.3 / 88.8, 77.5 / 90; 0.7, 70 / 88.8,
 * 77.5 / 91.3; 1, 66.3 / 87.5, 73.8 / 90. At 0.3, depths 15, 20, 30 and 60 rank the same;
 * 20 keeps a margin, and Lunr scoring 30 papers for it rather than 16 costs a description
 * ~0.5 ms at 80k papers (60 costs ~3 ms). The vectors alone find a description's paper in
 * their first ten only ~40% of the time: they break near-ties, they do not rank.
 * Shorter queries (topics, names) are left to Lunr: four words say too little, and
 * re-ranking topical queries of four ("sparse attention long context") made searches just
 * after an index swap slower (p99 over the first 3 s, 80k papers: 19-22 ms, 11-13 without)
 * for no measured gain; descriptions rank the same with 4, 5 or 6 as the minimum.
 */
import type { ParsedQuery } from './query.js';
import type { WordVectors } from './word-vectors.js';

export const RERANK_DEPTH = 20;
export const RERANK_WEIGHT = 0.3;
export const RERANK_MIN_TERMS = 5;

/**
 * The query's vector when it is a description worth re-ranking, else null. Typed searches
 * only: "similar" (rankAllTermsFirst off) keeps Lunr's order, as nothing here measures it.
 */
export function descriptionVector(wv: WordVectors, parsed: ParsedQuery): Float32Array | null {
  if (parsed.kind !== 'terms' || !parsed.rankAllTermsFirst) return null;
  const terms: [string, number][] = [];
  const keys = new Set<string>();
  for (const t of parsed.terms) {
    if (t.presence === 'prohibited' || t.wildcard || t.editDistance > 0) continue;
    terms.push([t.key, t.boost > 0 ? t.boost : 1]);
    keys.add(t.key);
  }
  return keys.size >= RERANK_MIN_TERMS ? wv.embed(terms) : null;
}

/** query · paper, the paper's components stored ×127; 0 for a paper without a vector. */
export function cosine(q: Float32Array, paper: Int8Array | null): number {
  if (!paper || paper.length !== q.length) return 0;
  let s = 0;
  for (let k = 0; k < q.length; k++) s += q[k]! * paper[k]!;
  return s / 127;
}

export interface Ranked {
  g: number;
  tier: number;
}

/**
 * Reorders the head of `out` (the first `depth` entries) in place, each tier's papers
 * among themselves; tier 3 (the papers the query names) keeps Lunr's order.
 */
export function rerankHead(
  out: Ranked[],
  q: Float32Array,
  scoreOf: (g: number) => number,
  vectorOf: (g: number) => Int8Array | null,
  depth = RERANK_DEPTH,
  weight = RERANK_WEIGHT,
): void {
  const end = Math.min(depth, out.length);
  for (let a = 0; a < end; ) {
    let b = a;
    while (b < end && out[b]!.tier === out[a]!.tier) b++;
    if (out[a]!.tier !== 3 && b - a > 1) {
      const group = out.slice(a, b);
      const top = Math.max(...group.map((r) => scoreOf(r.g))) || 1;
      const key = new Map(group.map((r) => [r.g, scoreOf(r.g) / top + weight * cosine(q, vectorOf(r.g))]));
      // Stable: equal keys keep Lunr's order.
      group.sort((x, y) => key.get(y.g)! - key.get(x.g)!);
      for (let i = a; i < b; i++) out[i] = group[i - a]!;
    }
    a = b;
  }
}
