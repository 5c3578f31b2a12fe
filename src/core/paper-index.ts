/**
 * The search port: what the core asks of the index (src/search/ implements it) and the
 * shapes of a search. Re-exported by ports.ts, where the other ports are.
 */
import type { Paper, PaperId } from './paper.js';

export interface SearchFilters {
  /** Featured on a day in [featuredFrom, featuredTo] (inclusive, YYYY-MM-DD). */
  featuredFrom?: string;
  featuredTo?: string;
  minUpvotes?: number;
  hasCode?: boolean;
  excludeIds?: readonly PaperId[];
}

export interface SearchOptions {
  /** Hits to return (default 10, at most 100). */
  limit?: number;
  offset?: number;
  filters?: SearchFilters;
}

export interface SearchHit {
  id: PaperId;
  /** Higher is better; comparable within one result only. */
  score: number;
  /** Normalised query terms this paper matched, for snippets. */
  matched: string[];
}

export interface SearchResult {
  hits: SearchHit[];
  /** Matches after filters, before limit/offset. */
  total: number;
  /** Query terms actually searched (after stop words, for snippets and notices). */
  terms: string[];
  /** Something to tell the user about the query (shortened, words ignored …). */
  notice?: string;
  /** The query with misspelt words replaced by the closest the index knows ("did you mean …?"). */
  suggestion?: string;
}

/** What the index needs of a paper; a subset of Paper so builds stay cheap to ship to a worker. */
export interface IndexDoc {
  id: PaperId;
  title: string;
  abstract: string;
  authors: string[];
  keywords: string[];
  featuredDates: string[];
  upvotes: number | null;
  hasCode: boolean;
}

export function toIndexDoc(p: Paper): IndexDoc {
  return {
    id: p.id,
    title: p.title,
    abstract: p.abstract,
    authors: p.authors,
    keywords: p.keywords,
    featuredDates: p.featuredDates,
    upvotes: p.upvotes,
    hasCode: p.githubRepo !== null,
  };
}

/**
 * Full-text search over every paper the bot has seen (Lunr underneath).
 *
 * - `search` never throws on user text: Lunr syntax errors, stop words, huge input and
 *   empty queries become a result (possibly empty) with a `notice`, or a UserInputError
 *   carrying a short message when nothing searchable is left.
 * - Field syntax is honoured for those who want it: `title:mamba`, `author:hinton`,
 *   `+required`, `-excluded`, `prefix*`, `fuzzy~1`, `boost^2`.
 * - Papers matching every term rank above papers matching some.
 * - `refresh` picks up new papers off the main thread and swaps the new index in
 *   atomically; searches during a rebuild answer from the previous index. Papers just
 *   handed to `updateMeta` (a fresh ingest) are indexed first, so they are searchable
 *   within moments even when comparing the whole store takes longer.
 */
export interface PaperIndex {
  search(query: string, opts?: SearchOptions): Promise<SearchResult>;
  /** Papers like `id` (by its keywords and title), excluding itself. */
  similar(id: PaperId, opts?: SearchOptions): Promise<SearchResult>;
  /** Resolves once a first index (snapshot or fresh build) can answer. */
  ready(): Promise<void>;
  /** Brings the index up to the store's revision; resolves when the new index is live. */
  refresh(): Promise<void>;
  /**
   * Cheap metadata update (upvotes, featured days) without a rebuild. The papers are also
   * remembered for the next `refresh`, which indexes them first if their text is new.
   */
  updateMeta(docs: readonly IndexDoc[]): void;
  stats(): { docs: number; revision: number; building: boolean };
  close(): Promise<void>;
}

