/**
 * Which Redis the bot uses, and its connections. REDIS_URL wins; without it, a Redis on
 * the default port is used when one answers, else a private redis-server is started
 * under DATA_DIR (see redis-server.ts).
 */
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Logger } from '../core/ports.js';
import { ConfigError } from '../core/errors.js';
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
  if (opts.redisUrl) {
    await assertReachable(opts.redisUrl);
    return { url: opts.redisUrl };
  }
  const port = opts.defaultPort ?? 6379;
  if (await pingRedis('127.0.0.1', port)) return { url: `redis://127.0.0.1:${port}` };
  const owned = await startRedisServer({ dir: path.join(opts.dataDir, 'redis'), appendOnly: true, ...(opts.bin !== undefined ? { bin: opts.bin } : {}) });
  opts.log.info({ url: owned.url }, 'started a private redis-server');
  return { url: owned.url, owned };
}

/** The URL without its password, for messages and logs. */
export function redactRedisUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/**
 * REDIS_URL is checked once at start, so a wrong one is one clear line instead of a
 * process that waits forever (BullMQ's connections retry without end, by design).
 */
async function assertReachable(url: string, timeoutMs = 3_000): Promise<void> {
  let probe: Redis;
  try {
    probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs, enableOfflineQueue: false });
  } catch (err) {
    throw new ConfigError(`REDIS_URL is not a Redis URL (${(err as Error).message}); use redis://host:6379 or rediss://…`);
  }
  // ioredis reports the cause on 'error' and rejects connect() with "Connection is closed".
  let cause: string | null = null;
  probe.on('error', (err: Error) => void (cause ??= err.message));
  try {
    await probe.connect();
    await probe.ping();
  } catch (err) {
    const why = (cause ?? (err as Error).message).replace(/^connect /, '');
    throw new ConfigError(`Redis at ${redactRedisUrl(url)} cannot be reached (${why}). Check REDIS_URL, or unset it to use a Redis on 127.0.0.1:6379 or a private one.`);
  } finally {
    probe.disconnect();
  }
}

/**
 * A connection for BullMQ and our own commands. `maxRetriesPerRequest: null` is what
 * BullMQ workers require: commands wait for a reconnect instead of failing, so a Redis
 * restart pauses the work rather than losing it.
 */
export function redisConnection(url: string, name: string, log?: Logger): Redis {
  const conn = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, connectionName: name, lazyConnect: false });
  // Without a listener ioredis prints every failed reconnect; one line per outage is enough.
  let down = false;
  conn.on('error', (err: Error) => {
    if (!down) log?.warn({ connection: name, err: err.message }, 'Redis connection lost; reconnecting');
    down = true;
  });
  conn.on('ready', () => {
    if (down) log?.info({ connection: name }, 'Redis connection back');
    down = false;
  });
  return conn;
}
