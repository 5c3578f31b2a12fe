/**
 * `npm start`: the bot, and (unless RUN_WORKERS=false) its workers in the same process.
 * With no platform tokens it runs in the terminal (the console platform) on the embedded
 * sample, so a new user sees it work before configuring anything.
 *
 * Redis: REDIS_URL, else a Redis on 127.0.0.1:6379, else a private redis-server under
 * DATA_DIR. Without any, the console still runs (digests on demand, no schedule); a
 * Discord or Slack bot stops with the ways to get one.
 */
import path from 'node:path';
import { commands } from '../../commands/index.js';
import { loadConfig } from '../config.js';
import { createHandlers } from '../core/bot.js';
import { utcDay } from '../core/dates.js';
import { InlineDigestDispatcher } from '../core/digest/inline-dispatcher.js';
import { ConfigError } from '../core/errors.js';
import { ingestDays } from '../core/ingest-papers.js';
import type { ChatPlatform, DigestDispatcher, PlatformName } from '../core/ports.js';
import type { ScheduleSync } from '../core/services.js';
import { createLogger } from '../log.js';
import { SAMPLE_DIR } from '../paths.js';
import { ConsolePlatform } from '../platforms/console/console-platform.js';
import { PLATFORMS } from '../platforms/index.js';
import { enabledPlatforms } from '../platforms/registry.js';
import { resolveRedis } from '../redis/redis-connection.js';
import { botServices, buildPlatforms, openCore } from './build.js';
import { Lifecycle, runEntry, startPlatform } from './lifecycle.js';
import { startQueueSide, type QueueSide } from './queue-side.js';
import { seedIfEmpty } from './seed-sample.js';

async function main(life: Lifecycle): Promise<void> {
  const config = loadConfig();
  const consoleMode = enabledPlatforms(config).length === 0;
  // The terminal belongs to the console bot: its logs go to a file unless told otherwise.
  const logFile = config.logFile ?? (consoleMode ? path.join(config.dataDir, 'bot.log') : undefined);
  const log = createLogger({ level: config.logLevel, file: logFile });
  life.useLog(log);
  const core = await openCore(config, log);
  life.onStop('store and index', () => core.close());
  const out = process.stdout;

  const seeded = config.seedSample ? await seedIfEmpty(core.store, SAMPLE_DIR, log) : 0;
  const stats = await core.store.stats();

  const platforms = new Map<PlatformName, ChatPlatform>();
  let consolePlatform: ConsolePlatform | undefined;
  if (consoleMode) {
    consolePlatform = new ConsolePlatform({
      input: process.stdin,
      output: out,
      commands,
      exportDir: path.join(config.dataDir, 'exports'),
      log: log.child({ platform: 'console' }),
      prompt: Boolean(process.stdin.isTTY),
    });
    platforms.set('console', consolePlatform);
  }
  for (const [name, platform] of await buildPlatforms(core, commands, 'bot')) platforms.set(name, platform);

  let queue: QueueSide | null = null;
  let dispatcher: DigestDispatcher;
  let schedules: ScheduleSync | undefined;
  try {
    const redis = await resolveRedis({ redisUrl: config.redisUrl, dataDir: config.dataDir, log });
    if (redis.owned) {
      const owned = redis.owned;
      life.onStop('private redis-server', () => owned.stop());
    }
    queue = await startQueueSide({ core, redis, platforms, runWorkers: config.runWorkers, followIndex: true, concurrency: config.workerConcurrency, ingest: config.fetchOnStart, lockMs: config.workerLockMs, rates: config.rates });
    const started = queue;
    life.onStop('queues', () => started.close());
    dispatcher = queue.dispatcher;
    schedules = queue.schedules;
  } catch (err) {
    if (!(consoleMode && err instanceof ConfigError)) throw err;
    out.write(`(No Redis: digests run on demand only, without schedules. ${err.userMessage.split('\n')[0]})\n`);
    dispatcher = new InlineDigestDispatcher(core.digests, (name) => platforms.get(name));
  }
  const handlers = createHandlers(botServices(core, dispatcher, schedules), commands, PLATFORMS);

  if (consolePlatform) {
    out.write(
      [
        'papers bot — console mode (no DISCORD_TOKEN or SLACK_BOT_TOKEN set; see README for Discord and Slack).',
        `${stats.papers.toLocaleString('en-US')} papers${seeded ? ' (seeded from the sample)' : ''}, featured ${stats.firstFeaturedDate ?? '–'} … ${stats.lastFeaturedDate ?? '–'}. Logs: ${logFile}`,
        'Try: /papers search sparse attention · react 2 🔖 · /papers bookmarks · /papers digest now · /papers help · quit',
        '',
      ].join('\n'),
    );
  }

  // Warm the index while the user types; the first search waits for it if needed.
  core.index.ready().catch((err: unknown) => log.error({ err }, 'index failed to load'));

  if (config.fetchOnStart && !queue?.workers) {
    // Without workers here, today's list is fetched directly; offline, the bot carries on quietly.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 20_000);
    ingestDays({ source: core.source, store: core.store, index: core.index, clock: core.clock, log }, [utcDay(core.clock.now())], { signal: controller.signal })
      .catch((err: unknown) => log.info({ err: err instanceof Error ? err.message : String(err) }, 'live fetch skipped (offline?)'))
      .finally(() => clearTimeout(timer));
  }

  life.onStop('platforms', () => Promise.allSettled([...platforms.values()].map((p) => p.stop())));
  for (const p of platforms.values()) await startPlatform(p, handlers);
  if (consolePlatform) {
    await consolePlatform.done;
    await life.shutdown(0);
  }
}

runEntry(main);
