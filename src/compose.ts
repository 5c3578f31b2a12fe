/**
 * Composition shared by the roots (src/main.ts, src/cli/main.ts): config → store →
 * index → source → core services. The only module besides the roots that constructs
 * concrete implementations, so swapping one is a change here and nowhere else.
 */
import type { Config } from './config.js';
import { DigestService } from './core/digest/digest-service.js';
import type { Clock, DigestDispatcher, Logger, PaperIndex, PaperSource, Store } from './core/ports.js';
import { systemClock } from './core/ports.js';
import { SearchService } from './core/search-service.js';
import { LunrPaperIndex, storeDocFeed } from './search/lunr-paper-index.js';
import type { BotServices, ScheduleSync } from './core/services.js';
import { HfDailySource } from './sources/hf-daily.js';
import { PostgresStore } from './store/postgres/postgres-store.js';
import { SqliteStore } from './store/sqlite/sqlite-store.js';

export interface Core {
  config: Config;
  log: Logger;
  clock: Clock;
  store: Store;
  index: PaperIndex;
  source: PaperSource;
  search: SearchService;
  digests: DigestService;
  close(): Promise<void>;
}

/** PostgreSQL when DATABASE_URL is set (bots and workers on several machines), else the SQLite file. */
export async function openStore(config: Config): Promise<Store> {
  return config.database ? PostgresStore.open(config.database.url, { schema: config.database.schema }) : SqliteStore.open(config.dbPath);
}

export async function openCore(config: Config, log: Logger, clock: Clock = systemClock): Promise<Core> {
  const store = await openStore(config);
  const index = new LunrPaperIndex({ feed: storeDocFeed(store), snapshotDir: config.indexDir, log: log.child({ component: 'index' }) });
  const source = new HfDailySource({ ...config.hf, log: log.child({ component: 'hf' }) });
  const search = new SearchService({ index, store });
  const digests = new DigestService({ store, index, clock, log: log.child({ component: 'digest' }) });
  return {
    config,
    log,
    clock,
    store,
    index,
    source,
    search,
    digests,
    async close() {
      await index.close();
      await store.close();
    },
  };
}

export function botServices(core: Core, dispatcher: DigestDispatcher, schedules?: ScheduleSync): BotServices {
  return {
    store: core.store,
    index: core.index,
    search: core.search,
    digests: core.digests,
    dispatcher,
    clock: core.clock,
    log: core.log,
    ...(schedules ? { schedules } : {}),
    defaults: { timezone: core.config.defaultTimezone },
  };
}
