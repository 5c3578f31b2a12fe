/** The PeopleStore port (follows, inboxes, pending alerts, forgetting a person) on PostgreSQL; see src/core/people.ts. */
import type pg from 'pg';
import { inboxRef, type Follow, type ForgetReport, type Inbox, type PeopleStore, type PendingAlert } from '../../core/people.js';
import type { PaperId } from '../../core/paper.js';
import type { PlatformName } from '../../core/subscription.js';
import { rowToFollow, rowToInbox, rowToPendingAlert, topicKey, type FollowRow, type InboxRow, type PendingAlertRow } from '../people-rows.js';
import { cleanText } from './paper-sql.js';

/** Runs `fn` in one BEGIN … COMMIT on one pooled connection (PostgresStore's). */
export type InTransaction = <T>(fn: (client: pg.PoolClient) => Promise<T>) => Promise<T>;

type Person = { platform: PlatformName; userId: string; workspaceId: string };

export class PostgresPeopleStore implements PeopleStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly transaction: InTransaction,
  ) {}

  // ─── Follows ─────────────────────────────────────────────────────────────────────
  // Topics are typed by people: cleaned of what PostgreSQL text cannot hold (NUL) first.

  async addFollow(f: Follow): Promise<boolean> {
    const topic = cleanText(f.topic);
    const res = await this.pool.query(`INSERT INTO follows (platform, user_id, topic, topic_key, created_at) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT DO NOTHING`, [f.platform, f.userId, topic, topicKey(topic), f.createdAt]);
    return (res.rowCount ?? 0) > 0;
  }

  async listFollows(platform: PlatformName, userId: string): Promise<Follow[]> {
    const { rows } = await this.pool.query<FollowRow>('SELECT * FROM follows WHERE platform = $1 AND user_id = $2 ORDER BY created_at, seq', [platform, userId]);
    return rows.map(rowToFollow);
  }

  async removeFollow(platform: PlatformName, userId: string, topic: string): Promise<boolean> {
    const res = await this.pool.query('DELETE FROM follows WHERE platform = $1 AND user_id = $2 AND topic_key = $3', [platform, userId, topicKey(cleanText(topic))]);
    return (res.rowCount ?? 0) > 0;
  }

  // ─── Inboxes ─────────────────────────────────────────────────────────────────────

  async getInbox(platform: PlatformName, userId: string): Promise<Inbox | null> {
    const { rows } = await this.pool.query<InboxRow>('SELECT * FROM inboxes WHERE platform = $1 AND user_id = $2', [platform, userId]);
    return rows[0] ? rowToInbox(rows[0]) : null;
  }

  async saveInbox(i: Inbox): Promise<Inbox> {
    // created_at is left alone on conflict: turning an inbox on again keeps when it was first made.
    const { rows } = await this.pool.query<InboxRow>(`
      INSERT INTO inboxes (platform, user_id, workspace_id, hour, minute, timezone, weekdays, every, top_n, min_upvotes,
        instant, enabled, paused_reason, pause_notice_shown, created_at, updated_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7::smallint[], $8, $9, $10, $11, $12, $13, $14, $15, $16)
      ON CONFLICT (platform, user_id) DO UPDATE SET workspace_id = excluded.workspace_id, hour = excluded.hour,
        minute = excluded.minute, timezone = excluded.timezone, weekdays = excluded.weekdays, every = excluded.every,
        top_n = excluded.top_n, min_upvotes = excluded.min_upvotes, instant = excluded.instant, enabled = excluded.enabled,
        paused_reason = excluded.paused_reason, pause_notice_shown = excluded.pause_notice_shown, updated_at = excluded.updated_at
      RETURNING *`, [
      i.platform, i.userId, i.workspaceId, i.hour, i.minute, i.timezone, [...i.weekdays], i.every, i.topN, i.minUpvotes,
      i.instant, i.enabled, i.pausedReason === null ? null : cleanText(i.pausedReason), i.pauseNoticeShown, i.createdAt, i.updatedAt,
    ]);
    return rowToInbox(rows[0]!);
  }

  async listInboxes(opts: { platform?: PlatformName; includeDisabled?: boolean; instantOnly?: boolean } = {}): Promise<Inbox[]> {
    const { rows } = await this.pool.query<InboxRow>(`SELECT * FROM inboxes
      WHERE ($1::text IS NULL OR platform = $1) AND ($2 OR enabled) AND (NOT $3 OR instant)
      ORDER BY platform, user_id`, [opts.platform ?? null, opts.includeDisabled ?? false, opts.instantOnly ?? false]);
    return rows.map(rowToInbox);
  }

  // ─── Pending alerts ──────────────────────────────────────────────────────────────

  async addPendingAlerts(alerts: readonly PendingAlert[]): Promise<number> {
    if (!alerts.length) return 0;
    // One statement, rows in the order given (seq is the "added in this order" tie-breaker);
    // DO NOTHING also drops a repeat within the batch.
    const col = <K extends keyof PendingAlert>(k: K): PendingAlert[K][] => alerts.map((a) => a[k]);
    const res = await this.pool.query(`INSERT INTO pending_alerts (platform, user_id, paper_id, workspace_id, topic, added_at)
      SELECT platform, user_id, paper_id, workspace_id, topic, added_at
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY
        AS x(platform, user_id, paper_id, workspace_id, topic, added_at, n)
      ORDER BY n
      ON CONFLICT DO NOTHING`, [
      col('platform'), col('userId'), col('paperId'), col('workspaceId'), col('topic').map(cleanText), col('addedAt'),
    ]);
    return res.rowCount ?? 0;
  }

  async listPendingAlerts(platform: PlatformName, userId: string): Promise<PendingAlert[]> {
    const { rows } = await this.pool.query<PendingAlertRow>('SELECT * FROM pending_alerts WHERE platform = $1 AND user_id = $2 ORDER BY added_at, seq', [platform, userId]);
    return rows.map(rowToPendingAlert);
  }

  async peopleWithPendingAlerts(): Promise<Person[]> {
    // One row a person: the workspace of the alert added last.
    const { rows } = await this.pool.query<Person>(`SELECT DISTINCT ON (platform, user_id) platform, user_id AS "userId", workspace_id AS "workspaceId"
      FROM pending_alerts ORDER BY platform, user_id, seq DESC`);
    return rows;
  }

  async clearPendingAlerts(platform: PlatformName, userId: string, paperIds: readonly PaperId[]): Promise<number> {
    if (!paperIds.length) return 0;
    const res = await this.pool.query('DELETE FROM pending_alerts WHERE platform = $1 AND user_id = $2 AND paper_id = ANY($3::text[])', [platform, userId, [...paperIds]]);
    return res.rowCount ?? 0;
  }

  // ─── Forgetting ──────────────────────────────────────────────────────────────────

  async forget(platform: PlatformName, userId: string): Promise<ForgetReport> {
    const { channelId } = inboxRef({ platform, workspaceId: '', userId });
    return this.transaction(async (c) => {
      const person = async (table: string): Promise<number> =>
        (await c.query(`DELETE FROM ${table} WHERE platform = $1 AND user_id = $2`, [platform, userId])).rowCount ?? 0;
      const channel = async (table: string): Promise<number> =>
        (await c.query(`DELETE FROM ${table} WHERE platform = $1 AND channel_id = $2`, [platform, channelId])).rowCount ?? 0;
      const report: ForgetReport = {
        bookmarks: await person('bookmarks'),
        follows: await person('follows'),
        inbox: (await person('inboxes')) > 0,
        pendingAlerts: await person('pending_alerts'),
        posted: await channel('posted'),
        deliveries: await channel('deliveries'),
      };
      await channel('digest_slots');
      await channel('live_messages');
      return report;
    });
  }
}
