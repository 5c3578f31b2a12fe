/**
 * Live counts on Slack through Bolt's Web API client and the stand-in: chat.update with
 * the blocks and metadata the message was posted with and the new counts; an inbox's DM
 * is updated by its conversation id, also from a process that never posted to it; a
 * deleted message stops being watched; another user's message is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.js';
import type { DigestTarget } from '../../../src/core/digest/digest-service.js';
import { refreshLiveCounts } from '../../../src/core/digest/live-counts.js';
import { UpstreamError } from '../../../src/core/errors.js';
import { inboxRef } from '../../../src/core/people.js';
import type { ChannelRef } from '../../../src/core/ports.js';
import { silentLogger } from '../../../src/log.js';
import { SlackPlatform } from '../../../src/platforms/slack/slack-platform.js';
import { unlimited } from '../../../src/redis/gcra-rate-limiter.js';
import { RateLimitedPlatform } from '../../../src/redis/rate-limited-platform.js';
import { makeTestServices, type TestServices } from '../../support/bot-harness.js';
import { startSlackStandin, type SlackStandin } from '../../support/slack-standin/index.js';
import { slackConfig } from './slack-bot.js';

const log = silentLogger();
const TEAM = 'T0TEST';
let slack: SlackStandin;
let platform: SlackPlatform;
let t: TestServices;

const newPlatform = async () => {
  const p = new SlackPlatform({ slack: slackConfig(slack), store: t.store, commands, log, webOnly: true });
  await p.start({} as never);
  return p;
};

beforeAll(async () => {
  slack = await startSlackStandin();
  t = await makeTestServices({ nowIso: '2026-08-21T10:00:00Z', platformFor: () => platform });
  platform = await newPlatform();
});
afterAll(async () => {
  await platform?.stop();
  await slack?.close();
});

const target = (ref: ChannelRef): DigestTarget => ({ ...ref, timezone: 'UTC', topN: 3, minUpvotes: 0, topic: null, order: 'upvotes' });

async function deliver(ref: ChannelRef): Promise<void> {
  const plan = await t.services.digests.plan(target(ref), 'now');
  if ('skip' in plan) throw new Error(plan.skip);
  await t.services.digests.deliver(ref, plan, platform);
}

async function bump(ref: ChannelRef, by: { upvotes: number; comments: number }): Promise<void> {
  const papers = await t.store.getPapers([...(await t.store.postedPaperIds(ref))]);
  await t.store.upsertPapers(papers.map((p) => ({ ...p, upvotes: (p.upvotes ?? 0) + by.upvotes, comments: (p.comments ?? 0) + by.comments })));
}

const sweep = (p: SlackPlatform = platform) => refreshLiveCounts({ store: t.store, clock: t.clock, log }, new RateLimitedPlatform(p, unlimited));
const blocksText = (blocks: unknown[] | undefined) => JSON.stringify(blocks ?? []);

describe('Slack live counts', () => {
  it('updates each paper message with its new counts, the same blocks otherwise and the same metadata', async () => {
    const ref: ChannelRef = { platform: 'slack', workspaceId: TEAM, channelId: 'C0LIVE' };
    await deliver(ref);
    const before = structuredClone(slack.channelMessages('C0LIVE'));
    expect(before).toHaveLength(4);
    expect((await sweep()).edited).toBe(0);
    expect(slack.callsOf('chat.update')).toHaveLength(0);

    t.clock.set('2026-08-21T15:00:00Z');
    await bump(ref, { upvotes: 5, comments: 4 });
    expect(await sweep()).toMatchObject({ watched: 3, edited: 3 });
    const after = slack.channelMessages('C0LIVE');
    expect(after.map((m) => m.ts)).toEqual(before.map((m) => m.ts));
    expect(after.map((m) => m.edits ?? 0)).toEqual([0, 1, 1, 1]);
    for (let i = 1; i < 4; i++) {
      const was = Number(/▲ (\d+)/.exec(blocksText(before[i]!.blocks))![1]);
      expect(blocksText(after[i]!.blocks)).toContain(`▲ ${was + 5}`);
      expect(blocksText(after[i]!.blocks)).toMatch(/💬 \d+/);
      // Only the counts changed: the blocks with the numbers taken out are the same.
      const noCounts = (b: unknown[] | undefined) => blocksText(b).replace(/▲ [\d,]+( · 💬 [\d,]+)?/g, '');
      expect(noCounts(after[i]!.blocks)).toBe(noCounts(before[i]!.blocks));
      expect(after[i]!.metadata).toEqual(before[i]!.metadata);
    }
    const update = slack.callsOf('chat.update')[0]!.args;
    expect(update).toMatchObject({ channel: 'C0LIVE', ts: before[1]!.ts, parse: 'none' });
    expect(update).not.toHaveProperty('unfurl_links');
    // A retry of that digest still finds its messages by the key in their metadata.
    const key = String(before[1]!.metadata!.event_payload.key);
    expect(await platform.findPosted(ref, key)).toEqual({ messageId: before[1]!.ts });

    const n = slack.callsOf('chat.update').length;
    expect((await sweep()).edited).toBe(0); // nothing changed since
    expect(slack.callsOf('chat.update')).toHaveLength(n);
  });

  it("updates an inbox's DM by its conversation id, from a process that never posted to it", async () => {
    t.clock.set('2026-08-21T10:00:00Z');
    const dm = inboxRef({ platform: 'slack', workspaceId: TEAM, userId: 'U0READER' });
    await deliver(dm);
    const fresh = await newPlatform(); // a worker restarted since: the DM's conversation is not known
    t.clock.set('2026-08-22T08:00:00Z');
    await bump(dm, { upvotes: 2, comments: 0 });
    const r = await sweep(fresh);
    expect(r.failed).toBe(0);
    expect(slack.dmMessages('U0READER').map((m) => m.edits ?? 0)).toEqual([0, 1, 1, 1]);
    expect(slack.callsOf('chat.update').every((c) => !String(c.args.channel).startsWith('U'))).toBe(true);
    expect(slack.callsOf('chat.update').filter((c) => c.args.channel === 'DU0READER')).toHaveLength(3);
    expect(slack.callsOf('conversations.open').map((c) => c.args.users)).toContain('U0READER');
    await fresh.stop();

    t.clock.set('2026-08-23T10:00:01Z'); // past 48 hours
    await bump(dm, { upvotes: 2, comments: 0 });
    expect((await sweep()).watched).toBe(0);
  });

  it("stops watching a deleted message; Slack refuses to update someone else's", async () => {
    t.clock.set('2026-08-21T10:00:00Z');
    const ref: ChannelRef = { platform: 'slack', workspaceId: TEAM, channelId: 'C0GONE' };
    await deliver(ref);
    const [, gone] = slack.channelMessages('C0GONE');
    slack.messages.splice(slack.messages.indexOf(gone!), 1); // deleted by someone
    await bump(ref, { upvotes: 1, comments: 0 });
    expect(await sweep()).toMatchObject({ dropped: 1, failed: 0 });
    expect((await t.store.deliveries.watched({ platform: 'slack', postedSince: '2026-08-21T00:00:00Z' })).some((m) => m.messageId === gone!.ts)).toBe(false);

    const theirs = { ...structuredClone(slack.channelMessages('C0GONE')[1]!), ts: '1700000000.000001', user: 'U0SOMEONE' };
    slack.messages.push(theirs);
    const err = await platform.edit(ref, theirs.ts, { kind: 'notice', text: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).message).toMatch(/cant_update_message/);
  });
});
