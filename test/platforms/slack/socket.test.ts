/**
 * The same app in Socket Mode: apps.connections.open on the stand-in, a `ws` connection,
 * hello, then envelopes (slash command, reaction event, button), each acknowledged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.js';
import { ConfigError } from '../../../src/core/errors.js';
import { silentLogger } from '../../../src/log.js';
import { SlackPlatform } from '../../../src/platforms/slack/slack-platform.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import { blockActions, eventCallback, reactionEvent, slashCommand, validateBlocks } from '../../support/slack-standin/index.js';
import { slackConfig, startSlackBot, type SlackBot } from './slack-bot.js';

let bot: SlackBot;
beforeAll(async () => {
  bot = await startSlackBot({ mode: 'socket' });
  await bot.slack.socket.connected();
});
afterAll(async () => {
  await bot?.close();
});

describe('Socket Mode', () => {
  it('connected through apps.connections.open with the app token, and opened no HTTP port', () => {
    expect(bot.platform.mode).toBe('socket');
    expect(bot.platform.address).toBeUndefined();
    const open = bot.slack.callsOf('apps.connections.open');
    expect(open.at(-1)).toMatchObject({ status: 200, token: 'xapp-test' });
    expect(bot.slack.socket.connections).toBe(1);
  });

  it('acknowledges a slash command envelope, then answers through the response_url', async () => {
    const ack = await bot.slack.socket.send('slash_commands', slashCommand({ text: 'search "sparse attention" --top 2', responseUrl: bot.slack.responseUrl('sock-1') }));
    expect(ack.envelope_id).toBeTruthy();
    const r = await bot.slack.waitFor(() => bot.slack.responses.find((x) => x.id === 'sock-1'), 10_000, 'the answer');
    expect(r.body.response_type).toBe('ephemeral');
    expect(validateBlocks(r.body.blocks)).toEqual([]);
    expect((r.body.blocks as { type: string }[]).filter((b) => b.type === 'section')).toHaveLength(2);
  });

  it('posts a digest and bookmarks by reaction; a redelivered event is handled once', async () => {
    await bot.slack.socket.send('slash_commands', slashCommand({ text: 'digest now', channelId: 'C0SOCK', responseUrl: bot.slack.responseUrl('sock-2') }));
    await bot.slack.waitFor(() => bot.slack.responses.find((x) => x.id === 'sock-2'), 10_000, 'the digest answer');
    const paperMsg = bot.slack.channelMessages('C0SOCK')[1]!;
    const paperId = paperMsg.metadata!.event_payload.paper_id;

    const cb = eventCallback(reactionEvent('reaction_added', { channel: 'C0SOCK', ts: paperMsg.ts, user: 'U0IVAN' }), { eventId: 'EvSOCK1' });
    await bot.slack.socket.send('events_api', cb);
    await bot.platform.idle();
    expect((await bot.store.listBookmarks('slack', 'U0IVAN')).map((b) => b.paperId)).toEqual([paperId]);

    // Removed by hand, then Slack redelivers the old "added" event: it must not come back.
    await bot.store.removeBookmark('slack', 'U0IVAN', paperId as string);
    await bot.slack.socket.send('events_api', cb, { retryAttempt: 1, retryReason: 'timeout' });
    await bot.platform.idle();
    expect(await bot.store.listBookmarks('slack', 'U0IVAN')).toEqual([]);
  });

  it('handles a button press envelope', async () => {
    await bot.slack.socket.send('interactive', blockActions({ actionId: 'bm:2608.19758', userId: 'U0JUDY', responseUrl: bot.slack.responseUrl('sock-3') }));
    const r = await bot.slack.waitFor(() => bot.slack.responses.find((x) => x.id === 'sock-3'), 5_000, 'the save answer');
    expect(JSON.stringify(r.body.blocks)).toMatch(/Saved/);
    expect((await bot.store.listBookmarks('slack', 'U0JUDY')).map((b) => b.paperId)).toEqual(['2608.19758']);
  });

  it('fails to start with a clear message when Slack refuses a token', async () => {
    const base = slackConfig(bot.slack, { mode: 'socket' });
    const badApp = new SlackPlatform({ slack: { ...base, appToken: 'wrong-app-token' }, store: new MemoryStore(), commands, log: silentLogger() });
    await expect(badApp.start({} as never)).rejects.toThrow(ConfigError);
    await expect(new SlackPlatform({ slack: { ...base, appToken: 'wrong-app-token' }, store: new MemoryStore(), commands, log: silentLogger() }).start({} as never)).rejects.toThrow(/SLACK_APP_TOKEN: .*invalid_auth/);
    const badBot = new SlackPlatform({ slack: { ...base, botToken: 'wrong-bot-token' }, store: new MemoryStore(), commands, log: silentLogger() });
    await expect(badBot.start({} as never)).rejects.toThrow(/SLACK_BOT_TOKEN: .*invalid_auth/);
  });
});
