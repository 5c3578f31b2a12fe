/** The DeliveryLog port (the outbox) in memory, for tests and the console; see src/core/ports.ts. */
import { MemoryLiveMessages } from './memory-live-messages.js';
import { slotKey, type ChannelRef, type DeliveryLog, type PlannedDelivery, type PlatformName } from '../core/ports.js';

/** With the live-counts log (memory-live-messages.ts). */
export class MemoryDeliveryLog extends MemoryLiveMessages implements DeliveryLog {
  private readonly rows = new Map<string, PlannedDelivery>();
  private readonly slots = new Map<string, { ref: ChannelRef; day: string; at: string }>();

  async plan(d: Omit<PlannedDelivery, 'finishedAt' | 'outcome'>): Promise<PlannedDelivery> {
    this.live();
    const existing = this.rows.get(d.id);
    if (existing && existing.finishedAt === null) return structuredClone(existing);
    const row: PlannedDelivery = { ...structuredClone(d), finishedAt: null, outcome: null };
    this.rows.set(d.id, row);
    return structuredClone(row);
  }

  async get(id: string): Promise<PlannedDelivery | null> {
    this.live();
    const r = this.rows.get(id);
    return r ? structuredClone(r) : null;
  }

  async finish(id: string, outcome: string, at: string): Promise<void> {
    this.live();
    const r = this.rows.get(id);
    if (r) Object.assign(r, { finishedAt: at, outcome });
  }

  async unfinished(opts: { plannedSince: string; platforms?: readonly PlatformName[] }): Promise<PlannedDelivery[]> {
    this.live();
    return [...this.rows.values()]
      .filter((r) => r.finishedAt === null && r.plannedAt >= opts.plannedSince && (!opts.platforms || opts.platforms.includes(r.platform)))
      .sort((a, b) => (a.plannedAt < b.plannedAt ? -1 : a.plannedAt > b.plannedAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((r) => structuredClone(r));
  }

  async markSlot(ref: ChannelRef, localDay: string, at: string): Promise<void> {
    this.live();
    this.slots.set(slotKey(ref, localDay), { ref: { platform: ref.platform, workspaceId: ref.workspaceId, channelId: ref.channelId }, day: localDay, at });
  }

  async handledSlots(fromDay: string): Promise<Set<string>> {
    this.live();
    return new Set([...this.slots].filter(([, s]) => s.day >= fromDay).map(([k]) => k));
  }

  async prune(before: string, beforeDay: string): Promise<number> {
    this.live();
    let n = 0;
    for (const [id, r] of this.rows) if (r.finishedAt !== null && r.finishedAt < before && this.rows.delete(id)) n++;
    for (const [k, s] of this.slots) if (s.day < beforeDay && this.slots.delete(k)) n++;
    return n;
  }

  /** Forgetting a person: drops every plan and handled slot of `channelId` on `platform`, any workspace; returns how many plans. */
  forgetChannel(platform: PlatformName, channelId: string): number {
    let n = 0;
    for (const [id, r] of this.rows) if (r.platform === platform && r.channelId === channelId && this.rows.delete(id)) n++;
    for (const [k, s] of this.slots) if (s.ref.platform === platform && s.ref.channelId === channelId) this.slots.delete(k);
    this.forgetWatched(platform, channelId);
    return n;
  }
}
