/**
 * Turns shared through a real Redis: gates on separate connections stand for separate bot
 * processes identifying gateway shards. One turn per bucket per window whoever asks,
 * buckets and installs (prefixes) apart, an abort ends a wait, and a Redis that does not
 * answer costs one window instead of a wait without end.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { freePort } from '../../src/redis/private-redis-server.js';
import { RedisTurnGate } from '../../src/redis/redis-turn-gate.js';
import { startTestRedis, testRedisClient, type TestRedis } from '../support/redis.js';

let redis: TestRedis;
const connect = testRedisClient;
beforeAll(async () => {
  redis = await startTestRedis();
});

// Long enough that "did not wait a window" stays true on a busy machine (connections, Lua).
const WINDOW = 1000;

describe('RedisTurnGate', () => {
  it('gives one turn per bucket per window across processes; other buckets do not wait', async () => {
    const gates = Array.from({ length: 3 }, () => new RedisTurnGate(connect(redis.url), silentLogger(), 'papers'));
    const t0 = Date.now();
    const times = await Promise.all(gates.map((g) => g.take('discord:identify:0', WINDOW).then(() => Date.now() - t0)));
    const other = Date.now();
    await gates[0]!.take('discord:identify:1', WINDOW);
    expect(Date.now() - other).toBeLessThan(WINDOW / 2);
    const sorted = times.sort((a, b) => a - b);
    expect(sorted[0]).toBeLessThan(WINDOW / 2);
    expect(sorted[1]! - sorted[0]!).toBeGreaterThanOrEqual(WINDOW - 5);
    expect(sorted[2]! - sorted[1]!).toBeGreaterThanOrEqual(WINDOW - 5);
  });

  it('keeps two installs on one Redis apart by prefix', async () => {
    const conn = connect(redis.url);
    const t0 = Date.now();
    await new RedisTurnGate(conn, silentLogger(), 'one').take('discord:identify:0', 10_000);
    await new RedisTurnGate(conn, silentLogger(), 'two').take('discord:identify:0', 10_000);
    expect(Date.now() - t0).toBeLessThan(5_000); // no wait for the other install's window
  });

  it('stops waiting when aborted', async () => {
    const gate = new RedisTurnGate(connect(redis.url), silentLogger(), 'abort');
    await gate.take('b', 10_000);
    const controller = new AbortController();
    const waiting = gate.take('b', 10_000, controller.signal);
    const started = Date.now();
    setTimeout(() => controller.abort(), 50);
    await expect(waiting).rejects.toThrow(/aborted/);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('waits one window, then lets the caller go, when Redis does not answer', async () => {
    const gone = connect(`redis://127.0.0.1:${await freePort()}`, { retryStrategy: () => 200 });
    const started = Date.now();
    await new RedisTurnGate(gone, silentLogger(), 'papers', 200).take('b', WINDOW);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(200 + WINDOW - 5);
    expect(took).toBeLessThan(2_000);
  });
});
