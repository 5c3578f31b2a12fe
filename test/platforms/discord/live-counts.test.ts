/**
 * Live counts on Discord through discord.js's REST and the stand-in: a delivered digest's
 * paper messages are edited in place (PATCH) when their counts change, keeping everything
 * else and the key findPosted looks for; an inbox's DM is edited too, from a process that
 * never opened it; a deleted message stops being watched; a member's message is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.js';
import type { DigestTarget } from '../../../src/core/digest/digest-service.js';
import { refreshLiveCounts } from '../../../src/core/digest/live-counts.js';
import { UpstreamError } from '../../../src/core/errors.js';
import { inboxRef } from '../../../src/core/people.js';
import type { ChannelRef } from '../../../src/core/ports.js';
import { silentLogger } from '../../../src/log.js';
import { DiscordPlatform } from '../../../src/platforms/discord/discord-platform.js';
import { unlimited } from '../../../src/redis/gcra-rate-limiter.js';
import { RateLimitedPlatform } from '../../../src/redis/rate-limited-platform.js';
import { makeTestServices, type TestServices } from '../../support/bot-harness.js';
import { DEFAULT_CHANNEL, DEFAULT_GUILD, startDiscordStandin, type DiscordStandin } from '../../support/discord-standin/index.js';

const log = silentLogger();
const USER = '200000000000000077';
let discord: DiscordStandin;
let poster: DiscordPlatform;
let t: TestServices;

const newPoster = () => new DiscordPlatform({ token: discord.token, appId: discord.appId, apiBase: discord.apiBase, commands, log, gateway: false });

beforeAll(async () => {
  discord = await startDiscordStandin({ acceptUnknownChannels: true });
  poster = newPoster();
  t = await makeTestServices({ nowIso: '2026-08-21T10:00:00Z', platformFor: () => poster });
});
afterAll(async () => {
  await poster?.stop();
  await discord?.close();
});

const target = (ref: ChannelRef): DigestTarget => ({ ...ref, timezone: 'UTC', topN: 3, minUpvotes: 0, topic: null, order: 'upvotes' });

async function deliver(ref: ChannelRef): Promise<void> {
  const plan = await t.services.digests.plan(target(ref), 'now');
  if ('skip' in plan) throw new Error(plan.skip);
  await t.services.digests.deliver(ref, plan, poster);
}

/** The ingest bringing new counts for the papers of the channel's digest. */
async function bump(ref: ChannelRef, by: { upvotes: number; comments: number }): Promise<string[]> {
  const ids = [...(await t.store.postedPaperIds(ref))];
  const papers = await t.store.getPapers(ids);
  await t.store.upsertPapers(papers.map((p) => ({ ...p, upvotes: (p.upvotes ?? 0) + by.upvotes, comments: (p.comments ?? 0) + by.comments })));
  return ids;
}

const sweep = (p: DiscordPlatform = poster) => refreshLiveCounts({ store: t.store, clock: t.clock, log }, new RateLimitedPlatform(p, unlimited));
const patches = () => discord.requests.filter((r) => r.method === 'PATCH' && /^\/channels\/\d+\/messages\/\d+$/.test(r.path));
const upvotesField = (m: { embeds: { fields?: { name: string; value: string }[] }[] }) => m.embeds[0]!.fields!.find((f) => f.name === 'Upvotes')!.value;

describe('Discord live counts', () => {
  it('edits each paper message in place with the new counts; nothing else changes, and the key is still found', async () => {
    const ref: ChannelRef = { platform: 'discord', workspaceId: DEFAULT_GUILD, channelId: '400000000000000011' };
    await deliver(ref);
    const before = structuredClone(discord.messages(ref.channelId));
    expect(before).toHaveLength(4); // header + 3 papers
    expect((await sweep()).edited).toBe(0);
    expect(patches()).toHaveLength(0);

    t.clock.set('2026-08-21T16:00:00Z');
    await bump(ref, { upvotes: 7, comments: 2 });
    expect(await sweep()).toMatchObject({ watched: 3, edited: 3 });
    const after = discord.messages(ref.channelId);
    expect(after.map((m) => m.id)).toEqual(before.map((m) => m.id));
    expect(after.map((m) => m.edits)).toEqual([0, 1, 1, 1]);
    for (let i = 1; i < 4; i++) {
      const was = Number(/▲ (\d+)/.exec(upvotesField(before[i]!))![1]);
      expect(upvotesField(after[i]!)).toMatch(new RegExp(`^▲ ${was + 7} · 💬 \\d+$`));
      // Everything but the counts as posted: title, TL;DR, footer ("2 of 3"), Save button (with the key), links.
      const strip = (m: (typeof after)[number]) => ({ ...m.embeds[0], fields: m.embeds[0]!.fields!.filter((f: { name: string }) => f.name !== 'Upvotes') });
      expect(strip(after[i]!)).toEqual(strip(before[i]!));
      expect(after[i]!.components).toEqual(before[i]!.components);
      expect(after[i]!.allowedMentions).toEqual({ parse: [] });
    }
    expect(discord.rejected()).toEqual([]);
    // A retry of that digest would still find its messages by the key they carry.
    const key = `discord:${ref.channelId}:2026-08-21:${(await t.store.listPosted(ref, '2026-08-21'))[1]!.paperId}`;
    expect(await poster.findPosted(ref, key)).toEqual({ messageId: after[1]!.id });

    // Nothing changed since: no request at all.
    const n = patches().length;
    expect((await sweep()).edited).toBe(0);
    expect(patches()).toHaveLength(n);
  });

  it("edits an inbox's DM from a process that has not opened it yet, and stops after 48 hours", async () => {
    t.clock.set('2026-08-21T10:00:00Z');
    const dm = inboxRef({ platform: 'discord', workspaceId: DEFAULT_GUILD, userId: USER });
    await deliver(dm);
    const fresh = newPoster(); // a worker restarted since: no DM channel known
    t.clock.set('2026-08-22T09:00:00Z');
    await bump(dm, { upvotes: 1, comments: 0 });
    // The same papers went to the first channel too: its messages are brought up to date as well.
    const r = await sweep(fresh);
    expect(r).toMatchObject({ watched: 6, edited: 6 });
    expect(discord.dms(USER).map((m) => m.edits)).toEqual([0, 1, 1, 1]);

    t.clock.set('2026-08-23T10:00:01Z'); // 48 h and a second after posting
    await bump(dm, { upvotes: 1, comments: 0 });
    const n = patches().length;
    expect((await sweep(fresh)).watched).toBe(0);
    expect(patches()).toHaveLength(n);
    await fresh.stop();
  });

  it('stops watching a deleted message; Discord refuses to edit another author’s', async () => {
    t.clock.set('2026-08-21T10:00:00Z');
    const ref: ChannelRef = { platform: 'discord', workspaceId: DEFAULT_GUILD, channelId: '400000000000000012' };
    await deliver(ref);
    const papers = discord.messages(ref.channelId).slice(1);
    papers[0]!.deleted = true; // a moderator deleted it
    await bump(ref, { upvotes: 3, comments: 0 });
    expect(await sweep()).toMatchObject({ dropped: 1, failed: 0 });
    expect(discord.messages(ref.channelId).slice(1).map((m) => m.edits)).toEqual([1, 1]);
    expect((await t.store.deliveries.watched({ platform: 'discord', postedSince: '2026-08-21T00:00:00Z' })).some((m) => m.messageId === papers[0]!.id)).toBe(false);

    const member = discord.userMessage(DEFAULT_CHANNEL, { content: 'hello' });
    const err = await poster.edit({ platform: 'discord', workspaceId: DEFAULT_GUILD, channelId: DEFAULT_CHANNEL }, member.id, { kind: 'notice', text: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).message).toMatch(/50005/);
    expect(member.content).toBe('hello');
  });
});
