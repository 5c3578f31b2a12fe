/**
 * The digest order setting end to end on the committed sample (real days 2026-08-10 …
 * 2026-08-21) with a synthetic refresh history: `--order` on subscribe and settings, the
 * channel digest and /papers trending following it, and a bad order refused.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { UpvoteSample } from '../../src/core/momentum.js';
import type { ChannelRef } from '../../src/core/ports.js';
import type { PaperListReply, Reply } from '../../src/core/reply.js';
import { CHANNEL, makeHarness, type Harness } from '../support/bot-harness.js';

// Fri 21 Aug 2026 in the sample: 2608.19880 leads with 163 upvotes, 2608.20335 has 38.
const BIG = '2608.19880';
const RISING = '2608.20335';
const at = (hm: string): string => `2026-08-21T${hm}:00.000Z`;
const s = (paperId: string, hm: string, upvotes: number): UpvoteSample => ({ paperId, observedAt: at(hm), upvotes });
/** The leader got its votes overnight and stalled; 2608.20335 went from 2 to 38 since 06:00. */
const HISTORY = [s(BIG, '01:00', 150), s(BIG, '04:00', 163), s(RISING, '06:00', 2), s(RISING, '08:00', 20), s(RISING, '09:30', 38)];
const OTHER: ChannelRef = { ...CHANNEL, channelId: 'c2' };

function list(r: Reply): PaperListReply {
  if (r.kind !== 'papers') throw new Error(`expected a paper list, got ${r.kind}: ${'text' in r ? r.text : ''}`);
  return r;
}
function textOf(r: Reply): string {
  if (r.kind !== 'text') throw new Error(`expected text, got ${r.kind}`);
  return r.text;
}
const postedIds = (h: Harness, ref: ChannelRef): string[] =>
  h.platform.posts.flatMap((p) => (p.channel.channelId === ref.channelId && p.message.kind === 'digestPaper' ? [p.message.paper.id] : []));

let h: Harness;
beforeEach(async () => {
  h = await makeHarness('2026-08-21T10:00:00Z');
  await h.store.upvotes.record(HISTORY);
});

describe('/papers trending', () => {
  it('ranks by momentum by default and says so; --order upvotes for one call', async () => {
    const r = list(await h.run('trending'));
    expect(r.subheading).toBe('Ranked by momentum: upvotes gained per hour since featured.');
    const ids = r.papers.map((p) => p.id);
    expect(ids[0]).toBe(RISING);
    expect(ids).not.toContain(BIG); // 13 upvotes in the 9 hours since 01:00: off the first page

    const byVotes = list(await h.run('trending --order upvotes'));
    expect(byVotes.subheading).toBe('Ranked by upvotes.');
    expect(byVotes.papers[0]!.id).toBe(BIG);
    expect(byVotes.papers.findIndex((p) => p.id === RISING)).toBeGreaterThan(0);
    // The one call did not change the channel.
    expect(await h.store.getSubscription(CHANNEL)).toBeNull();
  });

  it("follows the channel's setting, which --order overrides for that call only", async () => {
    await h.run('subscribe --order upvotes');
    expect(list(await h.run('trending')).papers[0]!.id).toBe(BIG);
    expect(list(await h.run('trending')).subheading).toBe('Ranked by upvotes.');
    expect(list(await h.run('trending --order trending')).papers[0]!.id).toBe(RISING);
    expect((await h.store.getSubscription(CHANNEL))!.order).toBe('upvotes');
    // A page turn keeps the order the first page was asked in.
    const first = list(await h.run('trending --order trending --top 10'));
    const next = list((await h.handlers.action({ ...CHANNEL, id: 'p', userId: 'u1', actionId: first.pager!.nextAction!, permissions: { manageChannel: false, workspaceAdmin: false } }))!);
    expect(next.subheading).toBe('Ranked by momentum: upvotes gained per hour since featured.');
  });
});

describe('subscribe and settings --order', () => {
  it('subscribes with trending by default and switches to upvotes; the settings say which', async () => {
    await h.run('subscribe');
    expect((await h.store.getSubscription(CHANNEL))!.order).toBe('trending');
    expect(textOf(await h.run('settings'))).toMatch(/Papers are ranked by momentum: upvotes gained per hour since featured/);
    expect(textOf(await h.run('settings --order upvotes'))).toMatch(/^Saved: .*ordered by upvotes/);
    expect((await h.store.getSubscription(CHANNEL))!.order).toBe('upvotes');
    expect(textOf(await h.run('settings'))).toMatch(/ordered by upvotes\..*Papers are ranked by upvotes/);
    expect(textOf(await h.run('settings --order TRENDING'))).not.toMatch(/ordered by upvotes/);
    expect((await h.store.getSubscription(CHANNEL))!.order).toBe('trending');
  });

  it('refuses an unknown order with a short message, and stores nothing', async () => {
    // Typed: the text parser refuses it before anything runs (Discord offers only the choices).
    for (const c of ['subscribe --order random', 'settings --order random --top 7', 'trending --order random']) {
      await expect(h.run(c)).rejects.toMatchObject({ userMessage: expect.stringMatching(/^"random" is not a choice for --order in \w+: use trending, upvotes\.$/) });
    }
    expect(await h.store.getSubscription(CHANNEL)).toBeNull();
    // Handed over as a raw value by a platform: the bot checks the choices too.
    const raw = (command: string, options: Record<string, string | number>) =>
      h.handlers.command({ ...CHANNEL, id: `raw-${command}`, userId: 'u1', command, options, permissions: { manageChannel: true, workspaceAdmin: false } });
    const refused = await raw('subscribe', { order: 'random', top: 3 });
    expect(refused).toMatchObject({ kind: 'text', tone: 'error' });
    expect(textOf(refused)).toMatch(/^"random" is not a choice for --order in subscribe: use trending, upvotes\.$/);
    expect(await h.store.getSubscription(CHANNEL)).toBeNull();
    await h.run('subscribe --top 3');
    const before = await h.store.getSubscription(CHANNEL);
    expect(textOf(await raw('settings', { order: 'random', top: 7 }))).toMatch(/is not a choice for --order/);
    expect(await h.store.getSubscription(CHANNEL)).toEqual(before);
    expect(textOf(await raw('trending', { order: 'random' }))).toMatch(/is not a choice for --order/);
  });
});

describe('the channel digest follows the order', () => {
  it('posts the riser first under trending, the leader first under upvotes', async () => {
    await h.run('subscribe --order trending');
    await h.run('subscribe --order upvotes', { channel: OTHER });
    expect(textOf(await h.run('digest now'))).toMatch(/^Posted 5 papers from Fri,? 21 Aug 2026/);
    await h.run('digest now', { channel: OTHER });
    const trending = postedIds(h, CHANNEL);
    const upvotes = postedIds(h, OTHER);
    expect(trending[0]).toBe(RISING);
    expect(upvotes[0]).toBe(BIG);
    expect(upvotes.indexOf(RISING)).toBeGreaterThan(0);
    expect(trending).not.toContain(BIG);
    const votes = (await h.store.getPapers(upvotes)).map((p) => p.upvotes ?? 0);
    expect(votes).toEqual([...votes].sort((a, b) => b - a));
  });
});
