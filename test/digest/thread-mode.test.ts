/**
 * Thread mode in the core: the plan marks its header, deliver posts the header as a
 * thread's start and each paper under it, and keeps exactly-once across retries: the
 * header's id comes from the posted log, or for a "More" header the log does not keep,
 * from the platform; hints and live-count watches go where each message landed.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DigestService, digestMessageKey, type DigestPlan, type DigestTarget } from '../../src/core/digest/digest-service.js';
import { threadName } from '../../src/core/digest/thread-mode.js';
import type { LiveMessage } from '../../src/core/live-messages.js';
import { mergeBatch } from '../../src/core/paper.js';
import type { PostOptions } from '../../src/core/ports.js';
import { FakePlatform, recordingLogger } from '../support/fakes/index.js';
import { FakeIndex, FakeStore, fixedClock } from './fakes.js';
import { loadDay } from './helpers.js';

const FRIDAY = '2026-08-21';
const papers = [...mergeBatch([...loadDay('2026-08-19'), ...loadDay('2026-08-20'), ...loadDay(FRIDAY)]).values()];
const sub: DigestTarget = { platform: 'discord', workspaceId: 'guild-1', channelId: 'chan-1', timezone: 'UTC', topN: 3, minUpvotes: 0, topic: null, threads: true };

let store: FakeStore;
let platform: FakePlatform;
let service: DigestService;
let watched: LiveMessage[];

beforeEach(() => {
  store = new FakeStore(papers);
  watched = [];
  Object.assign(store, { deliveries: { watch: async (m: LiveMessage) => void watched.push(m) } });
  platform = new FakePlatform({ name: 'discord', idPrefix: 'msg-', threadChannels: true });
  service = new DigestService({ store: store.asStore(), index: new FakeIndex(store).asIndex(), clock: fixedClock('2026-08-21T10:00:00Z'), log: recordingLogger([]) });
});

async function planOf(target: DigestTarget = sub, mode: 'scheduled' | 'now' = 'scheduled'): Promise<DigestPlan> {
  const plan = await service.plan(target, mode);
  if ('skip' in plan) throw new Error(plan.skip);
  return plan;
}

describe('thread mode: the plan', () => {
  it('marks the header of a threaded subscription, daily and weekly, and no other', async () => {
    expect((await planOf()).messages[0]).toMatchObject({ kind: 'digestHeader', threads: true });
    expect((await planOf({ ...sub, every: 'week' }, 'now')).messages[0]).toMatchObject({ kind: 'digestHeader', threads: true });
    const off = (await planOf({ ...sub, threads: false })).messages[0]!;
    expect(off.kind === 'digestHeader' && off.threads).toBeFalsy();
  });

  it('names the thread after the header, within 100 characters', () => {
    expect(threadName({ title: 'Trending papers for Fri 21 Aug 2026', date: FRIDAY })).toBe('Trending papers for Fri 21 Aug 2026');
    const long = threadName({ title: `Trending papers on “${'x'.repeat(200)}”`, date: FRIDAY });
    expect(long).toHaveLength(100);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('thread mode: delivery', () => {
  it('posts the header as the thread start and each paper under it; hints and watches go in the thread', async () => {
    const plan = await planOf();
    const hinted: [string[], string | undefined][] = [];
    const out = await service.deliver(sub, plan, platform, { onHints: async (ids, channelId) => void hinted.push([ids, channelId]) });
    expect(out.posted).toBe(3);
    const name = threadName(plan.messages[0] as { title: string; date: string });
    expect(platform.posts.map((p) => p.thread)).toEqual([{ name }, ...[1, 2, 3].map(() => ({ name, parentMessageId: 'msg-1' }))]);
    // Posted to the subscription's channel, logged under it.
    expect(new Set(platform.posts.map((p) => p.channel.channelId))).toEqual(new Set(['chan-1']));
    expect(new Set(store.posted.map((e) => e.channelId))).toEqual(new Set(['chan-1']));
    expect(hinted).toEqual([[['msg-2', 'msg-3', 'msg-4'], 'thread-msg-1']]);
    expect(watched.map((w) => [w.channelId, w.messageId])).toEqual([['thread-msg-1', 'msg-2'], ['thread-msg-1', 'msg-3'], ['thread-msg-1', 'msg-4']]);
  });

  it('adds the hints itself in the thread when no queue takes them', async () => {
    await service.deliver(sub, await planOf(), platform);
    expect(platform.hintChannels).toEqual(['thread-msg-1', 'thread-msg-1', 'thread-msg-1']);
  });

  it('a retry after the header was logged puts the rest under the same header', async () => {
    const plan = await planOf();
    platform.failOnPost = 3; // header and one paper go out, the second paper fails
    await expect(service.deliver(sub, plan, platform)).rejects.toThrow();
    await service.deliver(sub, plan, platform);
    expect(platform.posts.slice(1).map((p) => p.thread?.parentMessageId)).toEqual(['msg-1', 'msg-1', 'msg-1']);
    expect(platform.posts.filter((p) => p.message.kind === 'digestHeader')).toHaveLength(1);
  });

  it('a "More" header the log does not keep is asked for once, with its thread, and its papers go under it', async () => {
    await service.run(sub, 'scheduled', platform);
    const more = await planOf(sub, 'now');
    expect(more.messages[0]).toMatchObject({ continuedFrom: 4, threads: true });
    platform.failOnPost = platform.posts.length + 3; // its header and one paper, then a failure
    await expect(service.deliver(sub, more, platform)).rejects.toThrow();
    const header = platform.posts.find((p) => p.message.kind === 'digestHeader' && p.message.continuedFrom)!;
    const asked: [string, PostOptions['thread']][] = [];
    const withLookup = Object.assign(Object.create(platform) as FakePlatform, {
      findPosted: async (_c: unknown, key: string, o?: Pick<PostOptions, 'thread'>) => {
        asked.push([key, o?.thread]);
        return key === header.key ? { messageId: header.messageId } : null;
      },
    });
    await service.deliver(sub, more, withLookup);
    expect(asked).toEqual([[digestMessageKey(sub, more.messages[0]!), { name: threadName(more.messages[0] as { title: string; date: string }) }]]);
    const rest = platform.posts.slice(-2);
    expect(rest.map((p) => p.thread?.parentMessageId)).toEqual([header.messageId, header.messageId]);
  });

  it('a "More" header the platform cannot find: its papers go in the channel rather than nowhere', async () => {
    await service.run(sub, 'scheduled', platform);
    const more = await planOf(sub, 'now');
    platform.failOnPost = platform.posts.length + 3;
    await expect(service.deliver(sub, more, platform)).rejects.toThrow();
    const lost = Object.assign(Object.create(platform) as FakePlatform, { findPosted: async () => null });
    const out = await service.deliver(sub, more, lost);
    expect(out.posted).toBe(2);
    expect(platform.posts.slice(-2).map((p) => p.thread)).toEqual([undefined, undefined]);
  });
});
