/**
 * DayFilesSource against the PaperSource contract, plus what only a directory of files
 * can get wrong (unreadable or non-JSON files, which the replay server cannot serve).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MalformedDataError } from '../../src/core/errors.js';
import { DayFilesSource } from '../../src/sources/day-files-source.js';
import { HF_DAILY_DIR, tempDir } from '../support/tmp.js';
import { sourceContract } from './source-contract.js';

sourceContract('DayFilesSource', HF_DAILY_DIR, (dataDir) => new DayFilesSource(dataDir));

describe('DayFilesSource, file problems', () => {
  const dir = tempDir('papers-day-files-');
  const source = new DayFilesSource(dir);

  async function failure(date: string): Promise<MalformedDataError> {
    try {
      await source.fetchDay(date);
    } catch (err) {
      expect(err).toBeInstanceOf(MalformedDataError);
      return err as MalformedDataError;
    }
    throw new Error('expected fetchDay to throw');
  }

  it('names the file that is not JSON', async () => {
    const file = path.join(dir, '2026-08-17.json');
    fs.writeFileSync(file, '<html>502 Bad Gateway</html>');
    const err = await failure('2026-08-17');
    expect(err.file).toBe(file);
    expect(err.userMessage).toMatch(/not valid JSON/);
  });

  it('names the file holding a bad item', async () => {
    const file = path.join(dir, '2026-08-18.json');
    fs.writeFileSync(file, JSON.stringify([{ title: 'no paper' }]));
    const err = await failure('2026-08-18');
    expect(err.file).toBe(file);
    expect(err.userMessage).toMatch(/item 0/);
  });

  it('reports a day "file" that cannot be read (a directory) as bad data, not a raw error', async () => {
    fs.mkdirSync(path.join(dir, '2026-08-19.json'));
    const err = await failure('2026-08-19');
    expect(err.file).toBe(path.join(dir, '2026-08-19.json'));
    expect(err.userMessage).toMatch(/cannot be read/);
  });

  it('reads a file with a byte order mark', async () => {
    const day = fs.readFileSync(path.join(HF_DAILY_DIR, '2026-08-21.json'), 'utf8');
    fs.writeFileSync(path.join(dir, '2026-08-21.json'), `\uFEFF${day}`);
    expect(await source.fetchDay('2026-08-21')).toEqual(await new DayFilesSource(HF_DAILY_DIR).fetchDay('2026-08-21'));
  });

  it('treats a missing directory as a source with no lists', async () => {
    expect(await new DayFilesSource(path.join(dir, 'nowhere')).fetchDay('2026-08-21')).toEqual([]);
  });
});
