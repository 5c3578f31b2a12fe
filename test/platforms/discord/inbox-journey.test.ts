/**
 * A person's inbox on Discord as a user lives it, through the real discord.js and the
 * stand-in, with the real workers on a private Redis: follow two topics, turn the inbox on,
 * the scheduler fires at the person's 07:30 (a fake clock), one DM with the right papers
 * marked by topic, nothing twice the next day, instant alerts batched to one DM an hour, a
 * DM Discord refuses pausing the inbox and the next command saying so, forget-me leaving
 * no row behind, and /papers registered for user installs.
 */
import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.js';
import { INBOX_JOB, inboxSchedulerId, processAlertScan } from '../../../jobs/index.js';
import { inboxRef } from '../../../src/core/people.js';
import { buildJobContext } from '../../../src/app/job-context.js';
import { registerCommands } from '../../../src/platforms/discord/register.js';
import { Queues } from '../../../src/redis/bullmq-queues.js';
import { startWorkers, type RunningWorkers } from '../../../src/redis/bullmq-workers.js';
import { BullmqScheduleSync } from '../../../src/redis/job-schedulers.js';
import type { StandinUser, StoredMessage } from '../../support/discord-standin/index.js';
import { startTestRedis, type TestRedis } from '../../support/redis.js';
import { startDiscordBot, type DiscordBot } from './harness.js';

const ADA: StandinUser = { id: '200000000000000011', username: 'ada' };
const BOB: StandinUser = { id: '200000000000000012', username: 'bob' };
/** Ada's inbox channel: keyed by the server she set it up from (the stand-in's default guild). */
let ref: ReturnType<typeof inboxRef>;

let redis: TestRedis;
let queues: Queues;
let bot: DiscordBot;
let workers: RunningWorkers;
let ctx: ReturnType<typeof buildJobContext>;

beforeAll(async () => {
  redis = await startTestRedis();
  queues = new Queues(redis.url);
  const schedulesLog = { debug() {}, info() {}, warn() {}, error() {}, child() { return this; } };
  const schedules = new BullmqScheduleSync(queues, schedulesLog);
  bot = await startDiscordBot({ now: '2026-08-18T08:00:00Z', schedules });
  await registerCommands({ rest: new REST({ api: bot.discord.apiBase }).setToken(bot.discord.token), appId: bot.discord.appId, specs: commands });
  const core = { ...bot.services, source: { name: 'none', fetchDay: async () => [], fetchRange: async function* () {} } };
  ctx = buildJobContext({ core, queue: queues, platforms: new Map([['discord', bot.platform]]), schedules, papersChanged: async () => {} });
  await bot.store.setMeta('ingest:lastAt', new Date().toISOString());
  workers = await startWorkers({ queues, ctx, platforms: ['discord'], log: ctx.log, ingest: false });
}, 60_000);

afterAll(async () => {
  await workers?.close();
  await queues?.close();
  await bot?.close();
});

const run = async (subcommand: string, options: Record<string, string | number | boolean> = {}, user = ADA) => (await bot.discord.answer(bot.discord.slashCommand({ subcommand, options, user }))).message!;
const text = (m: StoredMessage) => [m.content ?? '', ...m.embeds.map((e: { title?: string; description?: string }) => `${e.title ?? ''}\n${e.description ?? ''}`)].join('\n');
const dms = () => bot.discord.dms(ADA.id);
const idle = async () => {
  for (let i = 0; i < 400; i++) {
    let busy = 0;
    for (const q of [queues.plan(), queues.deliveries('discord')]) {
      const c = await q.getJobCounts('waiting', 'active', 'prioritized');
      busy += (c.waiting ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0);
    }
    if (!busy) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('queues did not drain');
};

describe('a Discord inbox, end to end', () => {
  it('is registered for user installs, in DMs and private channels', () => {
    const papers = bot.discord.commands.global.find((c) => c.name === 'papers')!;
    expect(papers.integration_types).toEqual([0, 1]);
    expect(papers.contexts).toEqual([0, 1, 2]);
  });

  it('follows two topics and turns the inbox on with its scheduler at the person’s hour', async () => {
    expect(text(await run('follow', { topic: 'diffusion' }))).toMatch(/Following "diffusion"/);
    expect(text(await run('follow', { topic: 'agents' }))).toMatch(/Following "agents"/);
    const on = text(await run('inbox', { state: 'on', time: '07:30', timezone: 'Europe/Paris', top: 4 }));
    expect(on).toMatch(/Your inbox is on: 07:30 Europe\/Paris, Mon–Fri, top 4/);
    expect(on).toMatch(/Next delivery: Tue 18 Aug, 07:30 \(Europe\/Paris\)|Next delivery: Wed 19 Aug, 07:30 \(Europe\/Paris\)/);
    ref = inboxRef((await bot.store.people.getInbox('discord', ADA.id))!);
    expect(ref.channelId).toBe(`dm:${ADA.id}`);
    const [s] = await queues.plan().getJobSchedulers(0, -1);
    expect(s).toMatchObject({ key: inboxSchedulerId('discord', ADA.id), pattern: '30 7 * * 1,2,3,4,5', tz: 'Europe/Paris' });
  });

  it('sends one DM when the scheduler fires, each paper marked with the topic it matched', async () => {
    bot.clock.set('2026-08-21T05:30:00Z'); // Friday 07:30 in Paris
    const due = (await queues.plan().getDelayed()).find((j) => j.name === INBOX_JOB)!;
    await due.promote();
    await idle();
    const got = dms();
    expect(got.length).toBeGreaterThan(1);
    expect(got.length).toBeLessThanOrEqual(5);
    expect(text(got[0]!)).toMatch(/Your papers · Fri,? 21 Aug 2026/);
    for (const m of got.slice(1)) expect(text(m)).toMatch(/matched: (diffusion|agents)/);
    const logged = await bot.store.listPosted(ref, '2026-08-21');
    expect(logged.map((e) => e.messageId)).toEqual(got.map((m) => m.id));
  });

  it('sends nothing twice: a second tick the next day finds nothing new', async () => {
    const before = dms().length;
    bot.clock.set('2026-08-22T05:30:00Z');
    await queues.plan().add(INBOX_JOB, { platform: 'discord', userId: ADA.id }, { jobId: 'saturday' });
    await idle();
    expect(dms()).toHaveLength(before);
  });

  it('batches instant alerts: one DM now, the next matches an hour later', async () => {
    expect(text(await run('inbox', { instant: true }))).toMatch(/instant alerts on/);
    bot.clock.set('2026-08-22T09:00:00Z');
    const before = dms().length;
    await processAlertScan({ id: 'a1', name: 'alert-scan', data: { days: ['2026-08-20'] }, attemptsStarted: 1 }, ctx);
    await idle();
    expect(dms()).toHaveLength(before + 1);
    expect(text(dms().at(-1)!)).toMatch(/new papers? match(es)? what you follow/);
    bot.clock.set('2026-08-22T09:10:00Z');
    await processAlertScan({ id: 'a2', name: 'alert-scan', data: { days: ['2026-08-19'] }, attemptsStarted: 1 }, ctx);
    await idle();
    expect(dms()).toHaveLength(before + 1); // held for the hour
    bot.clock.set('2026-08-22T10:00:30Z');
    for (const j of await queues.deliveries('discord').getDelayed()) await j.promote();
    await expect.poll(() => dms().length, { timeout: 10_000 }).toBe(before + 2);
    const ids = (await bot.store.postedPaperIds(ref)).size;
    expect(ids).toBeGreaterThan(before);
  });

  it('pauses the inbox when Discord refuses the DM, and the next command says so once', async () => {
    bot.discord.unreachableUsers.add(ADA.id);
    bot.clock.set('2026-08-24T05:30:00Z'); // Monday: a new day whose papers the inbox has not had
    await bot.store.upsertPapers([{ ...(await bot.store.papersFeaturedBetween('2026-08-17', '2026-08-17')).at(-1)!, id: '2608.99001', title: 'Diffusion agents for Monday', featuredDates: ['2026-08-24'], upvotes: 500 }]);
    await bot.services.index.refresh();
    await queues.plan().add(INBOX_JOB, { platform: 'discord', userId: ADA.id }, { jobId: 'monday' });
    await expect.poll(async () => (await bot.store.people.getInbox('discord', ADA.id))?.enabled, { timeout: 10_000 }).toBe(false);
    expect((await bot.store.people.getInbox('discord', ADA.id))!.pausedReason).toBe('direct messages could not be delivered (50007)');
    expect((await queues.plan().getJobSchedulers(0, -1)).map((s) => s.key)).not.toContain(inboxSchedulerId('discord', ADA.id));
    const next = text(await run('search', { query: 'diffusion' }));
    expect(next).toMatch(/Your inbox is paused: direct messages could not be delivered \(50007\)/);
    expect(text(await run('search', { query: 'diffusion' }))).not.toMatch(/Your inbox is paused/);
    bot.discord.unreachableUsers.delete(ADA.id);
  });

  it('forget-me: someone else’s press deletes nothing; the person’s own leaves no row behind', async () => {
    await run('bookmarks'); // nothing to see; a bookmark to forget:
    const paper = (await bot.store.papersFeaturedBetween('2026-08-21', '2026-08-21'))[0]!;
    await bot.store.addBookmark({ platform: 'discord', userId: ADA.id, paperId: paper.id, createdAt: '2026-08-24T06:00:00Z' });
    const ask = await run('forget-me');
    const button = ask.components.flatMap((r: { components: { custom_id?: string }[] }) => r.components).find((b: { custom_id?: string }) => b.custom_id?.startsWith('fm:'))!;
    const other = await bot.discord.answer(bot.discord.clickButton({ messageId: ask.id, customId: button.custom_id!, user: BOB }));
    expect(text(other.message!)).toMatch(/belongs to someone else/);
    expect(await bot.store.people.listFollows('discord', ADA.id)).toHaveLength(2);
    const mine = await bot.discord.answer(bot.discord.clickButton({ messageId: ask.id, customId: button.custom_id!, user: ADA }));
    expect(text(mine.message!)).toMatch(/^✅?\s*Deleted 1 bookmark, 2 followed topics, your inbox settings, \d+ records of papers sent to you/);
    expect(await bot.store.people.listFollows('discord', ADA.id)).toEqual([]);
    expect(await bot.store.people.getInbox('discord', ADA.id)).toBeNull();
    expect(await bot.store.listBookmarks('discord', ADA.id)).toEqual([]);
    expect(await bot.store.people.listPendingAlerts('discord', ADA.id)).toEqual([]);
    expect(await bot.store.postedPaperIds(ref)).toEqual(new Set());
    expect(await bot.store.listPosted(ref, '2026-08-21')).toEqual([]);
    expect(await bot.store.deliveries.unfinished({ plannedSince: '2026-01-01T00:00:00Z' })).toEqual([]);
  });
});
