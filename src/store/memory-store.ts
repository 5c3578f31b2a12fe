/**
 * The Store port held in plain maps: for unit tests, and as proof that
 * test/store/contract.ts describes the port rather than SQLite. Everything is deep-copied
 * in and out so a caller mutating a returned object cannot change what is stored.
 */
import { mergeBatch, searchableTextChanged, upsertStep, type Paper, type PaperId } from '../core/paper.js';
import type { Bookmark, Install, PostedEntry, Store, StoreStats, UpsertResult } from '../core/ports.js';
import { inboxRef, type ForgetReport } from '../core/people.js';
import { MemoryDeliveryLog } from './memory-deliveries.js';
import { MemoryPeopleStore } from './memory-people.js';
import { MemoryUpvoteHistory } from './memory-upvotes.js';
import { REVISION_KEY } from './meta-keys.js';
import { channelKey, type ChannelRef, type PlatformName, type Subscription } from '../core/subscription.js';


const clone = <T>(v: T): T => structuredClone(v);
/** Install data goes through JSON, as it does in SQLite, so both stores return the same shape. */
const viaJson = (v: unknown): unknown => (v === undefined ? null : JSON.parse(JSON.stringify(v)));
const bookmarkKey = (platform: PlatformName, userId: string, paperId: PaperId): string =>
  JSON.stringify([platform, userId, paperId]);

interface Seq<T> {
  value: T;
  /** Insertion order, the tie-breaker SQLite gets from rowid. */
  seq: number;
}

export class MemoryStore implements Store {
  private readonly papers = new Map<PaperId, Paper>();
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly bookmarks = new Map<string, Seq<Bookmark>>();
  private readonly posted: Seq<PostedEntry>[] = [];
  private readonly installs = new Map<string, Install>();
  private readonly meta = new Map<string, string>();
  private readonly metaExpiry = new Map<string, string>();
  readonly deliveries = new MemoryDeliveryLog(() => this.live());
  readonly people = new MemoryPeopleStore({ live: () => this.live(), forgetRest: (platform, userId) => this.forgetRest(platform, userId) });
  readonly upvotes = new MemoryUpvoteHistory(() => this.live());
  private seq = 0;
  private closed = false;

  // ─── Papers ──────────────────────────────────────────────────────────────────────

  async upsertPapers(papers: readonly Paper[]): Promise<UpsertResult> {
    this.live();
    // Staged, then applied in one go: a throw anywhere leaves the maps untouched.
    const staged = new Map<PaperId, Paper>();
    let inserted = 0;
    let updated = 0;
    let unchanged = 0;
    let textChanged = false;
    for (const incoming of mergeBatch(clone(papers)).values()) {
      const existing = this.papers.get(incoming.id);
      const next = upsertStep(existing, incoming);
      if (!next) {
        unchanged++;
        continue;
      }
      if (!existing) {
        inserted++;
        textChanged = true;
      } else {
        updated++;
        textChanged ||= searchableTextChanged(existing, next);
      }
      staged.set(next.id, next);
    }
    for (const [id, p] of staged) this.papers.set(id, p);
    if (textChanged) this.meta.set(REVISION_KEY, String(this.currentRevision() + 1));
    return { inserted, updated, unchanged, revision: this.currentRevision() };
  }

  async getPaper(id: PaperId): Promise<Paper | null> {
    this.live();
    const p = this.papers.get(id);
    return p ? clone(p) : null;
  }

  async getPapers(ids: readonly PaperId[]): Promise<Paper[]> {
    this.live();
    return ids.flatMap((id) => {
      const p = this.papers.get(id);
      return p ? [clone(p)] : [];
    });
  }

  async papersFeaturedBetween(from: string, to: string): Promise<Paper[]> {
    this.live();
    return this.sortedPapers()
      .filter((p) => p.featuredDates.some((d) => d >= from && d <= to))
      .map(clone);
  }

  async featuredDays(opts: { onOrBefore?: string; limit?: number } = {}): Promise<string[]> {
    this.live();
    const days = [...this.allFeaturedDays()]
      .filter((d) => opts.onOrBefore === undefined || d <= opts.onOrBefore)
      .sort()
      .reverse();
    return opts.limit === undefined ? days : days.slice(0, Math.max(0, opts.limit));
  }

  async listPapers(opts: { afterId?: PaperId; limit: number }): Promise<Paper[]> {
    this.live();
    const after = opts.afterId;
    return this.sortedPapers()
      .filter((p) => after === undefined || p.id > after)
      .slice(0, Math.max(0, opts.limit))
      .map(clone);
  }

  async countPapers(): Promise<number> {
    this.live();
    return this.papers.size;
  }

  async revision(): Promise<number> {
    this.live();
    return this.currentRevision();
  }

  async stats(): Promise<StoreStats> {
    this.live();
    const days = [...this.allFeaturedDays()].sort();
    return {
      papers: this.papers.size,
      featuredPapers: [...this.papers.values()].filter((p) => p.featuredDates.length > 0).length,
      featuredDays: days.length,
      firstFeaturedDate: days[0] ?? null,
      lastFeaturedDate: days[days.length - 1] ?? null,
      subscriptions: this.subscriptions.size,
      bookmarks: this.bookmarks.size,
      posted: this.posted.length,
      revision: this.currentRevision(),
    };
  }

  // ─── Subscriptions ───────────────────────────────────────────────────────────────

  async getSubscription(ref: ChannelRef): Promise<Subscription | null> {
    this.live();
    const s = this.subscriptions.get(channelKey(ref));
    return s ? clone(s) : null;
  }

  async saveSubscription(sub: Subscription): Promise<Subscription> {
    this.live();
    const key = channelKey(sub);
    const prev = this.subscriptions.get(key);
    // Re-subscribing a channel keeps who created it and when, as SqliteStore does.
    const stored = prev ? { ...clone(sub), createdBy: prev.createdBy, createdAt: prev.createdAt } : clone(sub);
    // No ping and threads off are no fields, as the SQL stores read them back.
    if (!stored.ping) delete stored.ping;
    if (!stored.threads) delete stored.threads;
    this.subscriptions.set(key, stored);
    return clone(stored);
  }

  async deleteSubscription(ref: ChannelRef): Promise<boolean> {
    this.live();
    return this.subscriptions.delete(channelKey(ref));
  }

  async listSubscriptions(opts: { platform?: PlatformName; includePaused?: boolean } = {}): Promise<Subscription[]> {
    this.live();
    return [...this.subscriptions.values()]
      .filter((s) => (opts.platform === undefined || s.platform === opts.platform) && (opts.includePaused || !s.paused))
      .sort((a, b) => compareKeys([a.platform, a.workspaceId, a.channelId], [b.platform, b.workspaceId, b.channelId]))
      .map(clone);
  }

  async setPaused(ref: ChannelRef, paused: boolean, reason: string | null): Promise<boolean> {
    this.live();
    const s = this.subscriptions.get(channelKey(ref));
    if (!s) return false;
    s.paused = paused;
    s.pausedReason = paused ? reason : null;
    s.updatedAt = new Date().toISOString();
    return true;
  }

  // ─── Bookmarks ───────────────────────────────────────────────────────────────────

  async addBookmark(b: Bookmark): Promise<boolean> {
    this.live();
    const key = bookmarkKey(b.platform, b.userId, b.paperId);
    if (this.bookmarks.has(key)) return false;
    this.bookmarks.set(key, { value: clone(b), seq: this.seq++ });
    return true;
  }

  async removeBookmark(platform: PlatformName, userId: string, paperId: PaperId): Promise<boolean> {
    this.live();
    return this.bookmarks.delete(bookmarkKey(platform, userId, paperId));
  }

  async listBookmarks(platform: PlatformName, userId: string): Promise<Bookmark[]> {
    this.live();
    return [...this.bookmarks.values()]
      .filter(({ value: b }) => b.platform === platform && b.userId === userId)
      .sort((a, b) => compareKeys([b.value.createdAt, b.seq], [a.value.createdAt, a.seq]))
      .map(({ value }) => clone(value));
  }

  // ─── Posted log ──────────────────────────────────────────────────────────────────

  async recordPosted(entry: PostedEntry): Promise<void> {
    this.live();
    if (entry.kind === 'paper' && entry.paperId === null) throw new Error('Store: a posted paper needs a paperId');
    if (entry.kind === 'header' && entry.paperId !== null) throw new Error('Store: a posted header has no paperId');
    const key = channelKey(entry);
    const duplicate = this.posted.some(({ value: e }) =>
      channelKey(e) === key && e.kind === entry.kind &&
      (entry.kind === 'header' ? e.date === entry.date : e.paperId === entry.paperId),
    );
    if (!duplicate) this.posted.push({ value: clone(entry), seq: this.seq++ });
  }

  async findPostedByMessage(platform: PlatformName, channelId: string, messageId: string): Promise<PostedEntry | null> {
    this.live();
    const hits = this.posted.filter(
      ({ value: e }) => e.platform === platform && e.channelId === channelId && e.messageId === messageId,
    );
    // A message carrying both the header and a paper maps to the paper: reactions are about papers.
    const hit = hits.find(({ value: e }) => e.kind === 'paper') ?? hits[0];
    return hit ? clone(hit.value) : null;
  }

  async postedPaperIds(ref: ChannelRef): Promise<Set<PaperId>> {
    this.live();
    const key = channelKey(ref);
    const ids = new Set<PaperId>();
    for (const { value: e } of this.posted) if (e.paperId !== null && channelKey(e) === key) ids.add(e.paperId);
    return ids;
  }

  async listPosted(ref: ChannelRef, date: string): Promise<PostedEntry[]> {
    this.live();
    const key = channelKey(ref);
    return this.posted
      .filter(({ value: e }) => channelKey(e) === key && e.date === date)
      .sort((a, b) => compareKeys(
        [a.value.kind === 'header' ? 0 : 1, a.value.postedAt, a.seq],
        [b.value.kind === 'header' ? 0 : 1, b.value.postedAt, b.seq],
      ))
      .map(({ value }) => clone(value));
  }

  // ─── Installs ────────────────────────────────────────────────────────────────────

  async saveInstall(install: Install): Promise<void> {
    this.live();
    this.installs.set(installKey(install.platform, install.workspaceId), { ...install, data: viaJson(install.data) });
  }

  async getInstall(platform: PlatformName, workspaceId: string): Promise<Install | null> {
    this.live();
    const i = this.installs.get(installKey(platform, workspaceId));
    return i ? clone(i) : null;
  }

  async deleteInstall(platform: PlatformName, workspaceId: string): Promise<boolean> {
    this.live();
    return this.installs.delete(installKey(platform, workspaceId));
  }

  // ─── Meta ────────────────────────────────────────────────────────────────────────

  async getMeta(key: string): Promise<string | null> {
    this.live();
    return this.meta.get(key) ?? null;
  }

  async setMeta(key: string, value: string, opts: { expiresAt?: string } = {}): Promise<void> {
    this.live();
    this.meta.set(key, value);
    if (opts.expiresAt) this.metaExpiry.set(key, opts.expiresAt);
    else this.metaExpiry.delete(key);
  }

  async pruneMeta(now: string): Promise<number> {
    this.live();
    let n = 0;
    for (const [key, at] of this.metaExpiry) {
      if (at < now && this.meta.delete(key)) n++;
      if (at < now) this.metaExpiry.delete(key);
    }
    return n;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  // ─── Helpers ─────────────────────────────────────────────────────────────────────

  /** Forgetting a person (people.forget): their bookmarks, and the posted log and outbox of their inbox channel in any workspace. */
  private forgetRest(platform: PlatformName, userId: string): Pick<ForgetReport, 'bookmarks' | 'posted' | 'deliveries'> {
    let bookmarks = 0;
    for (const [key, { value: b }] of this.bookmarks) if (b.platform === platform && b.userId === userId && this.bookmarks.delete(key)) bookmarks++;
    const { channelId } = inboxRef({ platform, workspaceId: '', userId });
    // Compacted in place (record order kept): a spread of a long log would overflow the call stack.
    let kept = 0;
    for (const row of this.posted) if (row.value.platform !== platform || row.value.channelId !== channelId) this.posted[kept++] = row;
    const posted = this.posted.length - kept;
    this.posted.length = kept;
    return { bookmarks, posted, deliveries: this.deliveries.forgetChannel(platform, channelId) };
  }

  /** A closed store rejects, as a closed database handle does. */
  private live(): void {
    if (this.closed) throw new Error('Store: the store is closed');
  }

  private currentRevision(): number {
    return Number(this.meta.get(REVISION_KEY) ?? 0);
  }

  private sortedPapers(): Paper[] {
    return [...this.papers.values()].sort((a, b) => compareKeys([a.id], [b.id]));
  }

  private allFeaturedDays(): Set<string> {
    const days = new Set<string>();
    for (const p of this.papers.values()) for (const d of p.featuredDates) days.add(d);
    return days;
  }
}

function installKey(platform: PlatformName, workspaceId: string): string {
  return JSON.stringify([platform, workspaceId]);
}

/** Lexicographic by UTF-16 code unit: SQLite's BINARY order for every id and day we store (they differ only past U+FFFF). */
function compareKeys(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}
