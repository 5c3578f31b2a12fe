/**
 * Opt-in pings on Slack, end to end: the real Bolt app (HTTP mode) against the stand-in.
 * `/papers settings --ping @ml-team` from a workspace admin resolves the group through
 * usergroups.list and saves it; the digest header then starts with `<!subteam^ID>`, the
 * only mention any message carries. Non-admins and unknown groups are refused briefly,
 * with nothing stored.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelRef } from '../../../src/core/ports.js';
import { mentionsIn, slashCommand, type StandinMessage, type StandinResponse } from '../../support/slack-standin/index.js';
import { startSlackBot, type SlackBot } from './slack-bot.js';

const T = 'T0TEST';
const ref = (channelId: string): ChannelRef => ({ platform: 'slack', workspaceId: T, channelId });

let bot: SlackBot;
beforeAll(async () => {
  bot = await startSlackBot({
    standin: {
      users: [{ id: 'U0ADMIN', teamId: T, isAdmin: true }],
      usergroups: [
        { id: 'S0MLTEAM', teamId: T, handle: 'ml-team', name: 'ML team' },
        { id: 'S0GONE', teamId: T, handle: 'old-team', disabled: true },
        { id: 'S0OTHER', teamId: 'T0OTHER', handle: 'elsewhere' },
      ],
    },
    tuning: { adminCacheMs: 0 },
  });
});
afterAll(async () => {
  await bot?.close();
});

async function command(text: string, o: { user?: string; channel: string }): Promise<StandinResponse['body']> {
  const id = randomUUID();
  const res = await bot.send.command(slashCommand({ text, responseUrl: bot.slack.responseUrl(id), userId: o.user ?? 'U0ADMIN', channelId: o.channel }));
  expect(res.status).toBe(200);
  return (await bot.slack.waitFor(() => bot.slack.responses.find((x) => x.id === id), 10_000, `the answer to /papers ${text.slice(0, 40)}`)).body;
}
const textOf = (body: StandinResponse['body']) => JSON.stringify(body.blocks ?? []) + (body.text ?? '');

async function digestNow(channel: string): Promise<StandinMessage[]> {
  const before = bot.slack.messages.length;
  expect(textOf(await command('digest now', { channel }))).toMatch(/Posted \d+ papers?/);
  return bot.slack.messages.slice(before).filter((m) => m.channel === channel);
}

describe('Slack: settings --ping @group and the pinging digest header (Bolt against the stand-in)', () => {
  it('refuses a member who is not a workspace admin, and stores nothing', async () => {
    await command('subscribe', { channel: 'C0PING' });
    const body = await command('settings --ping @ml-team', { channel: 'C0PING', user: 'U0ALICE' });
    expect(textOf(body)).toContain('Setting a ping needs Manage Roles on Discord (a workspace admin on Slack).');
    expect((await bot.store.getSubscription(ref('C0PING')))!.ping).toBeUndefined();
  });

  it('refuses an unknown, disabled or foreign group with a short message', async () => {
    for (const g of ['@nobody', '@old-team', '@elsewhere', '<!subteam^S0NOPE|@nope>']) {
      expect(textOf(await command(`settings --ping ${g}`, { channel: 'C0PING' }))).toMatch(/I can't find the role or group/);
    }
    expect((await bot.store.getSubscription(ref('C0PING')))!.ping).toBeUndefined();
    expect(bot.slack.calls.filter((c) => c.method === 'usergroups.list').length).toBeGreaterThanOrEqual(4);
  });

  it('an admin sets it by @handle (or an escaped <!subteam^…>): the header alone pings the group', async () => {
    expect(textOf(await command('settings --ping @ML-Team', { channel: 'C0PING' }))).toMatch(/Saved: .*pings @ml-team/);
    expect((await bot.store.getSubscription(ref('C0PING')))!.ping).toEqual({ kind: 'usergroup', id: 'S0MLTEAM', name: 'ml-team' });
    expect(textOf(await command('settings --ping <!subteam^S0MLTEAM|@ml-team>', { channel: 'C0PING' }))).toMatch(/pings @ml-team/);

    const [header, ...papers] = await digestNow('C0PING');
    expect(header!.text).toMatch(/^<!subteam\^S0MLTEAM> /);
    expect(mentionsIn({ text: header!.text, blocks: header!.blocks })).toEqual(['<!subteam^S0MLTEAM>', '<!subteam^S0MLTEAM>']);
    expect(papers.length).toBeGreaterThan(0);
    for (const m of papers) expect(mentionsIn({ text: m.text, blocks: m.blocks })).toEqual([]);
    expect(header!.args).toMatchObject({ parse: 'none', link_names: 'false' }); // form-encoded as sent
  });

  it('--ping none clears it: the next header pings no one', async () => {
    expect(textOf(await command('settings --ping none', { channel: 'C0PING' }))).not.toMatch(/pings/);
    expect((await bot.store.getSubscription(ref('C0PING')))!.ping).toBeUndefined();
    await command('subscribe', { channel: 'C0QUIET' });
    const posted = await digestNow('C0QUIET');
    for (const m of posted) expect(mentionsIn({ text: m.text, blocks: m.blocks })).toEqual([]);
  });
});
