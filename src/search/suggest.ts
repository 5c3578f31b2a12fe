/**
 * "Did you mean …?" for a query word the index does not know (or barely knows): the
 * closest word of the index's own title vocabulary, by edit distance (Damerau's
 * transpositions count one), most frequent first. Title words are kept unstemmed in every
 * segment (for the phrase tier), so the suggestion is a word a person would type
 * ("diffusion"), not a stem ("diffus"). Runs only for such words, once per query.
 */
import type { QueryTerm } from './query.js';
import type { Segment } from './segment.js';

/** A suggestion must be in more than this many times the titles of the word typed. */
const COMMONER = 5;

/** Optimal string alignment distance, or `max + 1` as soon as it must exceed `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]!;
}

type Segs = readonly { seg: Segment; off: number }[];

/** Papers whose titles hold `word`, over every segment. */
function titleDf(segments: Segs, word: string): number {
  let df = 0;
  for (const { seg } of segments) {
    const r = seg.titleWordPosting(word);
    if (r) df += r[1] - r[0];
  }
  return df;
}

/** The closest commoner title word to `word`, or null. */
export function closestTitleWord(segments: Segs, word: string): string | null {
  if (word.length < 4 || /\d/.test(word)) return null;
  const max = word.length <= 5 ? 1 : 2;
  const seen = new Map<string, number>();
  for (const { seg } of segments) {
    const count = seg.v.twPostOff.length - 1;
    for (let w = 0; w < count; w++) {
      const t = seg.titleWord(w);
      if (t === word || Math.abs(t.length - word.length) > max || (t[0] !== word[0] && t[1] !== word[1])) continue;
      const d = editDistance(word, t, max);
      if (d <= max) seen.set(t, d);
    }
  }
  let best: { t: string; d: number; df: number } | null = null;
  for (const [t, d] of seen) {
    const df = titleDf(segments, t);
    if (!best || d < best.d || (d === best.d && df > best.df)) best = { t, d, df };
  }
  return best && best.df > COMMONER * titleDf(segments, word) ? best.t : null;
}

/**
 * The query with its unknown (or, `rareDf` > 0, rare) plain words replaced by their closest commoner title
 * words, or null when there is nothing to suggest. `dfOf`: papers holding a term's key.
 */
export function didYouMean(segments: Segs, terms: readonly QueryTerm[], dfOf: (key: string) => number, rareDf: number): { query: string; words: string[] } | null {
  const fixed: string[] = [];
  let changed = false;
  for (const t of terms) {
    const plain = t.editDistance === 0 && !t.wildcard && !t.fields;
    const better = plain && t.presence !== 'prohibited' && dfOf(t.key) <= rareDf ? closestTitleWord(segments, t.word) : null;
    if (better) changed = true;
    fixed.push(better ?? t.word);
  }
  return changed ? { query: fixed.join(' '), words: fixed } : null;
}
