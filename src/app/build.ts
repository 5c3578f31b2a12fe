/**
 * The one place that builds a process's parts from config: store, index, source, core
 * services, platforms. The entry points beside this file (main.ts, worker.ts, cli.ts)
 * call it, and queue-side.ts adds the Redis half; nothing outside src/app/ constructs a
 * concrete store, index, source, queue, worker or connection, so swapping one is a change
 * here and nowhere else.
 */
import type { Throttle } from '../core/throttle.js';
import type { CommandSpec } from '../core/command-spec/spec.js';
import type { Config } from '../config.js';
import type { RequestListener } from 'node:http';
import type { ChartRenderer } from '../core/chart.js';
import { DigestService } from '../core/digest/digest-service.js';
import { lazyChartRenderer } from './lazy-chart-renderer.js';
import { countingStore, noMetrics, timedIndex, type Metrics } from '../core/metrics.js';
import { BotError } from '../core/errors.js';
import type { ChatPlatform, Clock, DigestDispatcher, Logger, PaperIndex, PaperSource, PlatformName, SeenStore, Store, TurnGate } from '../core/ports.js';
import { systemClock } from '../core/ports.js';
import { SearchService } from '../core/search-service.js';
import { storeDocFeed } from '../search/doc-feed.js';
import { LunrPaperIndex } from '../search/lunr-paper-index.js';
import type { BuildProgress } from '../search/build-job.js';
import { makeSnippet } from '../search/snippet.js';
import type { BotServices, ScheduleSync } from '../core/services.js';
import { createBotPlatforms, createPosters } from '../platforms/registry.js';
import { HfDailySource } from '../sources/hf-daily.js';
import { PostgresStore } from '../store/postgres/postgres-store.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { privateDataDir } from './private-data-dir.js';

/** What every process has once its store is open: the domain's services over the ports. */
export interface Core {
  config: Config;
  log: Logger;
  clock: Clock;
  store: Store;
  index: PaperIndex;
  source: PaperSource;
  search: SearchService;
  digests: DigestService;
  metrics: Metrics;
  /** When the index last changed (refresh done), for /metrics. */
  indexUpdatedAt(): number | null;
  close(): Promise<void>;
}

/** PostgreSQL when DATABASE_URL is set (bots and workers on several machines), else the SQLite file. */
export async function openStore(config: Config): Promise<Store> {
  try {
    return config.database ? await PostgresStore.open(config.database.url, { schema: config.database.schema }) : SqliteStore.open(config.dbPath);
  } catch (err) {
    if (err instanceof BotError) throw err;
    // The store's own message names the database without its password; one line is enough.
    const what = config.database ? 'DATABASE_URL' : `the SQLite file ${config.dbPath} (DATA_DIR)`;
    throw new BotError('unavailable', `${(err as Error).message.split('\n')[0]}. Check ${what}.`, { cause: err });
  }
}

export async function openCore(config: Config, log: Logger, opts: { clock?: Clock; metrics?: Metrics; onBuildProgress?: (p: BuildProgress) => void; charts?: ChartRenderer } = {}): Promise<Core> {
  const clock = opts.clock ?? systemClock;
  const metrics = opts.metrics ?? noMetrics;
  // Before the store opens: with SQLite it is the file that holds the Slack tokens.
  privateDataDir(config.dataDir, log);
  const rawStore = await openStore(config);
  const rawIndex = new LunrPaperIndex({
    feed: storeDocFeed(rawStore),
    snapshotDir: config.indexDir,
    log: log.child({ component: 'index' }),
    ...(opts.onBuildProgress ? { onBuildProgress: opts.onBuildProgress } : {}),
  });
  let indexUpdatedAt: number | null = null;
  const noteIndexChange = () => void (indexUpdatedAt = Date.now());
  // Metrics observe the ports from outside: bookmarks in the store, latency and age of the index.
  const store = countingStore(rawStore, metrics);
  const index = timedIndex(rawIndex, metrics, noteIndexChange);
  const source = new HfDailySource({ ...config.hf, log: log.child({ component: 'hf' }), metrics });
  const search = new SearchService({ index, store, snippet: makeSnippet });
  // Weekly digests open with a chart; its renderer loads on the first one (lazy-chart-renderer.ts).
  const digests = new DigestService({ store, index, clock, log: log.child({ component: 'digest' }), charts: opts.charts ?? lazyChartRenderer() });
  return {
    config,
    log,
    clock,
    store,
    index,
    source,
    search,
    digests,
    metrics,
    indexUpdatedAt: () => indexUpdatedAt,
    async close() {
      await index.close();
      await store.close();
    },
  };
}

/** `throttle`: the shared limiter when there is a Redis; else createHandlers keeps the limits in process. */
export function botServices(core: Core, dispatcher: DigestDispatcher, schedules?: ScheduleSync, throttle?: Throttle): BotServices {
  return {
    store: core.store,
    index: core.index,
    search: core.search,
    digests: core.digests,
    dispatcher,
    clock: core.clock,
    log: core.log,
    metrics: core.metrics,
    ...(schedules ? { schedules } : {}),
    ...(throttle ? { throttle } : {}),
    defaults: { timezone: core.config.defaultTimezone },
  };
}

/** The chat platforms a process runs: full bots (gateway, receivers) or posters only (workers). */
export function buildPlatforms(
  core: Core,
  commands: readonly CommandSpec[],
  role: 'bot' | 'poster',
  mountHttp?: (listener: RequestListener) => void,
  seen?: () => SeenStore | undefined,
  turns?: () => TurnGate | undefined,
): Promise<Map<PlatformName, ChatPlatform>> {
  const deps = { store: core.store, log: core.log, commands, metrics: core.metrics, ...(mountHttp ? { mountHttp } : {}), ...(seen ? { seen } : {}), ...(turns ? { turns } : {}) };
  return role === 'bot' ? createBotPlatforms(core.config, deps) : createPosters(core.config, deps);
}
