/**
 * Checks the description set against the corpus before it is measured: every id is a paper
 * of the corpus, and no description borrows more than two content words from its paper's
 * title (the rule that makes it a description, not a half title). Words are compared by
 * Lunr's stem, stop words (Lunr's list) excluded, hyphens and punctuation split words, so
 * "videos" counts against "Video" and "pre-trained" against "Pretrained" only through "trained".
 */
import lunr from 'lunr';

export interface DescriptionEntry {
  id: string;
  q: string;
}

/** Content-word stems of a text. */
export function contentStems(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (!w || lunr.stopWordFilter(new lunr.Token(w, {})) === undefined) continue;
    out.add(lunr.stemmer(new lunr.Token(w, {})).toString());
  }
  return out;
}

/** The title's content words a description shares with it. */
export function titleWordsIn(q: string, title: string): string[] {
  const t = contentStems(title);
  return [...contentStems(q)].filter((s) => t.has(s));
}

/** One line per problem: an unknown id, a description over two title words, or one outside 6–14 words. */
export function descriptionProblems(set: readonly DescriptionEntry[], titles: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const d of set) {
    if (seen.has(d.id)) problems.push(`${d.id}: described twice`);
    seen.add(d.id);
    const title = titles.get(d.id);
    if (title === undefined) {
      problems.push(`${d.id}: not in the corpus`);
      continue;
    }
    const shared = titleWordsIn(d.q, title);
    if (shared.length > 2) problems.push(`${d.id}: ${shared.length} title words (${shared.join(', ')}) in "${d.q}"`);
    const words = d.q.split(/\s+/).filter(Boolean).length;
    if (words < 6 || words > 14) problems.push(`${d.id}: ${words} words in "${d.q}"`);
  }
  return problems;
}
