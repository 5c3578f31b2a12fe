/** The DeliveryLog port (the outbox) on the SQLite store's file; see src/core/ports.ts. */
import type Database from 'better-sqlite3';
import { slotKey, type ChannelRef, type DeliveryLog, type PlannedDelivery, type PlatformName } from '../../core/ports.js';
import type { OutboundMessage } from '../../core/reply.js';
import { SqliteLiveMessages } from './sqlite-live-messages.js';
import { rowToDelivery, type DeliveryRow } from '../delivery-rows.js';

type Row = DeliveryRow & { messages_json: string };

/** With the live-counts log (sqlite-live-messages.ts). */
export class SqliteDeliveryLog extends SqliteLiveMessages implements DeliveryLog {
  private readonly planTx: Database.Transaction<(d: Omit<PlannedDelivery, 'finishedAt' | 'outcome'>) => PlannedDelivery>;

  constructor(db: Database.Database) {
    super(db);
    // Read and write in one IMMEDIATE transaction: two planners of the same id agree on one plan.
    this.planTx = db.transaction((d) => {
      const existing = this.read(d.id);
      if (existing && existing.finishedAt === null) return existing;
      db.prepare(`INSERT INTO deliveries (id, platform, workspace_id, channel_id, day, mode, messages_json, planned_at, finished_at, outcome)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)
        ON CONFLICT (id) DO UPDATE SET messages_json = excluded.messages_json, planned_at = excluded.planned_at, finished_at = NULL, outcome = NULL`)
        .run(d.id, d.platform, d.workspaceId, d.channelId, d.day, d.mode, JSON.stringify(d.messages), d.plannedAt);
      return { ...d, finishedAt: null, outcome: null };
    });
  }

  async plan(d: Omit<PlannedDelivery, 'finishedAt' | 'outcome'>): Promise<PlannedDelivery> {
    return this.planTx.immediate(d);
  }

  async get(id: string): Promise<PlannedDelivery | null> {
    return this.read(id);
  }

  async finish(id: string, outcome: string, at: string): Promise<void> {
    this.db.prepare('UPDATE deliveries SET finished_at = ?, outcome = ? WHERE id = ?').run(at, outcome, id);
  }

  async unfinished(opts: { plannedSince: string; platforms?: readonly PlatformName[] }): Promise<PlannedDelivery[]> {
    const rows = this.db.prepare('SELECT * FROM deliveries WHERE finished_at IS NULL AND planned_at >= ? ORDER BY planned_at, id').all(opts.plannedSince) as Row[];
    return rows.filter((r) => !opts.platforms || opts.platforms.includes(r.platform)).map(toDelivery);
  }

  async markSlot(ref: ChannelRef, localDay: string, at: string): Promise<void> {
    this.db.prepare(`INSERT INTO digest_slots (platform, workspace_id, channel_id, local_day, handled_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT DO UPDATE SET handled_at = excluded.handled_at`).run(ref.platform, ref.workspaceId, ref.channelId, localDay, at);
  }

  async handledSlots(fromDay: string): Promise<Set<string>> {
    const rows = this.db.prepare('SELECT platform, workspace_id, channel_id, local_day FROM digest_slots WHERE local_day >= ?').all(fromDay) as {
      platform: string; workspace_id: string; channel_id: string; local_day: string;
    }[];
    return new Set(rows.map((r) => slotKey({ platform: r.platform, workspaceId: r.workspace_id, channelId: r.channel_id }, r.local_day)));
  }

  async prune(before: string, beforeDay: string): Promise<number> {
    const a = this.db.prepare('DELETE FROM deliveries WHERE finished_at IS NOT NULL AND finished_at < ?').run(before).changes;
    const b = this.db.prepare('DELETE FROM digest_slots WHERE local_day < ?').run(beforeDay).changes;
    return a + b;
  }

  private read(id: string): PlannedDelivery | null {
    const row = this.db.prepare('SELECT * FROM deliveries WHERE id = ?').get(id) as Row | undefined;
    return row ? toDelivery(row) : null;
  }
}

function toDelivery(r: Row): PlannedDelivery {
  return rowToDelivery(r, JSON.parse(r.messages_json) as OutboundMessage[]);
}
