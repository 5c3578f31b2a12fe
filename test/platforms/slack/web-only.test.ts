/**
 * The Slack platform as a digest worker uses it (`webOnly: true`): post, findPosted and
 * addBookmarkHint through the Web API, against the stand-in's faults and rate limit.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.js';
import { ChannelUnavailableError, UpstreamError } from '../../../src/core/errors.js';
import type { ChannelRef } from '../../../src/core/ports.js';
import type { OutboundMessage } from '../../../src/core/reply.js';
import { toPaperView } from '../../../src/core/views.js';
import { silentLogger } from '../../../src/log.js';
import { SlackPlatform } from '../../../src/platforms/slack/slack-platform.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import { makePaper } from '../../support/papers.js';
import { startSlackStandin, type SlackStandin } from '../../support/slack-standin/index.js';
import { slackConfig } from './slack-bot.js';

let slack: SlackStandin;
let store: MemoryStore;
let platform: SlackPlatform;
beforeAll(async () => {
  slack = await startSlackStandin();
});
afterAll(async () => {
  await slack?.close();
});
beforeEach(async () => {
  store = new MemoryStore();
  slack.rateLimit = null;
  platform = new SlackPlatform({ slack: slackConfig(slack), store, commands, log: silentLogger(), webOnly: true });
  await platform.start({} as never); // no receiver: a no-op
});

const ch = (channelId: string): ChannelRef => ({ platform: 'slack', workspaceId: 'T0TEST', channelId });
const paperMsg = (id: string): OutboundMessage => ({ kind: 'digestPaper', date: '2026-08-21', paper: toPaperView(makePaper({ id, title: `Paper ${id}` })), position: 1, of: 1 });

describe('webOnly Slack platform', () => {
  it('posts with metadata, finds the post again by key, and adds the 🔖 hint once', async () => {
    expect(platform.mode).toBe('web');
    const { messageId } = await platform.post(ch('C1'), paperMsg('2401.00001'), { idempotencyKey: 'slack:C1:2026-08-21:2401.00001' });
    expect(slack.channelMessages('C1')[0]).toMatchObject({ ts: messageId, metadata: { event_type: 'papers_bot_post', event_payload: { paper_id: '2401.00001' } } });
    await platform.post(ch('C1'), { kind: 'notice', text: 'chatter' });
    expect(await platform.findPosted(ch('C1'), 'slack:C1:2026-08-21:2401.00001')).toEqual({ messageId });
    expect(await platform.findPosted(ch('C1'), 'slack:C1:2026-08-21:2401.99999')).toBeNull();
    expect(await platform.findPosted(ch('C-EMPTY'), 'anything')).toBeNull();
    expect(slack.callsOf('conversations.history').at(-1)!.args).toMatchObject({ include_all_metadata: 'true' });
    await platform.addBookmarkHint(ch('C1'), messageId);
    await platform.addBookmarkHint(ch('C1'), messageId); // already_reacted is fine
    expect(slack.reactions.filter((r) => r.ts === messageId)).toHaveLength(1);
  });

  it('finds a message that was posted although Slack answered 500 (the ambiguous failure)', async () => {
    slack.fail('chat.postMessage', { kind: 'commitThen500' });
    const err = await platform.post(ch('C2'), paperMsg('2401.00002'), { idempotencyKey: 'k-ambiguous' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ retryable: true, status: 500 });
    expect(slack.channelMessages('C2')).toHaveLength(1); // not retried blindly
    expect(await platform.findPosted(ch('C2'), 'k-ambiguous')).toEqual({ messageId: slack.channelMessages('C2')[0]!.ts });
  });

  it('waits out a 429 (Retry-After) and posts once', async () => {
    slack.fail('chat.postMessage', { kind: '429', retryAfter: 1 });
    await platform.post(ch('C3'), paperMsg('2401.00003'), { idempotencyKey: 'k3' });
    expect(slack.channelMessages('C3')).toHaveLength(1);
    expect(slack.callsOf('chat.postMessage').filter((c) => c.args.channel === 'C3').map((c) => c.status)).toEqual([429, 200]);
  });

  it('keeps to the enforced per-channel rate limit by waiting, never by losing or doubling a post', async () => {
    // Slow enough that back-to-back posts meet a 429 however loaded the machine is.
    slack.rateLimit = { perSecond: 2, burst: 1 };
    for (let i = 0; i < 3; i++) await platform.post(ch('C4'), paperMsg(`2401.0001${i}`), { idempotencyKey: `k4-${i}` });
    expect(slack.channelMessages('C4')).toHaveLength(3);
    const statuses = slack.callsOf('chat.postMessage').filter((c) => c.args.channel === 'C4').map((c) => c.status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
  });

  it('hands back a Retry-After longer than it will wait as a retryable error', async () => {
    const p = new SlackPlatform({ slack: slackConfig(slack), store, commands, log: silentLogger(), webOnly: true, tuning: { maxRateLimitWaitSec: 0 } });
    slack.fail('chat.postMessage', { kind: '429', retryAfter: 30 });
    await expect(p.post(ch('C5'), paperMsg('2401.00005'))).rejects.toMatchObject({ retryable: true, status: 429 });
    expect(slack.channelMessages('C5')).toHaveLength(0);
  });

  it('joins a public channel it is not in yet, once; a private one stays not_in_channel', async () => {
    slack.enforceMembership = true;
    slack.privateChannels.add('C-PRIVATE');
    try {
      const { messageId } = await platform.post(ch('C-PUBLIC'), paperMsg('2401.00020'), { idempotencyKey: 'k-join' });
      expect(slack.channelMessages('C-PUBLIC')).toHaveLength(1);
      expect(slack.callsOf('conversations.join').map((c) => [c.args.channel, c.status, c.error])).toEqual([['C-PUBLIC', 200, undefined]]);
      expect(await platform.findPosted(ch('C-PUBLIC'), 'k-join')).toEqual({ messageId });
      const err = await platform.post(ch('C-PRIVATE'), paperMsg('2401.00021')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ChannelUnavailableError);
      expect((err as ChannelUnavailableError).platformCode).toBe('not_in_channel');
      expect(slack.channelMessages('C-PRIVATE')).toHaveLength(0);
    } finally {
      slack.enforceMembership = false;
    }
  });

  it('maps a gone channel to ChannelUnavailableError and other refusals to non-retryable errors', async () => {
    slack.channelErrors.set('C-GONE', 'is_archived');
    const gone = await platform.post(ch('C-GONE'), paperMsg('2401.00006')).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(ChannelUnavailableError);
    expect((gone as ChannelUnavailableError).platformCode).toBe('is_archived');
    slack.fail('chat.postMessage', { kind: 'error', error: 'invalid_blocks' });
    await expect(platform.post(ch('C6'), paperMsg('2401.00007'))).rejects.toMatchObject({ retryable: false });
    slack.fail('chat.postMessage', { kind: 'http', status: 503 });
    await expect(platform.post(ch('C6'), paperMsg('2401.00008'))).rejects.toMatchObject({ retryable: true, status: 503 });
  });
});
