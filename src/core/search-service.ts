/**
 * Search as the commands use it: index hits hydrated from the store into PaperViews
 * with a snippet, paged. The index ranks; this decides how much is shown.
 */
import type { PaperIndex, SearchFilters, SearchResult, Store } from './ports.js';
import type { PaperView } from './reply.js';
import { toPaperView } from './views.js';

export interface PagedPapers {
  papers: PaperView[];
  /** All matches after filters (may exceed what paging can reach). */
  total: number;
  /** 1-based, clamped to the last page. */
  page: number;
  pageCount: number;
  notice?: string;
  /** The query as the index would spell it ("did you mean …?"). */
  suggestion?: string;
}

export interface PageRequest {
  page?: number;
  pageSize?: number;
  /** At most this many results are reachable by paging. */
  limit?: number;
  filters?: SearchFilters;
}

export const DEFAULT_PAGE_SIZE = 5;
export const MAX_RESULTS = 50;

/** The sentence of a text that shows the matched terms; the search engine knows how it matched (stemming). */
export type Snippeter = (text: string, terms: readonly string[]) => string;

export class SearchService {
  constructor(private readonly deps: { index: PaperIndex; store: Store; snippet: Snippeter }) {}

  search(query: string, req: PageRequest = {}): Promise<PagedPapers> {
    return this.paged(req, (limit, offset) => this.deps.index.search(query, { limit, offset, filters: req.filters ?? {} }));
  }

  similar(paperId: string, req: PageRequest = {}): Promise<PagedPapers> {
    return this.paged(req, (limit, offset) => this.deps.index.similar(paperId, { limit, offset, filters: req.filters ?? {} }));
  }

  private async paged(req: PageRequest, run: (limit: number, offset: number) => Promise<SearchResult>): Promise<PagedPapers> {
    const pageSize = req.pageSize ?? DEFAULT_PAGE_SIZE;
    const limit = Math.min(req.limit ?? MAX_RESULTS, MAX_RESULTS);
    const wanted = Math.max(1, Math.floor(req.page ?? 1));
    let result = await run(pageSize, (wanted - 1) * pageSize);
    const reachable = Math.min(result.total, limit);
    const pageCount = Math.max(1, Math.ceil(reachable / pageSize));
    const page = Math.min(wanted, pageCount);
    // A page past the end (an old button after results shrank) shows the last page instead.
    if (page !== wanted) result = await run(pageSize, (page - 1) * pageSize);
    const firstRank = (page - 1) * pageSize + 1;
    const room = Math.max(0, reachable - (firstRank - 1));
    const hits = result.hits.slice(0, Math.min(pageSize, room));
    const papers = await this.deps.store.getPapers(hits.map((h) => h.id));
    const byId = new Map(papers.map((p) => [p.id, p]));
    const views: PaperView[] = [];
    hits.forEach((h, i) => {
      const p = byId.get(h.id);
      if (!p) return; // indexed but gone from the store: skip rather than show a stub
      const terms = h.matched.length ? h.matched : result.terms;
      views.push(toPaperView(p, { rank: firstRank + i, snippet: this.deps.snippet(p.abstract, terms) }));
    });
    const out: PagedPapers = { papers: views, total: result.total, page, pageCount };
    if (result.notice) out.notice = result.notice;
    if (result.suggestion) out.suggestion = result.suggestion;
    return out;
  }
}
