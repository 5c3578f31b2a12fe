/**
 * A person's inbox on Slack as a user lives it, through Bolt (HTTP mode, signed requests)
 * and the Web API stand-in, with the real workers on a private Redis: follow two topics,
 * turn the inbox on, the scheduler fires at the person's hour (a fake clock), one DM with
 * the papers marked by topic, nothing twice the next day, a DM Slack refuses
 * (account_inactive) pausing the inbox and the next command saying so, forget-me.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INBOX_JOB, inboxSchedulerId } from '../../../jobs/index.js';
import { inboxRef } from '../../../src/core/people.js';
import { buildJobContext } from '../../../src/app/job-context.js';
import { Queues } from '../../../src/redis/bullmq-queues.js';
import { startWorkers, type RunningWorkers } from '../../../src/redis/bullmq-workers.js';
import { BullmqScheduleSync } from '../../../src/redis/job-schedulers.js';
import { blockActions, slashCommand, type StandinResponse } from '../../support/slack-standin/index.js';
import { startTestRedis, type TestRedis } from '../../support/redis.js';
import { startSlackBot, type SlackBot } from './slack-bot.js';

const USER = 'U0INBOX';
let redis: TestRedis;
let queues: Queues;
let bot: SlackBot;
let workers: RunningWorkers;

beforeAll(async () => {
  redis = await startTestRedis();
  queues = new Queues(redis.url);
  const quiet = { debug() {}, info() {}, warn() {}, error() {}, child() { return this; } };
  const schedules = new BullmqScheduleSync(queues, quiet);
  bot = await startSlackBot({ nowIso: '2026-08-18T08:00:00Z', schedules });
  const core = { ...bot.services, source: { name: 'none', fetchDay: async () => [], fetchRange: async function* () {} } };
  const ctx = buildJobContext({ core, queue: queues, platforms: new Map([['slack', bot.platform]]), schedules, papersChanged: async () => {} });
  await bot.store.setMeta('ingest:lastAt', new Date().toISOString());
  workers = await startWorkers({ queues, ctx, platforms: ['slack'], log: ctx.log, ingest: false });
}, 60_000);

afterAll(async () => {
  await workers?.close();
  await queues?.close();
  await bot?.close();
});

async function command(text: string, user = USER): Promise<StandinResponse['body']> {
  const id = randomUUID();
  const res = await bot.send.command(slashCommand({ text, userId: user, responseUrl: bot.slack.responseUrl(id) }));
  expect(res.status).toBe(200);
  return (await bot.slack.waitFor(() => bot.slack.responses.find((x) => x.id === id), 10_000, `the answer to /papers ${text}`)).body;
}
const textOf = (body: { blocks?: unknown; text?: string }) => JSON.stringify(body.blocks ?? []) + (body.text ?? '');
const idle = async () => {
  for (let i = 0; i < 400; i++) {
    let busy = 0;
    for (const q of [queues.plan(), queues.deliveries('slack')]) {
      const c = await q.getJobCounts('waiting', 'active', 'prioritized');
      busy += (c.waiting ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0);
    }
    if (!busy) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('queues did not drain');
};

describe('a Slack inbox, end to end', () => {
  it('follows, turns on, gets one DM at its hour with the papers marked, nothing twice', async () => {
    expect(textOf(await command('follow diffusion'))).toMatch(/Following \\"diffusion\\"|Following "diffusion"/);
    expect(textOf(await command('follow "video generation"'))).toMatch(/video generation/);
    expect(textOf(await command('inbox on --time 8:15 --timezone America/New_York --top 3'))).toMatch(/Your inbox is on: 08:15 America\/New_York/);
    const [s] = await queues.plan().getJobSchedulers(0, -1);
    expect(s).toMatchObject({ key: inboxSchedulerId('slack', USER), pattern: '15 8 * * 1,2,3,4,5', tz: 'America/New_York' });

    bot.clock.set('2026-08-21T12:15:00Z'); // Friday 08:15 in New York
    await (await queues.plan().getDelayed()).find((j) => j.name === INBOX_JOB)!.promote();
    await idle();
    const dms = bot.slack.dmMessages(USER);
    expect(dms.length).toBeGreaterThan(1);
    expect(dms.length).toBeLessThanOrEqual(4);
    for (const m of dms.slice(1)) expect(JSON.stringify(m.blocks)).toMatch(/_matched: (diffusion|\\"video generation\\")_/);
    const ref = inboxRef((await bot.store.people.getInbox('slack', USER))!);
    expect((await bot.store.listPosted(ref, '2026-08-21')).map((e) => e.messageId)).toEqual(dms.map((m) => m.ts));

    bot.clock.set('2026-08-22T12:15:00Z');
    await queues.plan().add(INBOX_JOB, { platform: 'slack', userId: USER }, { jobId: 'saturday' });
    await idle();
    expect(bot.slack.dmMessages(USER)).toHaveLength(dms.length);
  });

  it('pauses the inbox when Slack refuses the DM, and the next command says so', async () => {
    bot.slack.dmErrors.set(USER, 'account_inactive');
    bot.clock.set('2026-08-24T12:15:00Z');
    const p = (await bot.store.papersFeaturedBetween('2026-08-17', '2026-08-17')).at(-1)!;
    await bot.store.upsertPapers([{ ...p, id: '2608.99002', title: 'Diffusion for a Monday', featuredDates: ['2026-08-24'], upvotes: 400 }]);
    await bot.services.index.refresh();
    await queues.plan().add(INBOX_JOB, { platform: 'slack', userId: USER }, { jobId: 'monday' });
    await expect.poll(async () => (await bot.store.people.getInbox('slack', USER))?.enabled, { timeout: 10_000 }).toBe(false);
    bot.slack.dmErrors.delete(USER);
    expect(textOf(await command('following'))).toMatch(/Your inbox is paused: direct messages could not be delivered \(account_inactive\)/);
  });

  it('forgets the person after their own confirmation only', async () => {
    const ask = await command('forget-me');
    const actionId = /"action_id":"(fm:[^"]+)"/.exec(JSON.stringify(ask.blocks))![1]!;
    const other = randomUUID();
    await bot.send.action(blockActions({ actionId, userId: 'U0OTHER', responseUrl: bot.slack.responseUrl(other) }));
    const refused = await bot.slack.waitFor(() => bot.slack.responses.find((x) => x.id === other), 10_000, 'the refusal');
    expect(textOf(refused.body)).toMatch(/belongs to someone else/);
    expect(await bot.store.people.listFollows('slack', USER)).toHaveLength(2);
    const mine = randomUUID();
    await bot.send.action(blockActions({ actionId, userId: USER, responseUrl: bot.slack.responseUrl(mine) }));
    const done = await bot.slack.waitFor(() => bot.slack.responses.find((x) => x.id === mine), 10_000, 'the confirmation');
    expect(textOf(done.body)).toMatch(/Deleted 0 bookmarks, 2 followed topics, your inbox settings/);
    expect(await bot.store.people.listFollows('slack', USER)).toEqual([]);
    expect(await bot.store.people.getInbox('slack', USER)).toBeNull();
    expect(await bot.store.postedPaperIds(inboxRef({ platform: 'slack', workspaceId: 'T0TEST', userId: USER }))).toEqual(new Set());
  });
});
