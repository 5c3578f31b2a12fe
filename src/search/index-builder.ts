/**
 * What documents Lunr indexes and the reference builder: the fields and their boosts, the
 * text each field gets (accent-folded author names, keywords as one string), the fused
 * tokenizer, the per-paper metadata kept beside the index (filters, known-item lookup by
 * title), and `IndexBuilder`, one lunr.Builder over every paper. The bot's segments
 * (segment-builder.ts) index the same text with the same weights; runQuery (engine.ts)
 * searches what IndexBuilder builds, the plain form the tests compare segments with.
 */
import lunr from 'lunr';
import type { IndexDoc } from '../core/ports.js';
import { plainText } from '../core/text.js';
import { INDEX_FIELDS, indexTerm, normalizeTitle, rawTokens } from './query.js';

/**
 * Lunr scores each field on its own and multiplies by its boost, so at title 10 one title
 * match of an ordinary word outweighed ten abstract matches: a query describing a paper's
 * idea (6–8 of its words in the abstract) lost to papers with 2–4 of them in the title.
 * Measured on the 80-query development half of scripts/description-set.ts over the 9,577
 * HF papers (hit@1 / hit@10): title 10 → 10% / 25%, 3 → 23% / 51%, 1 → 48% / 78%,
 * 0.3 → 64% / 86%. Names and title halves do not depend on it (the known-item tier, ADR 0001).
 * With k1 0.6 (below), title 0.3 → 66.3% / 87.5%, 0.15 → 70% / 87.5%, 0.1 → 70% / 87.5%,
 * 0.05 → 70% / 88.8%, 0.01 → 68.8% / 86.3%: a title word is nearly always in the abstract
 * too, so the title field mostly counts it twice. 0.1 is the plateau's less extreme end.
 * Keywords 0.1 / 0.2 / 0.5 with title 0.1: 70 / 70 / 66.3% hit@1, so keywords stay 0.3.
 */
/**
 * BM25 term-frequency saturation for every builder (lunr's default is 1.2). Lower saturates
 * sooner: a description's words each count, rather than one word repeated in an abstract.
 * Dev half of the description set: 1.2 → 64% / 86% (hit@1 / hit@10), 0.8 → 66% / 86%,
 * 0.6 → 66% / 88%.
 */
export const BM25_K1 = 0.6;

export const FIELD_BOOSTS: Record<(typeof INDEX_FIELDS)[number], number> = {
  title: 0.1,
  abstract: 1,
  authors: 1,
  keywords: 0.3,
};
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
  for (const raw of rawTokens(String(obj).toLowerCase())) {
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
    this.builder.k1(BM25_K1);
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
