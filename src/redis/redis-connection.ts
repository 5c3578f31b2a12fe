/**
 * Which Redis the bot uses, and its connections. REDIS_URL wins; without it, a Redis on
 * the default port is used when one answers, else a private redis-server is started
 * under DATA_DIR (see redis-server.ts).
 */
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Logger } from '../core/ports.js';
import { pingRedis, startRedisServer, type RunningRedis } from './private-redis-server.js';

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export interface ResolvedRedis {
  url: string;
  /** Set when this process started the server and must stop it. */
  owned?: RunningRedis;
}

export async function resolveRedis(opts: {
  redisUrl: string | undefined;
  dataDir: string;
  log: Logger;
  /** Where to look for a Redis that is already running (tests use a free port). */
  defaultPort?: number;
  /** The redis-server binary; null when none is installed (tests). Found on the PATH by default. */
  bin?: string | null;
}): Promise<ResolvedRedis> {
  if (opts.redisUrl) return { url: opts.redisUrl };
  const port = opts.defaultPort ?? 6379;
  if (await pingRedis('127.0.0.1', port)) return { url: `redis://127.0.0.1:${port}` };
  const owned = await startRedisServer({ dir: path.join(opts.dataDir, 'redis'), appendOnly: true, ...(opts.bin !== undefined ? { bin: opts.bin } : {}) });
  opts.log.info({ url: owned.url }, 'started a private redis-server');
  return { url: owned.url, owned };
}

/**
 * A connection for BullMQ and our own commands. `maxRetriesPerRequest: null` is what
 * BullMQ workers require: commands wait for a reconnect instead of failing, so a Redis
 * restart pauses the work rather than losing it.
 */
export function redisConnection(url: string, name: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, connectionName: name, lazyConnect: false });
}
