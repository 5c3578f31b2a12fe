/**
 * The whole bot on Slack, wired the way src/main.ts wires it: the in-memory store seeded
 * from the committed sample, the real Lunr index (built on this thread), the real digest
 * service and handlers, the real SlackPlatform (Bolt, HTTP or Socket Mode) talking to the
 * Slack stand-in, and an inline digest dispatcher pointed at that platform, so
 * `/papers digest now` posts through the stand-in.
 */
import { commands } from '../../../commands/index.js';
import type { ScheduleSync } from '../../../src/core/services.js';
import { createHandlers } from '../../../src/core/bot.js';
import { PLATFORMS } from '../../../src/platforms/index.js';
import type { PlatformHandlers } from '../../../src/core/ports.js';
import type { BotServices } from '../../../src/core/services.js';
import { SlackPlatform, type SlackConfig, type SlackPlatformOptions } from '../../../src/platforms/slack/slack-platform.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import { makeTestServices } from '../../support/bot-harness.js';
import { DEFAULT_APP_TOKEN, DEFAULT_WORKSPACE, SlackRequestSender, startSlackStandin, type SlackStandin, type SlackStandinOptions } from '../../support/slack-standin/index.js';

export const SIGNING_SECRET = 'test-signing-secret';
export const OAUTH = { clientId: '1111.2222', clientSecret: 'test-client-secret', stateSecret: 'test-state-secret' };

export interface SlackBot {
  slack: SlackStandin;
  platform: SlackPlatform;
  store: MemoryStore;
  services: BotServices;
  handlers: PlatformHandlers;
  /** HTTP mode: signed requests to the bot's /slack/events. */
  send: SlackRequestSender;
  /** HTTP mode: the bot's base URL. */
  url: string;
  clock: { now: () => Date; set(iso: string): void };
  close(): Promise<void>;
}

export interface SlackBotOptions {
  mode?: 'http' | 'socket';
  oauth?: boolean;
  subscribePolicy?: 'everyone' | 'admins';
  standin?: SlackStandinOptions;
  /** Reuse a running stand-in (it is not closed by `close`). */
  slack?: SlackStandin;
  nowIso?: string;
  tuning?: SlackPlatformOptions['tuning'];
  /** TOKEN_ENCRYPTION_KEY: installations stored sealed. */
  tokenKey?: Buffer;
  /** Deliveries seen by every bot sharing it (a Redis), as main.ts passes the queue side's. */
  seen?: SlackPlatformOptions['seen'];
  /** The job schedulers subscriptions and inboxes are kept in (default: none, as without Redis). */
  schedules?: ScheduleSync;
}



export function slackConfig(slack: SlackStandin, o: { mode?: 'http' | 'socket'; oauth?: boolean; subscribePolicy?: 'everyone' | 'admins'; tokenKey?: Buffer } = {}): SlackConfig {
  return {
    botToken: o.oauth ? undefined : DEFAULT_WORKSPACE.botToken,
    appToken: o.mode === 'socket' ? DEFAULT_APP_TOKEN : undefined,
    signingSecret: SIGNING_SECRET,
    oauth: o.oauth ? OAUTH : undefined,
    apiUrl: slack.apiUrl,
    subscribePolicy: o.subscribePolicy ?? 'everyone',
    port: 0,
    tokenKey: o.tokenKey,
  };
}

export async function startSlackBot(o: SlackBotOptions = {}): Promise<SlackBot> {
  const ownStandin = !o.slack;
  const slack = o.slack ?? (await startSlackStandin({ ...(o.oauth ? { oauth: OAUTH } : {}), ...o.standin }));
  let platform: SlackPlatform;
  const { services, store, clock, index } = await makeTestServices({
    ...(o.nowIso ? { nowIso: o.nowIso } : {}),
    ...(o.schedules ? { schedules: o.schedules } : {}),
    platformFor: (name) => (name === 'slack' ? platform : undefined),
  });
  const log = services.log;
  platform = new SlackPlatform({
    slack: slackConfig(slack, { mode: o.mode ?? 'http', ...(o.oauth ? { oauth: true } : {}), ...(o.subscribePolicy ? { subscribePolicy: o.subscribePolicy } : {}), ...(o.tokenKey ? { tokenKey: o.tokenKey } : {}) }),
    store,
    commands,
    log,
    ...(o.tuning ? { tuning: o.tuning } : {}),
    ...(o.seen ? { seen: o.seen } : {}),
  });
  const handlers = createHandlers(services, commands, PLATFORMS);
  await platform.start(handlers);
  const url = platform.address?.url ?? '';
  return {
    slack,
    platform,
    store,
    services,
    handlers,
    send: new SlackRequestSender(`${url}/slack/events`, SIGNING_SECRET),
    url,
    clock,
    async close() {
      await platform.stop();
      await index.close();
      if (ownStandin) await slack.close();
    },
  };
}
