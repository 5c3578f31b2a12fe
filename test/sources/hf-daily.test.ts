import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MalformedDataError, UpstreamError, UserInputError } from '../../src/core/errors.js';
import { normalizeHfDay } from '../../src/core/normalize/hf.js';
import { HfDailySource, type HfDailyOptions } from '../../src/sources/hf-daily.js';
import { startHfReplayServer, type HfReplayServer } from '../support/hf-replay-server.js';
import { HF_DAILY_DIR } from '../support/tmp.js';
import { recordingLogger } from '../support/fakes/logger.js';
import { noMetrics } from '../../src/core/metrics.js';

let srv: HfReplayServer;
beforeAll(async () => {
  srv = await startHfReplayServer({ dataDir: HF_DAILY_DIR, slowMs: 2_000 });
});
afterAll(() => srv.close());
afterEach(() => {
  srv.faults.length = 0;
  srv.persistentFault = null;
  srv.ignorePaging = false;
  srv.days.clear();
  srv.requests.length = 0;
});

/** A source on the replay server whose waits are recorded, not slept. */
function source(over: Partial<HfDailyOptions> = {}) {
  const waits: number[] = [];
  const src = new HfDailySource({
    baseUrl: `${srv.url}/`,
    timeoutMs: 1_000,
    retries: 2,
    pageSize: 100,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...over,
  });
  return { src, waits };
}

const dayFile = (date: string): unknown[] => JSON.parse(fs.readFileSync(path.join(HF_DAILY_DIR, `${date}.json`), 'utf8')) as unknown[];
const pages = () => srv.requests.map((r) => r.query.p);

describe('HfDailySource.fetchDay', () => {
  it('fetches and normalises a day', async () => {
    const { src } = source();
    const papers = await src.fetchDay('2026-08-21');
    expect(papers).toEqual(normalizeHfDay(dayFile('2026-08-21'), { date: '2026-08-21', where: 'file' }));
    expect(papers).toHaveLength(17);
    expect(srv.requests).toEqual([
      { method: 'GET', path: '/api/daily_papers', query: { date: '2026-08-21', limit: '100', p: '0' }, fault: null },
    ]);
  });

  it('dates a 2024 day by the day asked for, not the evening before', async () => {
    const papers = await source().src.fetchDay('2024-12-02');
    expect(papers.length).toBeGreaterThan(0);
    expect(papers.every((p) => p.featuredDates.join() === '2024-12-02')).toBe(true);
  });

  it('pages until a short page: pageSize 5 on a day of 17 → 4 requests', async () => {
    const papers = await source({ pageSize: 5 }).src.fetchDay('2024-06-28');
    expect(papers).toHaveLength(17);
    expect(new Set(papers.map((p) => p.id)).size).toBe(17);
    expect(pages()).toEqual(['0', '1', '2', '3']);
    expect(srv.requests.every((r) => r.query.limit === '5')).toBe(true);
  });

  it('asks once more after an exactly full last page', async () => {
    const papers = await source({ pageSize: 5 }).src.fetchDay('2024-07-01');
    expect(papers).toHaveLength(10);
    expect(pages()).toEqual(['0', '1', '2']);
  });

  it('stops when a server ignores p and repeats the first page', async () => {
    srv.ignorePaging = true;
    const papers = await source({ pageSize: 5 }).src.fetchDay('2024-06-28');
    expect(papers).toHaveLength(5);
    expect(pages()).toEqual(['0', '1']);
  });

  it('stops after 20 pages whatever the server says', async () => {
    const items = dayFile('2024-06-28')[0] as { paper: { id: string } };
    srv.days.set('2030-01-01', Array.from({ length: 30 }, (_, i) => ({ ...items, paper: { ...items.paper, id: `3001.${String(i).padStart(5, '0')}` } })));
    const papers = await source({ pageSize: 1 }).src.fetchDay('2030-01-01');
    expect(srv.requests).toHaveLength(20);
    expect(papers).toHaveLength(20);
  });

  it('returns [] for a day without a list (weekend)', async () => {
    expect(await source().src.fetchDay('2026-08-22')).toEqual([]);
    expect(srv.requests).toHaveLength(1);
  });

  it('rejects a date that is not YYYY-MM-DD without a request', async () => {
    await expect(source().src.fetchDay('2026-02-30')).rejects.toBeInstanceOf(UserInputError);
    await expect(source().src.fetchDay('yesterday')).rejects.toThrow(/is not a date/);
    expect(srv.requests).toHaveLength(0);
  });

  it('waits what Retry-After says on a 429, then succeeds', async () => {
    srv.faults.push({ kind: '429', retryAfter: 7 });
    const { src, waits } = source();
    expect(await src.fetchDay('2026-08-21')).toHaveLength(17);
    expect(waits).toEqual([7_000]);
  });

  it('honours RateLimit t= on a 429', async () => {
    srv.faults.push({ kind: '429', rateLimit: 12 });
    const { src, waits } = source();
    await src.fetchDay('2026-08-21');
    expect(waits).toEqual([12_000]);
  });

  it('retries a 500, and retries per page', async () => {
    srv.faults.push('500');
    const { src, waits } = source({ pageSize: 10 });
    const papers = await src.fetchDay('2026-08-21');
    expect(papers).toHaveLength(17);
    expect(srv.requests.map((r) => [r.query.p, r.fault])).toEqual([['0', '500'], ['0', null], ['1', null]]);
    expect(waits).toHaveLength(1);
  });

  it('says which day failed after the last attempt', async () => {
    srv.persistentFault = '500';
    const err = await source({ retries: 4 }).src.fetchDay('2026-08-21').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).userMessage).toBe('Hugging Face answered 500 for 2026-08-21 after 5 attempts');
  });

  it('times out a slow answer and retries', async () => {
    srv.faults.push('slow');
    const { src } = source({ timeoutMs: 150 });
    expect(await src.fetchDay('2026-08-21')).toHaveLength(17);
    expect(srv.requests.map((r) => r.fault)).toEqual(['slow', null]);
  });

  it('retries a truncated body, and fails clearly when it stays truncated', async () => {
    srv.faults.push('truncated');
    expect(await source().src.fetchDay('2026-08-21')).toHaveLength(17);
    srv.persistentFault = 'truncated';
    await expect(source().src.fetchDay('2026-08-21')).rejects.toThrow(/^Hugging Face sent an incomplete answer for 2026-08-21 \(.*3 attempts\)$/);
  });

  it('does not retry a body that is HTML instead of JSON', async () => {
    srv.faults.push('malformed');
    const err = await source().src.fetchDay('2026-08-21').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MalformedDataError);
    expect((err as MalformedDataError).userMessage).toMatch(/^Hugging Face response for 2026-08-21: not JSON; it starts "<html>/);
    expect(srv.requests).toHaveLength(1);
  });

  it('stores the good items of a day with one bad item, and logs and counts the bad one by id and field', async () => {
    const items = dayFile('2026-08-21') as { paper: Record<string, unknown> }[];
    const bad = { ...items[3]!, paper: { ...items[3]!.paper, upvotes: 'lots' } };
    srv.days.set('2026-08-21', [...items.slice(0, 3), bad, ...items.slice(4)]);
    const log = recordingLogger();
    const counted: [string, string][] = [];
    const metrics = { ...noMetrics, itemSkipped: (src: string, field: string) => void counted.push([src, field]) };
    const papers = await source({ log, metrics }).src.fetchDay('2026-08-21');
    const badId = String(items[3]!.paper.id);
    expect(papers).toHaveLength(16);
    expect(papers.map((p) => p.id)).not.toContain(badId);
    expect(papers).toEqual(normalizeHfDay(dayFile('2026-08-21'), { date: '2026-08-21', where: 'file' }).filter((p) => p.id !== badId));
    expect(log.warnings).toEqual([
      { obj: { date: '2026-08-21', page: 0, item: 3, id: badId, field: 'paper.upvotes', problem: 'paper.upvotes is a string, not a number' }, msg: 'Hugging Face item skipped: bad data' },
    ]);
    expect(counted).toEqual([['hf', 'paper.upvotes']]);
  });

  it('reports JSON that is not a Daily Papers list, naming the day', async () => {
    srv.days.set('2025-01-10', { status: 'success', date: '2025-01-10', count: 0, data: [] });
    await expect(source().src.fetchDay('2025-01-10')).rejects.toThrow(
      'Hugging Face response for 2025-01-10: expected a JSON array of Daily Papers items, got an object with keys status, date, count, data',
    );
  });
});

describe('HfDailySource.fetchRange', () => {
  it('yields every day oldest first, weekends empty', async () => {
    const got: [string, number][] = [];
    for await (const { date, papers } of source().src.fetchRange('2026-08-14', '2026-08-17')) got.push([date, papers.length]);
    expect(got).toEqual([
      ['2026-08-14', 23],
      ['2026-08-15', 0],
      ['2026-08-16', 0],
      ['2026-08-17', 23],
    ]);
  });

  it('rejects a reversed range', async () => {
    const it = source().src.fetchRange('2026-08-17', '2026-08-14')[Symbol.asyncIterator]();
    await expect(it.next()).rejects.toBeInstanceOf(UserInputError);
  });
});
