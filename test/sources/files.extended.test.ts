import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MalformedDataError } from '../../src/core/errors.js';
import { PaperFilesError, readPaperFiles } from '../../src/sources/files.js';
import { ARXIV_FILE, HF_DAILY_DIR, MALFORMED_DIR } from '../support/tmp.js';


async function failure(paths: string[]): Promise<MalformedDataError> {
  try {
    await readPaperFiles(paths);
  } catch (err) {
    expect(err).toBeInstanceOf(MalformedDataError);
    return err as MalformedDataError;
  }
  throw new Error('expected readPaperFiles to throw');
}

// Needs the full corpus (PAPERS_DATA_DIR): all 558 days and the 74,728-line arXiv file.
describe('readPaperFiles on the real data', () => {
  it('imports all 558 Daily Papers days, each on its own day', async () => {
    const { papers, files } = await readPaperFiles([HF_DAILY_DIR]);
    expect(files).toHaveLength(558);
    expect(files[0]!.path).toBe(path.join(HF_DAILY_DIR, '2024-05-27.json'));
    expect(files.map((f) => f.path)).toEqual([...files.map((f) => f.path)].sort());
    expect(files.reduce((s, f) => s + f.papers, 0)).toBe(9581);
    expect(papers).toHaveLength(9577);
    const twice = papers.find((p) => p.id === '2604.07429')!;
    expect(twice.featuredDates).toEqual(['2026-04-10', '2026-04-16']);
  });

  it('streams the 74,728-paper arXiv file and merges it with Daily Papers into 80,017', { timeout: 60_000 }, async () => {
    const t0 = Date.now();
    const { papers, files } = await readPaperFiles([HF_DAILY_DIR, ARXIV_FILE]);
    const ms = Date.now() - t0;
    expect(files.at(-1)).toEqual({ path: ARXIV_FILE, papers: 74_728 });
    expect(papers).toHaveLength(80_017);
    const both = papers.filter((p) => p.sources.includes('arxiv') && p.sources.includes('hf'));
    expect(both).toHaveLength(4_288);
    // Listing days are not features: arXiv-only papers have none.
    expect(papers.filter((p) => p.sources.join() === 'arxiv' && p.featuredDates.length)).toEqual([]);
    expect(ms).toBeLessThan(20_000);
  });

  it('fails on the two real malformed files, naming each file and its problem', async () => {
    const err = await failure([MALFORMED_DIR]);
    expect(err).toBeInstanceOf(PaperFilesError);
    const repr = path.join(MALFORMED_DIR, 'hf-daily-2024-12-11.python-repr.json');
    const wrapped = path.join(MALFORMED_DIR, 'hf-daily-2025-01-10.wrapped.json');
    expect((err as PaperFilesError).problems.map((p) => p.userMessage)).toEqual([
      `${repr}: item 0 is a string, not an object (it looks like a Python repr, not JSON)`,
      `${wrapped}: expected a JSON array of Daily Papers items, got an object with keys status, date, count, data`,
    ]);
    expect(err.userMessage).toContain('2 files: nothing imported');
    expect(err.userMessage).toContain(repr);
  });

  it('fails on one bad file among good ones, returning nothing', async () => {
    const bad = path.join(MALFORMED_DIR, 'hf-daily-2025-01-10.wrapped.json');
    const err = await failure([path.join(HF_DAILY_DIR, '2026-08-21.json'), bad, path.join(HF_DAILY_DIR, '2026-08-20.json')]);
    expect(err).not.toBeInstanceOf(PaperFilesError);
    expect(err.file).toBe(bad);
  });
});
