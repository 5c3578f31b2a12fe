/**
 * Per-user command limits and the `digest now` cooldown, through the real handlers: in
 * process (MemoryThrottle) and shared by two "processes" through one Redis (the shared
 * limiter). Plus NUL and lone surrogates never reaching the store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { createHandlers } from '../../src/core/bot.js';
import { parseCommandLine } from '../../src/core/command-spec/parse-text.js';
import type { CommandInvocation, PlatformHandlers } from '../../src/core/ports.js';
import type { Reply } from '../../src/core/reply.js';
import { COMMAND_RATE, MemoryThrottle, type Throttle } from '../../src/core/throttle.js';
import { PLATFORMS } from '../../src/platforms/index.js';
import { RedisRateLimiter } from '../../src/redis/gcra-rate-limiter.js';
import { CHANNEL, makeTestServices, RecordingPlatform, type TestServices } from '../support/bot-harness.js';
import { startTestRedis, testRedisClient } from '../support/redis.js';

const textOf = (r: Reply): string => (r.kind === 'text' ? r.text : `(${r.kind})`);
let seq = 0;

function runner(handlers: PlatformHandlers) {
  return (text: string, user = 'u1', channel = CHANNEL) => {
    const { spec, options } = parseCommandLine(text, commands);
    const inv: CommandInvocation = { ...channel, id: `i${++seq}`, userId: user, command: spec.name, options, permissions: { manageChannel: true, workspaceAdmin: false } };
    return handlers.command(inv);
  };
}

async function botWith(throttle: Throttle, platform = new RecordingPlatform()): Promise<{ t: TestServices; run: ReturnType<typeof runner>; platform: RecordingPlatform }> {
  const t = await makeTestServices({ throttle, platformFor: () => platform });
  await t.index.ready();
  return { t, run: runner(createHandlers(t.services, commands, PLATFORMS)), platform };
}

const indexes: TestServices['index'][] = [];
afterAll(async () => {
  await Promise.all(indexes.map((i) => i.close()));
});

describe('MemoryThrottle', () => {
  it('lets a burst through, then one per interval, per key', async () => {
    let now = 0;
    const th = new MemoryThrottle(() => now);
    const rate = { perSecond: 1, burst: 3 };
    expect(await Promise.all([1, 2, 3].map(() => th.tryTake('a', rate)))).toEqual([0, 0, 0]);
    expect(await th.tryTake('a', rate)).toBe(1000);
    expect(await th.tryTake('b', rate)).toBe(0);
    now = 1000;
    expect(await th.tryTake('a', rate)).toBe(0);
    expect(await th.tryTake('a', rate)).toBe(1000);
  });

  it('forgets the least recently used keys beyond its bound', async () => {
    const th = new MemoryThrottle(() => 0, 2);
    const rate = { perSecond: 1, burst: 1 };
    await th.tryTake('a', rate);
    await th.tryTake('b', rate);
    await th.tryTake('c', rate);
    expect(await th.tryTake('a', rate)).toBe(0); // forgotten, so free again
    expect(await th.tryTake('c', rate)).toBe(1000);
  });
});

describe('command limits through the handlers', () => {
  let bot: Awaited<ReturnType<typeof botWith>>;
  beforeAll(async () => {
    bot = await botWith(new MemoryThrottle());
    indexes.push(bot.t.index);
  });

  it('one user past the burst is told to slow down; another user is not', async () => {
    const replies = await Promise.all(Array.from({ length: COMMAND_RATE.burst + 5 }, () => bot.run('search diffusion', 'flooder')));
    const slowed = replies.filter((r) => r.kind === 'text' && r.tone === 'error' && /^Slow down: try again in \d+ s\.$/.test(r.text));
    expect(slowed).toHaveLength(5);
    expect((await bot.run('search diffusion', 'someone-else')).kind).toBe('papers');
  });

  it('`digest now` in one channel once per cooldown, whoever asks; other channels unaffected', async () => {
    expect(textOf(await bot.run('digest now', 'admin-1'))).toMatch(/^Posted \d+ papers? from/);
    const posts = bot.platform.posts.length;
    expect(textOf(await bot.run('digest now', 'admin-2'))).toMatch(/^A digest was just posted here: try again in \d+ s\.$/);
    expect(bot.platform.posts.length).toBe(posts);
    expect(textOf(await bot.run('digest now', 'admin-2', { ...CHANNEL, channelId: 'c2' }))).toMatch(/^Posted/);
  });

  it('strips NUL, other control characters and lone surrogates from what users type before it is stored', async () => {
    const reply = await bot.run('subscribe --topic "diff\u0000usion\u0007 \uD800models"', 'tidy');
    expect(textOf(reply)).toMatch(/^Subscribed/);
    const sub = await bot.t.store.getSubscription(CHANNEL);
    expect(sub?.topic).toBe('diffusion models');
  });
});

describe('limits shared through Redis', () => {
  it('a user who floods two bot processes is limited across both', async () => {
    const redis = await startTestRedis();
    const [ra, rb] = [testRedisClient(redis.url), testRedisClient(redis.url)];
    const a = await botWith(new RedisRateLimiter(ra, 'test:rl:'));
    const b = await botWith(new RedisRateLimiter(rb, 'test:rl:'));
    indexes.push(a.t.index, b.t.index);
    const replies: Reply[] = [];
    for (let i = 0; i < COMMAND_RATE.burst + 4; i++) replies.push(await (i % 2 ? a : b).run('help', 'shared-flooder'));
    expect(replies.filter((r) => r.kind === 'text' && r.tone === 'error' && r.text.startsWith('Slow down'))).toHaveLength(4);
    expect((await a.run('help', 'calm-user')).kind).toBe('help');
  });
});
