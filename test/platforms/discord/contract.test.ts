/** The ChatPlatform contract for Discord: the real discord.js client against the Discord stand-in. */
import { inboxRef } from '../../../src/core/people.js';
import { DEFAULT_CHANNEL, DEFAULT_GUILD, DEFAULT_USER } from '../../support/discord-standin/index.js';
import { chatPlatformContract } from '../contract.js';
import { startDiscordBot } from './harness.js';

chatPlatformContract(
  'discord',
  async () => {
    const bot = await startDiscordBot();
    return {
      platform: bot.platform,
      store: bot.store,
      channel: { platform: 'discord', workspaceId: DEFAULT_GUILD, channelId: DEFAULT_CHANNEL },
      async invokeHelp() {
        return JSON.stringify(await bot.discord.answer(bot.discord.slashCommand({ channelId: DEFAULT_CHANNEL, subcommand: 'help' })));
      },
      async shown(messageId) {
        const m = bot.discord.messages(DEFAULT_CHANNEL).find((x) => x.id === messageId);
        return m && JSON.stringify(m);
      },
      inbox: {
        ref: inboxRef({ platform: 'discord', workspaceId: '@me', userId: DEFAULT_USER.id }),
        async shown(messageId) {
          const m = bot.discord.dms(DEFAULT_USER.id).find((x) => x.id === messageId);
          return m && JSON.stringify(m);
        },
      },
      async react(messageId, userId) {
        bot.discord.react({ channelId: DEFAULT_CHANNEL, messageId, emoji: '🔖', user: { id: userId, username: 'contract' } as never });
      },
      async waitFor(fn, what) {
        await bot.discord.waitFor(async () => (await fn()) || undefined, { what });
      },
      close: () => bot.close(),
    };
  },
  { findPosted: true, reactions: true },
);
