/** Which Redis `npm start` uses: REDIS_URL, one that answers, or a private redis-server it starts and stops. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/log.js';
import { resolveRedis } from '../../src/redis/redis-connection.js';
import { freePort, pingRedis } from '../../src/redis/private-redis-server.js';
import { startTestRedis } from '../support/redis.js';
import { tempDir } from '../support/tmp.js';

const log = silentLogger();

describe('resolveRedis', () => {
  it('uses REDIS_URL as given once it answers', async () => {
    const running = await startTestRedis();
    expect(await resolveRedis({ redisUrl: running.url, dataDir: tempDir(), log })).toEqual({ url: running.url });
  });

  it('refuses a REDIS_URL that does not answer, in one line without the password', async () => {
    const port = await freePort();
    const err = await resolveRedis({ redisUrl: `redis://app:s3cret@127.0.0.1:${port}`, dataDir: tempDir(), log }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).userMessage).toBe(`Redis at redis://app:***@127.0.0.1:${port} cannot be reached (ECONNREFUSED 127.0.0.1:${port}). Check REDIS_URL, or unset it to use a Redis on 127.0.0.1:6379 or a private one.`);
  });

  it('uses a Redis that answers on the default port', async () => {
    const running = await startTestRedis();
    const r = await resolveRedis({ redisUrl: undefined, dataDir: tempDir(), log, defaultPort: running.port });
    expect(r).toEqual({ url: `redis://127.0.0.1:${running.port}` });
  });

  it('starts a private redis-server under DATA_DIR with the append-only file on, and stops it', async () => {
    const dataDir = tempDir();
    const r = await resolveRedis({ redisUrl: undefined, dataDir, log, defaultPort: await freePort() });
    try {
      expect(r.owned).toBeDefined();
      const port = Number(new URL(r.url).port);
      expect(await pingRedis('127.0.0.1', port)).toBe(true);
      await new Promise((res) => setTimeout(res, 200));
      const files = fs.readdirSync(path.join(dataDir, 'redis'), { recursive: true }).map(String);
      expect(files.some((f) => f.includes('appendonly'))).toBe(true);
    } finally {
      await r.owned?.stop();
    }
    expect(await pingRedis('127.0.0.1', Number(new URL(r.url).port))).toBe(false);
  });

  it('without any Redis or redis-server, names the two ways to get one', async () => {
    const err = await resolveRedis({ redisUrl: undefined, dataDir: tempDir(), log, defaultPort: await freePort(), bin: null }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).userMessage).toMatch(/docker compose up -d redis/);
    expect((err as ConfigError).userMessage).toMatch(/apt-get install redis-server/);
  });
});
