/**
 * `npm run worker`: workers only — scheduled ingest and digest delivery — for as many
 * processes on as many machines as needed, all sharing one Redis (REDIS_URL). The bot
 * process (`npm start`) answers commands; with RUN_WORKERS=false it leaves all the
 * posting to these.
 */
import { commands } from '../../commands/index.js';
import { loadConfig } from '../config.js';
import { ConfigError } from '../core/errors.js';
import { createLogger } from '../log.js';
import { NO_REDIS_HELP, pingRedis } from '../redis/private-redis-server.js';
import { DEFAULT_REDIS_URL, redactRedisUrl } from '../redis/redis-connection.js';
import { buildPlatforms, openCore } from './build.js';
import { Lifecycle, runEntry } from './lifecycle.js';
import { PromMetrics } from '../http/prom-metrics.js';
import { readinessChecks, startHttpSide } from './http-side.js';
import { startQueueSide } from './queue-side.js';
import { startupLine } from './startup-line.js';

async function main(life: Lifecycle): Promise<void> {
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel, file: config.logFile, name: 'papers-worker' });
  life.useLog(log);
  const url = config.redisUrl ?? DEFAULT_REDIS_URL;
  if (!config.redisUrl && !(await pingRedis('127.0.0.1', 6379))) throw new ConfigError(`npm run worker needs a shared Redis.\n${NO_REDIS_HELP}`);
  const metrics = new PromMetrics();
  const core = await openCore(config, log, { metrics });
  life.onStop('store and index', () => core.close());
  const platforms = await buildPlatforms(core, commands, 'poster');
  // WORKER_PLATFORMS splits the posting between processes (one per platform, say), so a
  // burst on one platform never holds the event loop the other platform's pacing runs on.
  for (const name of [...platforms.keys()]) {
    if (config.workerPlatforms.length && !config.workerPlatforms.includes(name)) platforms.delete(name);
  }
  life.onStop('platforms', () => Promise.allSettled([...platforms.values()].map((p) => p.stop())));
  if (!platforms.size) log.warn({}, 'no Discord or Slack configured: this worker only runs the scheduled ingest');
  // The worker searches too (a channel's topic), so its index follows new papers like a bot's.
  const queue = await startQueueSide({ core, redis: { url }, platforms, metrics, prefix: config.queuePrefix, runWorkers: true, followIndex: true, concurrency: config.workerConcurrency, ingest: config.fetchOnStart, lockMs: config.workerLockMs, rates: config.rates, sweepMs: config.sweepMs });
  life.onStop('queues (finishing active jobs)', () => queue.close());
  core.index.ready().catch((err: unknown) => log.error({ err }, 'index failed to load'));
  for (const w of queue.warnings) log.warn({}, w);
  metrics.observe({ index: () => ({ docs: core.index.stats().docs, updatedAt: core.indexUpdatedAt() }), jobCounts: () => queue.jobCounts() });
  // Health and metrics only when asked for (HTTP_PORT): several workers often share a machine.
  let httpPort: number | undefined;
  if (config.http.port !== undefined) {
    const http = await startHttpSide({ config, port: config.http.port, metrics, checks: readinessChecks(core, queue, platforms), queue });
    life.onStop('HTTP server', () => http.close());
    httpPort = http.port;
  }
  log.info({ platforms: [...platforms.keys()], redis: redactRedisUrl(url) }, 'worker running');
  process.stderr.write(`${startupLine({ process: 'papers worker', mode: [...platforms.keys()].join(' + ') || 'ingest only', config, redis: { url }, httpPort })}\n`);
}

runEntry(main);
