/**
 * /healthz, /readyz and /metrics over real HTTP from the built bot, started as a
 * container starts it: no chat token, no terminal (stdin /dev/null).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { startBuiltBot, type BuiltBot } from '../support/spawn.js';
import { tempDir } from '../support/tmp.js';

let redis: TestRedis;
let bot: BuiltBot;
let base = '';
let stderr = '';

beforeAll(async () => {
  redis = await startTestRedis();
  bot = await startBuiltBot({ DATA_DIR: tempDir(), REDIS_URL: redis.url, ADMIN_PASSWORD: '' });
  base = bot.base;
  stderr = bot.stderr();
});
afterAll(async () => {
  await bot?.stop();
});

const readyz = async () => {
  const r = await fetch(`${base}/readyz`);
  return { status: r.status, body: (await r.json()) as { ready: boolean; checks: Record<string, boolean> } };
};

describe('health and metrics', () => {
  it('says once what it runs as, and stays up without a token or a terminal', () => {
    expect(stderr).toMatch(/papers bot: headless \(no chat token, no terminal\) · store SQLite .*papers\.sqlite · Redis redis:\/\/127\.0\.0\.1:\d+ · HTTP :\d+/);
    expect(stderr.match(/No chat token and no terminal/g)).toHaveLength(1);
    expect(bot.child.exitCode).toBeNull();
  });

  it('is alive at /healthz and ready at /readyz once the index has loaded', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    await expect.poll(async () => (await readyz()).status, { timeout: 20_000 }).toBe(200);
    expect((await readyz()).body.checks).toEqual({ store: true, index: true, redis: true });
  });

  it('serves Prometheus metrics: index size, jobs by queue, process metrics', async () => {
    const r = await fetch(`${base}/metrics`);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await r.text();
    expect(text).toMatch(/^papers_index_documents 212$/m); // the seeded sample
    expect(text).toMatch(/^papers_jobs\{queue="papers-plan",state="waiting"\} 0$/m);
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('# TYPE papers_commands_total counter');
  });

  it('refuses the queue dashboard when ADMIN_PASSWORD is not set', async () => {
    const r = await fetch(`${base}/admin/queues`);
    expect(r.status).toBe(404);
    expect(await r.text()).toMatch(/set ADMIN_PASSWORD/);
  });

  it('turns unready when Redis stops, and ready again when it is back', async () => {
    await redis.stop();
    await expect.poll(async () => (await readyz()).status, { timeout: 20_000 }).toBe(503);
    expect((await readyz()).body.checks.redis).toBe(false);
    await redis.restart();
    await expect.poll(async () => (await readyz()).status, { timeout: 30_000 }).toBe(200);
  });

  it('drains and exits 0 within 10 s of SIGTERM', async () => {
    const t0 = Date.now();
    expect(await bot.stop()).toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });
});
