/**
 * What users run, against the stand-in: `npm start` with DISCORD_TOKEN/DISCORD_APP_ID
 * (the built bot, dist/src/app/main.js) and `npx papers discord register` (bin/papers.js).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CHANNEL, PERMISSIONS, startDiscordStandin } from '../../support/discord-standin/index.js';
import { startTestRedis } from '../../support/redis.js';
import { papers, ROOT } from '../../support/spawn.js';
import { tempDir } from '../../support/tmp.js';


describe('Discord from the command line', () => {
  it('npx papers discord register registers /papers through DISCORD_API_BASE', async () => {
    const discord = await startDiscordStandin();
    try {
      const env = { DISCORD_TOKEN: discord.token, DISCORD_APP_ID: discord.appId, DISCORD_API_BASE: discord.apiBase, DATA_DIR: tempDir() };
      const r = await papers(['discord', 'register'], { env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^Registered \/papers with \d+ subcommands globally/);
      expect(discord.commands.global.map((c: { name: string }) => c.name)).toEqual(['papers', 'Paper cards', 'Paper cards (public)']);
      const missing = await papers(['discord', 'register'], { env: { DISCORD_TOKEN: '', DISCORD_APP_ID: '', DATA_DIR: env.DATA_DIR } });
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/DISCORD_TOKEN/);
    } finally {
      await discord.close();
    }
  });

  it('npm start with DISCORD_TOKEN connects to the gateway, answers commands, posts a digest and stops on SIGTERM', async () => {
    const discord = await startDiscordStandin();
    // A Discord bot needs Redis (queues and schedules); a private one, never the machine's.
    const redis = await startTestRedis();
    const child = spawn(process.execPath, [path.join(ROOT, 'dist/src/app/main.js')], {
      cwd: ROOT,
      env: { ...process.env, DISCORD_TOKEN: discord.token, DISCORD_APP_ID: discord.appId, DISCORD_API_BASE: discord.apiBase, DATA_DIR: tempDir(), REDIS_URL: redis.url, HTTP_PORT: '0', FETCH_ON_START: 'false', HF_BASE_URL: 'http://127.0.0.1:9', HF_RETRIES: '0', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      await discord.waitFor(() => discord.gateway.readySessions > 0, { timeoutMs: 30_000, what: `the bot to log in (stderr: ${stderr.slice(-500)})` });
      const a = await discord.answer(discord.slashCommand({ subcommand: 'search', options: { query: 'sparse attention' } }), 30_000);
      expect(a.message!.content).toMatch(/^\*\*Search: sparse attention\*\*/);
      // A digest goes through the queue and a worker, and posts through this platform.
      await discord.answer(discord.slashCommand({ subcommand: 'digest', options: { action: 'now' }, permissions: PERMISSIONS.manager }), 30_000);
      await discord.waitFor(() => discord.messages(DEFAULT_CHANNEL).filter((m) => m.reactions.get('🔖')?.size).length === 5, {
        timeoutMs: 30_000,
        what: 'the digest and its 🔖 hints',
      });
      const posted = discord.messages(DEFAULT_CHANNEL);
      expect(posted).toHaveLength(6);
      expect(posted.every((m) => JSON.stringify(m.allowedMentions) === '{"parse":[]}')).toBe(true);
      expect(discord.rejected()).toEqual([]);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await discord.close();
    }
  });
});
