/** Button ids (src/core/actions.ts): inline paging state, parked long state and its expiry. */
import { describe, expect, it } from 'vitest';
import { decodeAction, MAX_ACTION_ID, PAGER_TTL_MS, pageAction } from '../../src/core/actions.js';
import { MemoryStore } from '../../src/store/memory-store.js';

describe('page actions', () => {
  it('keeps short state in the id and round-trips it', async () => {
    const store = new MemoryStore();
    const id = await pageAction(store, 'search', 2, { q: 'mamba' });
    expect(id.length).toBeLessThanOrEqual(MAX_ACTION_ID);
    expect(await decodeAction(store, id)).toEqual({ type: 'page', command: 'search', page: 2, args: { q: 'mamba' } });
  });

  it('parks long state for a week, after which the sweep prunes it and the button says so', async () => {
    const store = new MemoryStore();
    const q = 'speculative decoding '.repeat(20);
    const before = Date.now();
    const id = await pageAction(store, 'search', 3, { q });
    expect(id.length).toBeLessThanOrEqual(MAX_ACTION_ID);
    expect(await decodeAction(store, id)).toMatchObject({ page: 3, args: { q } });
    expect(await store.pruneMeta(new Date(before + PAGER_TTL_MS - 60_000).toISOString())).toBe(0);
    expect(await store.pruneMeta(new Date(Date.now() + PAGER_TTL_MS + 1).toISOString())).toBe(1);
    await expect(decodeAction(store, id)).rejects.toThrow(/no longer works/);
  });
});
