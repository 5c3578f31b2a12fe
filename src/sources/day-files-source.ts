/**
 * A directory of archived Daily Papers day files (`YYYY-MM-DD.json`, each the API's JSON
 * array for that day) served as a PaperSource.
 *
 * Why it exists: the archive can be replayed offline (no Hugging Face, no replay server),
 * and it is the port's second implementation, so test/sources/source-contract.ts keeps
 * PaperSource honest instead of describing whatever HfDailySource happens to do. It reads
 * each file through the same normaliser as HfDailySource, so both give equal papers for a
 * day. Bulk imports of arbitrary files stay in files.ts (`readPaperFiles`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { MalformedDataError } from '../core/errors.js';
import { normalizeHfDay } from '../core/normalize/hf.js';
import { mergeBatch, type Paper } from '../core/paper.js';
import type { PaperSource } from '../core/ports.js';
import { checkDay, dayRange } from './day-range.js';

export class DayFilesSource implements PaperSource {
  readonly name = 'hf-files';

  constructor(private readonly dir: string) {}

  async fetchDay(date: string, signal?: AbortSignal): Promise<Paper[]> {
    checkDay(date);
    signal?.throwIfAborted();
    const file = path.join(this.dir, `${date}.json`);
    let text: string;
    try {
      text = await fs.promises.readFile(file, { encoding: 'utf8', signal });
    } catch (err) {
      // The caller's abort propagates with its own reason, as HfDailySource's does.
      if (signal?.aborted) throw signal.reason;
      // No file is the archive's way of saying "no list that day" (weekends, holidays).
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new MalformedDataError(file, `cannot be read (${(err as Error).message})`, { cause: err });
    }
    let body: unknown;
    try {
      body = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (err) {
      throw new MalformedDataError(file, `not valid JSON (${(err as Error).message})`, { cause: err });
    }
    // One file is one "page"; mergeBatch as in HfDailySource (normalizeHfDay merges too).
    return [...mergeBatch(normalizeHfDay(body, { date, where: file })).values()];
  }

  fetchRange(from: string, to: string, signal?: AbortSignal): AsyncIterable<{ date: string; papers: Paper[] }> {
    return dayRange(from, to, (date, sig) => this.fetchDay(date, sig), signal);
  }
}

