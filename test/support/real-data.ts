/**
 * The real data in ../shared/data, read through the real normaliser. No vitest import,
 * so benchmark scripts can use it too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { normalizeHfDay } from '../../src/core/normalize/hf.js';
import { mergeBatch, type Paper } from '../../src/core/paper.js';
import { toIndexDoc, type IndexDoc } from '../../src/core/ports.js';

export const SHARED_DATA = path.resolve(import.meta.dirname, '../../../shared/data');
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
