/**
 * Thread mode on Slack, end to end with Bolt against the stand-in: `/papers subscribe
 * --threads on` posts the day's header in the channel and its papers as replies in its
 * thread (`thread_ts`); the channel's history shows the header alone. 🔖 reactions on a
 * reply and Save buttons bookmark; a retried delivery finds a reply its lost attempt sent
 * (conversations.replies) instead of sending it again; live counts edit the replies.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshLiveCounts } from '../../../src/core/digest/live-counts.js';
import { digestMessageKey } from '../../../src/core/digest/digest-service.js';
import { threadName } from '../../../src/core/digest/thread-mode.js';
import type { ChannelRef } from '../../../src/core/ports.js';
import { unlimited } from '../../../src/redis/gcra-rate-limiter.js';
import { RateLimitedPlatform } from '../../../src/redis/rate-limited-platform.js';
import { blockActions, eventCallback, reactionEvent, slashCommand, type StandinMessage, type StandinResponse } from '../../support/slack-standin/index.js';
import { startSlackBot, type SlackBot } from './slack-bot.js';

const T = 'T0TEST';
const ref = (channelId: string): ChannelRef => ({ platform: 'slack', workspaceId: T, channelId });

let bot: SlackBot;
beforeAll(async () => {
  bot = await startSlackBot();
});
afterAll(async () => {
  await bot?.close();
});

async function command(text: string, channel: string): Promise<StandinResponse['body']> {
  const id = randomUUID();
  const res = await bot.send.command(slashCommand({ text, responseUrl: bot.slack.responseUrl(id), userId: 'U0ADMIN', channelId: channel }));
  expect(res.status).toBe(200);
  return (await bot.slack.waitFor(() => bot.slack.responses.find((x) => x.id === id), 10_000, `the answer to /papers ${text}`)).body;
}
const textOf = (body: StandinResponse['body']) => JSON.stringify(body.blocks ?? []) + (body.text ?? '');
const inChannel = (channel: string) => bot.slack.messages.filter((m) => m.channel === channel);
const replies = (channel: string, ts: string) => inChannel(channel).filter((m) => m.threadTs === ts);
const paperOf = (m: StandinMessage) => m.metadata?.event_payload.paper_id as string | undefined;

describe('Slack thread mode', () => {
  it('posts the header in the channel and the papers in its thread, hinted there', async () => {
    expect(textOf(await command('subscribe --threads on', 'C0THREAD'))).toMatch(/Subscribed: .*papers in a thread/);
    expect(textOf(await command('digest now', 'C0THREAD'))).toMatch(/Posted 5 papers/);
    const top = inChannel('C0THREAD').filter((m) => !m.threadTs);
    expect(top).toHaveLength(1);
    const header = top[0]!;
    expect(JSON.stringify(header.blocks)).toContain('5 papers in the thread');
    const papers = replies('C0THREAD', header.ts);
    expect(papers).toHaveLength(5);
    for (const m of papers) expect(m.reactions.map((r) => r.name)).toEqual(['bookmark']);
    // conversations.history, as Slack's, lists the header alone: a reply is found in its thread.
    const key = papers[0]!.metadata!.event_payload.key as string;
    expect(await bot.platform.findPosted(ref('C0THREAD'), key)).toBeNull();
    expect(await bot.platform.findPosted(ref('C0THREAD'), key, { thread: { name: 'x', parentMessageId: header.ts } })).toEqual({ messageId: papers[0]!.ts });
    const posted = await bot.store.listPosted(ref('C0THREAD'), '2026-08-21');
    expect(posted.map((e) => e.messageId)).toEqual([header.ts, ...papers.map((m) => m.ts)]);
  });

  it('bookmarks from a 🔖 reaction on a reply and from its Save button', async () => {
    const header = inChannel('C0THREAD').find((m) => !m.threadTs)!;
    const [first, second] = replies('C0THREAD', header.ts);
    const r = await bot.send.event(eventCallback(reactionEvent('reaction_added', { channel: 'C0THREAD', ts: first!.ts, user: 'U0BOB' })));
    expect(r.status).toBe(200);
    await bot.slack.waitFor(async () => (await bot.store.listBookmarks('slack', 'U0BOB')).length === 1, 5_000, 'the reaction bookmark');
    const id = randomUUID();
    const paper = paperOf(second!)!;
    await bot.send.action(blockActions({ actionId: `bm:${paper}`, value: paper, userId: 'U0BOB', responseUrl: bot.slack.responseUrl(id), container: { type: 'message', channelId: 'C0THREAD', messageTs: second!.ts } }));
    await bot.slack.waitFor(() => bot.slack.responses.find((x) => x.id === id), 5_000, 'the save answer');
    expect((await bot.store.listBookmarks('slack', 'U0BOB')).map((b) => b.paperId).sort()).toEqual([paperOf(first!), paper].sort());
  });

  it('live counts edit the replies in the thread', async () => {
    const header = inChannel('C0THREAD').find((m) => !m.threadTs)!;
    const ids = replies('C0THREAD', header.ts).map((m) => paperOf(m)!);
    const papers = await bot.store.getPapers(ids);
    await bot.store.upsertPapers(papers.map((p) => ({ ...p, upvotes: (p.upvotes ?? 0) + 3 })));
    const report = await refreshLiveCounts({ store: bot.store, clock: bot.clock, log: bot.services.log }, new RateLimitedPlatform(bot.platform, unlimited));
    expect(report).toMatchObject({ edited: 5, failed: 0 });
    for (const m of replies('C0THREAD', header.ts)) expect(m.edits).toBe(1);
  });

  it('a header that takes no replies: that paper goes in the channel, and the digest succeeds', async () => {
    await command('subscribe --threads on', 'C0NOREPLY');
    const sub = (await bot.store.getSubscription(ref('C0NOREPLY')))!;
    const plan = await bot.services.digests.plan(sub, 'now');
    if ('skip' in plan) throw new Error(plan.skip);
    await bot.services.digests.deliver(ref('C0NOREPLY'), { ...plan, messages: plan.messages.slice(0, 1) }, bot.platform);
    bot.slack.fail('chat.postMessage', { kind: 'error', error: 'cannot_reply_to_message' });
    const out = await bot.services.digests.deliver(ref('C0NOREPLY'), plan, bot.platform);
    expect(out.posted).toBe(5);
    const [header, loose] = inChannel('C0NOREPLY').filter((m) => !m.threadTs);
    expect(paperOf(header!)).toBeUndefined();
    expect(paperOf(loose!)).toBe(plan.messages[1]!.kind === 'digestPaper' ? plan.messages[1]!.paper.id : null);
    expect(replies('C0NOREPLY', header!.ts)).toHaveLength(4);
  });

  it('a retried delivery finds the reply its lost attempt sent, and sends it once', async () => {
    await command('subscribe --threads on', 'C0RETRY');
    const sub = (await bot.store.getSubscription(ref('C0RETRY')))!;
    const plan = await bot.services.digests.plan(sub, 'now');
    if ('skip' in plan) throw new Error(plan.skip);
    const [header, lost] = plan.messages;
    if (header?.kind !== 'digestHeader' || !lost) throw new Error('a header, then papers');
    await bot.services.digests.deliver(ref('C0RETRY'), { ...plan, messages: [header] }, bot.platform);
    const headerTs = inChannel('C0RETRY').find((m) => !m.threadTs)!.ts;
    // The attempt that sent the first paper and died before recording it.
    const key = digestMessageKey(ref('C0RETRY'), lost);
    await bot.platform.post(ref('C0RETRY'), lost, { idempotencyKey: key, thread: { name: threadName(header), parentMessageId: headerTs } });
    const out = await bot.services.digests.deliver(ref('C0RETRY'), plan, bot.platform, { inFlightKey: key });
    expect(out.posted).toBe(5);
    expect(replies('C0RETRY', headerTs).map(paperOf)).toEqual(plan.messages.slice(1).map((m) => (m.kind === 'digestPaper' ? m.paper.id : null)));
    expect(bot.slack.calls.some((c) => c.method === 'conversations.replies')).toBe(true);
  });
});
