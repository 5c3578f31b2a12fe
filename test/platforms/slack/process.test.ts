/**
 * What users run, against the Slack stand-in: `npm start` with SLACK_BOT_TOKEN and a
 * signing secret (HTTP mode, the built bot) and `npx papers slack manifest`.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../src/redis/private-redis-server.js';
import { startTestRedis } from '../../support/redis.js';
import { DEFAULT_WORKSPACE, SlackRequestSender, slashCommand, startSlackStandin } from '../../support/slack-standin/index.js';
import { papers, ROOT } from '../../support/spawn.js';
import { tempDir } from '../../support/tmp.js';

const SECRET = 'test-signing-secret';

describe('Slack from the command line', () => {
  it('npx papers slack manifest prints a manifest ready to paste', async () => {
    const r = await papers(['slack', 'manifest'], { env: { DATA_DIR: tempDir() } });
    expect(r.code, r.stderr).toBe(0);
    const manifest = JSON.parse(r.stdout) as { features: { slash_commands: { command: string }[] }; settings: { socket_mode_enabled: boolean } };
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(['/papers']);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    const bad = await papers(['slack', 'manifest', '--http'], { env: { DATA_DIR: tempDir() } });
    expect(bad.code).toBe(2);
  });

  it('npm start with SLACK_BOT_TOKEN answers a signed /papers, posts a digest through the worker and stops on SIGTERM', async () => {
    const slack = await startSlackStandin({ users: [{ id: 'U0ADMIN', teamId: DEFAULT_WORKSPACE.teamId, isAdmin: true }] });
    const redis = await startTestRedis();
    const port = await freePort();
    const child = spawn(process.execPath, [path.join(ROOT, 'dist/src/app/main.js')], {
      cwd: ROOT,
      env: {
        ...process.env,
        SLACK_BOT_TOKEN: DEFAULT_WORKSPACE.botToken,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slack.apiUrl,
        PORT: String(port),
        DATA_DIR: tempDir(),
        REDIS_URL: redis.url,
        FETCH_ON_START: 'false',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const send = new SlackRequestSender(`http://127.0.0.1:${port}/slack/events`, SECRET);
    try {
      // Up once it answers HTTP; a forged request is refused before anything runs.
      await expect
        .poll(async () => (await send.command(slashCommand({ text: 'help', responseUrl: slack.responseUrl() }), { secret: 'wrong' }).catch(() => null))?.status, { timeout: 30_000, interval: 200 })
        .toBe(401);

      const searchUrl = slack.responseUrl('search');
      expect((await send.command(slashCommand({ text: 'search "sparse attention" --top 3', responseUrl: searchUrl }))).status).toBe(200);
      const answer = await slack.waitFor(() => slack.responses.find((r) => r.id === 'search'), 30_000, 'the search answer');
      expect(JSON.stringify(answer.body)).toContain('sparse attention');
      expect((answer.body as { response_type?: string }).response_type ?? 'ephemeral').toBe('ephemeral');
      // The delivery is remembered in the shared Redis (under QUEUE_PREFIX), where a retry to another bot process finds it.
      const conn = new Redis(redis.url);
      try {
        const seen = await conn.keys('papers:seen:slack:T0TEST:trigger:*');
        expect(seen.length).toBeGreaterThanOrEqual(1);
        expect(await conn.pttl(seen[0]!)).toBeGreaterThan(60_000);
      } finally {
        conn.disconnect();
      }

      // The default policy (admins, owners, the installer): an admin posts it.
      await send.command(slashCommand({ text: 'digest now', userId: 'U0ADMIN', responseUrl: slack.responseUrl('digest') }));
      await slack.waitFor(() => slack.channelMessages('C0GENERAL').length === 6, 30_000, 'the digest');
      const posted = slack.channelMessages('C0GENERAL');
      expect(posted.slice(1).every((m) => m.metadata?.event_payload.paper_id)).toBe(true);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await slack.close();
    }
  });
});
