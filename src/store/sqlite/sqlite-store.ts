/**
 * The Store port on one SQLite file (better-sqlite3). The bot and the CLI may hold the
 * same file open at once, hence WAL (readers never block the writer), a busy timeout
 * (a writer waits for the other instead of failing) and IMMEDIATE write transactions
 * (taking the write lock up front avoids the read-then-upgrade deadlock that returns
 * SQLITE_BUSY without waiting).
 *
 * better-sqlite3 is synchronous; methods are `async` only so that a throw becomes a
 * rejection, as it would from a networked implementation.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { mergeBatch, searchableTextChanged, upsertStep, type Paper, type PaperId } from '../../core/paper.js';
import type { Bookmark, Install, PostedEntry, Store, StoreStats, UpsertResult } from '../../core/ports.js';
import type { ChannelRef, PlatformName, Subscription } from '../../core/subscription.js';
import { REVISION_KEY } from '../meta-keys.js';
import { SqliteDeliveryLog } from './sqlite-deliveries.js';
import { SqlitePeopleStore } from './sqlite-people.js';
import { SqliteUpvoteHistory } from './sqlite-upvotes.js';
import { rowToPosted, type PostedRow } from '../rows.js';
import { paperParams, rowToPaper, type PaperRow } from './sqlite-paper-rows.js';
import { pingColumns, sqliteRowToSubscription as rowToSubscription, weekdaysText, type SqliteSubscriptionRow } from './sqlite-rows.js';
import { assertNotFromFuture, LATEST_VERSION, migrate, schemaVersion } from './sqlite-migrations.js';

export interface SqliteStoreOptions {
  /** Open an existing, already migrated file without write access (reports, the CLI's read commands). */
  readonly?: boolean;
}

/** How long a write waits for another process's transaction before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;
/** Ids looked up per statement during an upsert; bounded so a huge batch does not build a huge JSON argument. */
const LOOKUP_CHUNK = 500;

const PAPER_SELECT = `
  SELECT p.*, (SELECT group_concat(f.day) FROM paper_features f WHERE f.paper_id = p.id) AS days
  FROM papers p`;


export class SqliteStore implements Store {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly upsertTx: Database.Transaction<(papers: readonly Paper[]) => UpsertResult>;
  readonly deliveries: SqliteDeliveryLog;
  readonly people: SqlitePeopleStore;
  readonly upvotes: SqliteUpvoteHistory;

  private constructor(
    private readonly db: Database.Database,
    readonly file: string,
  ) {
    this.upsertTx = db.transaction((papers: readonly Paper[]) => this.upsertInTransaction(papers));
    this.deliveries = new SqliteDeliveryLog(db);
    this.people = new SqlitePeopleStore(db);
    this.upvotes = new SqliteUpvoteHistory(db);
  }

  static open(file: string, opts: SqliteStoreOptions = {}): SqliteStore {
    const readonly = opts.readonly ?? false;
    const inMemory = file === ':memory:' || file === '';
    if (!readonly && !inMemory) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    let db: Database.Database;
    try {
      db = new Database(file, { readonly, fileMustExist: readonly, timeout: BUSY_TIMEOUT_MS });
    } catch (err) {
      throw new Error(`Cannot open database ${file}: ${(err as Error).message}`, { cause: err });
    }
    try {
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      db.pragma('foreign_keys = ON');
      // 16 MB page cache (default 2 MB) for imports; 64 filled up on each index rebuild's scan.
      db.pragma('cache_size = -16384');
      if (readonly) {
        assertNotFromFuture(db, file);
        const version = schemaVersion(db);
        if (version < LATEST_VERSION) {
          throw new Error(`Database ${file} has schema version ${version} but this code needs ${LATEST_VERSION}; open it once read-write to migrate.`);
        }
      } else {
        db.pragma('journal_mode = WAL');
        // Safe with WAL: a power cut may lose the last commits, never corrupt the file.
        db.pragma('synchronous = NORMAL');
        migrate(db, file);
      }
    } catch (err) {
      db.close();
      throw err;
    }
    return new SqliteStore(db, file);
  }

  // ─── Papers ──────────────────────────────────────────────────────────────────────

  async upsertPapers(papers: readonly Paper[]): Promise<UpsertResult> {
    return this.upsertTx.immediate(papers);
  }

  private upsertInTransaction(papers: readonly Paper[]): UpsertResult {
    const select = this.stmt(`${PAPER_SELECT} WHERE p.id IN (SELECT value FROM json_each(?))`);
    const write = this.stmt(`
      INSERT INTO papers (id, title, abstract, authors_json, published_at, upvotes, comments, ai_summary,
        keywords_json, github_repo, github_stars, project_page, organization, categories_json, sources_json,
        thumbnail, created_at, updated_at)
      VALUES (@id, @title, @abstract, @authors_json, @published_at, @upvotes, @comments, @ai_summary,
        @keywords_json, @github_repo, @github_stars, @project_page, @organization, @categories_json, @sources_json,
        @thumbnail, @now, @now)
      ON CONFLICT (id) DO UPDATE SET title = excluded.title, abstract = excluded.abstract,
        authors_json = excluded.authors_json, published_at = excluded.published_at, upvotes = excluded.upvotes,
        comments = excluded.comments, ai_summary = excluded.ai_summary, keywords_json = excluded.keywords_json,
        github_repo = excluded.github_repo, github_stars = excluded.github_stars, project_page = excluded.project_page,
        organization = excluded.organization, categories_json = excluded.categories_json,
        sources_json = excluded.sources_json, thumbnail = excluded.thumbnail, updated_at = excluded.updated_at`);
    const feature = this.stmt('INSERT INTO paper_features (paper_id, day) VALUES (?, ?) ON CONFLICT DO NOTHING');
    const now = new Date().toISOString();
    let inserted = 0;
    let updated = 0;
    let unchanged = 0;
    let textChanged = false;
    const batch = [...mergeBatch(papers).values()];
    // Stored rows are fetched a chunk at a time: one statement per 500 ids instead of one per id.
    for (let start = 0; start < batch.length; start += LOOKUP_CHUNK) {
      const chunk = batch.slice(start, start + LOOKUP_CHUNK);
      const rows = select.all(JSON.stringify(chunk.map((p) => p.id))) as PaperRow[];
      const stored = new Map(rows.map((r) => [r.id, r]));
      for (const incoming of chunk) {
        const row = stored.get(incoming.id);
        const existing = row ? rowToPaper(row) : null;
        // Validated here, mid-transaction, so a bad record anywhere rolls back the records before it.
        const next = upsertStep(existing, incoming);
        if (!next) {
          unchanged++;
          continue;
        }
        write.run({ ...paperParams(next), now });
        // Featured dates only grow under mergePapers, so adding the new ones is enough.
        const known = new Set(existing?.featuredDates);
        for (const day of next.featuredDates) if (!known.has(day)) feature.run(next.id, day);
        if (existing) {
          updated++;
          textChanged ||= searchableTextChanged(existing, next);
        } else {
          inserted++;
          textChanged = true;
        }
      }
    }
    let revision = this.readRevision();
    if (textChanged) this.writeMeta(REVISION_KEY, String(++revision));
    return { inserted, updated, unchanged, revision };
  }

  async getPaper(id: PaperId): Promise<Paper | null> {
    const row = this.stmt(`${PAPER_SELECT} WHERE p.id = ?`).get(id) as PaperRow | undefined;
    return row ? rowToPaper(row) : null;
  }

  async getPapers(ids: readonly PaperId[]): Promise<Paper[]> {
    if (!ids.length) return [];
    const rows = this.stmt(`${PAPER_SELECT} WHERE p.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as PaperRow[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => {
      const row = byId.get(id);
      return row ? [rowToPaper(row)] : [];
    });
  }

  async papersFeaturedBetween(from: string, to: string): Promise<Paper[]> {
    const rows = this.stmt(
      `${PAPER_SELECT} WHERE p.id IN (SELECT paper_id FROM paper_features WHERE day BETWEEN ? AND ?) ORDER BY p.id`,
    ).all(from, to) as PaperRow[];
    return rows.map(rowToPaper);
  }

  async featuredDays(opts: { onOrBefore?: string; limit?: number } = {}): Promise<string[]> {
    return this.stmt(
      `SELECT DISTINCT day FROM paper_features WHERE (@before IS NULL OR day <= @before) ORDER BY day DESC LIMIT @limit`,
    )
      .pluck()
      .all({ before: opts.onOrBefore ?? null, limit: opts.limit === undefined ? -1 : Math.max(0, opts.limit) }) as string[];
  }

  async listPapers(opts: { afterId?: PaperId; limit: number }): Promise<Paper[]> {
    // '' sorts before every id, and ids are never empty (CHECK in the schema).
    const rows = this.stmt(`${PAPER_SELECT} WHERE p.id > ? ORDER BY p.id LIMIT ?`).all(
      opts.afterId ?? '',
      Math.max(0, opts.limit),
    ) as PaperRow[];
    return rows.map(rowToPaper);
  }

  async countPapers(): Promise<number> {
    return this.stmt('SELECT count(*) FROM papers').pluck().get() as number;
  }

  async revision(): Promise<number> {
    return this.readRevision();
  }

  async stats(): Promise<StoreStats> {
    const row = this.stmt(`SELECT
        (SELECT count(*) FROM papers) AS papers,
        (SELECT count(DISTINCT paper_id) FROM paper_features) AS featuredPapers,
        (SELECT count(DISTINCT day) FROM paper_features) AS featuredDays,
        (SELECT min(day) FROM paper_features) AS firstFeaturedDate,
        (SELECT max(day) FROM paper_features) AS lastFeaturedDate,
        (SELECT count(*) FROM subscriptions) AS subscriptions,
        (SELECT count(*) FROM bookmarks) AS bookmarks,
        (SELECT count(*) FROM posted) AS posted`).get() as Omit<StoreStats, 'revision'>;
    return { ...row, revision: this.readRevision() };
  }

  // ─── Subscriptions ───────────────────────────────────────────────────────────────

  async getSubscription(ref: ChannelRef): Promise<Subscription | null> {
    const row = this.stmt(
      'SELECT * FROM subscriptions WHERE platform = ? AND workspace_id = ? AND channel_id = ?',
    ).get(ref.platform, ref.workspaceId, ref.channelId) as SqliteSubscriptionRow | undefined;
    return row ? rowToSubscription(row) : null;
  }

  async saveSubscription(sub: Subscription): Promise<Subscription> {
    // created_by/created_at are left alone on conflict: re-subscribing keeps the original author.
    const row = this.stmt(`
      INSERT INTO subscriptions (platform, workspace_id, channel_id, hour, minute, timezone, weekdays, every, top_n,
        min_upvotes, topic, paused, paused_reason, created_by, created_at, updated_at, digest_order, ping_kind, ping_id, ping_name, threads)
      VALUES (@platform, @workspaceId, @channelId, @hour, @minute, @timezone, @weekdays, @every, @topN,
        @minUpvotes, @topic, @paused, @pausedReason, @createdBy, @createdAt, @updatedAt, @order, @pingKind, @pingId, @pingName, @threads)
      ON CONFLICT (platform, workspace_id, channel_id) DO UPDATE SET hour = excluded.hour, every = excluded.every, digest_order = excluded.digest_order,
        ping_kind = excluded.ping_kind, ping_id = excluded.ping_id, ping_name = excluded.ping_name, threads = excluded.threads,
        minute = excluded.minute, timezone = excluded.timezone, weekdays = excluded.weekdays,
        top_n = excluded.top_n, min_upvotes = excluded.min_upvotes, topic = excluded.topic,
        paused = excluded.paused, paused_reason = excluded.paused_reason, updated_at = excluded.updated_at
      RETURNING *`).get({
      platform: sub.platform,
      workspaceId: sub.workspaceId,
      channelId: sub.channelId,
      hour: sub.hour,
      minute: sub.minute,
      timezone: sub.timezone,
      weekdays: weekdaysText(sub.weekdays),
      every: sub.every, order: sub.order,
      ...pingColumns(sub),
      threads: sub.threads ? 1 : 0,
      topN: sub.topN,
      minUpvotes: sub.minUpvotes,
      topic: sub.topic,
      paused: sub.paused ? 1 : 0,
      pausedReason: sub.pausedReason,
      createdBy: sub.createdBy,
      createdAt: sub.createdAt,
      updatedAt: sub.updatedAt,
    }) as SqliteSubscriptionRow;
    return rowToSubscription(row);
  }

  async deleteSubscription(ref: ChannelRef): Promise<boolean> {
    return this.stmt('DELETE FROM subscriptions WHERE platform = ? AND workspace_id = ? AND channel_id = ?')
      .run(ref.platform, ref.workspaceId, ref.channelId).changes > 0;
  }

  async listSubscriptions(opts: { platform?: PlatformName; includePaused?: boolean } = {}): Promise<Subscription[]> {
    const rows = this.stmt(`SELECT * FROM subscriptions
      WHERE (@platform IS NULL OR platform = @platform) AND (@all OR paused = 0)
      ORDER BY platform, workspace_id, channel_id`).all({
      platform: opts.platform ?? null,
      all: opts.includePaused ? 1 : 0,
    }) as SqliteSubscriptionRow[];
    return rows.map(rowToSubscription);
  }

  async setPaused(ref: ChannelRef, paused: boolean, reason: string | null): Promise<boolean> {
    return this.stmt(`UPDATE subscriptions SET paused = ?, paused_reason = ?, updated_at = ?
      WHERE platform = ? AND workspace_id = ? AND channel_id = ?`)
      .run(paused ? 1 : 0, paused ? reason : null, new Date().toISOString(), ref.platform, ref.workspaceId, ref.channelId)
      .changes > 0;
  }

  // ─── Bookmarks ───────────────────────────────────────────────────────────────────
  // ON CONFLICT DO NOTHING rather than INSERT OR IGNORE: OR IGNORE would also swallow CHECK failures.

  async addBookmark(b: Bookmark): Promise<boolean> {
    return this.stmt(`INSERT INTO bookmarks (platform, user_id, paper_id, created_at) VALUES (?, ?, ?, ?)
      ON CONFLICT DO NOTHING`).run(b.platform, b.userId, b.paperId, b.createdAt).changes > 0;
  }

  async removeBookmark(platform: PlatformName, userId: string, paperId: PaperId): Promise<boolean> {
    return this.stmt('DELETE FROM bookmarks WHERE platform = ? AND user_id = ? AND paper_id = ?')
      .run(platform, userId, paperId).changes > 0;
  }

  async listBookmarks(platform: PlatformName, userId: string): Promise<Bookmark[]> {
    const rows = this.stmt(`SELECT platform, user_id AS userId, paper_id AS paperId, created_at AS createdAt
      FROM bookmarks WHERE platform = ? AND user_id = ? ORDER BY created_at DESC, rowid DESC`).all(platform, userId);
    return rows as Bookmark[];
  }

  // ─── Posted log ──────────────────────────────────────────────────────────────────

  async recordPosted(e: PostedEntry): Promise<void> {
    // The partial unique indexes make a repeat (same header day, same paper) a no-op.
    this.stmt(`INSERT INTO posted (platform, workspace_id, channel_id, day, kind, paper_id, message_id, posted_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)
      .run(e.platform, e.workspaceId, e.channelId, e.date, e.kind, e.paperId, e.messageId, e.postedAt);
  }

  async findPostedByMessage(platform: PlatformName, channelId: string, messageId: string): Promise<PostedEntry | null> {
    // A message carrying both the header and a paper maps to the paper: reactions are about papers.
    const row = this.stmt(`SELECT * FROM posted WHERE platform = ? AND channel_id = ? AND message_id = ?
      ORDER BY kind = 'paper' DESC, rowid LIMIT 1`).get(platform, channelId, messageId) as PostedRow | undefined;
    return row ? rowToPosted(row) : null;
  }

  async postedPaperIds(ref: ChannelRef): Promise<Set<PaperId>> {
    const ids = this.stmt(`SELECT paper_id FROM posted
      WHERE platform = ? AND workspace_id = ? AND channel_id = ? AND kind = 'paper'`)
      .pluck()
      .all(ref.platform, ref.workspaceId, ref.channelId) as string[];
    return new Set(ids);
  }

  async listPosted(ref: ChannelRef, date: string): Promise<PostedEntry[]> {
    const rows = this.stmt(`SELECT * FROM posted WHERE platform = ? AND workspace_id = ? AND channel_id = ? AND day = ?
      ORDER BY kind = 'header' DESC, posted_at, rowid`).all(ref.platform, ref.workspaceId, ref.channelId, date) as PostedRow[];
    return rows.map(rowToPosted);
  }

  // ─── Installs ────────────────────────────────────────────────────────────────────

  async saveInstall(i: Install): Promise<void> {
    this.stmt(`INSERT INTO installs (platform, workspace_id, data_json, installed_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (platform, workspace_id) DO UPDATE SET data_json = excluded.data_json, installed_at = excluded.installed_at`)
      .run(i.platform, i.workspaceId, JSON.stringify(i.data ?? null), i.installedAt);
  }

  async getInstall(platform: PlatformName, workspaceId: string): Promise<Install | null> {
    const row = this.stmt('SELECT data_json, installed_at FROM installs WHERE platform = ? AND workspace_id = ?')
      .get(platform, workspaceId) as { data_json: string; installed_at: string } | undefined;
    return row ? { platform, workspaceId, data: JSON.parse(row.data_json) as unknown, installedAt: row.installed_at } : null;
  }

  async deleteInstall(platform: PlatformName, workspaceId: string): Promise<boolean> {
    return this.stmt('DELETE FROM installs WHERE platform = ? AND workspace_id = ?').run(platform, workspaceId).changes > 0;
  }

  // ─── Meta ────────────────────────────────────────────────────────────────────────

  async getMeta(key: string): Promise<string | null> {
    return this.readMeta(key);
  }

  async setMeta(key: string, value: string, opts: { expiresAt?: string } = {}): Promise<void> {
    this.writeMeta(key, value, opts.expiresAt ?? null);
  }

  async pruneMeta(now: string): Promise<number> {
    return this.stmt('DELETE FROM meta WHERE expires_at IS NOT NULL AND expires_at < ?').run(now).changes;
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    // Lets SQLite refresh planner statistics for the next opener; cheap when nothing changed.
    if (!this.db.readonly) this.db.pragma('optimize');
    this.db.close();
  }

  // ─── Helpers ─────────────────────────────────────────────────────────────────────

  /** Prepared once per SQL text and reused: preparing costs more than running for these small queries. */
  private stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  private readMeta(key: string): string | null {
    const v = this.stmt('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined;
    return v ?? null;
  }

  private writeMeta(key: string, value: string, expiresAt: string | null = null): void {
    this.stmt('INSERT INTO meta (key, value, expires_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at').run(key, value, expiresAt);
  }

  private readRevision(): number {
    return Number(this.readMeta(REVISION_KEY) ?? 0);
  }
}
