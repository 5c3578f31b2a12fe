import { beforeEach, describe, expect, it } from 'vitest';
import { DigestService, digestMessageKey, type DigestPlan, type DigestTarget } from '../../src/core/digest/digest-service.js';
import { rankForDigest } from '../../src/core/digest/rank.js';
import { mergeBatch } from '../../src/core/paper.js';
import type { OutboundMessage } from '../../src/core/reply.js';
import { FakePlatform, recordingLogger as fakeLogger, type LogLine } from '../support/fakes/index.js';
import { FakeIndex, FakeStore, fixedClock } from './fakes.js';
import { loadDay } from './helpers.js';

const FRIDAY = '2026-08-21';
const papers = [...mergeBatch([...loadDay('2026-08-19'), ...loadDay('2026-08-20'), ...loadDay(FRIDAY)]).values()];
const fridayTop = rankForDigest(papers.filter((p) => p.featuredDates.includes(FRIDAY)));

const sub: DigestTarget = { platform: 'discord', workspaceId: 'guild-1', channelId: 'chan-1', timezone: 'Europe/Paris', topN: 5, minUpvotes: 0, topic: null };

let store: FakeStore;
let index: FakeIndex;
let platform: FakePlatform;
let lines: LogLine[];
let clock: ReturnType<typeof fixedClock>;
let service: DigestService;

beforeEach(() => {
  store = new FakeStore(papers);
  index = new FakeIndex(store);
  platform = new FakePlatform({ name: 'discord', idPrefix: 'msg-' });
  lines = [];
  clock = fixedClock('2026-08-21T07:00:00Z'); // 09:00 in Paris
  service = new DigestService({ store: store.asStore(), index: index.asIndex(), clock, log: fakeLogger(lines) });
});

const paperIds = (msgs: readonly OutboundMessage[]): string[] => msgs.flatMap((m) => (m.kind === 'digestPaper' ? [m.paper.id] : []));
const postedKinds = () => platform.posts.map((p) => p.message.kind);

async function planOf(mode: 'scheduled' | 'now' = 'scheduled', target: DigestTarget = sub): Promise<DigestPlan> {
  const plan = await service.plan(target, mode);
  if ('skip' in plan) throw new Error(`unexpected skip: ${plan.skip}`);
  return plan;
}

describe('DigestService.plan', () => {
  it("plans the day's header and top N papers with ranks", async () => {
    const plan = await planOf();
    expect(plan.day).toBe(FRIDAY);
    expect(plan.messages[0]).toMatchObject({ kind: 'digestHeader', date: FRIDAY, title: plan.digest.title, themesLine: plan.digest.themesLine, count: 5 });
    expect(paperIds(plan.messages)).toEqual(fridayTop.slice(0, 5).map((p) => p.id));
    plan.messages.slice(1).forEach((m, i) => expect(m).toMatchObject({ kind: 'digestPaper', position: i + 1, of: 5, paper: { rank: i + 1 } }));
  });

  it('gives every message a stable idempotency key', async () => {
    const [a, b] = [await planOf(), await planOf()];
    const keys = (p: DigestPlan) => p.messages.map((m) => digestMessageKey(sub, m));
    expect(keys(a)).toEqual(keys(b));
    expect(keys(a)[0]).toBe(`discord:chan-1:${FRIDAY}:header`);
    expect(keys(a)[1]).toBe(`discord:chan-1:${FRIDAY}:${fridayTop[0]!.id}`);
  });

  it("uses the channel's timezone for today", async () => {
    clock.set('2026-08-21T03:00:00Z'); // still Thursday 20:00 in Los Angeles
    const plan = await planOf('scheduled', { ...sub, timezone: 'America/Los_Angeles' });
    expect(plan.day).toBe('2026-08-20');
  });

  it('queries only the candidate day on a scheduled run', async () => {
    await planOf();
    expect(store.calls).toEqual(['featuredDays', `papersFeaturedBetween ${FRIDAY} ${FRIDAY}`, `listPosted ${FRIDAY}`]);
  });

  it('searches the topic on the day only, and keeps its matches', async () => {
    const plan = await planOf('scheduled', { ...sub, topic: 'agent' });
    expect(index.queries).toEqual([{ query: 'agent', opts: { limit: 100, filters: { featuredFrom: FRIDAY, featuredTo: FRIDAY } } }]);
    const ids = paperIds(plan.messages);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(`${store.papers.find((p) => p.id === id)!.title} ${store.papers.find((p) => p.id === id)!.abstract}`.toLowerCase()).toContain('agent');
  });

  it('skips with a reason when the topic matches nothing, or nothing searchable', async () => {
    expect(await service.plan({ ...sub, topic: 'zzzunknown' }, 'scheduled')).toEqual({
      skip: `nothing new: no unseen papers matching “zzzunknown” on ${FRIDAY}`,
    });
    expect(await service.plan({ ...sub, topic: 'the' }, 'scheduled')).toMatchObject({ skip: expect.stringContaining('matching “the”') });
    expect(lines.some((l) => l.level === 'warn' && l.msg === 'digest topic is not searchable')).toBe(true);
  });
});

describe('DigestService.run', () => {
  it('posts header then papers, records each, adds bookmark hints', async () => {
    const outcome = await service.run(sub, 'scheduled', platform.asPlatform());
    expect(outcome).toEqual({ date: FRIDAY, posted: 5 });
    expect(postedKinds()).toEqual(['digestHeader', 'digestPaper', 'digestPaper', 'digestPaper', 'digestPaper', 'digestPaper']);
    expect(platform.posts.map((p) => p.key)).toEqual([
      `discord:chan-1:${FRIDAY}:header`,
      ...fridayTop.slice(0, 5).map((p) => `discord:chan-1:${FRIDAY}:${p.id}`),
    ]);
    // The platform sees the channel, not the subscription's settings.
    expect(platform.posts[0]!.channel).toEqual({ platform: 'discord', workspaceId: 'guild-1', channelId: 'chan-1' });
    expect(store.posted.map((e) => [e.kind, e.paperId, e.messageId])).toEqual([
      ['header', null, 'msg-1'],
      ...fridayTop.slice(0, 5).map((p, i) => ['paper', p.id, `msg-${i + 2}`]),
    ]);
    expect(platform.hints).toEqual(['msg-2', 'msg-3', 'msg-4', 'msg-5', 'msg-6']);
  });

  it("posts nothing on Saturday after Friday's digest", async () => {
    await service.run(sub, 'scheduled', platform.asPlatform());
    clock.set('2026-08-22T07:00:00Z');
    const before = platform.posts.length;
    const outcome = await service.run(sub, 'scheduled', platform.asPlatform());
    expect(outcome).toEqual({ date: null, posted: 0, skippedReason: `nothing new: ${FRIDAY} already posted` });
    expect(platform.posts.length).toBe(before);
    expect(lines).toContainEqual({ level: 'info', obj: expect.objectContaining({ reason: `nothing new: ${FRIDAY} already posted` }), msg: 'digest skipped' });
  });

  it("`now` after Friday's digest posts Friday's next papers, never a paper twice", async () => {
    await service.run(sub, 'scheduled', platform.asPlatform());
    clock.set('2026-08-22T10:00:00Z');
    const outcome = await service.run(sub, 'now', platform.asPlatform());
    expect(outcome).toEqual({ date: FRIDAY, posted: 5 });
    const all = paperIds(platform.posts.map((p) => p.message));
    expect(all).toEqual(fridayTop.slice(0, 10).map((p) => p.id));
    expect(new Set(all).size).toBe(all.length);
    // The leftovers come under a header of their own that says so, numbered on from the first five.
    const headers = platform.posts.map((p) => p.message).filter((m) => m.kind === 'digestHeader');
    expect(headers.map((m) => [m.title.split(' · ')[0], m.continuedFrom])).toEqual([['Trending papers', undefined], ['More trending papers', 6]]);
    const positions = platform.posts.map((p) => p.message).flatMap((m) => (m.kind === 'digestPaper' ? [m.position] : []));
    expect(positions).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // A third run follows on again, still without repeating a paper.
    const again = await service.run(sub, 'now', platform.asPlatform());
    expect(again.posted).toBe(5);
    expect(new Set(paperIds(platform.posts.map((p) => p.message))).size).toBe(15);
  });

  it('delivering a continued digest again posts nothing twice, its header included', async () => {
    await service.run(sub, 'scheduled', platform.asPlatform());
    const plan = await service.plan(sub, 'now');
    if ('skip' in plan) throw new Error(plan.skip);
    await service.deliver(sub, plan, platform.asPlatform());
    const sent = platform.posts.length;
    await service.deliver(sub, plan, platform.asPlatform());
    expect(platform.posts.length).toBe(sent);
  });

  it('`now` moves to an older day once a day is exhausted', async () => {
    await service.run({ ...sub, topN: 10 }, 'now', platform.asPlatform());
    await service.run({ ...sub, topN: 10 }, 'now', platform.asPlatform()); // Friday has 17 papers
    const outcome = await service.run({ ...sub, topN: 10 }, 'now', platform.asPlatform());
    expect(outcome.date).toBe('2026-08-20');
  });

  it('stops at a failed post, keeps what was posted recorded, and delivering the plan again finishes it', async () => {
    const plan = await planOf();
    platform.failOnPost = 4; // header + 2 papers go out, the third paper fails
    await expect(service.deliver(sub, plan, platform.asPlatform())).rejects.toThrow('upstream 503');
    expect(store.posted.map((e) => e.kind)).toEqual(['header', 'paper', 'paper']);
    expect(lines.some((l) => l.level === 'warn' && l.msg === 'digest post failed')).toBe(true);

    clock.set('2026-08-21T07:05:00Z'); // the job's retry, minutes later, with the same plan
    const outcome = await service.deliver(sub, plan, platform.asPlatform());
    expect(outcome).toEqual({ date: FRIDAY, posted: 3 });
    expect(paperIds(platform.posts.map((p) => p.message))).toEqual(fridayTop.slice(0, 5).map((p) => p.id));
    expect(postedKinds().filter((k) => k === 'digestHeader')).toHaveLength(1);
  });

  it('on a retry, asks the platform about the message that was in flight, and records it instead of posting it again', async () => {
    const plan = await planOf();
    // The header went out in an attempt that died before recording it.
    const asPlatform = platform.asPlatform();
    const headerKey = digestMessageKey(sub, plan.messages[0]!);
    const withLookup = { ...asPlatform, name: asPlatform.name, post: asPlatform.post, findPosted: async (_c: unknown, key: string) => (key === headerKey ? { messageId: 'sent-before-crash' } : null) };
    await service.deliver(sub, plan, withLookup, { inFlightKey: headerKey });
    expect(postedKinds()).toEqual(['digestPaper', 'digestPaper', 'digestPaper', 'digestPaper', 'digestPaper']);
    expect(store.posted[0]).toMatchObject({ kind: 'header', messageId: 'sent-before-crash' });
  });

  it('treats a bookmark hint failure as a warning', async () => {
    platform.hintFails = true;
    expect(await service.run(sub, 'scheduled', platform.asPlatform())).toEqual({ date: FRIDAY, posted: 5 });
    expect(lines.filter((l) => l.level === 'warn' && l.msg === 'bookmark hint failed')).toHaveLength(5);
  });
});

describe('DigestService.deliver', () => {
  it('after a crash mid-way (header + 2 of 5 logged) posts only the remaining 3', async () => {
    const plan = await planOf();
    const ids = paperIds(plan.messages);
    const base = { platform: 'discord' as const, workspaceId: 'guild-1', channelId: 'chan-1', date: FRIDAY, postedAt: '2026-08-21T07:00:01Z' };
    await store.recordPosted({ ...base, kind: 'header', paperId: null, messageId: 'old-1' });
    await store.recordPosted({ ...base, kind: 'paper', paperId: ids[0]!, messageId: 'old-2' });
    await store.recordPosted({ ...base, kind: 'paper', paperId: ids[1]!, messageId: 'old-3' });

    const outcome = await service.deliver(sub, plan, platform.asPlatform());
    expect(outcome).toEqual({ date: FRIDAY, posted: 3 });
    expect(paperIds(platform.posts.map((p) => p.message))).toEqual(ids.slice(2));
    expect(store.posted).toHaveLength(6);
  });

  it('delivering the same plan twice posts once', async () => {
    const plan = await planOf();
    await service.deliver(sub, plan, platform.asPlatform());
    const again = await service.deliver(sub, plan, platform.asPlatform());
    expect(again).toEqual({ date: FRIDAY, posted: 0, skippedReason: `nothing new: ${FRIDAY} already delivered` });
    expect(platform.posts).toHaveLength(6);
  });

  it('refuses a platform that is not the channel’s', async () => {
    const plan = await planOf();
    await expect(service.deliver({ ...sub, platform: 'slack' }, plan, platform.asPlatform())).rejects.toThrow(/slack/);
  });
});
