/**
 * Pure, synchronous search over one lunr.Index: how a parsed query becomes Lunr clauses,
 * and the ranking rules (known items, phrase in title, all terms before some), with the
 * page limits and score keys the segment planner shares. Holds no state of its own.
 *
 * `IndexBuilder` (index-builder.ts) + `runQuery` are the plain form: one lunr.Builder over
 * every paper, one lunr.Index#query pass per search. The bot searches segments instead
 * (segment-builder.ts, planner.ts), which must answer exactly as this does; the tests hold
 * them to it.
 */
import lunr from 'lunr';
import type { SearchFilters, SearchHit, SearchOptions, SearchResult } from '../core/ports.js';
import type { DocMeta, IndexMeta } from './index-builder.js';
import type { ParsedQuery, Presence, QueryTerm } from './query.js';

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 100;
export const MAX_OFFSET = 10_000;
// ─── Querying ────────────────────────────────────────────────────────────────────────

const PRESENCE: Record<Presence, lunr.Query.presence> = {
  optional: lunr.Query.presence.OPTIONAL,
  required: lunr.Query.presence.REQUIRED,
  prohibited: lunr.Query.presence.PROHIBITED,
};

function addTerm(q: lunr.Query, t: QueryTerm, presence: lunr.Query.presence): void {
  const clause: Record<string, unknown> = {
    presence,
    boost: t.boost,
    // Keys are already stemmed exactly as the search pipeline would.
    usePipeline: false,
    wildcard: t.wildcard ? lunr.Query.wildcard.TRAILING : lunr.Query.wildcard.NONE,
  };
  if (t.fields) clause.fields = [...t.fields];
  // Lunr tests `'editDistance' in clause`: only set it for fuzzy terms.
  if (t.editDistance > 0) clause.editDistance = t.editDistance;
  q.term(t.key, clause);
}

/** The Lunr clauses of a parsed query: every term, and the one-word exclusions. */
export function addClauses(q: lunr.Query, parsed: ParsedQuery): void {
  for (const t of parsed.terms) addTerm(q, t, PRESENCE[t.presence]);
  for (const group of parsed.prohibited) {
    if (group.length === 1) addTerm(q, group[0]!, PRESENCE.prohibited);
  }
}

function runLunr(index: lunr.Index, parsed: ParsedQuery): lunr.Index.Result[] {
  return index.query((q) => addClauses(q, parsed));
}

interface LunrInternals {
  invertedIndex: Record<string, Record<string, Record<string, unknown>> & { _index: number }>;
  fieldVectors: Record<string, { elements: number[] }>;
  tokenSet: lunr.TokenSet;
  fields: string[];
}
export const internals = (index: lunr.Index) => index as unknown as LunrInternals;

/** The index terms a query term stands for (several for wildcard and fuzzy terms), as Lunr expands them. */
function expansions(index: lunr.Index, t: QueryTerm): string[] {
  if (!t.wildcard && t.editDistance === 0) return [t.key];
  const TokenSet = lunr.TokenSet as unknown as {
    fromString(s: string): lunr.TokenSet;
    fromFuzzyString(s: string, d: number): lunr.TokenSet;
  };
  const pattern = t.wildcard ? TokenSet.fromString(`${t.key}*`) : TokenSet.fromFuzzyString(t.key, t.editDistance);
  return internals(index).tokenSet.intersect(pattern).toArray();
}

/** Papers containing the term (in its fields), straight from the postings. */
function docsWithTerm(index: lunr.Index, t: QueryTerm): Set<string> {
  const out = new Set<string>();
  const inv = internals(index).invertedIndex;
  const fields = t.fields ?? internals(index).fields;
  for (const e of expansions(index, t)) {
    const posting = inv[e];
    if (!posting) continue;
    for (const f of fields) for (const ref in posting[f] ?? {}) out.add(ref);
  }
  return out;
}

/**
 * Whether a hit matched every term, read from its matchData (whose keys are the
 * matched index terms, each with the fields it matched in). This is what a second
 * Lunr pass with every term required would return, at a fraction of the cost.
 */
function matchesAll(r: lunr.Index.Result, terms: { t: QueryTerm; keys: string[] }[]): boolean {
  const md = r.matchData.metadata as Record<string, Record<string, unknown>>;
  return terms.every(({ t, keys }) =>
    keys.some((k) => {
      const fields = md[k];
      return fields !== undefined && (!t.fields || t.fields.some((f) => f in fields));
    }),
  );
}

export function clampInt(v: number | undefined, dflt: number, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) return dflt;
  return Math.min(max, Math.max(min, Math.floor(v)));
}

/** A predicate for the filters, over the metadata map. */
function filterFn(filters: SearchFilters, docs: Map<string, DocMeta>, extraExcluded: readonly string[]): (id: string) => boolean {
  const { featuredFrom, featuredTo, minUpvotes, hasCode } = filters;
  const excluded = new Set([...(filters.excludeIds ?? []), ...extraExcluded]);
  const byDate = Boolean(featuredFrom || featuredTo);
  const byVotes = typeof minUpvotes === 'number' && minUpvotes > 0;
  const byCode = typeof hasCode === 'boolean';
  if (!byDate && !byVotes && !byCode && excluded.size === 0) return () => true;
  return (id) => {
    if (excluded.has(id)) return false;
    if (!byDate && !byVotes && !byCode) return true;
    const m = docs.get(id);
    if (!m) return false;
    if (byCode && m.hasCode !== hasCode) return false;
    if (byVotes && (m.upvotes ?? 0) < (minUpvotes ?? 0)) return false;
    if (byDate) {
      const inRange = m.featuredDates.some((d) => (!featuredFrom || d >= featuredFrom) && (!featuredTo || d <= featuredTo));
      if (!inRange) return false;
    }
    return true;
  };
}

/**
 * A score as ranking compares it: 12 significant digits. Lunr sums a paper's field scores in
 * the order it met the fields, which differs between indexes holding the same weights, so
 * equal scores can differ in the last bit; they count as a tie (broken by indexing order).
 */
export function rankKey(score: number): number {
  return Number(score.toPrecision(12));
}

const positions = new WeakMap<IndexMeta, Map<string, number>>();
function docPositions(meta: IndexMeta): Map<string, number> {
  let p = positions.get(meta);
  if (!p) {
    p = new Map();
    for (const id of meta.docs.keys()) p.set(id, p.size);
    positions.set(meta, p);
  }
  return p;
}

/**
 * Runs a parsed query. Order: papers the query names (known items), papers with the
 * query as a phrase in their title, other papers matching every term, then papers
 * matching some; each group by Lunr score. Scores are offset per group so they
 * decrease down the list.
 */
export function runQuery(index: lunr.Index, parsed: ParsedQuery, meta: IndexMeta, opts: SearchOptions = {}): SearchResult {
  const limit = clampInt(opts.limit, DEFAULT_LIMIT, 1, MAX_LIMIT);
  const offset = clampInt(opts.offset, 0, 0, MAX_OFFSET);
  const passes = filterFn(opts.filters ?? {}, meta.docs, parsed.excludeIds ?? []);

  if (parsed.kind === 'id') {
    const id = parsed.id ?? '';
    const known = meta.docs.has(id);
    const hits: SearchHit[] = known && passes(id) ? [{ id, score: 1, matched: [] }] : [];
    const result: SearchResult = { hits: hits.slice(offset, offset + limit), total: hits.length, terms: [] };
    if (!known) result.notice = `arXiv:${id} is not in the index yet.`;
    else if (hits.length === 0) result.notice = `arXiv:${id} does not match the filters.`;
    if (parsed.notice) result.notice = parsed.notice;
    return result;
  }

  // Ties in score keep the order papers were indexed in (the segment searcher does the same).
  const position = docPositions(meta);
  const results = runLunr(index, parsed).sort((a, b) => rankKey(b.score) - rankKey(a.score) || (position.get(a.ref) ?? 0) - (position.get(b.ref) ?? 0));

  // Papers matching every non-prohibited term rank first.
  const needAll = parsed.rankAllTermsFirst && parsed.terms.length > 1 && parsed.terms.some((t) => t.presence !== 'required');
  const termKeys = needAll ? parsed.terms.map((t) => ({ t, keys: expansions(index, t) })) : [];

  // Multi-word exclusions: drop papers containing every word of the group.
  const excludedByGroup = new Set<string>();
  for (const group of parsed.prohibited) {
    if (group.length < 2) continue;
    let acc = docsWithTerm(index, group[0]!);
    for (const t of group.slice(1)) {
      if (acc.size === 0) break;
      const docs = docsWithTerm(index, t);
      acc = new Set([...acc].filter((id) => docs.has(id)));
    }
    for (const id of acc) excludedByGroup.add(id);
  }

  const byRef = new Map<string, lunr.Index.Result>();
  for (const r of results) byRef.set(r.ref, r);
  const ok = (id: string) => !excludedByGroup.has(id) && passes(id);

  const knownIds = parsed.titleKey ? meta.titles.find(parsed.titleKey).filter((id) => meta.docs.has(id) && ok(id)) : [];
  const knownSet = new Set(knownIds);

  const top = results.length ? results[0]!.score : 0;
  const step = top + 1;
  interface Ranked {
    id: string;
    score: number;
    r: lunr.Index.Result | undefined;
  }
  const rank = (id: string, tier: number): Ranked => {
    const r = byRef.get(id);
    return { id, score: (r?.score ?? 0) + tier * step, r };
  };

  // Several words that appear together, in order, in a title ("text to image" in
  // "Text-to-Image Models …") rank first among the all-terms hits. Lunr keeps no
  // positions, but the normalised title is at hand.
  const phrase = parsed.titleKey.includes(' ') ? ` ${parsed.titleKey} ` : '';
  const inTitle = (id: string) => {
    const m = meta.docs.get(id);
    return m !== undefined && ` ${m.titleKey} `.includes(phrase);
  };

  const ordered: Ranked[] = knownIds.map((id) => rank(id, 3)).sort((a, b) => rankKey(b.score) - rankKey(a.score));
  const all: Ranked[] = [];
  const some: Ranked[] = [];
  for (const r of results) {
    if (knownSet.has(r.ref) || !ok(r.ref)) continue;
    if (needAll && !matchesAll(r, termKeys)) some.push(rank(r.ref, 0));
    else if (phrase && inTitle(r.ref)) ordered.push(rank(r.ref, 2));
    else all.push(rank(r.ref, 1));
  }
  ordered.push(...all, ...some);

  const result: SearchResult = {
    hits: ordered.slice(offset, offset + limit).map(({ id, score, r }) => ({
      id,
      score,
      // matchData keys are the index terms the paper matched.
      matched: r ? Object.keys(r.matchData.metadata) : [],
    })),
    total: ordered.length,
    terms: [...parsed.words],
  };
  if (parsed.notice) result.notice = parsed.notice;
  return result;
}
