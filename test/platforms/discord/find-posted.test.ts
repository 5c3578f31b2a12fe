/**
 * Exactly-once on Discord past the nonce window: the stand-in forgets nonces at once
 * (as Discord does after a few minutes), a delivery dies between posting a message and
 * recording it, and the retry finds that message by the key it carries instead of
 * posting it again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.js';
import { type DigestPlan, type DigestTarget } from '../../../src/core/digest/digest-service.js';
import type { PostedEntry } from '../../../src/core/ports.js';
import { DiscordPlatform } from '../../../src/platforms/discord/discord-platform.js';
import { startDiscordStandin, type DiscordStandin } from '../../support/discord-standin/index.js';
import { silentLogger } from '../../../src/log.js';
import { makeTestServices, type TestServices } from '../../support/bot-harness.js';

const GUILD = '300000000000000001';
let discord: DiscordStandin;
let poster: DiscordPlatform;
let t: TestServices;

beforeAll(async () => {
  discord = await startDiscordStandin({ nonceWindowMs: 0, acceptUnknownChannels: true });
  poster = new DiscordPlatform({ token: discord.token, appId: discord.appId, apiBase: discord.apiBase, commands, log: silentLogger(), gateway: false });
  t = await makeTestServices({ nowIso: '2026-08-21T10:00:00Z', platformFor: () => poster });
});
afterAll(async () => {
  await poster?.stop();
  await discord?.close();
});

const target = (channelId: string): DigestTarget => ({ platform: 'discord', workspaceId: GUILD, channelId, timezone: 'UTC', topN: 3, minUpvotes: 0, topic: null });

async function planFor(sub: DigestTarget): Promise<DigestPlan> {
  const plan = await t.services.digests.plan(sub, 'now');
  if ('skip' in plan) throw new Error(plan.skip);
  return plan;
}

/** Makes the store's nth recordPosted call fail once: the process "died" right after a post. */
function failRecordOnce(nth: number): () => void {
  const real = t.store.recordPosted.bind(t.store);
  let calls = 0;
  t.store.recordPosted = async (e: PostedEntry) => {
    if (++calls === nth) throw new Error('crashed before recording');
    return real(e);
  };
  return () => void (t.store.recordPosted = real);
}

describe('Discord findPosted', () => {
  it('the stand-in really forgets nonces: the same key posted twice shows twice', async () => {
    const ref = { platform: 'discord' as const, workspaceId: GUILD, channelId: '400000000000000009' };
    await poster.post(ref, { kind: 'notice', text: 'once' }, { idempotencyKey: 'k' });
    await poster.post(ref, { kind: 'notice', text: 'once' }, { idempotencyKey: 'k' });
    expect(discord.messages(ref.channelId)).toHaveLength(2);
  });

  it('a retry of a paper message after the nonce window finds the first post', async () => {
    const sub = target('400000000000000001');
    const plan = await planFor(sub);
    let inFlight: string | undefined;
    const restore = failRecordOnce(3); // header and paper 1 recorded; paper 2 posted, not recorded
    await expect(t.services.digests.deliver(sub, plan, poster, { onSending: async (k) => void (inFlight = k) })).rejects.toThrow(/crashed/);
    restore();
    expect(discord.messages(sub.channelId)).toHaveLength(3);

    const outcome = await t.services.digests.deliver(sub, plan, poster, { inFlightKey: inFlight! });
    expect(outcome.posted).toBe(2); // paper 2 found and recorded, paper 3 sent
    const shown = discord.messages(sub.channelId);
    expect(shown).toHaveLength(plan.messages.length);
    const log = await t.store.listPosted({ platform: 'discord', workspaceId: GUILD, channelId: sub.channelId }, plan.day);
    expect(log.map((e) => e.messageId)).toEqual(shown.map((m) => m.id));
  });

  it('a header rebuilt from the outbox (recovered) is found by the key in its link', async () => {
    const sub = target('400000000000000002');
    const plan = await planFor(sub);
    const restore = failRecordOnce(1);
    await expect(t.services.digests.deliver(sub, plan, poster)).rejects.toThrow(/crashed/);
    restore();
    const [header] = discord.messages(sub.channelId);
    expect(header!.embeds[0].url).toMatch(/^https:\/\/huggingface\.co\/papers\/date\/2026-08-21#k=/);

    await t.services.digests.deliver(sub, plan, poster, { recovered: true });
    const shown = discord.messages(sub.channelId);
    expect(shown).toHaveLength(plan.messages.length);
    expect(shown.filter((m) => m.embeds[0]?.url?.includes('/papers/date/'))).toHaveLength(1);
  });

  it("ignores a member's message that carries the same fragment, and finds nothing for an unknown key", async () => {
    const ref = { platform: 'discord' as const, workspaceId: GUILD, channelId: '400000000000000003' };
    expect(await poster.findPosted(ref, 'never-posted')).toBeNull();
    const posted = await poster.post(ref, { kind: 'digestHeader', date: '2026-08-21', title: 'T', themesLine: 'x', count: 1 }, { idempotencyKey: 'hdr' });
    discord.userMessage(ref.channelId, { embeds: discord.message(posted.messageId)!.embeds });
    expect(await poster.findPosted(ref, 'hdr')).toEqual({ messageId: posted.messageId });
  });
});
