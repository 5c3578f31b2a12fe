/**
 * The whole bot wired as production wires it, on Discord: the real handlers
 * (createHandlers) over a MemoryStore seeded from the committed sample, a real Lunr
 * index, the real digest service behind an InlineDigestDispatcher pointed at the
 * DiscordPlatform, and that platform's discord.js client logged in to the local
 * stand-in. Logs are kept in memory so tests can check what went to the log.
 */
import { pino } from 'pino';
import type { Throttle } from '../../../src/core/throttle.js';
import { commands } from '../../../commands/index.js';
import { createHandlers } from '../../../src/core/bot.js';
import { PLATFORMS } from '../../../src/platforms/index.js';
import type { PlatformHandlers } from '../../../src/core/ports.js';
import type { BotServices, ScheduleSync } from '../../../src/core/services.js';
import { DiscordPlatform, type DiscordPlatformOptions } from '../../../src/platforms/discord/discord-platform.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import { makeTestServices } from '../../support/bot-harness.js';
import { startDiscordStandin, type DiscordStandin, type StandinOptions } from '../../support/discord-standin/index.js';

export interface LogLine {
  level: number;
  msg?: string;
  [key: string]: unknown;
}

export interface DiscordBot {
  discord: DiscordStandin;
  platform: DiscordPlatform;
  store: MemoryStore;
  services: BotServices;
  /** The clock the services read (a test moves it). */
  clock: { now: () => Date; set(iso: string): void };
  handlers: PlatformHandlers;
  logs: LogLine[];
  /** Stops the platform and starts a new one (a bot restart: empty caches, same store). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export function memoryLogger(lines: LogLine[]) {
  return pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) });
}

export async function startDiscordBot(
  opts: { standin?: StandinOptions; platform?: Partial<DiscordPlatformOptions>; wrapHandlers?: (h: PlatformHandlers) => PlatformHandlers; now?: string; throttle?: Throttle; schedules?: ScheduleSync } = {},
): Promise<DiscordBot> {
  const discord = await startDiscordStandin({ heartbeatIntervalMs: 250, ...opts.standin });
  const logs: LogLine[] = [];
  const log = memoryLogger(logs);
  let platform: DiscordPlatform;
  const { services, store, index, clock } = await makeTestServices({
    log,
    ...(opts.now ? { nowIso: opts.now } : {}),
    ...(opts.throttle ? { throttle: opts.throttle } : {}),
    ...(opts.schedules ? { schedules: opts.schedules } : {}),
    platformFor: (name) => (name === 'discord' ? platform : undefined),
  });
  await index.ready();
  const makePlatform = () =>
    new DiscordPlatform({
      token: discord.token,
      appId: discord.appId,
      apiBase: discord.apiBase,
      commands,
      log: log.child({ platform: 'discord' }),
      ...opts.platform,
    });
  platform = makePlatform();
  const real = createHandlers(services, commands, PLATFORMS);
  const handlers = opts.wrapHandlers ? opts.wrapHandlers(real) : real;
  await platform.start(handlers);
  return {
    discord,
    get platform() {
      return platform;
    },
    store,
    services,
    clock,
    handlers,
    logs,
    async restart() {
      await platform.stop();
      platform = makePlatform();
      await platform.start(handlers);
    },
    async close() {
      await platform.stop();
      await index.close();
      await discord.close();
    },
  };
}
