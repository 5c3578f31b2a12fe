/**
 * Real paper data read through the real normaliser: by default the compact fixture in
 * test/fixtures (real days from every HF schema generation, built by
 * scripts/make-fixture.mjs), so `npm test` passes on any clone. The extended suite and the
 * benchmarks point it at the full corpus with PAPERS_DATA_DIR (see fullDataDir()).
 * No vitest import, so benchmark scripts can use it too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { papersDataDir } from '../../src/config.js';
import { normalizeHfDay } from '../../src/core/normalize/hf.js';
import { mergeBatch, type Paper } from '../../src/core/paper.js';
import { toIndexDoc, type IndexDoc } from '../../src/core/ports.js';


export const FIXTURE_DATA = path.resolve(import.meta.dirname, '../fixtures');

/**
 * The full corpus from PAPERS_DATA_DIR, checked: throws one line saying what is needed when
 * the variable is unset or the directory is not the corpus.
 */
export function fullDataDir(): string {
  const dir = papersDataDir();
  if (!dir) throw new Error('PAPERS_DATA_DIR is not set: point it at the full paper corpus (hf-daily/, arxiv-cs-2025-2026.jsonl.gz, malformed/)');
  const abs = path.resolve(dir);
  if (!fs.existsSync(path.join(abs, 'hf-daily')) || !fs.existsSync(path.join(abs, 'arxiv-cs-2025-2026.jsonl.gz'))) {
    throw new Error(`PAPERS_DATA_DIR=${dir} is not the paper corpus: it needs hf-daily/ and arxiv-cs-2025-2026.jsonl.gz`);
  }
  return abs;
}

/** The fixture under `npm test`; the full corpus when PAPERS_DATA_DIR is set (extended suite). */
export const SHARED_DATA = path.resolve(papersDataDir() ?? FIXTURE_DATA);
export const HF_DAILY_DIR = path.join(SHARED_DATA, 'hf-daily');
export const ARXIV_FILE = path.join(SHARED_DATA, 'arxiv-cs-2025-2026.jsonl.gz');
export const MALFORMED_DIR = path.join(SHARED_DATA, 'malformed');

/** Every archived day, ascending. */
export function allDays(): string[] {
  return fs
    .readdirSync(HF_DAILY_DIR)
    .filter((f) => /^\d{4}-\d{2}-\d{2}\.json$/.test(f))
    .map((f) => f.slice(0, 10))
    .sort();
}

/** The papers featured on one real day, in the file's order. */
export function loadDay(day: string): Paper[] {
  const file = path.join(HF_DAILY_DIR, `${day}.json`);
  return normalizeHfDay(JSON.parse(fs.readFileSync(file, 'utf8')) as unknown, { date: day, where: file });
}

/** Papers of several days, merged by id as the store would. */
export function loadDays(days: readonly string[]): Paper[] {
  return [...mergeBatch(days.flatMap(loadDay)).values()];
}

export function docsOfDays(days: readonly string[]): IndexDoc[] {
  return loadDays(days).map(toIndexDoc);
}
