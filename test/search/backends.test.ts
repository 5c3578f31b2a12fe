import { afterEach, describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { BusyError } from '../../src/core/errors.js';
import { InlineBackend, PoolBackend, WorkerStoppedError } from '../../src/search/backends.js';
import { parseQuery } from '../../src/search/query.js';
import { SegmentBuilder } from '../../src/search/segment-builder.js';
import { smallDocs } from './fixture.js';

const pools: PoolBackend[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

function image() {
  const b = new SegmentBuilder();
  b.add(smallDocs());
  return b.build();
}

describe('search backends', () => {
  it('answer alike in workers and inline, per generation', async () => {
    const img = image();
    const pool = new PoolBackend(2, undefined, { staggerMs: 0 });
    pools.push(pool);
    const inline = new InlineBackend();
    for (const b of [pool, inline]) await b.attach(7, { base: img, delta: null, meta: [{ id: '2405.16537', featuredDates: [], upvotes: 999, hasCode: true }] });
    const q = parseQuery('video diffusion');
    const opts = { limit: 15, filters: { minUpvotes: 3 } };
    expect(await pool.search(7, q, opts)).toEqual(await inline.search(7, q, opts));
    expect((await pool.search(7, parseQuery('I2VEdit'), { filters: { minUpvotes: 900 } })).hits.map((h) => h.id)).toEqual(['2405.16537']);
    expect(await pool.similar(7, 'nope', null, {})).toBeNull();
    await expect(pool.search(8, q, {})).rejects.toThrow(/not attached/);
  });

  it('replaces a search worker that dies, with the generations it held', async () => {
    const img = image();
    const errors: Error[] = [];
    const pool = new PoolBackend(2, (err) => errors.push(err), { staggerMs: 0 });
    pools.push(pool);
    await pool.attach(1, { base: img, delta: null, meta: [] });
    const q = parseQuery('video diffusion');
    const before = await pool.search(1, q, { limit: 10 });
    const slots = (pool as unknown as { slots: { worker: Worker }[] }).slots;
    await Promise.all(slots.map((s) => s.worker.terminate()));
    await new Promise((r) => setTimeout(r, 50));
    expect(errors).toHaveLength(2);
    expect(await pool.search(1, q, { limit: 10 })).toEqual(before);
    expect((await pool.memory()).length).toBe(3);
  });

  it('rejects what is in flight when closed', async () => {
    const pool = new PoolBackend(1);
    await pool.attach(1, { base: image(), delta: null, meta: [] });
    // The expectation is attached before close() so the rejection is never unhandled.
    const pending = expect(pool.search(1, parseQuery('model'), { limit: 100 })).rejects.toBeInstanceOf(WorkerStoppedError);
    await pool.close();
    await pending;
    await expect(pool.search(1, parseQuery('model'), {})).rejects.toBeInstanceOf(WorkerStoppedError);
  });

  it('refuses queries past a full queue at once, gives up on one past its deadline, and answers again after', async () => {
    const pool = new PoolBackend(1, undefined, { maxQueued: 4, deadlineMs: 10_000 });
    pools.push(pool);
    await pool.attach(1, { base: image(), delta: null, meta: [] });
    const q = parseQuery('video diffusion model');
    // Issued in one tick: four join the queue, the rest are refused without queueing.
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => pool.search(1, q, { limit: 100 })));
    const refused = results.filter((r) => r.status === 'rejected' && (r.reason as Error) instanceof BusyError);
    expect(refused.length).toBe(6);
    expect((refused[0] as PromiseRejectedResult).reason.userMessage).toBe('Search is busy right now; try again in a moment.');
    // A worker kept busy far past the deadline: the waiting query is answered "busy", not late.
    const slow = new PoolBackend(1, undefined, { maxQueued: 10_000, deadlineMs: 5 });
    pools.push(slow);
    await slow.attach(1, { base: image(), delta: null, meta: [] });
    const pile = Array.from({ length: 400 }, () => slow.search(1, q, { limit: 100 }).then(() => 'ok', (e: unknown) => (e instanceof BusyError ? 'busy' : 'other')));
    const outcomes = await Promise.all(pile);
    expect(outcomes).not.toContain('other');
    expect(outcomes.filter((o) => o === 'busy').length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 200));
    expect((await pool.search(1, q, { limit: 5 })).hits.length).toBeGreaterThan(0);
  });
});
