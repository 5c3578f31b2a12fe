/**
 * Many workspaces: the OAuth install flow in HTTP mode (/slack/install →
 * Slack's authorize page → /slack/oauth_redirect → oauth.v2.access on the stand-in),
 * installs kept in the store (sealed under TOKEN_ENCRYPTION_KEY), each workspace served
 * with its own token.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.js';
import { ChannelUnavailableError } from '../../../src/core/errors.js';
import { silentLogger } from '../../../src/log.js';
import { StoreInstallationStore } from '../../../src/platforms/slack/install-store.js';
import { SlackPlatform } from '../../../src/platforms/slack/slack-platform.js';
import { recordingLogger } from '../../support/fakes/logger.js';
import { eventCallback, slashCommand, type StandinWorkspace } from '../../support/slack-standin/index.js';
import { slackConfig, startSlackBot, type SlackBot } from './slack-bot.js';

const SECOND: StandinWorkspace = { teamId: 'T0SECOND', teamName: 'Second Lab', botToken: 'fake-bot-second', botUserId: 'U0BOT2', botId: 'B0BOT2', appId: 'A0TEST' };

const TOKEN_KEY = crypto.randomBytes(32);

let bot: SlackBot;
beforeAll(async () => {
  bot = await startSlackBot({ oauth: true, tokenKey: TOKEN_KEY });
});
afterAll(async () => {
  await bot?.close();
});

/** The browser's side: the install page, then Slack's redirect back with a code. */
async function install(code: string): Promise<{ status: number; body: string }> {
  const page = await fetch(`${bot.url}/slack/install`);
  expect(page.status).toBe(200);
  const html = await page.text();
  const href = /<a href="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&');
  const authorize = new URL(href);
  expect(authorize.origin + authorize.pathname).toBe('https://slack.com/oauth/v2/authorize');
  expect(authorize.searchParams.get('scope')).toContain('reactions:read');
  const state = authorize.searchParams.get('state')!;
  const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
  const back = await fetch(`${bot.url}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, { headers: { cookie }, redirect: 'manual' });
  return { status: back.status, body: await back.text() };
}

describe('OAuth installs', () => {
  it('installs a workspace through /slack/install and keeps the installation in the store, encrypted', async () => {
    bot.slack.addOAuthCode('code-1', SECOND);
    const r = await install('code-1');
    expect(r.status).toBe(200);
    const saved = await bot.store.getInstall('slack', 'T0SECOND');
    expect(saved).toMatchObject({ platform: 'slack', workspaceId: 'T0SECOND', data: { v: 1, alg: 'aes-256-gcm' } });
    expect(JSON.stringify(saved)).not.toContain('fake-bot-second');
    const opened = await new StoreInstallationStore(bot.store, { key: TOKEN_KEY }).installation('T0SECOND');
    expect(opened).toMatchObject({ team: { id: 'T0SECOND' }, bot: { token: 'fake-bot-second', userId: 'U0BOT2' } });
    expect(bot.slack.callsOf('oauth.v2.access').at(-1)).toMatchObject({ status: 200, error: undefined });
  });

  it('refuses a redirect with a forged state or a used code', async () => {
    const forged = await fetch(`${bot.url}/slack/oauth_redirect?code=code-x&state=forged`, { redirect: 'manual' });
    expect(forged.status).toBeGreaterThanOrEqual(400);
    bot.slack.addOAuthCode('code-2', { ...SECOND, teamId: 'T0THIRD', botToken: 'fake-bot-third' });
    expect((await install('code-2')).status).toBe(200);
    expect((await install('code-2')).status).toBeGreaterThanOrEqual(400);
    expect(await bot.store.getInstall('slack', 'T0FORGED')).toBeNull();
  });

  it('serves each installed workspace with its own token, and ignores workspaces that never installed', async () => {
    const r = await bot.send.command(slashCommand({ text: 'digest now', teamId: 'T0SECOND', channelId: 'C0LAB', responseUrl: bot.slack.responseUrl('lab') }));
    expect(r.status).toBe(200);
    await bot.slack.waitFor(() => bot.slack.responses.find((x) => x.id === 'lab'), 10_000, 'the answer in the second workspace');
    const posts = bot.slack.callsOf('chat.postMessage').filter((c) => c.args.channel === 'C0LAB');
    expect(posts.length).toBeGreaterThan(1);
    for (const c of posts) expect(c.token).toBe('fake-bot-second');

    const stranger = await bot.send.command(slashCommand({ text: 'help', teamId: 'T0STRANGER', responseUrl: bot.slack.responseUrl('stranger') }));
    expect(stranger.status).toBeLessThan(500);
    await bot.platform.idle();
    expect(bot.slack.responses.find((x) => x.id === 'stranger')).toBeUndefined();
  });

  it('lets a webOnly worker post with the workspace token from the store', async () => {
    const worker = new SlackPlatform({ slack: slackConfig(bot.slack, { oauth: true, tokenKey: TOKEN_KEY }), store: bot.store, commands, log: silentLogger(), webOnly: true });
    await worker.post({ platform: 'slack', workspaceId: 'T0SECOND', channelId: 'C0W' }, { kind: 'notice', text: 'hello' });
    expect(bot.slack.callsOf('chat.postMessage').at(-1)!.token).toBe('fake-bot-second');
    const err = await worker.post({ platform: 'slack', workspaceId: 'T0NOBODY', channelId: 'C0W' }, { kind: 'notice', text: 'hello' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChannelUnavailableError);
    expect((err as ChannelUnavailableError).platformCode).toBe('not_installed');
  });

  it('warns at start when OAuth installs would be stored without TOKEN_ENCRYPTION_KEY', async () => {
    const warned = async (tokenKey?: Buffer) => {
      const log = recordingLogger();
      const p = new SlackPlatform({ slack: slackConfig(bot.slack, { oauth: true, ...(tokenKey ? { tokenKey } : {}) }), store: bot.store, commands, log });
      await p.start(bot.handlers);
      await p.stop();
      return log.warnings.map((w) => w.msg ?? '').filter((m) => m.includes('TOKEN_ENCRYPTION_KEY'));
    };
    expect(await warned()).toEqual(['TOKEN_ENCRYPTION_KEY is not set: the bot tokens of installed workspaces are stored unencrypted (see docs/slack.md)']);
    expect(await warned(TOKEN_KEY)).toEqual([]);
  });

  it('forgets a workspace that uninstalls the app', async () => {
    const r = await bot.send.event(eventCallback({ type: 'app_uninstalled' }, { teamId: 'T0THIRD' }));
    expect(r.status).toBe(200);
    await bot.platform.idle();
    expect(await bot.store.getInstall('slack', 'T0THIRD')).toBeNull();
    expect(await bot.store.getInstall('slack', 'T0SECOND')).not.toBeNull();
  });
});
