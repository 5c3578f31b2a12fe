/**
 * Issue 15 part 1: a weekly digest opens with its chart. The plan's header carries the
 * chart data; deliver draws it right before the header goes out and posts the PNG with it;
 * a chart that fails (throws, hangs, returns nothing) is logged and the header posts alone.
 */
import { describe, expect, it } from 'vitest';
import { outboundMessage } from '../../jobs/outbound-message-schema.js';
import type { ChartRenderer, WeekChartData } from '../../src/core/chart.js';
import { DigestService, type DigestPlan, type DigestTarget } from '../../src/core/digest/digest-service.js';
import { chartFiles } from '../../src/core/digest/week-chart-files.js';
import type { Logger, PaperIndex } from '../../src/core/ports.js';
import { silentLogger } from '../../src/log.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { FakePlatform, recordingLogger } from '../support/fakes/index.js';
import { loadDay } from './helpers.js';

const NOW = new Date('2026-08-17T12:00:00.000Z');
const noIndex = { search: async () => ({ hits: [], total: 0 }) } as unknown as PaperIndex;
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

class FakeCharts implements ChartRenderer {
  readonly drawn: WeekChartData[] = [];
  constructor(private readonly draw: (d: WeekChartData) => Promise<Uint8Array> = async () => PNG) {}
  async weekPng(d: WeekChartData): Promise<Uint8Array> {
    this.drawn.push(d);
    return this.draw(d);
  }
}

const target = (over: Partial<DigestTarget> = {}): DigestTarget => ({ platform: 'console', workspaceId: 'w', channelId: 'c', timezone: 'UTC', topN: 3, minUpvotes: 0, topic: null, every: 'week', order: 'upvotes', ...over });

async function setup(charts?: ChartRenderer, log: Logger = silentLogger()) {
  const store = new MemoryStore();
  await store.upsertPapers([...loadDay('2026-08-17'), ...loadDay('2026-08-14')]);
  const svc = new DigestService({ store, index: noIndex, clock: { now: () => NOW }, log, ...(charts ? { charts } : {}) });
  return { store, svc };
}

async function planOf(svc: DigestService, t: DigestTarget): Promise<DigestPlan> {
  const plan = await svc.plan(t, 'scheduled');
  if ('skip' in plan) throw new Error(plan.skip);
  return plan;
}

describe('the weekly chart', () => {
  it('is planned into a weekly header only: the window’s papers by upvotes, small enough for a job', async () => {
    const { svc } = await setup();
    const week = await planOf(svc, target());
    const header = week.messages[0]!;
    if (header.kind !== 'digestHeader') throw new Error('no header');
    expect(header.chart).toMatchObject({ week: '2026-W34', to: '2026-08-17', title: 'Top papers of the week · 2026-W34' });
    expect(header.chart!.bars[0]).toMatchObject({ rank: 1, id: '2608.13489', value: 61 }); // Friday's 61 upvotes
    expect(header.chart!.bars.length).toBeLessThanOrEqual(10);
    expect(JSON.stringify(header.chart).length).toBeLessThan(3_000);
    expect(outboundMessage.parse(header)).toEqual(header); // the delivery job's schema keeps it
    const daily = await planOf(svc, target({ every: 'day' }));
    expect(daily.messages[0]).not.toHaveProperty('chart');
  });

  it('is drawn once and posted with the header, then the papers as before', async () => {
    const charts = new FakeCharts();
    const { svc } = await setup(charts);
    const plan = await planOf(svc, target());
    const fake = new FakePlatform();
    const out = await svc.deliver(target(), plan, fake);
    expect(out.posted).toBe(3);
    expect(charts.drawn).toHaveLength(1);
    expect(fake.posts[0]!.files).toEqual([{ name: 'week-2026-W34.png', data: PNG, contentType: 'image/png' }]);
    expect(fake.posts.slice(1).every((p) => p.files === undefined)).toBe(true);
    // Delivered again (a retried job): the header is in the posted log, nothing is drawn or posted.
    await svc.deliver(target(), plan, fake);
    expect(charts.drawn).toHaveLength(1);
    expect(fake.posts).toHaveLength(4);
  });

  it('that fails to draw is logged, and the header posts without it: never a failed digest', async () => {
    const log = recordingLogger();
    const { svc } = await setup(new FakeCharts(async () => { throw new Error('resvg exploded'); }), log);
    const plan = await planOf(svc, target());
    const fake = new FakePlatform();
    expect((await svc.deliver(target(), plan, fake)).posted).toBe(3);
    expect(fake.posts[0]!.message.kind).toBe('digestHeader');
    expect(fake.posts[0]!.files).toBeUndefined();
    expect(log.warnings.map((w) => w.msg)).toContain('weekly chart not drawn; the digest header posts without it');
  });

  it('that hangs or draws nothing is given up on the same way', async () => {
    const log = recordingLogger();
    const plan = await planOf((await setup()).svc, target());
    const header = plan.messages[0]!;
    const hang = new FakeCharts(() => new Promise<Uint8Array>(() => {}));
    expect(await chartFiles(hang, header, log, 20)).toEqual([]);
    expect(await chartFiles(new FakeCharts(async () => new Uint8Array()), header, log)).toEqual([]);
    expect(await chartFiles(undefined, header, log)).toEqual([]);
    expect(log.warnings).toHaveLength(2);
  });

  it('without a renderer (tests, a process with none wired) the weekly header posts as before', async () => {
    const { svc } = await setup();
    const fake = new FakePlatform();
    await svc.deliver(target(), await planOf(svc, target()), fake);
    expect(fake.posts[0]!.files).toBeUndefined();
  });
});
