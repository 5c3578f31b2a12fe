/**
 * Pure, synchronous search over one lunr.Index: what documents Lunr indexes (fields,
 * boosts, tokenising), how a parsed query becomes Lunr clauses, and the ranking rules
 * (known items, phrase in title, all terms before some). Holds no state of its own.
 *
 * `IndexBuilder` + `runQuery` are the plain form: one lunr.Builder over every paper, one
 * lunr.Index#query pass per search. The bot searches segments instead (segment-builder.ts,
 * planner.ts), which must answer exactly as this does; the tests hold them to it.
 */
import lunr from 'lunr';
import type { IndexDoc, SearchFilters, SearchHit, SearchOptions, SearchResult } from '../core/ports.js';
import { plainText } from '../core/text.js';
import { INDEX_FIELDS, analyze, indexTerm, normalizeTitle, type ParsedQuery, type Presence, type QueryTerm } from './query.js';

export const FIELD_BOOSTS: Record<(typeof INDEX_FIELDS)[number], number> = {
  title: 10,
  abstract: 1,
  authors: 3,
  keywords: 5,
};

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 100;
export const MAX_OFFSET = 10_000;

// ─── Per-document metadata (filters, known-item lookup) ─────────────────────────────

/** What filters and the known-item boost need of a paper; kept beside the index. */
export interface DocMeta {
  id: string;
  featuredDates: string[];
  upvotes: number | null;
  hasCode: boolean;
  /** normalizeTitle(title). */
  titleKey: string;
  /** normalizeTitle(part before the first colon), when the title has one: the method name. */
  headKey: string | null;
}

export function docMeta(doc: IndexDoc): DocMeta {
  const title = plainText(doc.title);
  const colon = title.indexOf(':');
  const head = colon > 0 ? normalizeTitle(title.slice(0, colon)) : '';
  return {
    id: doc.id,
    featuredDates: [...doc.featuredDates],
    upvotes: doc.upvotes,
    hasCode: doc.hasCode,
    titleKey: normalizeTitle(title),
    headKey: head && head.length <= 80 ? head : null,
  };
}

/**
 * Known-item lookup built once per index: exact titles, method names (the part before
 * the colon) and a sorted key list for "the query is the start of a title".
 */
export class TitleLookup {
  private readonly exact = new Map<string, string[]>();
  private readonly heads = new Map<string, string[]>();
  private readonly sorted: { key: string; id: string }[] = [];

  constructor(docs: Iterable<DocMeta>) {
    const push = (m: Map<string, string[]>, k: string, id: string) => {
      const list = m.get(k);
      if (list) list.push(id);
      else m.set(k, [id]);
    };
    for (const d of docs) {
      if (!d.titleKey) continue;
      push(this.exact, d.titleKey, d.id);
      if (d.headKey) push(this.heads, d.headKey, d.id);
      this.sorted.push({ key: d.titleKey, id: d.id });
    }
    this.sorted.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Papers the (normalised) query names, best first; empty for an ordinary query. */
  find(queryKey: string): string[] {
    if (!queryKey) return [];
    const out = new Set<string>(this.exact.get(queryKey) ?? []);
    for (const id of (this.heads.get(queryKey) ?? []).slice(0, 5)) out.add(id);
    // A title's beginning (several words) names a paper only when few titles start so.
    if (queryKey.length >= 10 && queryKey.includes(' ')) {
      let lo = 0;
      let hi = this.sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.sorted[mid]!.key < queryKey) lo = mid + 1;
        else hi = mid;
      }
      const starts: string[] = [];
      for (let i = lo; i < this.sorted.length && starts.length <= 3; i++) {
        const e = this.sorted[i]!;
        if (!e.key.startsWith(queryKey)) break;
        if (e.key === queryKey || e.key[queryKey.length] === ' ') starts.push(e.id);
      }
      if (starts.length <= 3) for (const id of starts) out.add(id);
    }
    return [...out];
  }
}

/** The metadata half of a live index; swapped together with the lunr.Index. */
export interface IndexMeta {
  docs: Map<string, DocMeta>;
  titles: TitleLookup;
}

export function buildMeta(docs: Iterable<DocMeta>): IndexMeta {
  const map = new Map<string, DocMeta>();
  for (const d of docs) map.set(d.id, d);
  return { docs: map, titles: new TitleLookup(map.values()) };
}

// ─── Building ────────────────────────────────────────────────────────────────────────

/** Accent-free spelling of a name, so `author:manas` finds "Mañas". */
function foldAccents(s: string): string {
  return s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
}

function authorsText(authors: readonly string[]): string {
  const parts: string[] = [];
  for (const name of authors) {
    parts.push(name);
    const folded = foldAccents(name);
    if (folded !== name) parts.push(folded);
  }
  return parts.join(', ');
}

/** What the builder sees of a doc: only the indexed text, never the filter metadata. */
export interface LunrDoc {
  id: string;
  title: string;
  abstract: string;
  authors: string;
  keywords: string;
}

export function toLunrDoc(doc: IndexDoc): LunrDoc {
  return {
    id: doc.id,
    title: plainText(doc.title ?? ''),
    abstract: plainText(doc.abstract ?? ''),
    authors: authorsText(doc.authors ?? []),
    // Arrays would be indexed one token per element ("mixture of experts" as one term).
    keywords: (doc.keywords ?? []).join(', '),
  };
}

/** Shared, never-mutated Token per term: the build pipeline is empty (see below). */
const tokenCache = new Map<string, lunr.Token>();

/**
 * The builder's tokenizer, fused with the default pipeline (trimmer → stopWordFilter →
 * stemmer) and memoised: identical terms, several times faster than running the
 * pipeline on every token. No token metadata is kept (no metadata whitelist).
 */
function analyzingTokenizer(obj: unknown): lunr.Token[] {
  if (obj === null || obj === undefined) return [];
  const out: lunr.Token[] = [];
  for (const raw of String(obj).toLowerCase().split(lunr.tokenizer.separator)) {
    if (!raw) continue;
    const term = indexTerm(raw);
    if (!term) continue;
    let tok = tokenCache.get(term);
    if (!tok) {
      if (tokenCache.size >= 400_000) tokenCache.clear();
      tok = new lunr.Token(term, {});
      tokenCache.set(term, tok);
    }
    out.push(tok);
  }
  return out;
}

/**
 * Incremental builder: docs can arrive in batches (the worker receives them streamed).
 * A repeated id keeps its first record: Lunr would count it twice otherwise.
 */
export class IndexBuilder {
  private readonly builder = new lunr.Builder();
  private readonly metas = new Map<string, DocMeta>();
  skipped = 0;

  constructor() {
    // The build pipeline lives in the tokenizer; the search pipeline is the default one
    // (it is what gets serialised; queries bypass it with pre-stemmed terms).
    (this.builder as unknown as { tokenizer: typeof analyzingTokenizer }).tokenizer = analyzingTokenizer;
    this.builder.searchPipeline.add(lunr.stemmer);
    this.builder.ref('id');
    for (const f of INDEX_FIELDS) this.builder.field(f, { boost: FIELD_BOOSTS[f] });
  }

  add(docs: Iterable<IndexDoc>): void {
    for (const doc of docs) {
      if (!doc || typeof doc.id !== 'string' || !doc.id || this.metas.has(doc.id)) {
        this.skipped++;
        continue;
      }
      this.metas.set(doc.id, docMeta(doc));
      this.builder.add(toLunrDoc(doc));
    }
  }

  get size(): number {
    return this.metas.size;
  }

  docMetas(): DocMeta[] {
    return [...this.metas.values()];
  }

  build(): lunr.Index {
    return this.builder.build();
  }
}

export function buildLunrIndex(docs: IndexDoc[]): lunr.Index {
  const b = new IndexBuilder();
  b.add(docs);
  return b.build();
}

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

const internals = (index: lunr.Index) => index as unknown as LunrInternals;

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

// ─── "More like this" ────────────────────────────────────────────────────────────────

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

/** Optional terms from a paper's keywords, title and most repeated abstract words. */
export function similarQuery(doc: Pick<IndexDoc, 'id' | 'title' | 'abstract' | 'keywords'>): ParsedQuery {
  return similarFromKeys(doc.id, [
    { keys: analyze(plainText(doc.title)), boost: 2 },
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
    { keys: top('title', 12), boost: 2 },
    { keys: top('keywords', 10), boost: 1.5 },
    { keys: top('abstract', 6), boost: 1 },
  ]);
}
