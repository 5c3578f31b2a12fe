/**
 * A bot that cannot start says why in one line and exits 1: the built bot, as users run
 * it, against things that refuse (closed ports), never a stack trace.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../src/redis/private-redis-server.js';
import { startTestRedis } from '../support/redis.js';
import { ROOT, runNode } from '../support/spawn.js';
import { tempDir } from '../support/tmp.js';

const MAIN = path.join(ROOT, 'dist/src/app/main.js');

async function start(env: NodeJS.ProcessEnv) {
  return runNode([MAIN], { env: { DATA_DIR: tempDir(), LOG_LEVEL: 'silent', ...env }, timeoutMs: 30_000 });
}

describe('failures at start', () => {
  it('cannot reach Discord', async () => {
    const port = await freePort();
    // Its own Redis: the machine's shared one is never touched by tests.
    const redis = await startTestRedis();
    const r = await start({ REDIS_URL: redis.url, DISCORD_TOKEN: 'fake.token.value', DISCORD_APP_ID: '123456789012345678', DISCORD_API_BASE: `http://127.0.0.1:${port}/api` });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`Cannot start Discord: connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('a database that refuses, named without its password', async () => {
    const port = await freePort();
    const r = await start({ DATABASE_URL: `postgres://papers:hunter2@127.0.0.1:${port}/papers` });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`Cannot connect to PostgreSQL at postgres://papers:***@127.0.0.1:${port}/papers: connect ECONNREFUSED 127.0.0.1:${port}. Check DATABASE_URL.`);
  });

  it('a Redis that refuses, for a Discord bot (which needs one)', async () => {
    const port = await freePort();
    const r = await start({ REDIS_URL: `redis://127.0.0.1:${port}`, DISCORD_TOKEN: 'fake.token.value', DISCORD_APP_ID: '123456789012345678' });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(new RegExp(`^Redis at redis://127\\.0\\.0\\.1:${port} cannot be reached \\(ECONNREFUSED 127\\.0\\.0\\.1:${port}\\)\\. Check REDIS_URL`));
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a bad variable, by name', async () => {
    const r = await start({ HF_TIMEOUT_MS: 'soon' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('HF_TIMEOUT_MS');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
