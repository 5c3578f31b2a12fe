/**
 * `npm run worker`: workers only — scheduled ingest and digest delivery — for as many
 * processes on as many machines as needed, all sharing one Redis (REDIS_URL). The bot
 * process (`npm start`) answers commands; with RUN_WORKERS=false it leaves all the
 * posting to these.
 */
import { commands } from '../commands/index.js';
import { openCore } from './compose.js';
import { loadConfig } from './config.js';
import { BotError, ConfigError } from './core/errors.js';
import { createLogger } from './log.js';
import { DEFAULT_REDIS_URL } from './queue/connection.js';
import { NO_REDIS_HELP, pingRedis } from './queue/redis-server.js';
import { startQueueRuntime } from './queue/runtime.js';
import { createPosters } from './platforms/registry.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel, file: config.logFile, name: 'papers-worker' });
  const url = config.redisUrl ?? DEFAULT_REDIS_URL;
  if (!config.redisUrl && !(await pingRedis('127.0.0.1', 6379))) throw new ConfigError(`npm run worker needs a shared Redis.\n${NO_REDIS_HELP}`);
  const core = await openCore(config, log);
  const platforms = await createPosters(config, { store: core.store, log, commands });
  // WORKER_PLATFORMS splits the posting between processes (one per platform, say), so a
  // burst on one platform never holds the event loop the other platform's pacing runs on.
  for (const name of [...platforms.keys()]) {
    if (config.workerPlatforms.length && !config.workerPlatforms.includes(name)) platforms.delete(name);
  }
  if (!platforms.size) log.warn({}, 'no Discord or Slack configured: this worker only runs the scheduled ingest');
  // The worker searches too (a channel's topic), so its index follows new papers like a bot's.
  const queue = await startQueueRuntime({ core, redis: { url }, platforms, runWorkers: true, followIndex: true, concurrency: config.workerConcurrency, ingest: config.fetchOnStart, lockMs: config.workerLockMs, rates: config.rates });
  core.index.ready().catch((err: unknown) => log.error({ err }, 'index failed to load'));
  log.info({ platforms: [...platforms.keys()], redis: url.replace(/\/\/[^@]*@/, '//***@') }, 'worker running');

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    log.info({}, 'shutting down: finishing active jobs');
    await queue.close();
    await Promise.allSettled([...platforms.values()].map((p) => p.stop()));
    await core.close();
    log.flush();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof BotError ? err.userMessage : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
