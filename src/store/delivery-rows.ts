/** The deliveries table's row and its mapping, shared by the SQL stores (see DeliveryLog in src/core/ports.ts). */
import type { PlannedDelivery } from '../core/ports.js';
import type { OutboundMessage } from '../core/reply.js';

export interface DeliveryRow {
  id: string;
  platform: string;
  workspace_id: string;
  channel_id: string;
  day: string;
  mode: 'scheduled' | 'now';
  planned_at: string;
  finished_at: string | null;
  outcome: string | null;
}

export function rowToDelivery(r: DeliveryRow, messages: OutboundMessage[]): PlannedDelivery {
  return {
    id: r.id,
    platform: r.platform,
    workspaceId: r.workspace_id,
    channelId: r.channel_id,
    day: r.day,
    mode: r.mode,
    messages,
    plannedAt: r.planned_at,
    finishedAt: r.finished_at,
    outcome: r.outcome,
  };
}
