/**
 * Live counts (issue 15 part 4): the edit sweep over the messages a delivery posted, on a
 * fake clock. Only a changed count edits, only within 48 hours of posting, every field but
 * the counts as posted; edits take only spare capacity (tryTake, never take) under the
 * shared limiter; a message the platform will never edit again stops being watched.
 */
import { describe, expect, it } from 'vitest';
import { refreshLiveCounts } from '../../src/core/digest/live-counts.js';
import { DigestService } from '../../src/core/digest/digest-service.js';
import { ChannelUnavailableError, UpstreamError } from '../../src/core/errors.js';
import type { Paper } from '../../src/core/paper.js';
import type { ChannelRef, ChatPlatform, PaperIndex } from '../../src/core/ports.js';
import type { Rate, RateLimiter } from '../../src/redis/gcra-rate-limiter.js';
import { platformRates, RateLimitedPlatform } from '../../src/redis/rate-limited-platform.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { FakePlatform, recordingLogger } from '../support/fakes/index.js';
import { paper } from './helpers.js';

const CH: ChannelRef = { platform: 'discord', workspaceId: 'g1', channelId: 'c1' };
const POSTED_AT = Date.parse('2026-08-21T09:00:00.000Z');
const HOUR = 3600_000;

function setup() {
  let now = POSTED_AT;
  const clock = { now: () => new Date(now) };
  const store = new MemoryStore();
  const log = recordingLogger();
  const digests = new DigestService({ store, index: {} as PaperIndex, clock, log });
  const platform = new FakePlatform({ name: 'discord' });
  const papers: Paper[] = [
    paper({ id: '2608.00001', title: 'First', upvotes: 40, comments: 3 }),
    paper({ id: '2608.00002', title: 'Second', upvotes: 20, comments: 0 }),
    paper({ id: '2608.00003', title: 'Third', upvotes: 10, comments: null }),
  ];
  return {
    store,
    log,
    platform,
    clock,
    at: (hours: number) => (now = POSTED_AT + hours * HOUR),
    async deliver() {
      await store.upsertPapers(papers);
      const out = await digests.run({ ...CH, timezone: 'UTC', topN: 3, minUpvotes: 0, topic: null, order: 'upvotes' }, 'now', platform);
      expect(out.posted).toBe(3);
    },
    /** The ingest refreshing counts: the stored paper merges the new ones in (counts only grow). */
    async refresh(id: string, counts: { upvotes?: number; comments?: number }) {
      const p = papers.find((x) => x.id === id)!;
      await store.upsertPapers([{ ...p, ...counts }]);
    },
    sweep: (p: ChatPlatform = platform, pageSize?: number) => refreshLiveCounts({ store, clock, log }, p, pageSize ? { pageSize } : {}),
  };
}

describe('live counts: the edit sweep', () => {
  it('edits a posted paper message only when a count changed, keeping every other field as posted', async () => {
    const t = setup();
    await t.deliver();
    const posted = t.platform.posts.filter((p) => p.message.kind === 'digestPaper');
    expect(await t.sweep()).toMatchObject({ watched: 3, edited: 0, unchanged: 3 });

    t.at(1);
    await t.refresh('2608.00002', { upvotes: 27 });
    await t.refresh('2608.00003', { comments: 1 });
    expect(await t.sweep()).toMatchObject({ watched: 3, edited: 2, unchanged: 1 });
    expect(t.platform.edits.map((e) => e.messageId)).toEqual([posted[1]!.messageId, posted[2]!.messageId]);
    const [second, third] = t.platform.edits;
    const was = posted[1]!.message;
    // The same message (position, of, date, title, Save button …) with the new counts, under the key it was posted with.
    expect(second!.message).toEqual({ ...was, paper: { ...(was as { paper: object }).paper, upvotes: 27, comments: 0 } });
    expect(second!.key).toBe(posted[1]!.key);
    expect(second!.channel).toEqual(CH);
    expect(third!.message).toMatchObject({ kind: 'digestPaper', position: 3, of: 3, paper: { upvotes: 10, comments: 1 } });

    // Nothing changed since: nothing edited again.
    t.at(2);
    expect(await t.sweep()).toMatchObject({ edited: 0, unchanged: 3 });
    expect(t.platform.edits).toHaveLength(2);
  });

  it('keeps counts current for 48 hours after posting, then stops (and the sweep prunes the watch)', async () => {
    const t = setup();
    await t.deliver();
    t.at(47.9);
    await t.refresh('2608.00001', { upvotes: 90 });
    expect(await t.sweep()).toMatchObject({ watched: 3, edited: 1 });
    t.at(48.1);
    await t.refresh('2608.00001', { upvotes: 120 });
    expect(await t.sweep()).toMatchObject({ watched: 0, edited: 0 });
    expect(t.platform.edits.map((e) => (e.message as { paper: { upvotes: number } }).paper.upvotes)).toEqual([90]);
    expect(await t.store.deliveries.pruneWatched(new Date(POSTED_AT + 48 * HOUR).toISOString())).toBe(3);
  });

  it('stops watching a message the platform refuses for good, and tries a passing failure again next time', async () => {
    const t = setup();
    await t.deliver();
    const [a, b, c] = t.platform.posts.filter((p) => p.message.kind === 'digestPaper').map((p) => p.messageId);
    t.platform.editFails.set(a!, new UpstreamError('Discord refused the request.', { status: 404, retryable: false, detail: 'code 10008 Unknown Message' }));
    t.platform.editFails.set(b!, new UpstreamError('Discord did not answer.', { status: 503, retryable: true }));
    t.platform.editFails.set(c!, new ChannelUnavailableError('10003', 'Unknown Channel'));
    t.at(1);
    for (const id of ['2608.00001', '2608.00002', '2608.00003']) await t.refresh(id, { upvotes: 500 });
    expect(await t.sweep()).toMatchObject({ edited: 0, dropped: 2, failed: 1 });
    t.platform.editFails.clear();
    expect(await t.sweep()).toMatchObject({ watched: 1, edited: 1 });
    expect(t.platform.edits.map((e) => e.messageId)).toEqual([b]);
  });

  it('reads the messages a page at a time, missing none when one is dropped on the way', async () => {
    const t = setup();
    await t.deliver();
    const [a, b, c] = t.platform.posts.filter((p) => p.message.kind === 'digestPaper').map((p) => p.messageId);
    t.platform.editFails.set(a!, new UpstreamError('Discord refused the request.', { status: 404, retryable: false }));
    t.at(1);
    for (const id of ['2608.00001', '2608.00002', '2608.00003']) await t.refresh(id, { upvotes: 600 });
    expect(await t.sweep(t.platform, 2)).toMatchObject({ watched: 3, dropped: 1, edited: 2 });
    expect(t.platform.edits.map((e) => e.messageId)).toEqual([b, c]);
  });

  it('never stands in line for a turn: an edit waits until the limiter has a slot to spare, while a digest post goes first', async () => {
    const t = setup();
    await t.deliver();
    const order: string[] = [];
    let busy = true;
    const limiter: RateLimiter = {
      async take(key: string, _rate: Rate) {
        order.push(`take ${key}`);
      },
      async tryTake(key: string) {
        order.push(`tryTake ${key}${busy ? ' (busy)' : ''}`);
        return busy ? 5 : 0;
      },
    };
    const calls: string[] = [];
    const rates = platformRates({ discord: (_ch, call) => (calls.push(call), { key: 'discord:global', rate: { perSecond: 50, burst: 1 } }) });
    const inner = t.platform;
    const recordEdits = inner.edit.bind(inner);
    inner.edit = async (...args) => {
      order.push('edit');
      return recordEdits(...args);
    };
    const paced = new RateLimitedPlatform(inner, limiter, rates);
    t.at(1);
    await t.refresh('2608.00001', { upvotes: 41 });
    const sweeping = t.sweep(paced);
    // The sweep is waiting for spare capacity; a digest message takes its reserved turn meanwhile.
    await waitUntil(() => order.filter((o) => o.endsWith('(busy)')).length >= 2);
    await paced.post(CH, { kind: 'notice', text: 'digest' });
    order.push('posted');
    busy = false;
    expect(await sweeping).toMatchObject({ edited: 1 });
    expect(order.indexOf('posted')).toBeLessThan(order.indexOf('edit'));
    expect(order.filter((o) => o.startsWith('take'))).toEqual(['take discord:global']); // the post's, never an edit's
    expect(order.slice(-2)).toEqual(['tryTake discord:global', 'edit']);
    expect(calls).toEqual(['edit', 'post']); // the rule each asked for: call 'edit' for the edit
  });
});

async function waitUntil(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 2));
  }
}
