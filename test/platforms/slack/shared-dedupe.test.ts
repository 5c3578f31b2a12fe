/**
 * Slack's retries deduplicated across processes: two bots (two processes behind one load
 * balancer) on one Slack stand-in and one real Redis. An event handled by one and retried
 * to the other, or a slash command replayed to both, is handled once. Without the shared
 * memory the same two bots handle it twice, which is what this guards against; with a
 * Redis that does not answer, a bot still handles each delivery, deduplicating in itself.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../src/redis/private-redis-server.js';
import { RedisSeenStore } from '../../../src/redis/redis-seen-store.js';
import { startTestRedis } from '../../support/redis.js';
import { appHomeOpened, eventCallback, slashCommand, startSlackStandin, type SlackStandin } from '../../support/slack-standin/index.js';
import { startSlackBot, type SlackBot } from './slack-bot.js';

let slack: SlackStandin;
const bots: SlackBot[] = [];
const conns: Redis[] = [];
let url: string;
beforeAll(async () => {
  slack = await startSlackStandin();
  url = (await startTestRedis()).url;
});
afterAll(async () => {
  for (const b of bots.splice(0)) await b.close();
  for (const c of conns) c.disconnect();
  await slack?.close();
});

/** A bot process of its own: its own store, index, Bolt app and (when shared) Redis connection. */
async function bot(shared: 'redis' | 'none' | 'dead'): Promise<SlackBot> {
  const conn = shared === 'none' ? null : new Redis(shared === 'redis' ? url : `redis://127.0.0.1:${await freePort()}`, { maxRetriesPerRequest: null });
  if (conn) {
    conn.on('error', () => undefined);
    conns.push(conn);
  }
  const seen = conn ? new RedisSeenStore(conn, 'papers', 300) : undefined;
  const b = await startSlackBot({ slack, ...(seen ? { seen: () => seen } : {}) });
  bots.push(b);
  return b;
}

const homeViews = (user: string) => slack.views.filter((v) => v.userId === user).length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The views published for `user` once the bots are quiet. Bolt acknowledges an event
 * before its middleware has asked Redis, so this waits for the first view, then lets any
 * second one (the double this guards against) land before counting.
 */
async function settledViews(user: string, ...bots: SlackBot[]): Promise<number> {
  await slack.waitFor(() => homeViews(user) > 0 || undefined, 10_000, `App Home for ${user}`);
  await sleep(500);
  await Promise.all(bots.map((b) => b.platform.idle()));
  return homeViews(user);
}

async function retriedAcross(a: SlackBot, b: SlackBot, user: string): Promise<number> {
  const cb = eventCallback(appHomeOpened(user), { eventId: `Ev${randomUUID().slice(0, 8)}` });
  expect((await a.send.event(cb)).status).toBe(200);
  expect((await b.send.event(cb, { retryNum: 1, retryReason: 'http_timeout' })).status).toBe(200);
  expect((await a.send.event(cb, { retryNum: 2, retryReason: 'http_timeout' })).status).toBe(200);
  return settledViews(user, a, b);
}

describe('Slack retries across processes', () => {
  it('two bots sharing one Redis handle a retried event once', async () => {
    const [a, b] = [await bot('redis'), await bot('redis')];
    expect(await retriedAcross(a, b, 'U0SHARED')).toBe(1);
  });

  it('a slash command replayed to both bots is answered once', async () => {
    const [a, b] = [await bot('redis'), await bot('redis')];
    const id = randomUUID();
    const body = slashCommand({ text: 'help', responseUrl: slack.responseUrl(id) });
    expect((await a.send.command(body)).status).toBe(200);
    expect((await b.send.command(body)).status).toBe(200);
    await slack.waitFor(() => slack.responses.find((r) => r.id === id), 10_000, 'the answer');
    await sleep(500);
    await Promise.all([a.platform.idle(), b.platform.idle()]);
    expect(slack.responses.filter((r) => r.id === id)).toHaveLength(1);
  });

  it('without the shared memory the same two bots would handle it twice', async () => {
    const [a, b] = [await bot('none'), await bot('none')];
    expect(await retriedAcross(a, b, 'U0APART')).toBe(2);
  });

  it('a Redis that does not answer: each delivery still handled, retries to the same bot caught in-process', async () => {
    const a = await bot('dead');
    const cb = eventCallback(appHomeOpened('U0DEAD'), { eventId: `Ev${randomUUID().slice(0, 8)}` });
    expect((await a.send.event(cb)).status).toBe(200);
    expect((await a.send.event(cb, { retryNum: 1 })).status).toBe(200);
    expect(await settledViews('U0DEAD', a)).toBe(1);
  });
});
