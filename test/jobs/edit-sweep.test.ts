/**
 * The live-counts job (jobs/edit-sweep-job.ts): queued after an ingest that changed papers
 * and by the periodic sweep, only for platforms with messages inside their 48 hours, on
 * the platform's hints queue; the hints queue routes it by name. Memory store, recording queue.
 */
import { describe, expect, it } from 'vitest';
import { EDIT_SWEEP_JOB, editSweepJobId, hintQueue, processHintQueue, processIngest, sweep, type JobContext, type JobQueue } from '../../jobs/index.js';
import type { Paper } from '../../src/core/paper.js';
import type { PaperSource } from '../../src/core/ports.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { FakePlatform, recordingLogger } from '../support/fakes/index.js';
import { makePaper } from '../support/papers.js';
import { liveMessage } from '../store/live-messages-contract.js';

const NOW = new Date('2026-03-03T12:10:00.000Z');
const clock = { now: () => NOW };

function recordingQueue() {
  const added: { queue: string; name: string; jobId: string; payload: object }[] = [];
  const queue: JobQueue = {
    async add(q, name, payload, opts) {
      added.push({ queue: q, name, jobId: opts.jobId, payload });
      return true;
    },
  };
  return { queue, added };
}

function source(papers: Paper[]): PaperSource {
  return {
    name: 'fake',
    fetchDay: async () => papers,
    async *fetchRange() {},
  };
}

async function storeWatching(): Promise<MemoryStore> {
  const store = new MemoryStore();
  // Discord posted yesterday (inside 48 h); Slack's message is three days old.
  await store.deliveries.watch(liveMessage('m1', { postedAt: '2026-03-02T09:00:00.000Z' }, '2603.00001'));
  await store.deliveries.watch(liveMessage('m2', { platform: 'slack', workspaceId: 'T1', channelId: 'C1', postedAt: '2026-02-28T09:00:00.000Z' }, '2603.00001'));
  return store;
}

describe('edit-sweep job', () => {
  it('is queued after an ingest that changed papers, for platforms with live messages only', async () => {
    const store = await storeWatching();
    const paper = makePaper({ id: '2603.00001', upvotes: 10, comments: 2, featuredDates: ['2026-03-02'] });
    await store.upsertPapers([paper]);
    const { queue, added } = recordingQueue();
    const ctx = { store, clock, log: recordingLogger(), papersChanged: async () => {}, queue };
    const job = (dates: string[]) => ({ id: 'i1', name: 'ingest', data: { dates, reason: 'schedule' }, attemptsStarted: 1 });

    await processIngest(job(['2026-03-02']), { ...ctx, source: source([paper]) });
    expect(added.filter((a) => a.name === EDIT_SWEEP_JOB)).toEqual([]); // nothing changed

    await processIngest(job(['2026-03-02']), { ...ctx, source: source([{ ...paper, upvotes: 14 }]) });
    expect(added.filter((a) => a.name === EDIT_SWEEP_JOB)).toEqual([
      { queue: hintQueue('discord'), name: EDIT_SWEEP_JOB, jobId: editSweepJobId('discord', 'ingest', NOW), payload: { platform: 'discord' } },
    ]);
  });

  it("is queued by the periodic sweep for this process's platforms, once per window, and the sweep prunes messages past 48 hours", async () => {
    const store = await storeWatching();
    await store.deliveries.watch(liveMessage('m3', { platform: 'slack', workspaceId: 'T1', channelId: 'C1', postedAt: '2026-03-03T09:00:00.000Z' }, '2603.00001'));
    const { queue, added } = recordingQueue();
    const deps = { store, queue, clock, log: recordingLogger(), inFlight: new Set<string>(), reconcileSchedules: async () => ({ upserted: 0, removed: 0 }) };
    const report = await sweep({ ...deps, platforms: ['discord'] });
    expect(report.editSweeps).toBe(1);
    expect(added.filter((a) => a.name === EDIT_SWEEP_JOB).map((a) => [a.queue, a.jobId])).toEqual([[hintQueue('discord'), editSweepJobId('discord', 'sweep', NOW)]]);
    // The window's id: a sweep 30 s later asks for the same job (a no-op in BullMQ).
    expect(editSweepJobId('discord', 'sweep', new Date(NOW.getTime() + 30_000))).toBe(editSweepJobId('discord', 'sweep', NOW));
    expect(editSweepJobId('discord', 'sweep', new Date(NOW.getTime() + 15 * 60_000))).not.toBe(editSweepJobId('discord', 'sweep', NOW));
    // Slack's three-day-old message was pruned; its fresh one stays.
    expect((await store.deliveries.watched({ platform: 'slack', postedSince: '' })).map((m) => m.messageId)).toEqual(['m3']);
  });

  it("runs on the platform's hints queue, editing what changed through the process's platform", async () => {
    const store = await storeWatching();
    await store.upsertPapers([makePaper({ id: '2603.00001', upvotes: 33, comments: 2 })]);
    const discord = new FakePlatform({ name: 'discord' });
    const ctx = { store, clock, log: recordingLogger(), platformFor: (name: string) => (name === 'discord' ? discord : undefined) } as unknown as JobContext;
    const out = await processHintQueue({ id: 'e1', name: EDIT_SWEEP_JOB, data: { platform: 'discord' }, attemptsStarted: 1 }, ctx);
    expect(out).toMatchObject({ watched: 1, edited: 1 });
    expect(discord.edits).toMatchObject([{ messageId: 'm1', channel: { channelId: 'c1' }, message: { paper: { upvotes: 33 } } }]);
    await expect(processHintQueue({ id: 'e2', name: EDIT_SWEEP_JOB, data: { platform: 'slack' }, attemptsStarted: 1 }, ctx)).rejects.toThrow(/no slack connection/);
    await expect(processHintQueue({ id: 'e3', name: EDIT_SWEEP_JOB, data: { platform: 'Not A Platform' }, attemptsStarted: 1 }, ctx)).rejects.toThrow(/bad payload/);
  });
});
