/**
 * The PaperSource port's contract: every implementation runs this same suite (see
 * hf-daily-contract.test.ts, day-files-contract.test.ts), as test/store/contract.ts does
 * for Store. A behaviour the ingest relies on belongs here, not in one source's tests.
 *
 * A source is opened over a directory of Daily Papers day files (`YYYY-MM-DD.json`): the
 * HTTP source through the replay server serving that directory, the files source directly.
 * The days used are in sample/hf-daily/ as well as in the shared data, so the suite holds
 * whichever of them HF_DAILY_DIR points at.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseArxivId } from '../../src/core/arxiv-id.js';
import { MalformedDataError, UserInputError } from '../../src/core/errors.js';
import { normalizeHfDay } from '../../src/core/normalize/hf.js';
import type { Paper } from '../../src/core/paper.js';
import type { PaperSource } from '../../src/core/ports.js';
import { tempDir } from '../support/tmp.js';

/** Opens the implementation over a directory of day files. */
export type OpenSource = (dataDir: string) => Promise<PaperSource> | PaperSource;

/** Three consecutive weekdays with lists, then a weekend without. */
const DAY_BEFORE = '2026-08-19';
const DAY = '2026-08-20';
const NEXT_DAY = '2026-08-21';
const SATURDAY = '2026-08-22';
const SUNDAY = '2026-08-23';

interface RawItem {
  title?: string;
  paper: { id: string; title?: string };
}

async function collect(range: AsyncIterable<{ date: string; papers: Paper[] }>): Promise<{ date: string; papers: Paper[] }[]> {
  const out: { date: string; papers: Paper[] }[] = [];
  for await (const day of range) out.push(day);
  return out;
}

/** The error a promise rejects with (fails the test when it resolves). */
async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

export function sourceContract(name: string, dataDir: string, open: OpenSource): void {
  describe(`PaperSource contract: ${name}`, () => {
    let source: PaperSource;
    const raw = (date: string): RawItem[] => JSON.parse(fs.readFileSync(path.join(dataDir, `${date}.json`), 'utf8')) as RawItem[];
    /** The reference: the shared normaliser applied to the file itself. */
    const reference = (date: string): Paper[] => normalizeHfDay(raw(date), { date, where: date });

    beforeAll(async () => {
      source = await open(dataDir);
    });

    it('has a name', () => {
      expect(source.name).toMatch(/\S/);
    });

    it("returns a real day's papers normalised: its ids, titles, featured on the day, each once", async () => {
      const papers = await source.fetchDay(DAY);
      const items = raw(DAY);
      const expectedIds = [...new Set(items.map((i) => parseArxivId(i.paper.id)))];
      expect(papers.length).toBeGreaterThan(0);
      expect(papers.map((p) => p.id)).toEqual(expectedIds);
      expect(new Set(papers.map((p) => p.id)).size).toBe(papers.length);
      for (const p of papers) {
        const item = items.find((i) => parseArxivId(i.paper.id) === p.id)!;
        const tidy = (t: string | undefined) => (t ?? '').replace(/\s+/g, ' ').trim();
        expect(p.title).toBe(tidy(item.title) || tidy(item.paper.title));
        expect(p.featuredDates).toContain(DAY);
        expect(p.sources).toEqual(['hf']);
      }
      expect(papers).toEqual(reference(DAY));
    });

    it('returns [] for a day without a list (a weekend)', async () => {
      expect(await source.fetchDay(SATURDAY)).toEqual([]);
    });

    it('refuses a date that is not YYYY-MM-DD with a user error', async () => {
      for (const bad of ['2026-02-30', 'yesterday', '2026-8-20', '']) {
        const err = await rejection(source.fetchDay(bad));
        expect(err).toBeInstanceOf(UserInputError);
        expect((err as Error).message).toMatch(/is not a date/);
      }
      expect(await rejection(collect(source.fetchRange('2026-08-32', NEXT_DAY)))).toBeInstanceOf(UserInputError);
      expect(await rejection(collect(source.fetchRange(DAY, 'tomorrow')))).toBeInstanceOf(UserInputError);
    });

    it('fetchRange yields every day oldest first, weekend days empty, the same papers as fetchDay', async () => {
      const days = await collect(source.fetchRange(DAY, SUNDAY));
      expect(days.map((d) => d.date)).toEqual([DAY, NEXT_DAY, SATURDAY, SUNDAY]);
      expect(days[0]!.papers).toEqual(await source.fetchDay(DAY));
      expect(days[1]!.papers).toEqual(await source.fetchDay(NEXT_DAY));
      expect(days[1]!.papers).toEqual(reference(NEXT_DAY));
      expect(days[2]!.papers).toEqual([]);
      expect(days[3]!.papers).toEqual([]);
    });

    it('fetchRange of one day is that day', async () => {
      const days = await collect(source.fetchRange(NEXT_DAY, NEXT_DAY));
      expect(days).toEqual([{ date: NEXT_DAY, papers: reference(NEXT_DAY) }]);
    });

    it('refuses a range that starts after it ends', async () => {
      const err = await rejection(collect(source.fetchRange(NEXT_DAY, DAY)));
      expect(err).toBeInstanceOf(UserInputError);
      expect((err as Error).message).toMatch(/starts after it ends/);
    });

    it("rejects with the caller's reason when the signal is already aborted", async () => {
      const ctl = new AbortController();
      const reason = new Error('shutting down');
      ctl.abort(reason);
      expect(await rejection(source.fetchDay(DAY, ctl.signal))).toBe(reason);
      expect(await rejection(collect(source.fetchRange(DAY, NEXT_DAY, ctl.signal)))).toBe(reason);
    });

    it('stops a range when the signal is aborted between days', async () => {
      const ctl = new AbortController();
      const reason = new Error('shutting down');
      const seen: string[] = [];
      const err = await rejection(
        (async () => {
          for await (const day of source.fetchRange(DAY, SUNDAY, ctl.signal)) {
            seen.push(day.date);
            ctl.abort(reason);
          }
        })(),
      );
      expect(err).toBe(reason);
      expect(seen).toEqual([DAY]);
    });

    describe('over a directory with a broken day', () => {
      let broken: PaperSource;
      beforeAll(async () => {
        // Valid JSON, not a Daily Papers list: each implementation must report it as bad data.
        const dir = tempDir('papers-source-contract-');
        fs.copyFileSync(path.join(dataDir, `${DAY_BEFORE}.json`), path.join(dir, `${DAY_BEFORE}.json`));
        fs.writeFileSync(path.join(dir, `${DAY}.json`), JSON.stringify({ error: 'not a list' }));
        fs.copyFileSync(path.join(dataDir, `${NEXT_DAY}.json`), path.join(dir, `${NEXT_DAY}.json`));
        broken = await open(dir);
      });

      it('fetchDay rejects with MalformedDataError naming the day', async () => {
        const err = await rejection(broken.fetchDay(DAY));
        expect(err).toBeInstanceOf(MalformedDataError);
        expect((err as MalformedDataError).userMessage).toContain(DAY);
        expect((err as MalformedDataError).userMessage).toMatch(/expected a JSON array/);
      });

      it('still serves the good days around it', async () => {
        expect(await broken.fetchDay(NEXT_DAY)).toEqual(reference(NEXT_DAY));
      });

      it('fetchRange yields the days before it, then stops there', async () => {
        const seen: string[] = [];
        const err = await rejection(
          (async () => {
            for await (const day of broken.fetchRange(DAY_BEFORE, NEXT_DAY)) seen.push(day.date);
          })(),
        );
        expect(err).toBeInstanceOf(MalformedDataError);
        expect(seen).toEqual([DAY_BEFORE]);
      });
    });
  });
}
