/**
 * What a person sees in a browser, in headless Chromium (Debian's package, driven by
 * playwright-core): the Slack install page served on the bot's shared HTTP port, and the
 * queue dashboard behind its password.
 */
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_SCOPES } from '../../src/platforms/slack/manifest.js';
import { startTestRedis, type TestRedis } from '../support/redis.js';
import { startBuiltBot, type BuiltBot } from '../support/spawn.js';
import { tempDir } from '../support/tmp.js';

const CHROMIUM = '/usr/bin/chromium';

let redis: TestRedis;
let bot: BuiltBot;
let browser: Browser;
let base = '';
let stderr = '';

beforeAll(async () => {
  redis = await startTestRedis();
  // Slack in HTTP mode with the OAuth install flow: nothing is called at start, and its
  // endpoints share the bot's HTTP port with health, metrics and the dashboard.
  bot = await startBuiltBot({
    DATA_DIR: tempDir(),
    REDIS_URL: redis.url,
    SLACK_SIGNING_SECRET: 'test-signing-secret',
    SLACK_CLIENT_ID: '1111.2222',
    SLACK_CLIENT_SECRET: 'test-client-secret',
    SLACK_STATE_SECRET: 'test-state-secret',
    SLACK_API_URL: 'http://127.0.0.1:9/api',
    ADMIN_PASSWORD: 'correct horse',
  });
  base = bot.base;
  stderr = bot.stderr();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});
afterAll(async () => {
  await browser?.close();
  await bot?.stop();
});

describe('in a browser', () => {
  it('the Slack install page renders an Add-to-Slack link with the bot’s scopes', async () => {
    expect(stderr).toContain('papers bot: Slack HTTP (OAuth, many workspaces)');
    const page = await browser.newPage();
    const res = await page.goto(`${base}/slack/install`);
    expect(res?.status()).toBe(200);
    const link = page.locator('a[href*="oauth/v2/authorize"]');
    await expect.poll(() => link.count()).toBe(1);
    const href = new URL((await link.getAttribute('href'))!);
    expect(href.searchParams.get('client_id')).toBe('1111.2222');
    expect(href.searchParams.get('scope')!.split(',').sort()).toEqual(BOT_SCOPES.map((s) => s.scope).sort());
    expect(href.searchParams.get('state')).toBeTruthy();
    await page.close();
  });

  it('the queue dashboard lists the queues after login', async () => {
    const context = await browser.newContext({ httpCredentials: { username: 'admin', password: 'correct horse' } });
    const page = await context.newPage();
    const res = await page.goto(`${base}/admin/queues`);
    expect(res?.status()).toBe(200);
    for (const q of ['papers-ingest', 'papers-plan', 'papers-digest-slack']) {
      await expect.poll(async () => (await page.content()).includes(q), { timeout: 15_000 }).toBe(true);
    }
    await context.close();
  });

  it('the dashboard refuses no password and a wrong one', async () => {
    // Headless Chromium has nobody to ask for a password: a 401 with a challenge ends the load.
    const page = await browser.newPage();
    const first = await page.goto(`${base}/admin/queues`).then((r) => String(r?.status()), (err: Error) => err.message);
    expect(first).toMatch(/^401$|ERR_INVALID_AUTH_CREDENTIALS/);
    await page.close();
    const none = await fetch(`${base}/admin/queues`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const wrong = await browser.newContext({ httpCredentials: { username: 'admin', password: 'Correct horse' } });
    const p2 = await wrong.newPage();
    // Chromium shows the 401, or gives up on credentials the server keeps refusing.
    const second = await p2.goto(`${base}/admin/queues`).then((r) => String(r?.status()), (err: Error) => err.message);
    expect(second).toMatch(/^401$|ERR_INVALID_AUTH_CREDENTIALS/);
    await wrong.close();
    const wrongPassword = await fetch(`${base}/admin/queues`, { headers: { authorization: `Basic ${Buffer.from('admin:Correct horse').toString('base64')}` } });
    expect(wrongPassword.status).toBe(401);
    expect(await wrongPassword.text()).not.toContain('papers-plan');
    const otherUser = await fetch(`${base}/admin/queues`, { headers: { authorization: `Basic ${Buffer.from('root:correct horse').toString('base64')}` } });
    expect(otherUser.status).toBe(401);
  });
});
