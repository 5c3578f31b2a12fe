/** Issue 15 part 1: a paper's HF thumbnail from the Daily Papers items, http(s) only. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeHfDay } from '../../src/core/normalize/hf.js';
import { normalizeJsonlRecord } from '../../src/core/normalize/jsonl.js';
import { mergePapers } from '../../src/core/paper.js';
import { EVIL_CODE_URL, EVIL_CODE_URL_CLEAN, JS_URL } from '../support/attacks.js';

const FIXTURES = path.join(import.meta.dirname, '../fixtures/hf-daily');
const day = (d: string) => normalizeHfDay(JSON.parse(fs.readFileSync(path.join(FIXTURES, `${d}.json`), 'utf8')), { date: d, where: `${d}.json` });

const item = (extra: Record<string, unknown> = {}, paper: Record<string, unknown> = {}) => ({
  paper: { id: '2608.00001', title: 'Paper title', summary: 'Summary.', upvotes: 3, ...paper },
  title: 'Item title',
  ...extra,
});
const one = (raw: unknown) => normalizeHfDay([raw], { date: '2026-08-21', where: 'test' })[0]!;

describe('the thumbnail of a Daily Papers item', () => {
  it('is the item thumbnail HF serves for every paper of a real day', () => {
    const papers = day('2026-01-02');
    expect(papers.length).toBeGreaterThan(0);
    for (const p of papers) expect(p.thumbnail).toBe(`https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/${p.id}.png`);
  });

  it('is null on 2024 days, whose items have none', () => {
    expect(day('2024-05-27').every((p) => p.thumbnail === null)).toBe(true);
  });

  it('falls back to the first image among mediaUrls (paper first), skipping videos', () => {
    expect(one(item({}, { mediaUrls: ['https://cdn.example/a.mp4', 'https://cdn.example/b.webm', 'https://cdn.example/c.png'] })).thumbnail).toBe('https://cdn.example/c.png');
    expect(one(item({ mediaUrls: ['https://cdn.example/item.jpeg'] }, { mediaUrls: ['https://cdn.example/a.MOV'] })).thumbnail).toBe('https://cdn.example/item.jpeg');
    expect(one(item({ thumbnail: 'https://cdn.example/t.png', mediaUrls: ['https://cdn.example/m.png'] })).thumbnail).toBe('https://cdn.example/t.png');
  });

  it('drops what is not http(s) and cleans what is', () => {
    expect(one(item({ thumbnail: JS_URL })).thumbnail).toBeNull();
    expect(one(item({ thumbnail: 'data:image/png;base64,AAAA', mediaUrls: ['ftp://x/y.png', 'https://u:p@host/z.png', 'file:///etc/passwd'] })).thumbnail).toBeNull();
    expect(one(item({ thumbnail: ' https://cdn.example/a b.png' })).thumbnail).toBeNull();
    expect(one(item({ thumbnail: JS_URL, mediaUrls: [EVIL_CODE_URL] })).thumbnail).toBe(EVIL_CODE_URL_CLEAN);
    expect(one(item({ thumbnail: `https://cdn.example/${'x'.repeat(5_000)}.png` })).thumbnail).toBeNull();
  });

  it('costs nothing when its type is off (a reshaped field is not a bad item)', () => {
    expect(one(item({ thumbnail: { url: 'https://x/y.png' }, mediaUrls: 'https://x/y.png' })).thumbnail).toBeNull();
    expect(one(item({ mediaUrls: [null, 3, 'https://cdn.example/ok.gif'] })).thumbnail).toBe('https://cdn.example/ok.gif');
  });

  it('survives a merge with a record that has none (an arXiv listing, an older export)', () => {
    const hf = one(item({ thumbnail: 'https://cdn.example/t.png' }));
    const bare = { ...hf, thumbnail: null, sources: ['file' as const] };
    expect(mergePapers(bare, hf).thumbnail).toBe('https://cdn.example/t.png');
    expect(mergePapers(hf, bare).thumbnail).toBe('https://cdn.example/t.png');
  });

  it('is read from our own export and cleaned there too', () => {
    const rec = { id: '2608.00001', title: 'T', abstract: 'A', featuredDates: ['2026-08-21'] };
    expect(normalizeJsonlRecord({ ...rec, thumbnail: 'https://cdn.example/t.png' }, { where: 'f', line: 1 }).thumbnail).toBe('https://cdn.example/t.png');
    expect(normalizeJsonlRecord({ ...rec, thumbnail: JS_URL }, { where: 'f', line: 1 }).thumbnail).toBeNull();
    expect(normalizeJsonlRecord({ ...rec, thumbnail: 42 }, { where: 'f', line: 1 }).thumbnail).toBeNull();
    expect(normalizeJsonlRecord(rec, { where: 'f', line: 1 }).thumbnail).toBeNull();
  });
});
