/**
 * `npm start`: the bot, and (unless RUN_WORKERS=false) its workers in the same process.
 * With no platform tokens it runs in the terminal (the console platform) on the embedded
 * sample, so a new user sees it work before configuring anything.
 *
 * Redis: REDIS_URL, else a Redis on 127.0.0.1:6379, else a private redis-server under
 * DATA_DIR. Without any, the console still runs (digests on demand, no schedule); a
 * Discord or Slack bot stops with the ways to get one.
 */
import fs from 'node:fs';
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
import { terminalStyle } from '../platforms/console/terminal.js';
import { PLATFORMS } from '../platforms/index.js';
import { enabledPlatforms } from '../platforms/registry.js';
import { resolveRedis, type ResolvedRedis } from '../redis/redis-connection.js';
import { PromMetrics } from '../http/prom-metrics.js';
import { botServices, buildPlatforms, openCore } from './build.js';
import { Lifecycle, runEntry, startPlatform } from './lifecycle.js';
import { httpMount, readinessChecks, startHttpSide } from './http-side.js';
import { startQueueSide, type QueueSide } from './queue-side.js';
import { modeLabel, startupLine } from './startup-line.js';
import { seedIfEmpty } from './seed-sample.js';

/** Health, metrics and Slack's HTTP endpoints, when HTTP_PORT (or PORT) is not set. */
const DEFAULT_HTTP_PORT = 3000;

/**
 * No chat token and no terminal (a container, a service): there is nobody to talk to, so
 * no console; the bot keeps the store current and serves HTTP instead of exiting (which
 * a restart policy would turn into a loop). Piped input (a script) still gets the console.
 */
function headlessStdin(): boolean {
  if (process.stdin.isTTY) return false;
  try {
    const st = fs.fstatSync(0);
    return st.isCharacterDevice(); // /dev/null; a pipe or a socket carries a script
  } catch {
    return true; // no stdin at all
  }
}

async function main(life: Lifecycle): Promise<void> {
  const config = loadConfig();
  const consoleMode = enabledPlatforms(config).length === 0;
  const headless = consoleMode && headlessStdin();
  // The terminal belongs to the console bot: its logs go to a file unless told otherwise.
  const logFile = config.logFile ?? (consoleMode && !headless ? path.join(config.dataDir, 'bot.log') : undefined);
  const log = createLogger({ level: config.logLevel, file: logFile });
  life.useLog(log);
  const metrics = new PromMetrics();
  const core = await openCore(config, log, { metrics });
  life.onStop('store and index', () => core.close());
  const out = process.stdout;

  const seeded = config.seedSample ? await seedIfEmpty(core.store, SAMPLE_DIR, log) : 0;
  const stats = await core.store.stats();

  // A console in a terminal opens no port unless asked; everything else serves health and metrics.
  const httpPort = config.http.port ?? (consoleMode && !headless ? undefined : DEFAULT_HTTP_PORT);
  const mount = httpMount();
  const platforms = new Map<PlatformName, ChatPlatform>();
  let consolePlatform: ConsolePlatform | undefined;
  if (consoleMode && !headless) {
    consolePlatform = new ConsolePlatform({
      input: process.stdin,
      output: out,
      commands,
      exportDir: path.join(config.dataDir, 'exports'),
      log: log.child({ platform: 'console' }),
      prompt: Boolean(process.stdin.isTTY),
      style: terminalStyle(process.stdout, config.noColor),
    });
    platforms.set('console', consolePlatform);
  }
  let queue: QueueSide | null = null;
  // Retried deliveries are remembered in Redis, shared with every other bot process, once
  // the queue side is up; the platforms only start receiving after that.
  const seen = () => queue?.seen;
  // Gateway identifies too: every bot process of the install takes its turn in the same Redis.
  const turns = () => queue?.turns;
  for (const [name, platform] of await buildPlatforms(core, commands, 'bot', httpPort === undefined ? undefined : mount.mount, seen, turns)) platforms.set(name, platform);

  let redis: ResolvedRedis | null = null;
  let dispatcher: DigestDispatcher;
  let schedules: ScheduleSync | undefined;
  try {
    redis = await resolveRedis({ redisUrl: config.redisUrl, dataDir: config.dataDir, log });
    if (redis.owned) {
      const owned = redis.owned;
      life.onStop('private redis-server', () => owned.stop());
    }
    queue = await startQueueSide({ core, redis, platforms, metrics, prefix: config.queuePrefix, runWorkers: config.runWorkers, followIndex: true, concurrency: config.workerConcurrency, ingest: config.fetchOnStart, lockMs: config.workerLockMs, rates: config.rates, sweepMs: config.sweepMs });
    const started = queue;
    life.onStop('queues', () => started.close());
    dispatcher = queue.dispatcher;
    schedules = queue.schedules;
    for (const w of queue.warnings) log.warn({}, w);
    if (!consolePlatform) for (const w of queue.warnings) process.stderr.write(`Warning: ${w}\n`);
  } catch (err) {
    if (!(consoleMode && err instanceof ConfigError)) throw err;
    redis = null;
    out.write(`(No Redis: digests run on demand only, without schedules. ${err.userMessage.split('\n')[0]})\n`);
    dispatcher = new InlineDigestDispatcher(core.digests, (name) => platforms.get(name));
  }
  const handlers = createHandlers(botServices(core, dispatcher, schedules, queue?.throttle), commands, PLATFORMS);
  const activeQueue = queue;
  metrics.observe({
    index: () => ({ docs: core.index.stats().docs, updatedAt: core.indexUpdatedAt() }),
    ...(activeQueue ? { jobCounts: () => activeQueue.jobCounts() } : {}),
  });

  let listening: number | undefined;
  if (httpPort !== undefined) {
    const http = await startHttpSide({ config, port: httpPort, metrics, checks: readinessChecks(core, activeQueue, platforms), queue: activeQueue, mounted: mount });
    life.onStop('HTTP server', () => http.close());
    listening = http.port;
  }

  const line = startupLine({ process: 'papers bot', mode: modeLabel(config, headless), config, redis, httpPort: listening });
  log.debug({ mode: modeLabel(config, headless), httpPort: listening }, line);
  if (consolePlatform) {
    out.write(
      [
        'papers bot — console mode (no DISCORD_TOKEN or SLACK_BOT_TOKEN set; see README for Discord and Slack).',
        line,
        `${stats.papers.toLocaleString('en-US')} papers${seeded ? ' (seeded from the sample)' : ''}, featured ${stats.firstFeaturedDate ?? '–'} … ${stats.lastFeaturedDate ?? '–'}. Logs: ${logFile}`,
        'Try: /papers search sparse attention · react 2 🔖 · /papers bookmarks · /papers digest now · /papers help · quit',
        '',
      ].join('\n'),
    );
  }

  life.onStop('platforms', () => Promise.allSettled([...platforms.values()].map((p) => p.stop())));
  for (const p of platforms.values()) await startPlatform(p, handlers);

  if (!consolePlatform) {
    // Said once everything is up: a start that fails says only why.
    process.stderr.write(`${line}\n`);
    if (headless) {
      process.stderr.write(
        queue?.workers && config.fetchOnStart
          ? 'No chat token and no terminal: keeping the store current (Daily Papers every 30 minutes on weekdays) and serving /healthz and /metrics. Set DISCORD_TOKEN or SLACK_BOT_TOKEN to post digests.\n'
          : 'No chat token and no terminal: serving /healthz and /metrics only (no workers here, or FETCH_ON_START=false). Set DISCORD_TOKEN or SLACK_BOT_TOKEN to post digests.\n',
      );
    }
  }

  // Warm the index while the user types; the first search waits for it if needed.
  core.index.ready().catch((err: unknown) => log.error({ err }, 'index failed to load'));

  if (config.fetchOnStart && !queue?.workers) {
    // Without workers here, today's list is fetched directly; offline, the bot carries on quietly.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 20_000);
    ingestDays({ source: core.source, store: core.store, index: core.index, clock: core.clock, log, metrics }, [utcDay(core.clock.now())], { signal: controller.signal })
      .catch((err: unknown) => log.info({ err: err instanceof Error ? err.message : String(err) }, 'live fetch skipped (offline?)'))
      .finally(() => clearTimeout(timer));
  }

  if (consolePlatform) {
    await consolePlatform.done;
    await life.shutdown(0);
  }
}

runEntry(main);
