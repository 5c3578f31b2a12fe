/** The LiveMessageLog (paper messages whose counts are kept current) on PostgreSQL; see src/core/live-messages.ts. */
import type pg from 'pg';
import type { DigestPaperMessage, LiveMessage, LiveMessageLog, ShownCounts } from '../../core/live-messages.js';
import type { ChannelRef, PlatformName } from '../../core/ports.js';
import { cleanText } from './paper-sql.js';

interface Row {
  platform: string;
  workspace_id: string;
  channel_id: string;
  message_id: string;
  paper_id: string;
  message: DigestPaperMessage;
  idempotency_key: string;
  posted_at: string;
  shown_upvotes: number | null;
  shown_comments: number | null;
}

const BY_MESSAGE = 'platform = $1 AND workspace_id = $2 AND channel_id = $3 AND message_id = $4';

export class PostgresLiveMessages implements LiveMessageLog {
  constructor(protected readonly pool: pg.Pool) {}

  async watch(m: LiveMessage): Promise<void> {
    await this.pool.query(
      `INSERT INTO live_messages (platform, workspace_id, channel_id, message_id, paper_id, message, idempotency_key, posted_at, shown_upvotes, shown_comments)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
      [m.platform, m.workspaceId, m.channelId, m.messageId, m.paperId, JSON.stringify(m.message, (_k, v: unknown) => (typeof v === 'string' ? cleanText(v) : v)), m.idempotencyKey, m.postedAt, m.shown.upvotes, m.shown.comments],
    );
  }

  async watched(opts: { platform: PlatformName; postedSince: string; limit?: number; offset?: number }): Promise<LiveMessage[]> {
    const { rows } = await this.pool.query<Row>('SELECT * FROM live_messages WHERE platform = $1 AND posted_at >= $2 ORDER BY posted_at, seq LIMIT $3 OFFSET $4', [
      opts.platform,
      opts.postedSince,
      opts.limit ?? null,
      opts.offset ?? 0,
    ]);
    return rows.map(toLive);
  }

  async watchedPlatforms(postedSince: string): Promise<PlatformName[]> {
    const { rows } = await this.pool.query<{ platform: string }>('SELECT DISTINCT platform FROM live_messages WHERE posted_at >= $1 ORDER BY platform', [postedSince]);
    return rows.map((r) => r.platform);
  }

  async setShown(ref: ChannelRef, messageId: string, shown: ShownCounts): Promise<void> {
    await this.pool.query(`UPDATE live_messages SET shown_upvotes = $5, shown_comments = $6 WHERE ${BY_MESSAGE}`, [ref.platform, ref.workspaceId, ref.channelId, messageId, shown.upvotes, shown.comments]);
  }

  async unwatch(ref: ChannelRef, messageId: string): Promise<void> {
    await this.pool.query(`DELETE FROM live_messages WHERE ${BY_MESSAGE}`, [ref.platform, ref.workspaceId, ref.channelId, messageId]);
  }

  async pruneWatched(before: string): Promise<number> {
    return (await this.pool.query('DELETE FROM live_messages WHERE posted_at < $1', [before])).rowCount ?? 0;
  }
}

function toLive(r: Row): LiveMessage {
  return {
    platform: r.platform,
    workspaceId: r.workspace_id,
    channelId: r.channel_id,
    messageId: r.message_id,
    paperId: r.paper_id,
    message: r.message,
    idempotencyKey: r.idempotency_key,
    postedAt: r.posted_at,
    shown: { upvotes: r.shown_upvotes, comments: r.shown_comments },
  };
}
