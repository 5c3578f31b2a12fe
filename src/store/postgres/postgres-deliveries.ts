/** The DeliveryLog port (the outbox) on PostgreSQL; see src/core/ports.ts. */
import type pg from 'pg';
import { slotKey, type ChannelRef, type DeliveryLog, type PlannedDelivery, type PlatformName } from '../../core/ports.js';
import type { OutboundMessage } from '../../core/reply.js';
import { PostgresLiveMessages } from './postgres-live-messages.js';
import { rowToDelivery, type DeliveryRow } from '../delivery-rows.js';
import { cleanText } from './paper-sql.js';

type Row = DeliveryRow & { messages: OutboundMessage[] };

/** With the live-counts log (postgres-live-messages.ts). */
export class PostgresDeliveryLog extends PostgresLiveMessages implements DeliveryLog {
  constructor(pool: pg.Pool) {
    super(pool);
  }

  async plan(d: Omit<PlannedDelivery, 'finishedAt' | 'outcome'>): Promise<PlannedDelivery> {
    // One statement: an unfinished plan with this id is kept (the WHERE turns the update
    // into a no-op), a finished one is reopened; RETURNING nothing means "kept".
    const { rows } = await this.pool.query<Row>(
      `INSERT INTO deliveries (id, platform, workspace_id, channel_id, day, mode, messages, planned_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)
       ON CONFLICT (id) DO UPDATE SET messages = excluded.messages, planned_at = excluded.planned_at, finished_at = NULL, outcome = NULL
         WHERE deliveries.finished_at IS NOT NULL
       RETURNING *`,
      [d.id, d.platform, d.workspaceId, d.channelId, d.day, d.mode, JSON.stringify(d.messages, (_k, v: unknown) => (typeof v === 'string' ? cleanText(v) : v)), d.plannedAt],
    );
    if (rows[0]) return rowToDelivery(rows[0], rows[0].messages);
    const kept = await this.get(d.id);
    if (!kept) throw new Error(`delivery ${d.id} vanished while being planned`);
    return kept;
  }

  async get(id: string): Promise<PlannedDelivery | null> {
    const { rows } = await this.pool.query<Row>('SELECT * FROM deliveries WHERE id = $1', [id]);
    return rows[0] ? rowToDelivery(rows[0], rows[0].messages) : null;
  }

  async finish(id: string, outcome: string, at: string): Promise<void> {
    await this.pool.query('UPDATE deliveries SET finished_at = $2, outcome = $3 WHERE id = $1', [id, at, outcome]);
  }

  async unfinished(opts: { plannedSince: string; platforms?: readonly PlatformName[] }): Promise<PlannedDelivery[]> {
    const { rows } = await this.pool.query<Row>('SELECT * FROM deliveries WHERE finished_at IS NULL AND planned_at >= $1 ORDER BY planned_at, id', [opts.plannedSince]);
    return rows.filter((r) => !opts.platforms || opts.platforms.includes(r.platform)).map((r) => rowToDelivery(r, r.messages));
  }

  async markSlot(ref: ChannelRef, localDay: string, at: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO digest_slots (platform, workspace_id, channel_id, local_day, handled_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (platform, workspace_id, channel_id, local_day) DO UPDATE SET handled_at = excluded.handled_at`,
      [ref.platform, ref.workspaceId, ref.channelId, localDay, at],
    );
  }

  async handledSlots(fromDay: string): Promise<Set<string>> {
    const { rows } = await this.pool.query<{ platform: string; workspace_id: string; channel_id: string; local_day: string }>(
      'SELECT platform, workspace_id, channel_id, local_day FROM digest_slots WHERE local_day >= $1',
      [fromDay],
    );
    return new Set(rows.map((r) => slotKey({ platform: r.platform, workspaceId: r.workspace_id, channelId: r.channel_id }, r.local_day)));
  }

  async prune(before: string, beforeDay: string): Promise<number> {
    const a = await this.pool.query('DELETE FROM deliveries WHERE finished_at IS NOT NULL AND finished_at < $1', [before]);
    const b = await this.pool.query('DELETE FROM digest_slots WHERE local_day < $1', [beforeDay]);
    return (a.rowCount ?? 0) + (b.rowCount ?? 0);
  }
}
