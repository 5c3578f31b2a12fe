/**
 * The DeliveryLog part of the Store contract (the outbox, handled slots) and expiring
 * meta; run by storeContract against every store.
 */
import { describe, expect, it } from 'vitest';
import { slotKey, type PlannedDelivery, type Store } from '../../src/core/ports.js';
import type { OutboundMessage } from '../../src/core/reply.js';

const CH = { platform: 'discord', workspaceId: 'g1', channelId: 'c1' } as const;
const header = (title: string): OutboundMessage => ({ kind: 'digestHeader', date: '2026-03-02', title, themesLine: '', count: 1 });

function planned(id: string, over: Partial<PlannedDelivery> = {}): Omit<PlannedDelivery, 'finishedAt' | 'outcome'> {
  return { ...CH, id, day: '2026-03-02', mode: 'scheduled', messages: [header('first')], plannedAt: '2026-03-02T09:00:00.000Z', ...over };
}

export function deliveryLogContract(store: () => Store): void {
  describe('outbox of planned deliveries', () => {
    it('keeps the first unfinished plan of an id, and reopens a finished one', async () => {
      const s = store();
      const first = await s.deliveries.plan(planned('d1'));
      expect(first).toMatchObject({ id: 'd1', finishedAt: null, outcome: null, messages: [header('first')] });
      // A second planner of the same delivery (a repeated tick) gets what was planned first.
      const again = await s.deliveries.plan(planned('d1', { messages: [header('second')], plannedAt: '2026-03-02T09:05:00.000Z' }));
      expect(again.messages).toEqual([header('first')]);
      expect(again.plannedAt).toBe('2026-03-02T09:00:00.000Z');
      await s.deliveries.finish('d1', 'delivered', '2026-03-02T09:01:00.000Z');
      expect(await s.deliveries.get('d1')).toMatchObject({ finishedAt: '2026-03-02T09:01:00.000Z', outcome: 'delivered' });
      // Planned again once finished (a store restored from backup plans the day anew): reopened.
      const reopened = await s.deliveries.plan(planned('d1', { messages: [header('third')], plannedAt: '2026-03-03T09:00:00.000Z' }));
      expect(reopened).toMatchObject({ finishedAt: null, messages: [header('third')] });
      expect(await s.deliveries.get('nope')).toBeNull();
    });

    it('lists unfinished plans since a time, oldest first, by platform', async () => {
      const s = store();
      await s.deliveries.plan(planned('late', { plannedAt: '2026-03-02T10:00:00.000Z' }));
      await s.deliveries.plan(planned('early', { plannedAt: '2026-03-02T08:00:00.000Z' }));
      await s.deliveries.plan(planned('old', { plannedAt: '2026-02-01T08:00:00.000Z' }));
      await s.deliveries.plan(planned('slack', { platform: 'slack', workspaceId: 'T1', plannedAt: '2026-03-02T09:00:00.000Z' }));
      await s.deliveries.plan(planned('done', { plannedAt: '2026-03-02T09:30:00.000Z' }));
      await s.deliveries.finish('done', 'delivered', '2026-03-02T09:31:00.000Z');
      const ids = async (platforms?: string[]) =>
        (await s.deliveries.unfinished({ plannedSince: '2026-03-01T00:00:00.000Z', ...(platforms ? { platforms } : {}) })).map((d) => d.id);
      expect(await ids()).toEqual(['early', 'slack', 'late']);
      expect(await ids(['discord'])).toEqual(['early', 'late']);
    });

    it('messages round-trip whole, text with NUL and lone surrogates included', async () => {
      const s = store();
      const m: OutboundMessage = { kind: 'notice', text: 'a\u0000b \uD800 ✓ “quoted”' };
      const got = await s.deliveries.plan(planned('n1', { messages: [m] }));
      const read = await s.deliveries.get('n1');
      expect(read?.messages).toEqual(got.messages);
      expect((read?.messages[0] as { text: string }).text).toMatch(/^a\u0000?b .* ✓ “quoted”$/);
    });

    it('records handled slots and prunes old slots and finished plans', async () => {
      const s = store();
      await s.deliveries.markSlot(CH, '2026-03-01', '2026-03-01T09:00:00.000Z');
      await s.deliveries.markSlot(CH, '2026-03-02', '2026-03-02T09:00:00.000Z');
      await s.deliveries.markSlot(CH, '2026-03-02', '2026-03-02T09:10:00.000Z');
      expect(await s.deliveries.handledSlots('2026-03-02')).toEqual(new Set([slotKey(CH, '2026-03-02')]));
      await s.deliveries.plan(planned('f1'));
      await s.deliveries.finish('f1', 'delivered', '2026-03-01T00:00:00.000Z');
      await s.deliveries.plan(planned('open1'));
      expect(await s.deliveries.prune('2026-03-02T00:00:00.000Z', '2026-03-02')).toBe(2);
      expect(await s.deliveries.get('f1')).toBeNull();
      expect(await s.deliveries.get('open1')).not.toBeNull();
      expect(await s.deliveries.handledSlots('2026-01-01')).toEqual(new Set([slotKey(CH, '2026-03-02')]));
    });
  });

  describe('expiring meta', () => {
    it('pruneMeta deletes values past their expiry only; setting again without one keeps it', async () => {
      const s = store();
      await s.setMeta('pager:a', '1', { expiresAt: '2026-03-01T00:00:00.000Z' });
      await s.setMeta('pager:b', '2', { expiresAt: '2026-03-09T00:00:00.000Z' });
      await s.setMeta('pager:c', '3', { expiresAt: '2026-03-01T00:00:00.000Z' });
      await s.setMeta('pager:c', '3');
      await s.setMeta('plain', 'x');
      expect(await s.pruneMeta('2026-03-02T00:00:00.000Z')).toBe(1);
      expect(await s.getMeta('pager:a')).toBeNull();
      expect(await s.getMeta('pager:b')).toBe('2');
      expect(await s.getMeta('pager:c')).toBe('3');
      expect(await s.getMeta('plain')).toBe('x');
    });
  });
}
