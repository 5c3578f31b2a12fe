/**
 * Deliveries seen, shared through a real Redis: two stores on two connections stand for
 * two bot processes. One of them is told "first", whichever asks; the memory expires with
 * its TTL; the prefix keeps two installs apart; a Redis that does not answer is an error
 * within the timeout, not a wait (the Slack side then falls back to its own memory).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/redis/private-redis-server.js';
import { RedisSeenStore } from '../../src/redis/redis-seen-store.js';
import { startTestRedis, testRedisClient, type TestRedis } from '../support/redis.js';

let redis: TestRedis;
const connect = testRedisClient;
beforeAll(async () => {
  redis = await startTestRedis();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('RedisSeenStore', () => {
  it('tells exactly one of two processes that a key is new, and expires it after the TTL', async () => {
    const a = new RedisSeenStore(connect(redis.url), 'papers');
    const b = new RedisSeenStore(connect(redis.url), 'papers');
    expect(await a.firstTime('slack:T1:event:Ev1', 400)).toBe(true);
    expect(await b.firstTime('slack:T1:event:Ev1', 400)).toBe(false);
    expect(await a.firstTime('slack:T1:event:Ev1', 400)).toBe(false);
    expect(await b.firstTime('slack:T1:event:Ev2', 400)).toBe(true);
    const pttl = await connect(redis.url).pttl('papers:seen:slack:T1:event:Ev1');
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(400);
    await sleep(600);
    expect(await b.firstTime('slack:T1:event:Ev1', 400)).toBe(true);
  });

  it('many processes asking at once: one "first"', async () => {
    const stores = Array.from({ length: 8 }, () => new RedisSeenStore(connect(redis.url), 'papers'));
    const answers = await Promise.all(stores.map((s) => s.firstTime('slack:T1:trigger:race', 10_000)));
    expect(answers.filter(Boolean)).toHaveLength(1);
  });

  it('keeps two installs on one Redis apart by prefix', async () => {
    const conn = connect(redis.url);
    expect(await new RedisSeenStore(conn, 'one').firstTime('slack:T1:event:EvP', 10_000)).toBe(true);
    expect(await new RedisSeenStore(conn, 'two').firstTime('slack:T1:event:EvP', 10_000)).toBe(true);
    expect(await new RedisSeenStore(conn, 'two').firstTime('slack:T1:event:EvP', 10_000)).toBe(false);
  });

  it('fails within its timeout when Redis does not answer', async () => {
    const gone = connect(`redis://127.0.0.1:${await freePort()}`, { retryStrategy: () => 200 });
    const started = Date.now();
    await expect(new RedisSeenStore(gone, 'papers', 300).firstTime('slack:T1:event:EvX', 10_000)).rejects.toThrow('Redis did not answer within 300 ms');
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
