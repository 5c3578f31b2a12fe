/** Issue 12's hostile strings through both normalisers: what is stored is clean and bounded. */
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/core/clean-text.js';
import { MalformedDataError } from '../../src/core/errors.js';
import { normalizeHfDay, normalizeHfDaySkippingBad } from '../../src/core/normalize/hf.js';
import { normalizeJsonlRecord } from '../../src/core/normalize/jsonl.js';
import { EVIL_CODE_URL, EVIL_CODE_URL_CLEAN, EVIL_TITLE, EVIL_TITLE_CLEAN, JS_URL } from '../support/attacks.js';

const item = (id: string, paper: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  paper: { id, title: 'Paper title', summary: 'Summary.', authors: [{ name: 'Ada Lovelace' }], upvotes: 3, ...paper },
  title: 'Item title',
  publishedAt: '2026-08-21T00:00:00.000Z',
  ...extra,
});
const ctx = { date: '2026-08-21', where: 'Hugging Face response for 2026-08-21' };

describe('Daily Papers items with hostile text', () => {
  it('store clean text and only clean http(s) links', () => {
    const [p] = normalizeHfDay(
      [
        item(
          '2608.00001',
          {
            summary: 'An\u0000 abstract\u202e with\u200b junk\x1b[2J.',
            authors: [{ name: 'Eve\x1b]52;c;cHduZWQ=\x07 Hacker' }, { name: '\u200b' }],
            ai_summary: 'TL;DR\u0007 here',
            ai_keywords: ['ok', 'bi\u202edi', 'OK'],
            githubRepo: EVIL_CODE_URL,
            projectPage: JS_URL,
            organization: { fullname: 'ACME\u0085Corp' },
          },
          { title: EVIL_TITLE },
        ),
      ],
      ctx,
    );
    expect(p).toMatchObject({
      title: EVIL_TITLE_CLEAN,
      abstract: 'An abstract with junk.',
      authors: ['Eve Hacker'],
      aiSummary: 'TL;DR here',
      keywords: ['ok', 'bidi'],
      githubRepo: EVIL_CODE_URL_CLEAN,
      projectPage: null,
      organization: 'ACME Corp',
    });
  });

  it('cap a 10,000,000-character title, the abstract, the authors and the keywords', () => {
    const [p] = normalizeHfDay(
      [
        item(
          '2608.00002',
          {
            summary: 'word '.repeat(5_000),
            authors: Array.from({ length: 1_000 }, (_, i) => ({ name: `Author ${i} ${'x'.repeat(300)}` })),
            ai_keywords: Array.from({ length: 500 }, (_, i) => `kw${i}${'y'.repeat(200)}`),
          },
          { title: 't'.repeat(10_000_000) },
        ),
      ],
      ctx,
    );
    expect(p!.title).toBe(`${'t'.repeat(LIMITS.title - 1)}…`);
    expect([...p!.abstract].length).toBeLessThanOrEqual(LIMITS.abstract);
    expect(p!.abstract.endsWith('…')).toBe(true);
    expect(p!.authors).toHaveLength(LIMITS.authors);
    expect(Math.max(...p!.authors.map((a) => [...a].length))).toBe(LIMITS.authorName);
    expect(p!.keywords).toHaveLength(LIMITS.keywords);
    expect(Math.max(...p!.keywords.map((k) => [...k].length))).toBe(LIMITS.keyword);
  });

  it('refuse a title made only of control characters', () => {
    expect(() => normalizeHfDay([item('2608.00003', { title: '\u200b' }, { title: '\x1b[0m\u0000' })], ctx)).toThrow(/no title/);
  });
});

describe('an API day with one bad item', () => {
  const day = [item('2608.00011'), item('2608.00012', { upvotes: 'many' }), 'not an item', item('nope'), item('2608.00013')];

  it('keeps the good items and reports each bad one by id and field', () => {
    const { papers, skipped } = normalizeHfDaySkippingBad(day, ctx);
    expect(papers.map((p) => p.id)).toEqual(['2608.00011', '2608.00013']);
    expect(skipped).toEqual([
      { index: 1, id: '2608.00012', field: 'paper.upvotes', problem: 'paper.upvotes is a string, not a number' },
      { index: 2, id: null, field: 'item', problem: 'is a string, not an object (it starts "not an item")' },
      { index: 3, id: null, field: 'paper.id', problem: 'paper.id "nope" is not an arXiv id' },
    ]);
  });

  it('gives the same papers for the good items as a clean day', () => {
    expect(normalizeHfDaySkippingBad(day, ctx).papers).toEqual(normalizeHfDay([day[0], day[4]], ctx));
  });

  it('still fails when every item is bad (a changed format, not one bad item)', () => {
    expect(() => normalizeHfDaySkippingBad([item('nope'), 42], ctx)).toThrow(MalformedDataError);
    expect(normalizeHfDaySkippingBad([], ctx)).toEqual({ papers: [], skipped: [] });
  });

  it('is refused whole by the strict day normaliser a file import uses', () => {
    expect(() => normalizeHfDay(day, ctx)).toThrow(/item 1: paper\.upvotes is a string/);
  });
});

describe('JSON Lines records with hostile text', () => {
  it('are cleaned like API items', () => {
    const p = normalizeJsonlRecord(
      {
        id: '2608.00021',
        title: EVIL_TITLE,
        abstract: 'NUL\u0000 here',
        authors: ['A\u202eB'],
        githubRepo: EVIL_CODE_URL,
        projectPage: JS_URL,
        keywords: ['k\u200b'],
        categories: ['cs.CL\u0000'],
        organization: '\u0000',
      },
      { where: 'f.jsonl', line: 1 },
    );
    expect(p).toMatchObject({
      title: EVIL_TITLE_CLEAN,
      abstract: 'NUL here',
      authors: ['AB'],
      githubRepo: EVIL_CODE_URL_CLEAN,
      projectPage: null,
      keywords: ['k'],
      categories: ['cs.CL'],
      organization: null,
    });
  });

  it('cap arXiv records too', () => {
    const p = normalizeJsonlRecord({ id: '2608.00022', title: 'x'.repeat(10_000_000), summary: 's', authors: Array.from({ length: 500 }, () => 'A') }, { where: 'f.jsonl', line: 1 });
    expect(p.title).toHaveLength(LIMITS.title);
    expect(p.authors).toHaveLength(LIMITS.authors);
  });
});
