/**
 * The whole bot wired as production wires it, on Discord: the real handlers
 * (createHandlers) over a MemoryStore seeded from the committed sample, a real Lunr
 * index, the real digest service behind an InlineDigestDispatcher pointed at the
 * DiscordPlatform, and that platform's discord.js client logged in to the local
 * stand-in. Logs are kept in memory so tests can check what went to the log.
 */
import { pino } from 'pino';
import { commands } from '../../../commands/index.js';
import { createHandlers } from '../../../src/core/bot.js';
import { DigestService } from '../../../src/core/digest/digest-service.js';
import { InlineDigestDispatcher } from '../../../src/core/digest/inline-dispatcher.js';
import type { PlatformHandlers } from '../../../src/core/ports.js';
import { SearchService } from '../../../src/core/search-service.js';
import { LunrPaperIndex, storeDocFeed } from '../../../src/core/search/lunr-paper-index.js';
import type { BotServices } from '../../../src/core/services.js';
import { SAMPLE_DIR } from '../../../src/paths.js';
import { DiscordPlatform, type DiscordPlatformOptions } from '../../../src/platforms/discord/discord-platform.js';
import { readPaperFiles } from '../../../src/sources/files.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
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
  handlers: PlatformHandlers;
  logs: LogLine[];
  /** Stops the platform and starts a new one (a bot restart: empty caches, same store). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export function memoryLogger(lines: LogLine[]) {
  return pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) });
}

let seeded: Awaited<ReturnType<typeof readPaperFiles>> | undefined;

export async function startDiscordBot(
  opts: { standin?: StandinOptions; platform?: Partial<DiscordPlatformOptions>; wrapHandlers?: (h: PlatformHandlers) => PlatformHandlers; now?: string } = {},
): Promise<DiscordBot> {
  const discord = await startDiscordStandin({ heartbeatIntervalMs: 250, ...opts.standin });
  const logs: LogLine[] = [];
  const log = memoryLogger(logs);
  const store = new MemoryStore();
  seeded ??= await readPaperFiles([SAMPLE_DIR]);
  await store.upsertPapers(seeded.papers);
  const now = new Date(opts.now ?? '2026-08-21T10:00:00Z');
  const clock = { now: () => now };
  const index = new LunrPaperIndex({ feed: storeDocFeed(store), log, useWorker: false });
  await index.ready();
  const digests = new DigestService({ store, index, clock, log });
  const makePlatform = () =>
    new DiscordPlatform({
      token: discord.token,
      appId: discord.appId,
      apiBase: discord.apiBase,
      commands,
      log: log.child({ platform: 'discord' }),
      ...opts.platform,
    });
  let platform = makePlatform();
  const services: BotServices = {
    store,
    index,
    search: new SearchService({ index, store }),
    digests,
    dispatcher: new InlineDigestDispatcher(digests, (name) => (name === 'discord' ? platform : undefined)),
    clock,
    log,
    defaults: { timezone: 'UTC' },
  };
  const real = createHandlers(services, commands);
  const handlers = opts.wrapHandlers ? opts.wrapHandlers(real) : real;
  await platform.start(handlers);
  return {
    discord,
    get platform() {
      return platform;
    },
    store,
    services,
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
