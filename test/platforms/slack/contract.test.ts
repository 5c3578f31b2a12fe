/** The ChatPlatform contract for Slack: the real Bolt app (HTTP mode) against the Slack stand-in. */
import { randomUUID } from 'node:crypto';
import { inboxRef } from '../../../src/core/people.js';
import { eventCallback, reactionEvent, slashCommand } from '../../support/slack-standin/index.js';
import { chatPlatformContract } from '../contract.js';
import { startSlackBot } from './slack-bot.js';

const CHANNEL_ID = 'C0CONTRACT';

chatPlatformContract(
  'slack',
  async () => {
    const bot = await startSlackBot();
    return {
      platform: bot.platform,
      store: bot.store,
      channel: { platform: 'slack', workspaceId: 'T0TEST', channelId: CHANNEL_ID },
      async invokeHelp() {
        const id = randomUUID();
        await bot.send.command(slashCommand({ text: 'help', channelId: CHANNEL_ID, responseUrl: bot.slack.responseUrl(id) }));
        const r = await bot.slack.waitFor(() => bot.slack.responses.find((x) => x.id === id), 10_000, 'the answer to /papers help');
        return JSON.stringify(r.body);
      },
      async shown(messageId) {
        const m = bot.slack.channelMessages(CHANNEL_ID).find((x) => x.ts === messageId);
        return m && JSON.stringify(m);
      },
      inbox: {
        ref: inboxRef({ platform: 'slack', workspaceId: 'T0TEST', userId: 'U0CONTRACT' }),
        async shown(messageId) {
          const m = bot.slack.dmMessages('U0CONTRACT').find((x) => x.ts === messageId);
          return m && JSON.stringify(m);
        },
      },
      async react(messageId, userId) {
        await bot.send.event(eventCallback(reactionEvent('reaction_added', { channel: CHANNEL_ID, ts: messageId, user: userId })));
      },
      async waitFor(fn, what) {
        const deadline = Date.now() + 10_000;
        while (!(await fn())) {
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
          await new Promise((r) => setTimeout(r, 20));
        }
      },
      close: () => bot.close(),
    };
  },
  { findPosted: true, reactions: true },
);
