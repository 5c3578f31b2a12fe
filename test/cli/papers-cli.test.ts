/**
 * `npx papers …` as a user runs it: the package's bin against a temp DATA_DIR, on the
 * real data (the test fixture, or the full corpus under PAPERS_DATA_DIR). One import of
 * every day is shared by the file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startHfReplayServer } from '../support/hf-replay-server.js';
import { papers } from '../support/spawn.js';
import { allDays, loadDays } from '../support/real-data.js';
import { HF_DAILY_DIR, MALFORMED_DIR, tempDir } from '../support/tmp.js';

const dataDir = tempDir();
const env = { DATA_DIR: dataDir };
const json = (s: string) => JSON.parse(s) as unknown;
// What the importer must report, counted by the normaliser: 558 files and 9,577 papers on the full corpus.
const DAYS = allDays().length;
const TOTAL = loadDays(allDays()).length;

beforeAll(async () => {
  const r = await papers(['import', HF_DAILY_DIR, '--json'], { env, timeoutMs: 180_000 });
  expect(r.code, r.stderr).toBe(0);
  expect(json(r.stdout)).toMatchObject({ files: DAYS, inserted: TOTAL, updated: 0, total: TOTAL });
}, 200_000);

describe('papers CLI', () => {
  it('re-importing the same days stores nothing new', async () => {
    const r = await papers(['import', HF_DAILY_DIR, '--json'], { env, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(json(r.stdout)).toMatchObject({ inserted: 0, updated: 0, unchanged: TOTAL, total: TOTAL });
  });

  it('search --json puts ConvLLaVA first, and stdout holds only JSON', async () => {
    const r = await papers(['search', 'ConvLLaVA', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const hits = json(r.stdout) as { id: string; title: string; score: number }[];
    expect(hits[0]).toMatchObject({ id: '2405.15738', title: 'ConvLLaVA: Hierarchical Backbones as Visual Encoder for Large Multimodal Models' });
    expect(typeof hits[0]!.score).toBe('number');
  });

  it('search --stdin --json answers one JSON array per line, bad lines included', async () => {
    const r = await papers(['search', '--stdin', '--json', '--limit', '3'], { env, input: 'mixture of experts\n+\nhttp://arxiv.org/abs/2405.15738\n' });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => json(l) as { id: string; title: string }[]);
    expect(lines).toHaveLength(3);
    expect(lines[0]!.length).toBe(3);
    expect(lines[0]!.some((h) => /mixture|experts|MoE/i.test(h.title))).toBe(true);
    expect(lines[1]).toEqual([]);
    expect(r.stderr).toMatch(/"\+"/);
    expect(lines[2]![0]!.id).toBe('2405.15738');
  });

  it('stats --json reports the number of papers stored', async () => {
    const r = await papers(['stats', '--json'], { env });
    expect(json(r.stdout)).toMatchObject({ papers: TOTAL, featuredDays: DAYS, firstFeaturedDate: allDays()[0], lastFeaturedDate: allDays().at(-1) });
  });

  it('show and digest print what a channel would see', async () => {
    const show = await papers(['show', 'https://huggingface.co/papers/2405.15738', '--json'], { env });
    expect(json(show.stdout)).toMatchObject({ id: '2405.15738', featuredDates: ['2024-05-27'] });
    const digest = await papers(['digest', '--date', '2026-08-21', '--top', '3', '--json'], { env });
    expect(digest.code, digest.stderr).toBe(0);
    const d = json(digest.stdout) as { date: string; papers: { id: string; upvotes: number }[]; themes: string[] };
    expect(d.date).toBe('2026-08-21');
    expect(d.papers.map((p) => p.id)).toEqual(['2608.19880', expect.any(String), expect.any(String)]);
    const topic = await papers(['digest', '--date', '2026-08-21', '--topic', 'agents', '--json'], { env });
    expect(topic.code, topic.stderr).toBe(0);
    expect((json(topic.stdout) as { papers: unknown[] }).papers.length).toBeGreaterThan(0);
  });

  it.each([
    [['show', '2101.99999'], /No paper 2101\.99999/],
    [['show', 'mamba'], /not an arXiv id/],
    [['search', '+'], /Type some words|search for/i],
    [['search', 'of the'], /common words/],
    [['digest', '--date', '2026-08-22'], /No papers featured on 2026-08-22/],
    [['digest', '--topic', '*'], /search for|words/i],
    [['digest', '--top', '25'], /1 to 10/],
    [['frobnicate'], /unknown command "frobnicate"\. Commands: import, ingest, search/],
    [[], /which command\?[\s\S]*Usage: papers <command>/],
    [['search', 'x', '--nope'], /Unknown option '--nope'/],
  ])('papers %j fails with a short message and exit code 2', async (args, message) => {
    const r = await papers(args, { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.stdout).toBe('');
  });

  it('with --json, an error is one JSON object on stdout, and the exit code still says what failed', async () => {
    const bad = await papers(['search', '+', '--json'], { env });
    expect(bad.code).toBe(2);
    expect(json(bad.stdout)).toEqual({ error: { code: 'bad_input', message: expect.stringMatching(/Type some words|search for/i) } });
    const usage = await papers(['show', '--json', '--nope'], { env });
    expect(usage.code).toBe(2);
    expect(json(usage.stdout)).toMatchObject({ error: { code: 'usage' } });
  });

  it('prints each command’s own help with --help', async () => {
    const r = await papers(['search', '--help'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: papers search "<query>"/);
    expect(r.stdout).toContain('--min-upvotes N');
    expect(r.stdout).not.toContain('papers import');
    const top = await papers(['--help'], { env });
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('papers <command> --help');
  });

  it('refuses malformed files naming each, and keeps what is stored', async () => {
    const before = (json((await papers(['stats', '--json'], { env })).stdout) as { papers: number; revision: number });
    const r = await papers(['import', MALFORMED_DIR], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('hf-daily-2024-12-11.python-repr.json');
    expect(r.stderr).toContain('hf-daily-2025-01-10.wrapped.json');
    const fake = path.join(tempDir(), 'papers.jsonl.gz');
    fs.writeFileSync(fake, '{"id": "2405.15738"}\n');
    const notGzip = await papers(['import', fake], { env });
    expect(notGzip.code).toBe(2);
    expect(notGzip.stderr).toMatch(/papers\.jsonl\.gz.*gzip/i);
    const after = json((await papers(['stats', '--json'], { env })).stdout) as { papers: number; revision: number };
    expect(after).toMatchObject({ papers: before.papers, revision: before.revision });
  });

  it('imports a JSON Lines file all or nothing: one bad line stores none of its good lines', async () => {
    const file = path.join(tempDir(), 'mixed.jsonl');
    const rec = (id: string, extra: object = {}) => JSON.stringify({ id, title: `Paper ${id}`, summary: 'S', authors: ['A'], ...extra });
    fs.writeFileSync(file, `${rec('3001.00001')}\n${rec('3001.00002', { upvotes: 'many' })}\n${rec('3001.00003')}\n`);
    const before = json((await papers(['stats', '--json'], { env })).stdout) as { papers: number; revision: number };
    const r = await papers(['import', file], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('line 2: upvotes is a string, not a number');
    expect((await papers(['show', '3001.00001'], { env })).stderr).toContain('No paper 3001.00001 in the store');
    expect(json((await papers(['stats', '--json'], { env })).stdout)).toMatchObject({ papers: before.papers, revision: before.revision });
  });

  it('ingests days from the Daily Papers API (a local replay) into a fresh store', async () => {
    const hf = await startHfReplayServer({ dataDir: HF_DAILY_DIR });
    try {
      const dir = tempDir();
      const r = await papers(['ingest', '--from', '2026-08-20', '--to', '2026-08-23', '--json'], { env: { DATA_DIR: dir, HF_BASE_URL: hf.url } });
      expect(r.code, r.stderr).toBe(0);
      const out = json(r.stdout) as { days: { date: string; fetched: number }[]; inserted: number };
      expect(out.days.map((d) => [d.date, d.fetched])).toEqual([['2026-08-20', 15], ['2026-08-21', 17], ['2026-08-22', 0], ['2026-08-23', 0]]);
      expect(out.inserted).toBe(32);
      const s = await papers(['search', 'EnvHarness', '--json'], { env: { DATA_DIR: dir } });
      expect((json(s.stdout) as { id: string }[])[0]!.id).toBe('2608.19880');
    } finally {
      await hf.close();
    }
  });
});

describe('papers forget', () => {
  it('deletes everything about one person from the store the bot uses, and nothing of anyone else', async () => {
    const { SqliteStore } = await import('../../src/store/sqlite/sqlite-store.js');
    const { DEFAULT_INBOX } = await import('../../src/core/people.js');
    const file = path.join(dataDir, 'papers.sqlite');
    let store = SqliteStore.open(file);
    const paperId = (await store.listPapers({ limit: 1 }))[0]!.id;
    for (const userId of ['u9', 'u10']) {
      await store.addBookmark({ platform: 'discord', userId, paperId, createdAt: '2026-08-21T00:00:00Z' });
      await store.people.addFollow({ platform: 'discord', userId, topic: 'diffusion', createdAt: '2026-08-21T00:00:00Z' });
      await store.people.saveInbox({ ...DEFAULT_INBOX, platform: 'discord', userId, workspaceId: 'g', enabled: true, pausedReason: null, pauseNoticeShown: false, createdAt: '2026-08-21T00:00:00Z', updatedAt: '2026-08-21T00:00:00Z' });
    }
    await store.close();

    const r = await papers(['forget', '--platform', 'discord', '--user', 'u9', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(json(r.stdout)).toEqual({ platform: 'discord', user: 'u9', bookmarks: 1, follows: 1, inbox: true, posted: 0, deliveries: 0, pendingAlerts: 0 });
    const human = await papers(['forget', '--platform', 'discord', '--user', 'u10'], { env });
    expect(human.stdout).toMatch(/^discord user u10: Deleted 1 bookmark, 1 followed topic, your inbox settings/);

    store = SqliteStore.open(file);
    expect(await store.listBookmarks('discord', 'u9')).toEqual([]);
    expect(await store.people.listFollows('discord', 'u9')).toEqual([]);
    expect(await store.people.getInbox('discord', 'u9')).toBeNull();
    await store.close();

    const bad = await papers(['forget', '--platform', 'myspace', '--user', 'u9'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--platform must be one of console, discord, slack/);
  });
});
