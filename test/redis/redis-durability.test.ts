/** The start-up warnings about a Redis that BullMQ cannot trust, read from a real server. */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { durabilityWarnings, readDurability } from '../../src/redis/redis-durability.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';

let redis: TestRedis;
let conn: Redis;
beforeAll(async () => {
  redis = await startTestRedis();
  conn = new Redis(redis.url);
});
afterAll(async () => {
  await conn.quit();
});

describe('Redis durability', () => {
  it('says nothing about a Redis with AOF on and noeviction', async () => {
    await conn.config('SET', 'maxmemory-policy', 'noeviction');
    const d = await readDurability(conn);
    expect(d).toMatchObject({ maxmemoryPolicy: 'noeviction', aof: true });
    expect(durabilityWarnings(d)).toEqual([]);
  });

  it('warns about an evicting policy and about a Redis that keeps nothing on disk', async () => {
    await conn.config('SET', 'maxmemory-policy', 'allkeys-lru');
    await conn.config('SET', 'appendonly', 'no');
    await conn.config('SET', 'save', '');
    const warnings = durabilityWarnings(await readDurability(conn));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/maxmemory-policy allkeys-lru.*noeviction/);
    expect(warnings[1]).toMatch(/keeps nothing on disk/);
  });

  it('says nothing about RDB where CONFIG is not allowed', () => {
    expect(durabilityWarnings({ maxmemoryPolicy: 'noeviction', aof: false, rdbSave: null })).toEqual([]);
  });
});
