/**
 * The Store port on PostgreSQL (node-postgres), so bots and workers on several machines
 * share one store. Same semantics as SqliteStore, statement for statement where it can.
 *
 * Paper upserts are read–merge–write in JavaScript (mergePapers is the one merge rule),
 * so two writers must not interleave: each upsert transaction first takes a
 * transaction-level advisory lock for its schema. That serialises paper writers the way
 * SQLite's single writer does, covers rows that do not exist yet (which SELECT … FOR
 * UPDATE cannot lock: two inserts of a new paper would both see nothing and the later
 * one would overwrite the earlier's merge), makes the revision's read-and-bump atomic,
 * and cannot deadlock. Readers are never blocked (MVCC), and upserts are rare (ingest
 * jobs, CLI imports), so the serialisation costs nothing that matters. Under READ
 * COMMITTED every statement after the lock sees what the previous holder committed.
 */
import pg from 'pg';
import { mergeBatch, searchableTextChanged, upsertStep, type Paper, type PaperId, type PaperSourceName } from '../../core/paper.js';
import type { Bookmark, Install, PostedEntry, Store, StoreStats, UpsertResult } from '../../core/ports.js';
import type { ChannelRef, PlatformName, Subscription } from '../../core/subscription.js';
import { REVISION_KEY } from '../meta-keys.js';
import { PostgresDeliveryLog } from './postgres-deliveries.js';
import { PostgresPeopleStore } from './postgres-people.js';
import { PostgresUpvoteHistory } from './postgres-upvotes.js';
import { pingColumns, rowToPosted, rowToSubscription, type PostedRow, type SubscriptionRow } from '../rows.js';
import { assertSchemaName, lockKeySql, migrate } from './postgres-migrations.js';
import { FEATURE_WRITE, PAPER_SELECT, PAPER_WRITE, paperColumns, rowToPaper, storableText, type PaperRow } from './paper-sql.js';
import { connectionConfig, redactUrl } from './pg-connection.js';

export interface PostgresStoreOptions {
  /** Schema holding the tables (created if missing); default "public". */
  schema?: string;
  /** Pool size per process (default 10). */
  max?: number;
}

/**
 * Papers read and written per statement during an upsert: large enough that 80k papers
 * take a few dozen round trips, small enough that one statement's JSON stays a few MB.
 */
const UPSERT_CHUNK = 2_000;


export class PostgresStore implements Store {
  private closed = false;
  readonly deliveries: PostgresDeliveryLog;
  readonly people: PostgresPeopleStore;
  readonly upvotes: PostgresUpvoteHistory;

  private constructor(
    private readonly pool: pg.Pool,
    readonly schema: string,
    /** The database without credentials, for messages. */
    readonly where: string,
  ) {
    this.deliveries = new PostgresDeliveryLog(pool);
    this.people = new PostgresPeopleStore(pool, (fn) => this.transaction(fn));
    this.upvotes = new PostgresUpvoteHistory(pool);
  }

  static async open(url: string, opts: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const schema = opts.schema ?? 'public';
    assertSchemaName(schema);
    const where = `PostgreSQL schema "${schema}" at ${redactUrl(url)}`;
    // keepAlive: connections between machines go through NATs and load balancers that drop idle flows silently.
    const pool = new pg.Pool({ ...connectionConfig(url, schema), max: opts.max ?? 10, keepAlive: true, application_name: 'papers-bot' });
    // An idle connection dropped by the server (restart, failover) is discarded by the pool and
    // the next query opens a new one; without a listener the 'error' event would kill the process.
    pool.on('error', () => undefined);
    try {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        throw new Error(`Cannot connect to PostgreSQL at ${redactUrl(url)}: ${(err as Error).message}`, { cause: err });
      }
      let broken: Error | undefined;
      try {
        await migrate(client, schema, where);
      } catch (err) {
        broken = err as Error;
        throw err;
      } finally {
        client.release(broken);
      }
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
    return new PostgresStore(pool, schema, where);
  }

  // ─── Papers ──────────────────────────────────────────────────────────────────────

  async upsertPapers(papers: readonly Paper[]): Promise<UpsertResult> {
    this.live();
    const batch = [...mergeBatch(papers.map(storableText)).values()];
    if (!batch.length) return { inserted: 0, updated: 0, unchanged: 0, revision: await this.revision() };
    return this.transaction(async (c) => {
      const lock = lockKeySql('upsert', this.schema);
      await c.query(lock.sql, [lock.param]);
      let inserted = 0;
      let updated = 0;
      let unchanged = 0;
      let textChanged = false;
      for (let start = 0; start < batch.length; start += UPSERT_CHUNK) {
        const chunk = batch.slice(start, start + UPSERT_CHUNK);
        const { rows } = await c.query<PaperRow>(`${PAPER_SELECT} WHERE p.id = ANY($1::text[])`, [chunk.map((p) => p.id)]);
        const stored = new Map(rows.map((r) => [r.id, r]));
        const writes: Paper[] = [];
        const featureIds: string[] = [];
        const featureDays: string[] = [];
        for (const incoming of chunk) {
          const row = stored.get(incoming.id);
          const existing = row ? rowToPaper(row) : null;
          // Validated mid-transaction, so a bad record anywhere rolls back the chunks before it.
          const next = upsertStep(existing, incoming);
          if (!next) {
            unchanged++;
            continue;
          }
          writes.push(next);
          // Featured dates only grow under mergePapers, so adding the new ones is enough.
          const known = new Set(existing?.featuredDates);
          for (const day of next.featuredDates) {
            if (known.has(day)) continue;
            featureIds.push(next.id);
            featureDays.push(day);
          }
          if (existing) {
            updated++;
            textChanged ||= searchableTextChanged(existing, next);
          } else {
            inserted++;
            textChanged = true;
          }
        }
        if (writes.length) await c.query(PAPER_WRITE, paperColumns(writes));
        if (featureIds.length) await c.query(FEATURE_WRITE, [featureIds, featureDays]);
      }
      let revision = await readRevision(c);
      if (textChanged) await writeMeta(c, REVISION_KEY, String(++revision));
      return { inserted, updated, unchanged, revision };
    });
  }

  async getPaper(id: PaperId): Promise<Paper | null> {
    const { rows } = await this.query<PaperRow>(`${PAPER_SELECT} WHERE p.id = $1`, [id]);
    return rows[0] ? rowToPaper(rows[0]) : null;
  }

  async getPapers(ids: readonly PaperId[]): Promise<Paper[]> {
    this.live();
    if (!ids.length) return [];
    const { rows } = await this.query<PaperRow>(`${PAPER_SELECT} WHERE p.id = ANY($1::text[])`, [[...ids]]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => {
      const row = byId.get(id);
      return row ? [rowToPaper(row)] : [];
    });
  }

  async papersFeaturedBetween(from: string, to: string): Promise<Paper[]> {
    const { rows } = await this.query<PaperRow>(
      `${PAPER_SELECT} WHERE p.id IN (SELECT paper_id FROM paper_features WHERE day BETWEEN $1 AND $2) ORDER BY p.id`,
      [from, to],
    );
    return rows.map(rowToPaper);
  }

  async featuredDays(opts: { onOrBefore?: string; limit?: number } = {}): Promise<string[]> {
    // LIMIT NULL is no limit.
    const { rows } = await this.query<{ day: string }>(
      `SELECT DISTINCT day FROM paper_features WHERE ($1::text IS NULL OR day <= $1) ORDER BY day DESC LIMIT $2`,
      [opts.onOrBefore ?? null, opts.limit === undefined ? null : Math.max(0, opts.limit)],
    );
    return rows.map((r) => r.day);
  }

  async listPapers(opts: { afterId?: PaperId; limit: number }): Promise<Paper[]> {
    // '' sorts before every id, and ids are never empty (CHECK in the schema).
    const { rows } = await this.query<PaperRow>(`${PAPER_SELECT} WHERE p.id > $1 ORDER BY p.id LIMIT $2`, [
      opts.afterId ?? '',
      Math.max(0, opts.limit),
    ]);
    return rows.map(rowToPaper);
  }

  async countPapers(): Promise<number> {
    const { rows } = await this.query<{ n: number }>('SELECT count(*)::int AS n FROM papers');
    return rows[0]!.n;
  }

  async revision(): Promise<number> {
    this.live();
    return readRevision(this.pool);
  }

  async stats(): Promise<StoreStats> {
    const { rows } = await this.query<Omit<StoreStats, 'revision'> & { revision: string | null }>(`SELECT
        (SELECT count(*) FROM papers)::int AS "papers",
        (SELECT count(DISTINCT paper_id) FROM paper_features)::int AS "featuredPapers",
        (SELECT count(DISTINCT day) FROM paper_features)::int AS "featuredDays",
        (SELECT min(day) FROM paper_features) AS "firstFeaturedDate",
        (SELECT max(day) FROM paper_features) AS "lastFeaturedDate",
        (SELECT count(*) FROM subscriptions)::int AS "subscriptions",
        (SELECT count(*) FROM bookmarks)::int AS "bookmarks",
        (SELECT count(*) FROM posted)::int AS "posted",
        (SELECT value FROM meta WHERE key = $1) AS "revision"`, [REVISION_KEY]);
    const row = rows[0]!;
    return { ...row, revision: Number(row.revision ?? 0) };
  }

  // ─── Subscriptions ───────────────────────────────────────────────────────────────

  async getSubscription(ref: ChannelRef): Promise<Subscription | null> {
    const { rows } = await this.query<SubscriptionRow>(
      'SELECT * FROM subscriptions WHERE platform = $1 AND workspace_id = $2 AND channel_id = $3',
      [ref.platform, ref.workspaceId, ref.channelId],
    );
    return rows[0] ? rowToSubscription(rows[0]) : null;
  }

  async saveSubscription(sub: Subscription): Promise<Subscription> {
    // created_by/created_at are left alone on conflict: re-subscribing keeps the original author.
    const { rows } = await this.query<SubscriptionRow>(`
      INSERT INTO subscriptions (platform, workspace_id, channel_id, hour, minute, timezone, weekdays, top_n,
        min_upvotes, topic, paused, paused_reason, created_by, created_at, updated_at, every, digest_order,
        ping_kind, ping_id, ping_name, threads)
      VALUES ($1, $2, $3, $4, $5, $6, $7::smallint[], $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
      ON CONFLICT (platform, workspace_id, channel_id) DO UPDATE SET hour = excluded.hour, every = excluded.every, digest_order = excluded.digest_order,
        ping_kind = excluded.ping_kind, ping_id = excluded.ping_id, ping_name = excluded.ping_name, threads = excluded.threads,
        minute = excluded.minute, timezone = excluded.timezone, weekdays = excluded.weekdays,
        top_n = excluded.top_n, min_upvotes = excluded.min_upvotes, topic = excluded.topic,
        paused = excluded.paused, paused_reason = excluded.paused_reason, updated_at = excluded.updated_at
      RETURNING *`, [
      sub.platform, sub.workspaceId, sub.channelId, sub.hour, sub.minute, sub.timezone, [...sub.weekdays], sub.topN,
      sub.minUpvotes, sub.topic, sub.paused, sub.pausedReason, sub.createdBy, sub.createdAt, sub.updatedAt, sub.every, sub.order,
      pingColumns(sub).pingKind, pingColumns(sub).pingId, pingColumns(sub).pingName, sub.threads === true,
    ]);
    return rowToSubscription(rows[0]!);
  }

  async deleteSubscription(ref: ChannelRef): Promise<boolean> {
    const res = await this.query('DELETE FROM subscriptions WHERE platform = $1 AND workspace_id = $2 AND channel_id = $3', [
      ref.platform, ref.workspaceId, ref.channelId,
    ]);
    return (res.rowCount ?? 0) > 0;
  }

  async listSubscriptions(opts: { platform?: PlatformName; includePaused?: boolean } = {}): Promise<Subscription[]> {
    const { rows } = await this.query<SubscriptionRow>(`SELECT * FROM subscriptions
      WHERE ($1::text IS NULL OR platform = $1) AND ($2 OR NOT paused)
      ORDER BY platform, workspace_id, channel_id`, [opts.platform ?? null, opts.includePaused ?? false]);
    return rows.map(rowToSubscription);
  }

  async setPaused(ref: ChannelRef, paused: boolean, reason: string | null): Promise<boolean> {
    const res = await this.query(`UPDATE subscriptions SET paused = $1, paused_reason = $2, updated_at = $3
      WHERE platform = $4 AND workspace_id = $5 AND channel_id = $6`, [
      paused, paused ? reason : null, new Date().toISOString(), ref.platform, ref.workspaceId, ref.channelId,
    ]);
    return (res.rowCount ?? 0) > 0;
  }

  // ─── Bookmarks ───────────────────────────────────────────────────────────────────
  // ON CONFLICT DO NOTHING ignores only unique violations: CHECK failures still reject.

  async addBookmark(b: Bookmark): Promise<boolean> {
    const res = await this.query(`INSERT INTO bookmarks (platform, user_id, paper_id, created_at) VALUES ($1, $2, $3, $4)
      ON CONFLICT DO NOTHING`, [b.platform, b.userId, b.paperId, b.createdAt]);
    return (res.rowCount ?? 0) > 0;
  }

  async removeBookmark(platform: PlatformName, userId: string, paperId: PaperId): Promise<boolean> {
    const res = await this.query('DELETE FROM bookmarks WHERE platform = $1 AND user_id = $2 AND paper_id = $3', [platform, userId, paperId]);
    return (res.rowCount ?? 0) > 0;
  }

  async listBookmarks(platform: PlatformName, userId: string): Promise<Bookmark[]> {
    const { rows } = await this.query<Bookmark>(`SELECT platform, user_id AS "userId", paper_id AS "paperId", created_at AS "createdAt"
      FROM bookmarks WHERE platform = $1 AND user_id = $2 ORDER BY created_at DESC, seq DESC`, [platform, userId]);
    return rows;
  }

  // ─── Posted log ──────────────────────────────────────────────────────────────────

  async recordPosted(e: PostedEntry): Promise<void> {
    // The partial unique indexes make a repeat (same header day, same paper) a no-op; a
    // concurrent repeat from another process waits for the first to commit, then does nothing.
    await this.query(`INSERT INTO posted (platform, workspace_id, channel_id, day, kind, paper_id, message_id, posted_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`, [
      e.platform, e.workspaceId, e.channelId, e.date, e.kind, e.paperId, e.messageId, e.postedAt,
    ]);
  }

  async findPostedByMessage(platform: PlatformName, channelId: string, messageId: string): Promise<PostedEntry | null> {
    // A message carrying both the header and a paper maps to the paper: reactions are about papers.
    const { rows } = await this.query<PostedRow>(`SELECT * FROM posted WHERE platform = $1 AND channel_id = $2 AND message_id = $3
      ORDER BY kind = 'paper' DESC, seq LIMIT 1`, [platform, channelId, messageId]);
    return rows[0] ? rowToPosted(rows[0]) : null;
  }

  async postedPaperIds(ref: ChannelRef): Promise<Set<PaperId>> {
    const { rows } = await this.query<{ paper_id: string }>(`SELECT paper_id FROM posted
      WHERE platform = $1 AND workspace_id = $2 AND channel_id = $3 AND kind = 'paper'`, [ref.platform, ref.workspaceId, ref.channelId]);
    return new Set(rows.map((r) => r.paper_id));
  }

  async listPosted(ref: ChannelRef, date: string): Promise<PostedEntry[]> {
    const { rows } = await this.query<PostedRow>(`SELECT * FROM posted WHERE platform = $1 AND workspace_id = $2 AND channel_id = $3 AND day = $4
      ORDER BY kind = 'header' DESC, posted_at, seq`, [ref.platform, ref.workspaceId, ref.channelId, date]);
    return rows.map(rowToPosted);
  }

  // ─── Installs ────────────────────────────────────────────────────────────────────

  async saveInstall(i: Install): Promise<void> {
    await this.query(`INSERT INTO installs (platform, workspace_id, data, installed_at) VALUES ($1, $2, $3::json, $4)
      ON CONFLICT (platform, workspace_id) DO UPDATE SET data = excluded.data, installed_at = excluded.installed_at`, [
      i.platform, i.workspaceId, JSON.stringify(i.data ?? null), i.installedAt,
    ]);
  }

  async getInstall(platform: PlatformName, workspaceId: string): Promise<Install | null> {
    // node-postgres parses json columns with JSON.parse, so data comes back as SQLite's does.
    const { rows } = await this.query<{ data: unknown; installed_at: string }>(
      'SELECT data, installed_at FROM installs WHERE platform = $1 AND workspace_id = $2',
      [platform, workspaceId],
    );
    const row = rows[0];
    return row ? { platform, workspaceId, data: row.data, installedAt: row.installed_at } : null;
  }

  async deleteInstall(platform: PlatformName, workspaceId: string): Promise<boolean> {
    const res = await this.query('DELETE FROM installs WHERE platform = $1 AND workspace_id = $2', [platform, workspaceId]);
    return (res.rowCount ?? 0) > 0;
  }

  // ─── Meta ────────────────────────────────────────────────────────────────────────

  async getMeta(key: string): Promise<string | null> {
    this.live();
    return readMeta(this.pool, key);
  }

  async pruneMeta(now: string): Promise<number> {
    this.live();
    return (await this.pool.query('DELETE FROM meta WHERE expires_at IS NOT NULL AND expires_at < $1', [now])).rowCount ?? 0;
  }

  async setMeta(key: string, value: string, opts: { expiresAt?: string } = {}): Promise<void> {
    this.live();
    await writeMeta(this.pool, key, value, opts.expiresAt ?? null);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  // ─── Helpers ─────────────────────────────────────────────────────────────────────

  /** A closed store rejects with a plain message rather than the pool's. */
  private live(): void {
    if (this.closed) throw new Error(`Store: the store on ${this.where} is closed`);
  }

  private query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    this.live();
    return this.pool.query<R>(sql, params);
  }

  /** One pooled connection for BEGIN … COMMIT; a connection whose ROLLBACK failed is destroyed, not reused. */
  private async transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      try {
        await client.query('BEGIN');
      } catch (err) {
        broken = err as Error;
        throw err;
      }
      try {
        const out = await fn(client);
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch((rollbackErr: unknown) => {
          broken = rollbackErr as Error;
        });
        throw err;
      }
    } finally {
      client.release(broken);
    }
  }
}

type Queryable = pg.Pool | pg.PoolClient;

async function readMeta(db: Queryable, key: string): Promise<string | null> {
  const { rows } = await db.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [key]);
  return rows[0]?.value ?? null;
}

async function writeMeta(db: Queryable, key: string, value: string, expiresAt: string | null = null): Promise<void> {
  await db.query('INSERT INTO meta (key, value, expires_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at', [
    key,
    value,
    expiresAt,
  ]);
}

async function readRevision(db: Queryable): Promise<number> {
  return Number((await readMeta(db, REVISION_KEY)) ?? 0);
}
