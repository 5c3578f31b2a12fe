/**
 * The store is the truth, Redis the work in flight: a fan-out through the stand-ins with
 * real worker processes, while Redis restarts with nothing kept (no persistence), and the
 * reverse, a store restored from a backup while Redis kept its finished jobs.
 */
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { utcDay } from '../../src/core/dates.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { DEFAULT_WORKSPACE } from '../support/slack-standin/index.js';
import { PAPERS_PER_DIGEST, startFanout, type Fanout } from '../support/fanout.js';

/** Fast limits, a short job lock and a sweep every second: these tests are about recovery, not pacing. */
const FAST = { WORKER_LOCK_MS: '3000', DISCORD_REQUESTS_PER_SECOND: '300', SLACK_MESSAGES_PER_SECOND: '100', SLACK_TIER3_PER_MINUTE: '60000', WORKER_CONCURRENCY: '50', SWEEP_INTERVAL_MS: '1000' };

let f: Fanout | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function postedInStore(file: string): Promise<number> {
  const store = SqliteStore.open(file, { readonly: true });
  try {
    return (await store.stats()).posted;
  } finally {
    await store.close();
  }
}

describe('when Redis forgets', () => {
  it('restarts empty mid-fan-out: every planned paper posted exactly once, every scheduler back', { timeout: 150_000 }, async () => {
    // Slots passed ten minutes ago with nobody ticking them: the worker's sweep plans them.
    f = await startFanout({ discordChannels: 30, slackChannels: 30, workerEnv: FAST, slots: 'passed' });
    const fanout = f;
    const worker = fanout.startWorker();
    await until(async () => (await fanout.digestSchedulers()) === 60, 30_000, 'one scheduler per subscription');
    await until(() => fanout.tally().delivered >= fanout.tally().expected * 0.4, 60_000, '40% of the messages');
    await fanout.restartRedis({ empty: true });
    expect(await fanout.digestSchedulers()).toBe(0);
    // Back within the sweep interval of the reconnect, and the fan-out completes.
    await until(async () => (await fanout.digestSchedulers()) === 60, 20_000, 'the schedulers rebuilt from the store');
    const t = await fanout.waitComplete(90_000);
    expect(t).toMatchObject({ duplicates: 0, lost: 0, complete: 60 });
    // Quiet afterwards: a few more sweeps post nothing more.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(fanout.tally()).toMatchObject({ duplicates: 0, lost: 0, complete: 60 });
    expect(worker.child.exitCode).toBeNull();
  });

  it('a store restored from a backup while Redis kept its finished jobs still gets every post its log lacks', { timeout: 120_000 }, async () => {
    f = await startFanout({ discordChannels: 0, slackChannels: 8, workerEnv: FAST });
    const fanout = f;
    const backup = `${fanout.storeFile}.backup`;
    fs.copyFileSync(fanout.storeFile, backup);
    let worker = fanout.startWorker();
    await fanout.enqueueTicks();
    await fanout.waitComplete(60_000);
    // The last message reaches the channel a moment before its posted-log row.
    await until(async () => (await postedInStore(fanout.storeFile)) === 8 * (PAPERS_PER_DIGEST + 1), 10_000, 'the posted log');
    worker.child.kill('SIGTERM');
    await worker.exited;

    // The backup predates the digests: its posted log is empty, while Redis still holds
    // every delivery job as completed under the same ids.
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${fanout.storeFile}${suffix}`, { force: true });
    fs.copyFileSync(backup, fanout.storeFile);
    expect(await postedInStore(fanout.storeFile)).toBe(0);
    worker = fanout.startWorker();
    await fanout.enqueueTicks();
    await until(async () => (await postedInStore(fanout.storeFile)) === 8 * (PAPERS_PER_DIGEST + 1), 60_000, 'the restored store’s log to fill again');
    // Every row of the restored log points at a message the channel shows. Mostly the
    // digest is posted again (the restored store never saw the first), but a message the
    // second run looks up first (findPosted, a retried or recovered send) is recorded, not doubled.
    const store = SqliteStore.open(fanout.storeFile, { readonly: true });
    try {
      for (const c of fanout.slackChannels) {
        const shown = fanout.slack.channelMessages(c);
        expect(shown.length).toBeGreaterThanOrEqual(PAPERS_PER_DIGEST + 2);
        expect(shown.length).toBeLessThanOrEqual(2 * (PAPERS_PER_DIGEST + 1));
        const log = await store.listPosted({ platform: 'slack', workspaceId: DEFAULT_WORKSPACE.teamId, channelId: c }, utcDay(new Date()));
        expect(log).toHaveLength(PAPERS_PER_DIGEST + 1);
        const ts = new Set(shown.map((m) => m.ts));
        for (const e of log) expect(ts.has(e.messageId)).toBe(true);
      }
    } finally {
      await store.close();
    }
  });
});
