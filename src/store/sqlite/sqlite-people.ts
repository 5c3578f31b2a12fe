/** The PeopleStore port (follows, inboxes, pending alerts, forgetting a person) on the SQLite store's file; see src/core/people.ts. */
import type Database from 'better-sqlite3';
import { inboxRef, type Follow, type ForgetReport, type Inbox, type PeopleStore, type PendingAlert } from '../../core/people.js';
import type { PaperId } from '../../core/paper.js';
import type { PlatformName } from '../../core/subscription.js';
import { rowToFollow, rowToPendingAlert, topicKey, type FollowRow, type PendingAlertRow } from '../people-rows.js';
import { sqliteRowToInbox, weekdaysText, type SqliteInboxRow } from './sqlite-rows.js';

type Person = { platform: PlatformName; userId: string; workspaceId: string };

export class SqlitePeopleStore implements PeopleStore {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly addAlertsTx: Database.Transaction<(alerts: readonly PendingAlert[]) => number>;
  private readonly clearAlertsTx: Database.Transaction<(platform: PlatformName, userId: string, ids: readonly PaperId[]) => number>;
  private readonly forgetTx: Database.Transaction<(platform: PlatformName, userId: string) => ForgetReport>;

  constructor(private readonly db: Database.Database) {
    this.addAlertsTx = db.transaction((alerts: readonly PendingAlert[]) => {
      const insert = this.stmt(`INSERT INTO pending_alerts (platform, user_id, paper_id, workspace_id, topic, added_at)
        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`);
      let n = 0;
      for (const a of alerts) n += insert.run(a.platform, a.userId, a.paperId, a.workspaceId, a.topic, a.addedAt).changes;
      return n;
    });
    this.clearAlertsTx = db.transaction((platform: PlatformName, userId: string, ids: readonly PaperId[]) => {
      const del = this.stmt('DELETE FROM pending_alerts WHERE platform = ? AND user_id = ? AND paper_id = ?');
      let n = 0;
      for (const id of new Set(ids)) n += del.run(platform, userId, id).changes;
      return n;
    });
    this.forgetTx = db.transaction((platform: PlatformName, userId: string) => {
      const { channelId } = inboxRef({ platform, workspaceId: '', userId });
      const person = (table: string): number => this.stmt(`DELETE FROM ${table} WHERE platform = ? AND user_id = ?`).run(platform, userId).changes;
      const channel = (table: string): number => this.stmt(`DELETE FROM ${table} WHERE platform = ? AND channel_id = ?`).run(platform, channelId).changes;
      const report: ForgetReport = {
        bookmarks: person('bookmarks'),
        follows: person('follows'),
        inbox: person('inboxes') > 0,
        pendingAlerts: person('pending_alerts'),
        posted: channel('posted'),
        deliveries: channel('deliveries'),
      };
      channel('digest_slots');
      channel('live_messages');
      return report;
    });
  }

  // ─── Follows ─────────────────────────────────────────────────────────────────────
  // ON CONFLICT DO NOTHING rather than INSERT OR IGNORE: OR IGNORE would also swallow CHECK failures.

  async addFollow(f: Follow): Promise<boolean> {
    return this.stmt(`INSERT INTO follows (platform, user_id, topic, topic_key, created_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT DO NOTHING`).run(f.platform, f.userId, f.topic, topicKey(f.topic), f.createdAt).changes > 0;
  }

  async listFollows(platform: PlatformName, userId: string): Promise<Follow[]> {
    const rows = this.stmt('SELECT * FROM follows WHERE platform = ? AND user_id = ? ORDER BY created_at, rowid').all(platform, userId) as FollowRow[];
    return rows.map(rowToFollow);
  }

  async removeFollow(platform: PlatformName, userId: string, topic: string): Promise<boolean> {
    return this.stmt('DELETE FROM follows WHERE platform = ? AND user_id = ? AND topic_key = ?').run(platform, userId, topicKey(topic)).changes > 0;
  }

  // ─── Inboxes ─────────────────────────────────────────────────────────────────────

  async getInbox(platform: PlatformName, userId: string): Promise<Inbox | null> {
    const row = this.stmt('SELECT * FROM inboxes WHERE platform = ? AND user_id = ?').get(platform, userId) as SqliteInboxRow | undefined;
    return row ? sqliteRowToInbox(row) : null;
  }

  async saveInbox(i: Inbox): Promise<Inbox> {
    // created_at is left alone on conflict: turning an inbox on again keeps when it was first made.
    const row = this.stmt(`
      INSERT INTO inboxes (platform, user_id, workspace_id, hour, minute, timezone, weekdays, every, top_n, min_upvotes,
        instant, enabled, paused_reason, pause_notice_shown, created_at, updated_at)
      VALUES (@platform, @userId, @workspaceId, @hour, @minute, @timezone, @weekdays, @every, @topN, @minUpvotes,
        @instant, @enabled, @pausedReason, @pauseNoticeShown, @createdAt, @updatedAt)
      ON CONFLICT (platform, user_id) DO UPDATE SET workspace_id = excluded.workspace_id, hour = excluded.hour,
        minute = excluded.minute, timezone = excluded.timezone, weekdays = excluded.weekdays, every = excluded.every,
        top_n = excluded.top_n, min_upvotes = excluded.min_upvotes, instant = excluded.instant, enabled = excluded.enabled,
        paused_reason = excluded.paused_reason, pause_notice_shown = excluded.pause_notice_shown, updated_at = excluded.updated_at
      RETURNING *`).get({
      platform: i.platform,
      userId: i.userId,
      workspaceId: i.workspaceId,
      hour: i.hour,
      minute: i.minute,
      timezone: i.timezone,
      weekdays: weekdaysText(i.weekdays),
      every: i.every,
      topN: i.topN,
      minUpvotes: i.minUpvotes,
      instant: i.instant ? 1 : 0,
      enabled: i.enabled ? 1 : 0,
      pausedReason: i.pausedReason,
      pauseNoticeShown: i.pauseNoticeShown ? 1 : 0,
      createdAt: i.createdAt,
      updatedAt: i.updatedAt,
    }) as SqliteInboxRow;
    return sqliteRowToInbox(row);
  }

  async listInboxes(opts: { platform?: PlatformName; includeDisabled?: boolean; instantOnly?: boolean } = {}): Promise<Inbox[]> {
    const rows = this.stmt(`SELECT * FROM inboxes
      WHERE (@platform IS NULL OR platform = @platform) AND (@all OR enabled = 1) AND (NOT @instant OR instant = 1)
      ORDER BY platform, user_id`).all({
      platform: opts.platform ?? null,
      all: opts.includeDisabled ? 1 : 0,
      instant: opts.instantOnly ? 1 : 0,
    }) as SqliteInboxRow[];
    return rows.map(sqliteRowToInbox);
  }

  // ─── Pending alerts ──────────────────────────────────────────────────────────────

  async addPendingAlerts(alerts: readonly PendingAlert[]): Promise<number> {
    return alerts.length ? this.addAlertsTx.immediate(alerts) : 0;
  }

  async listPendingAlerts(platform: PlatformName, userId: string): Promise<PendingAlert[]> {
    const rows = this.stmt('SELECT * FROM pending_alerts WHERE platform = ? AND user_id = ? ORDER BY added_at, rowid')
      .all(platform, userId) as PendingAlertRow[];
    return rows.map(rowToPendingAlert);
  }

  async peopleWithPendingAlerts(): Promise<Person[]> {
    // SQLite takes a bare column from the row max() picked: the workspace of the alert added last.
    const rows = this.stmt(`SELECT platform, user_id AS userId, workspace_id AS workspaceId, max(rowid) AS last
      FROM pending_alerts GROUP BY platform, user_id ORDER BY platform, user_id`).all() as (Person & { last: number })[];
    return rows.map(({ platform, userId, workspaceId }) => ({ platform, userId, workspaceId }));
  }

  async clearPendingAlerts(platform: PlatformName, userId: string, paperIds: readonly PaperId[]): Promise<number> {
    return paperIds.length ? this.clearAlertsTx.immediate(platform, userId, paperIds) : 0;
  }

  // ─── Forgetting ──────────────────────────────────────────────────────────────────

  async forget(platform: PlatformName, userId: string): Promise<ForgetReport> {
    return this.forgetTx.immediate(platform, userId);
  }

  private stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }
}
