/** The LiveMessageLog (paper messages whose counts are kept current) on the SQLite store's file; see src/core/live-messages.ts. */
import type Database from 'better-sqlite3';
import type { DigestPaperMessage, LiveMessage, LiveMessageLog, ShownCounts } from '../../core/live-messages.js';
import type { ChannelRef, PlatformName } from '../../core/ports.js';

interface Row {
  platform: string;
  workspace_id: string;
  channel_id: string;
  message_id: string;
  paper_id: string;
  message_json: string;
  idempotency_key: string;
  posted_at: string;
  shown_upvotes: number | null;
  shown_comments: number | null;
}

export class SqliteLiveMessages implements LiveMessageLog {
  constructor(protected readonly db: Database.Database) {}

  async watch(m: LiveMessage): Promise<void> {
    this.db
      .prepare(`INSERT INTO live_messages (platform, workspace_id, channel_id, message_id, paper_id, message_json, idempotency_key, posted_at, shown_upvotes, shown_comments)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)
      .run(m.platform, m.workspaceId, m.channelId, m.messageId, m.paperId, JSON.stringify(m.message), m.idempotencyKey, m.postedAt, m.shown.upvotes, m.shown.comments);
  }

  async watched(opts: { platform: PlatformName; postedSince: string; limit?: number; offset?: number }): Promise<LiveMessage[]> {
    const rows = this.db
      .prepare('SELECT * FROM live_messages WHERE platform = ? AND posted_at >= ? ORDER BY posted_at, rowid LIMIT ? OFFSET ?')
      .all(opts.platform, opts.postedSince, opts.limit ?? -1, opts.offset ?? 0) as Row[];
    return rows.map(toLive);
  }

  async watchedPlatforms(postedSince: string): Promise<PlatformName[]> {
    return this.db.prepare('SELECT DISTINCT platform FROM live_messages WHERE posted_at >= ? ORDER BY platform').pluck().all(postedSince) as PlatformName[];
  }

  async setShown(ref: ChannelRef, messageId: string, shown: ShownCounts): Promise<void> {
    this.db
      .prepare('UPDATE live_messages SET shown_upvotes = ?, shown_comments = ? WHERE platform = ? AND workspace_id = ? AND channel_id = ? AND message_id = ?')
      .run(shown.upvotes, shown.comments, ref.platform, ref.workspaceId, ref.channelId, messageId);
  }

  async unwatch(ref: ChannelRef, messageId: string): Promise<void> {
    this.db.prepare('DELETE FROM live_messages WHERE platform = ? AND workspace_id = ? AND channel_id = ? AND message_id = ?').run(ref.platform, ref.workspaceId, ref.channelId, messageId);
  }

  async pruneWatched(before: string): Promise<number> {
    return this.db.prepare('DELETE FROM live_messages WHERE posted_at < ?').run(before).changes;
  }
}

function toLive(r: Row): LiveMessage {
  return {
    platform: r.platform,
    workspaceId: r.workspace_id,
    channelId: r.channel_id,
    messageId: r.message_id,
    paperId: r.paper_id,
    message: JSON.parse(r.message_json) as DigestPaperMessage,
    idempotencyKey: r.idempotency_key,
    postedAt: r.posted_at,
    shown: { upvotes: r.shown_upvotes, comments: r.shown_comments },
  };
}
