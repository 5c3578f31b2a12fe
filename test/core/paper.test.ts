import { describe, expect, it } from 'vitest';
import { assertStorablePaper, mergePapers, samePaper, searchableTextChanged } from '../../src/core/paper.js';
import { makePaper } from '../support/papers.js';

const day1 = makePaper({ id: '2604.07429', title: 'Old title', featuredDates: ['2026-04-10'], upvotes: 12, comments: 1, aiSummary: null });
const day2 = makePaper({ id: '2604.07429', title: 'New title', featuredDates: ['2026-04-16'], upvotes: 7, comments: 3, aiSummary: 'A summary.' });
const arxiv = makePaper({ id: '2604.07429', title: 'arXiv title', featuredDates: [], upvotes: null, comments: null, categories: ['cs.LG', 'cs.AI'], sources: ['arxiv'] });

describe('mergePapers', () => {
  it('is idempotent', () => {
    expect(samePaper(mergePapers(day1, day1), day1)).toBe(true);
    const merged = mergePapers(day1, day2);
    expect(samePaper(mergePapers(merged, day1), merged)).toBe(true);
    expect(samePaper(mergePapers(merged, day2), merged)).toBe(true);
  });

  it('gives the same record whatever the order', () => {
    const a = mergePapers(mergePapers(day1, day2), arxiv);
    const b = mergePapers(mergePapers(arxiv, day2), day1);
    expect(a).toEqual(b);
  });

  it('unites featured days, keeps the highest counts and the latest day’s texts', () => {
    const m = mergePapers(day2, day1);
    expect(m.featuredDates).toEqual(['2026-04-10', '2026-04-16']);
    expect(m).toMatchObject({ title: 'New title', upvotes: 12, comments: 3, aiSummary: 'A summary.' });
  });

  it('prefers Hugging Face texts over arXiv and keeps arXiv categories in their order', () => {
    const m = mergePapers(arxiv, day1);
    expect(m.title).toBe('Old title');
    expect(m.categories).toEqual(['cs.LG', 'cs.AI']);
    expect(m.sources).toEqual(['arxiv', 'hf']);
  });

  it('refuses to merge different papers', () => {
    expect(() => mergePapers(day1, makePaper({ id: '1' }))).toThrow(/ids differ/);
  });
});

describe('paper rules shared by stores', () => {
  it('tells text changes from count changes', () => {
    expect(searchableTextChanged(day1, { ...day1, upvotes: 99 })).toBe(false);
    expect(searchableTextChanged(day1, { ...day1, keywords: ['new'] })).toBe(true);
  });
  it('refuses records it could not store', () => {
    expect(() => assertStorablePaper({ ...day1, title: ' ' })).toThrow(/no title/);
    expect(() => assertStorablePaper({ ...day1, featuredDates: ['2026-04-16', '2026-04-10'] })).toThrow(/ascending/);
    expect(() => assertStorablePaper({ ...day1, featuredDates: ['2026-02-30'] })).toThrow(/not YYYY-MM-DD/);
  });
});
