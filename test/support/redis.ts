/**
 * A private Redis for a test file: a redis-server on a free port with its data in a
 * temp dir (append-only on, so a restart keeps the queues). Tests never touch the
 * machine's shared Redis, and work where none is running. The binary comes from the
 * PATH; .ci/run installs it when missing.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { afterAll } from 'vitest';
import { findRedisServer, startRedisServer, type RunningRedis } from '../../src/redis/private-redis-server.js';
import { tempDir } from './tmp.js';

const started: TestRedis[] = [];
// Registered at module load, i.e. at the importing test file's top level: vitest 4 ignores
// afterAll registered inside beforeAll or a test, which left servers running after `npm test`.
afterAll(async () => {
  for (const r of started.splice(0)) await r.stop();
});

const clients: Redis[] = [];
// Registered after the servers' hook, so it runs first: clients go before their servers.
afterAll(() => {
  for (const c of clients.splice(0)) c.disconnect();
});

/**
 * A client for a test ("another process" on the same Redis), disconnected after the file.
 * Connection errors are not thrown as events: a test sees them through the calls it makes.
 */
export function testRedisClient(url: string, opts: RedisOptions = {}): Redis {
  const c = new Redis(url, { maxRetriesPerRequest: null, ...opts });
  c.on('error', () => undefined);
  clients.push(c);
  return c;
}

export interface TestRedis {
  url: string;
  port: number;
  /** Stops and starts the same server (same port, same data). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestRedis(): Promise<TestRedis> {
  const bin = findRedisServer();
  if (!bin) throw new Error('redis-server is not installed: run `apt-get install -y redis-server` (.ci/run does this)');
  const dir = tempDir('papers-redis-');
  let server: RunningRedis = await startRedisServer({ dir, appendOnly: true, bin });
  const port = Number(new URL(server.url).port);
  const handle: TestRedis = {
    url: server.url,
    port,
    async restart() {
      await server.stop();
      server = await startRedisServer({ dir, appendOnly: true, bin, port });
    },
    async stop() {
      await server.stop();
    },
  };
  started.push(handle);
  return handle;
}
