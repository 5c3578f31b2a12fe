/**
 * Exactly-once delivery under failure: a fan-out to Discord and Slack channels through
 * the stand-ins, posted by real worker processes, while the worker is SIGKILLed, Redis
 * restarts, or a third of the platform's answers are 429s. Every channel must end with
 * one complete digest: 0 duplicates, 0 lost papers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mulberry32 } from '../support/random.js';
import { startFanout, type Fanout } from '../support/fanout.js';

/** Fast limits and a short job lock: these tests are about exactly-once, not pacing. */
const FAST = { WORKER_LOCK_MS: '3000', DISCORD_REQUESTS_PER_SECOND: '2000', SLACK_MESSAGES_PER_SECOND: '200', SLACK_TIER3_PER_MINUTE: '60000', WORKER_CONCURRENCY: '100' };

let f: Fanout | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function settle(fanout: Fanout): Promise<void> {
  // Complete, then quiet: no job left that could still post something.
  for (let i = 0; i < 300 && (await fanout.pending()) > 0; i++) await new Promise((r) => setTimeout(r, 100));
  expect(await fanout.pending()).toBe(0);
}

describe('digest fan-out', () => {
  it('survives the worker being SIGKILLed three times: every channel gets exactly one complete digest', { timeout: 180_000 }, async () => {
    f = await startFanout({ discordChannels: 100, slackChannels: 100, workerEnv: FAST });
    const fanout = f;
    const random = mulberry32(20261129);
    let worker = fanout.startWorker();
    await fanout.enqueueTicks();
    const expected = fanout.tally().expected;
    // Kill at random points of the run, each while messages are being posted.
    const cuts = [0.1, 0.35, 0.6].map((base) => Math.floor(expected * (base + random() * 0.15)));
    for (const cut of cuts) {
      await until(() => fanout.tally().delivered >= cut, 60_000, `${cut} messages`);
      worker.child.kill('SIGKILL');
      await worker.exited;
      worker = fanout.startWorker();
    }
    const t = await fanout.waitComplete(120_000);
    await settle(fanout);
    expect({ ...fanout.tally(), discordRequests: 0, rateLimited: 0 }).toEqual({ ...t, discordRequests: 0, rateLimited: 0, duplicates: 0, lost: 0, complete: 200 });
  });

  it('completes when Redis restarts in the middle, with nothing duplicated', { timeout: 150_000 }, async () => {
    f = await startFanout({ discordChannels: 40, slackChannels: 40, workerEnv: FAST });
    const fanout = f;
    fanout.startWorker();
    await fanout.enqueueTicks();
    await until(() => fanout.tally().delivered >= fanout.tally().expected * 0.4, 60_000, '40% of the messages');
    await fanout.restartRedis();
    const t = await fanout.waitComplete(120_000);
    await settle(fanout);
    expect(fanout.tally()).toMatchObject({ duplicates: 0, lost: 0, complete: 80 });
    expect(t.complete).toBe(80);
  });

  it('delivers everything, once, when a third of the platforms’ answers are 429s', { timeout: 150_000 }, async () => {
    f = await startFanout({ discordChannels: 40, slackChannels: 40, workerEnv: FAST });
    const fanout = f;
    fanout.discord.faultRate({ kind: 'rateLimit', method: 'POST', path: /^\/channels\//, retryAfter: 0.05 }, 1 / 3, 7);
    fanout.slack.failRate('chat.postMessage', { kind: '429', retryAfter: 1 }, 1 / 3, 7);
    fanout.startWorker();
    await fanout.enqueueTicks();
    await fanout.waitComplete(120_000);
    await settle(fanout);
    const t = fanout.tally();
    expect(t).toMatchObject({ duplicates: 0, lost: 0, complete: 80 });
    expect(t.rateLimited).toBeGreaterThan(40); // the 429s really happened, and were waited out
  });

  it('a storm of per-route 429s at the global pace: every one is waited out inside the shared limiter, no global 429', { timeout: 150_000 }, async () => {
    // Discord's real global limit (50/s) enforced, the shared limiter at 40/s (room for a
    // busy test machine's timer and socket jitter): retries of 30 % of the requests sent by
    // the library itself, outside the limiter, push seconds over 50.
    f = await startFanout({ discordChannels: 60, slackChannels: 0, discord: { globalRateLimit: 50 }, workerEnv: { ...FAST, DISCORD_REQUESTS_PER_SECOND: '40' } });
    const fanout = f;
    fanout.discord.faultRate({ kind: 'rateLimit', method: 'POST', path: /^\/channels\//, retryAfter: 0.2 }, 0.3, 11);
    fanout.startWorker();
    await fanout.enqueueTicks();
    await fanout.waitComplete(120_000);
    await settle(fanout);
    const t = fanout.tally();
    expect(t).toMatchObject({ duplicates: 0, lost: 0, complete: 60 });
    expect(t.discord429).toBeGreaterThan(20); // the storm really happened
    expect(fanout.discord.stats().globalRateLimited).toBe(0);
  });
});
