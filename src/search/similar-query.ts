/**
 * "More like this": the query of optional terms that finds papers similar to one, built
 * from its text (similarQuery) or, when the text is not at hand, from a lunr.Index's stored
 * field vectors (similarQueryFromIndex; the segment corpus has its own, corpus-docs.ts).
 */
import type lunr from 'lunr';
import type { IndexDoc } from '../core/ports.js';
import { plainText } from '../core/text.js';
import { internals } from './engine.js';
import { analyze, type ParsedQuery, type QueryTerm } from './query.js';

const SIMILAR_MAX_TERMS = 24;

function optionalTerm(key: string, boost: number): QueryTerm {
  return { key, word: key, presence: 'optional', wildcard: false, editDistance: 0, boost };
}

export function similarFromKeys(id: string, groups: { keys: string[]; boost: number }[]): ParsedQuery {
  const seen = new Set<string>();
  const terms: QueryTerm[] = [];
  for (const g of groups) {
    for (const k of g.keys) {
      if (!k || k.length < 2 || seen.has(k) || terms.length >= SIMILAR_MAX_TERMS) continue;
      seen.add(k);
      terms.push(optionalTerm(k, g.boost));
    }
  }
  return {
    kind: 'terms',
    terms,
    prohibited: [],
    words: terms.map((t) => t.word),
    titleKey: '',
    rankAllTermsFirst: false,
    excludeIds: [id],
  };
}

/** The most frequent abstract terms that occur at least twice. */
function topTerms(keys: string[], n: number): string[] {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts]
    .filter(([, c]) => c >= 2)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k]) => k);
}

/**
 * Optional terms from a paper's keywords, title and most repeated abstract words. Title
 * words weigh most (4): they name the paper's problem and method, and since the title
 * field's own boost is low (index-builder.ts, for descriptive searches) the query carries it.
 */
export function similarQuery(doc: Pick<IndexDoc, 'id' | 'title' | 'abstract' | 'keywords'>): ParsedQuery {
  return similarFromKeys(doc.id, [
    { keys: analyze(plainText(doc.title)), boost: 4 },
    { keys: analyze((doc.keywords ?? []).join(', ')), boost: 1.5 },
    { keys: topTerms(analyze(plainText(doc.abstract ?? '')), 6), boost: 1 },
  ]);
}

const termsByIndex = new WeakMap<lunr.Index, string[]>();

function termTable(index: lunr.Index): string[] {
  let table = termsByIndex.get(index);
  if (!table) {
    table = [];
    const inv = internals(index).invertedIndex;
    for (const term in inv) table[inv[term]!._index] = term;
    termsByIndex.set(index, table);
  }
  return table;
}

/**
 * The same query built from the index alone (its stored field vectors, heaviest terms
 * first), for when the paper's text is not at hand. Null when `id` is not indexed.
 */
export function similarQueryFromIndex(index: lunr.Index, id: string): ParsedQuery | null {
  const vectors = internals(index).fieldVectors;
  const title = vectors[`title/${id}`]; // lunr FieldRef: `${field}/${ref}`
  if (!title) return null;
  const table = termTable(index);
  const top = (field: string, n: number): string[] => {
    const el = vectors[`${field}/${id}`]?.elements ?? [];
    const pairs: [string, number][] = [];
    for (let i = 0; i + 1 < el.length; i += 2) {
      const term = table[el[i]!];
      if (term) pairs.push([term, el[i + 1]!]);
    }
    return pairs.sort((a, b) => b[1] - a[1]).slice(0, n).map(([t]) => t);
  };
  return similarFromKeys(id, [
    { keys: top('title', 12), boost: 4 },
    { keys: top('keywords', 10), boost: 1.5 },
    { keys: top('abstract', 6), boost: 1 },
  ]);
}
