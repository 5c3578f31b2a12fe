/**
 * Tiny fakes of the ports, implementing only what the digest service calls, cast to the
 * port types. The platform and logger fakes are the shared ones (test/support/fakes/). (The real in-memory store and index are written elsewhere and have their
 * own contract tests; these keep the digest tests independent of them.)
 */
import { UserInputError } from '../../src/core/errors.js';
import { MemoryUpvoteHistory } from '../../src/store/memory-upvotes.js';
import type { Paper, PaperId } from '../../src/core/paper.js';
import type {
  ChannelRef,
  Clock,
  PaperIndex,
  PostedEntry,
  SearchOptions,
  SearchResult,
  Store,
} from '../../src/core/ports.js';

const sameRef = (a: ChannelRef, b: ChannelRef): boolean =>
  a.platform === b.platform && a.workspaceId === b.workspaceId && a.channelId === b.channelId;

export class FakeStore {
  readonly posted: PostedEntry[] = [];
  readonly calls: string[] = [];
  /** The upvote history and meta the trending order reads (the real memory history: it has its own contract). */
  readonly upvotes = new MemoryUpvoteHistory(() => undefined);
  readonly meta = new Map<string, string>();
  constructor(public papers: Paper[] = []) {}

  async getMeta(key: string): Promise<string | null> {
    return this.meta.get(key) ?? null;
  }

  async featuredDays(opts: { onOrBefore?: string; limit?: number } = {}): Promise<string[]> {
    this.calls.push('featuredDays');
    const days = [...new Set(this.papers.flatMap((p) => p.featuredDates))]
      .filter((d) => !opts.onOrBefore || d <= opts.onOrBefore)
      .sort()
      .reverse();
    return opts.limit === undefined ? days : days.slice(0, opts.limit);
  }

  async papersFeaturedBetween(from: string, to: string): Promise<Paper[]> {
    this.calls.push(`papersFeaturedBetween ${from} ${to}`);
    return this.papers.filter((p) => p.featuredDates.some((d) => d >= from && d <= to));
  }

  async postedPaperIds(ref: ChannelRef): Promise<Set<PaperId>> {
    return new Set(this.posted.filter((e) => sameRef(e, ref) && e.paperId).map((e) => e.paperId!));
  }

  async listPosted(ref: ChannelRef, date: string): Promise<PostedEntry[]> {
    this.calls.push(`listPosted ${date}`);
    return this.posted
      .filter((e) => sameRef(e, ref) && e.date === date)
      .sort((a, b) => Number(b.kind === 'header') - Number(a.kind === 'header'));
  }

  async recordPosted(entry: PostedEntry): Promise<void> {
    const dup = this.posted.some(
      (e) => sameRef(e, entry) && e.date === entry.date && e.kind === entry.kind && e.paperId === entry.paperId,
    );
    if (!dup) this.posted.push(entry);
  }

  asStore(): Store {
    return this as unknown as Store;
  }
}

/**
 * Matches a topic when every query word appears in the title or abstract, within the
 * featured-day filter. "the" (a stop word only) throws like the real index does.
 */
export class FakeIndex {
  readonly queries: { query: string; opts: SearchOptions | undefined }[] = [];
  constructor(private readonly store: FakeStore) {}

  async search(query: string, opts?: SearchOptions): Promise<SearchResult> {
    this.queries.push({ query, opts });
    const terms = query.toLowerCase().split(/\s+/).filter((t) => t && t !== 'the');
    if (!terms.length) throw new UserInputError('Nothing searchable is left in that query.');
    const f = opts?.filters ?? {};
    const hits = this.store.papers
      .filter((p) => p.featuredDates.some((d) => (!f.featuredFrom || d >= f.featuredFrom) && (!f.featuredTo || d <= f.featuredTo)))
      .filter((p) => terms.every((t) => `${p.title} ${p.abstract}`.toLowerCase().includes(t)))
      .slice(0, opts?.limit ?? 10)
      .map((p) => ({ id: p.id, score: 1, matched: terms }));
    return { hits, total: hits.length, terms };
  }

  asIndex(): PaperIndex {
    return this as unknown as PaperIndex;
  }
}

/** A clock that reads `iso` until moved. */
export function fixedClock(iso: string): Clock & { set(iso: string): void } {
  let now = new Date(iso);
  return { now: () => now, set: (s) => void (now = new Date(s)) };
}
