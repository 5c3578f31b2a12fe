/**
 * The Slack plug-in: everything the app knows about Slack, in one record. The SDK code
 * loads only when a factory or the CLI runs, so reading config never loads Bolt.
 */
import { definePlatform } from '../descriptor.js';
import { slackConfig, type SlackSection } from './slack-config.js';

export const slackPlatform = definePlatform<SlackSection>({
  name: 'slack',
  permissionRefusal:
    'In this workspace only workspace admins and owners can subscribe a channel or change its digest. An admin can allow everyone from the Home tab of this app.',
  config: slackConfig,
  enabled: (s) => s.connection !== undefined,
  describe: (s) => (s.connection?.appToken ? 'Slack Socket Mode' : s.connection?.oauth ? 'Slack HTTP (OAuth, many workspaces)' : 'Slack HTTP'),
  rates: (s) => (channel, call) =>
    // A burst of 2 stays inside Slack's "short bursts" (about 1 message/s per channel) whatever their exact size.
    call === 'post'
      ? { key: `slack:${channel.workspaceId}:${channel.channelId}`, rate: { perSecond: s.messagesPerSecond, burst: 2 } }
      : // reactions.add and conversations.history are per workspace (Tier 3: 50+ per minute).
        { key: `slack:${channel.workspaceId}:tier3`, rate: { perSecond: s.tier3PerMinute / 60, burst: 5 } },
  async createBot(s, deps) {
    const { SlackPlatform } = await import('./slack-platform.js');
    return new SlackPlatform({ slack: s.connection!, store: deps.store, commands: deps.commands, log: deps.log.child({ platform: 'slack' }), ...(deps.mountHttp ? { mountHttp: deps.mountHttp } : {}), ...(deps.seen ? { seen: deps.seen } : {}) });
  },
  async createPoster(s, deps) {
    const { SlackPlatform } = await import('./slack-platform.js');
    return new SlackPlatform({ slack: s.connection!, store: deps.store, commands: deps.commands, log: deps.log.child({ platform: 'slack' }), webOnly: true });
  },
  cli: {
    usage: '  slack manifest [--socket | --http --url URL]\n                                     Print the Slack app manifest (see docs/slack.md)',
    async run(args, s) {
      const { slackCli } = await import('./slack-cli.js');
      return slackCli(args, { slack: s.connection });
    },
  },
});
