/**
 * A digest fan-out to many Discord and Slack channels through the stand-ins, with the
 * real worker process (dist/src/app/worker.js) doing the posting: used by the crash tests
 * and by `npm run bench:fanout`. No vitest import, so the benchmark can use it too.
 *
 *   const f = await startFanout({ discordChannels: 100, slackChannels: 100 });
 *   f.startWorker(); await f.enqueueTicks(); await f.waitComplete(60_000);
 *   f.tally()   // { expected, delivered, duplicates, lost, … }
 *   await f.close();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deliverQueue, INBOX_JOB, PLAN_JOB, PLAN_QUEUE, type DigestTickPayload, type PersonPayload } from '../../jobs/index.js';
import { DEFAULT_INBOX, type Inbox } from '../../src/core/people.js';
import { utcDay } from '../../src/core/dates.js';
import { LAST_INGEST_KEY } from '../../src/core/ingest-papers.js';
import type { Subscription } from '../../src/core/ports.js';
import { DEFAULT_SETTINGS } from '../../src/core/subscription.js';
import { SAMPLE_DIR } from '../../src/paths.js';
import { Queues } from '../../src/redis/bullmq-queues.js';
import { startRedisServer, type RunningRedis } from '../../src/redis/private-redis-server.js';
import { readPaperFiles } from '../../src/sources/files.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { DEFAULT_GUILD, startDiscordStandin, type StandinOptions } from './discord-standin/index.js';
import { DEFAULT_WORKSPACE, startSlackStandin, type RateLimitSpec, type SlackStandin } from './slack-standin/index.js';

type DiscordStandin = Awaited<ReturnType<typeof startDiscordStandin>>;

const ROOT = path.resolve(import.meta.dirname, '../..');
/** The sample's newest day, re-dated to today so scheduled digests find it. */
const SOURCE_DAY = '2026-08-21';
export const PAPERS_PER_DIGEST = 5;

export interface FanoutOptions {
  discordChannels: number;
  slackChannels: number;
  discord?: Partial<StandinOptions>;
  /** Enforced per-channel chat.postMessage limit on the Slack stand-in. */
  slackRateLimit?: RateLimitSpec | null;
  /** Extra environment for the worker processes (rates, lock, concurrency). */
  workerEnv?: Record<string, string>;
  /**
   * 'passed': every subscription's slot was ten minutes ago (local time in a zone where it
   * is about noon) and nobody ticked it, as when Redis lost the schedulers: the workers'
   * sweep must notice and plan them. Default: slots at 09:00 UTC, ticked by enqueueTicks.
   */
  slots?: 'passed';
  /**
   * 'inboxes': the recipients are people, not channels: each Discord and Slack "channel"
   * above is a user with an inbox (no followed topics: the day's top list), ticked by
   * inbox-tick and delivered by direct message. Default 'channels'.
   */
  target?: 'channels' | 'inboxes';
}

export interface Tally {
  channels: number;
  /** Messages a complete fan-out shows: a header and the papers, per channel. */
  expected: number;
  /** Distinct messages that arrived (a message is its channel + its paper, or the header). */
  delivered: number;
  duplicates: number;
  lost: number;
  /** Channels whose digest is complete: one header, PAPERS_PER_DIGEST distinct papers. */
  complete: number;
  discordRequests: number;
  rateLimited: number;
  discord429: number;
  slack429: number;
}

export interface Worker {
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr(): string;
}

export interface Fanout {
  discord: DiscordStandin;
  slack: SlackStandin;
  redis: RunningRedis;
  redisPort: number;
  dataDir: string;
  discordChannels: string[];
  slackChannels: string[];
  /** A worker process; `env` adds to the fan-out's worker environment (e.g. WORKER_PLATFORMS). */
  startWorker(env?: Record<string, string>): Worker;
  enqueueTicks(): Promise<void>;
  tally(): Tally;
  /** Resolves when every channel's digest is complete; rejects after the timeout with the tally. */
  waitComplete(timeoutMs: number): Promise<Tally>;
  /** Jobs still waiting, active or retrying in the digest queues (the schedulers' next runs aside). */
  pending(): Promise<number>;
  /** Stops Redis and starts it again on the same port, with the same data or (`empty`) none, as a Redis without persistence. */
  restartRedis(opts?: { empty?: boolean }): Promise<void>;
  /** Job schedulers Redis holds for the subscriptions' digests. */
  digestSchedulers(): Promise<number>;
  /** The store's file, for a test to back up and restore (only while no worker runs). */
  storeFile: string;
  close(): Promise<void>;
}

export async function startFanout(opts: FanoutOptions): Promise<Fanout> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'papers-fanout-'));
  const redisOpts = { dir: path.join(dataDir, 'redis'), appendOnly: true, fsyncAlways: true };
  let redis = await startRedisServer(redisOpts);
  const redisPort = Number(new URL(redis.url).port);
  const discord = await startDiscordStandin({ acceptUnknownChannels: true, ...opts.discord });
  const slack = await startSlackStandin({ rateLimit: opts.slackRateLimit ?? null });
  const discordChannels = Array.from({ length: opts.discordChannels }, (_, i) => String(910000000000000000n + BigInt(i)));
  // In inbox mode these are the people: Discord user snowflakes and Slack user ids.
  const slackChannels = Array.from({ length: opts.slackChannels }, (_, i) => `${opts.target === 'inboxes' ? 'U' : 'C'}${String(i).padStart(9, '0')}`);

  // The store the workers read: the sample's newest day as today's list, one subscription per channel.
  const store = SqliteStore.open(path.join(dataDir, 'papers.sqlite'));
  const today = utcDay(new Date());
  const { papers } = await readPaperFiles([SAMPLE_DIR]);
  await store.upsertPapers(papers.filter((p) => p.featuredDates.includes(SOURCE_DAY)).map((p) => ({ ...p, featuredDates: [today] })));
  const now = new Date().toISOString();
  const slot = opts.slots === 'passed' ? passedSlotSettings(new Date()) : {};
  const created = opts.slots === 'passed' ? new Date(Date.now() - 86_400_000).toISOString() : now;
  const sub = (platform: 'discord' | 'slack', workspaceId: string, channelId: string): Subscription => ({
    platform, workspaceId, channelId, ...DEFAULT_SETTINGS, topN: PAPERS_PER_DIGEST, weekdays: [0, 1, 2, 3, 4, 5, 6], ...slot,
    paused: false, pausedReason: null, createdBy: 'bench', createdAt: created, updatedAt: created,
  });
  const inboxes = opts.target === 'inboxes';
  const inbox = (platform: 'discord' | 'slack', workspaceId: string, userId: string): Inbox => ({
    ...DEFAULT_INBOX, platform, userId, workspaceId, topN: PAPERS_PER_DIGEST, weekdays: [0, 1, 2, 3, 4, 5, 6], ...slot,
    enabled: true, pausedReason: null, pauseNoticeShown: false, createdAt: created, updatedAt: created,
  });
  if (inboxes) {
    for (const u of discordChannels) await store.people.saveInbox(inbox('discord', '@me', u));
    for (const u of slackChannels) await store.people.saveInbox(inbox('slack', DEFAULT_WORKSPACE.teamId, u));
  } else {
    for (const c of discordChannels) await store.saveSubscription(sub('discord', DEFAULT_GUILD, c));
    for (const c of slackChannels) await store.saveSubscription(sub('slack', DEFAULT_WORKSPACE.teamId, c));
  }
  await store.setMeta(LAST_INGEST_KEY, now); // upvotes are fresh: no Hugging Face call
  await store.close();

  const queues = new Queues(redis.url);
  const workers: Worker[] = [];
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    REDIS_URL: redis.url,
    DISCORD_TOKEN: discord.token,
    DISCORD_APP_ID: discord.appId,
    DISCORD_API_BASE: discord.apiBase,
    SLACK_BOT_TOKEN: DEFAULT_WORKSPACE.botToken,
    SLACK_SIGNING_SECRET: 'fanout-signing-secret',
    SLACK_API_URL: slack.apiUrl,
    FETCH_ON_START: 'false',
    HF_BASE_URL: 'http://127.0.0.1:9',
    LOG_LEVEL: 'warn',
    ...opts.workerEnv,
  };

  function paperOf(json: string): string | null {
    return /"bm:(\d{4}\.\d{4,5})(?:\|k:[\w-]*)?"/.exec(json)?.[1] ?? null;
  }
  // A message's key is read once: the tally runs every 100 ms over every message, and at
  // 60,000 messages re-serialising them all would starve the stand-ins sharing this process.
  const keys = new WeakMap<object, string>();
  const keyOf = (m: object, read: () => string): string => {
    let k = keys.get(m);
    if (k === undefined) keys.set(m, (k = read()));
    return k;
  };

  function tally(): Tally {
    let delivered = 0;
    let total = 0;
    let complete = 0;
    const count = (keys: string[]) => {
      const distinct = new Set(keys);
      total += keys.length;
      delivered += distinct.size;
      const papersSeen = [...distinct].filter((k) => k !== 'header').length;
      if (distinct.has('header') && keys.filter((k) => k === 'header').length === 1 && papersSeen === PAPERS_PER_DIGEST) complete++;
    };
    const discordOf = (c: string) => (opts.target === 'inboxes' ? discord.dms(c) : discord.messages(c));
    const slackOf = (c: string) => (opts.target === 'inboxes' ? slack.dmMessages(c) : slack.channelMessages(c));
    for (const c of discordChannels) count(discordOf(c).map((m) => keyOf(m, () => paperOf(JSON.stringify(m.components)) ?? 'header')));
    for (const c of slackChannels) count(slackOf(c).map((m) => keyOf(m, () => (m.metadata?.event_payload.paper_id as string | undefined) ?? 'header')));
    const channels = discordChannels.length + slackChannels.length;
    const expected = channels * (PAPERS_PER_DIGEST + 1);
    const stats = discord.stats();
    const slack429 = slack.calls.filter((c) => c.status === 429).length;
    return { channels, expected, delivered, duplicates: total - delivered, lost: expected - delivered, complete, discordRequests: stats.requests, rateLimited: stats.rateLimited + slack429, discord429: stats.rateLimited, slack429 };
  }

  return {
    discord,
    slack,
    get redis() {
      return redis;
    },
    redisPort,
    dataDir,
    discordChannels,
    slackChannels,
    startWorker(extra = {}) {
      const nodeArgs = (extra as Record<string, string>).NODE_ARGS?.split(' ').filter(Boolean) ?? [];
      const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, 'dist/src/app/worker.js')], { cwd: ROOT, env: { ...env, ...extra }, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const w: Worker = { child, exited: new Promise((r) => child.on('close', r)), stderr: () => stderr };
      workers.push(w);
      return w;
    },
    async enqueueTicks() {
      // What the channels' (or inboxes') job schedulers do at their hour: one tick each.
      const tick = (platform: 'discord' | 'slack', workspaceId: string, channelId: string) =>
        inboxes ? { name: INBOX_JOB, data: { platform, userId: channelId } satisfies PersonPayload } : { name: PLAN_JOB, data: { platform, workspaceId, channelId } satisfies DigestTickPayload };
      // Interleaved, as schedulers firing at the same hour on both platforms would be.
      const ticks = [];
      for (let i = 0; i < Math.max(discordChannels.length, slackChannels.length); i++) {
        if (discordChannels[i]) ticks.push(tick('discord', DEFAULT_GUILD, discordChannels[i]!));
        if (slackChannels[i]) ticks.push(tick('slack', DEFAULT_WORKSPACE.teamId, slackChannels[i]!));
      }
      await queues.get(PLAN_QUEUE).addBulk(ticks);
    },
    tally,
    async waitComplete(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const t = tally();
        if (t.complete === t.channels) return t;
        if (Date.now() > deadline) {
          const errs = workers.map((w) => w.stderr().slice(-1500)).join('\n---\n');
          throw new Error(`fan-out incomplete after ${timeoutMs} ms: ${JSON.stringify(t)}\nworker stderr:\n${errs}`);
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    async pending() {
      let n = 0;
      for (const name of [PLAN_QUEUE, deliverQueue('discord'), deliverQueue('slack')]) {
        const q = queues.get(name);
        const c = await q.getJobCounts('waiting', 'active', 'prioritized');
        n += (c.waiting ?? 0) + (c.active ?? 0) + (c.prioritized ?? 0);
        // Delayed jobs are retries waiting out their backoff, or a scheduler's next run (not pending work).
        n += (await q.getDelayed()).filter((j) => !j.id?.startsWith('repeat:')).length;
      }
      return n;
    },
    async restartRedis(o = {}) {
      await redis.stop();
      if (o.empty) fs.rmSync(redisOpts.dir, { recursive: true, force: true });
      redis = await startRedisServer({ ...redisOpts, port: redisPort });
    },
    async digestSchedulers() {
      return (await queues.get(PLAN_QUEUE).getJobSchedulers(0, -1)).filter((j) => j.key.startsWith('digest|')).length;
    },
    storeFile: path.join(dataDir, 'papers.sqlite'),
    async close() {
      for (const w of workers) w.child.kill('SIGKILL');
      await Promise.all(workers.map((w) => w.exited));
      await queues.close();
      await Promise.allSettled([discord.close(), slack.close()]);
      await redis.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A slot ten minutes ago in a fixed-offset zone where it is about noon now, so the slot is
 * on the same local day whatever the hour of the run (Etc/GMT+N is N hours behind UTC).
 */
function passedSlotSettings(now: Date): Pick<Subscription, 'hour' | 'minute' | 'timezone'> {
  const behind = now.getUTCHours() - 12;
  const timezone = behind === 0 ? 'Etc/GMT' : `Etc/GMT${behind > 0 ? '+' : '-'}${Math.abs(behind)}`;
  const local = new Date(now.getTime() - behind * 3_600_000 - 10 * 60_000);
  return { timezone, hour: local.getUTCHours(), minute: local.getUTCMinutes() };
}
