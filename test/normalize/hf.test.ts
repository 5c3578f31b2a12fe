import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MalformedDataError } from '../../src/core/errors.js';
import { normalizeGithubRepo, normalizeHfDay } from '../../src/core/normalize/hf.js';
import { MALFORMED_DIR } from '../support/tmp.js';

const readMalformed = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(MALFORMED_DIR, name), 'utf8'));

describe('normalizeGithubRepo', () => {
  it.each([
    ['https://github.com/owner/repo/', 'https://github.com/owner/repo'],
    ['https://github.com/owner/repo//', 'https://github.com/owner/repo'],
    ['https://github.com/owner/repo///', 'https://github.com/owner/repo'],
    ['https://github.com/owner/repo/tree/main/x', 'https://github.com/owner/repo'],
    ['https://github.com/owner/repo/blob/main/README.md', 'https://github.com/owner/repo'],
    ['https://github.com/owner/repo.git', 'https://github.com/owner/repo'],
    ['https://github.com/owner/repo.git.', 'https://github.com/owner/repo'],
    ['https://github.com/owner/repo.', 'https://github.com/owner/repo'],
    ['https://github.com/owner/repo?tab=readme#usage', 'https://github.com/owner/repo'],
    ['http://www.github.com/owner/repo', 'https://github.com/owner/repo'],
    ['github.com/owner/repo', 'https://github.com/owner/repo'],
    ['  https://github.com/owner/my.repo_v2  ', 'https://github.com/owner/my.repo_v2'],
    ['https://github.com/\nowner/repo', 'https://github.com/owner/repo'],
    ['https://github.com/DFIR-Metric', 'https://github.com/DFIR-Metric'],
    ['https://github.com/DFIR-Metric/', 'https://github.com/DFIR-Metric'],
    ['https://gitlab.com/group/project', 'https://gitlab.com/group/project'],
    [' https://example.org/code ', 'https://example.org/code'],
    ['https://example.org/my code', null],
    ['https://github.com/', null],
    ['not a url', null],
    ['ftp://github.com/owner/repo', null],
    ['javascript:alert(1)', null],
    ['', null],
    [null, null],
    [42, null],
  ])('%j → %j', (input, expected) => {
    expect(normalizeGithubRepo(input)).toBe(expected);
  });
});

describe('validation', () => {
  const item = (paper: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    paper: { id: '2405.15738', title: 'T', summary: 'S', authors: [], upvotes: 1, ...paper },
    title: 'Title',
    publishedAt: '2024-05-27T00:00:00.000Z',
    ...extra,
  });
  const problem = (body: unknown) => {
    try {
      normalizeHfDay(body, { where: 'day.json' });
    } catch (err) {
      expect(err).toBeInstanceOf(MalformedDataError);
      return (err as MalformedDataError).userMessage;
    }
    throw new Error('expected a MalformedDataError');
  };

  it('takes an empty day', () => {
    expect(normalizeHfDay([], { where: 'x', date: '2026-08-22' })).toEqual([]);
  });

  it('names the file and the problem for a body that is not an array', () => {
    expect(problem({ status: 'success', date: '2025-01-10', count: 9, data: [] })).toBe(
      'day.json: expected a JSON array of Daily Papers items, got an object with keys status, date, count, data',
    );
    expect(problem(null)).toBe('day.json: expected a JSON array of Daily Papers items, got null');
    expect(problem('[]')).toBe('day.json: expected a JSON array of Daily Papers items, got a string');
  });

  it('names the item and what is wrong with it', () => {
    expect(problem([item({}), 'x'])).toMatch(/^day\.json: item 1 is a string, not an object/);
    expect(problem([item({}), item({}), item({}), item({ id: 'xyz' })])).toBe('day.json: item 3: paper.id "xyz" is not an arXiv id');
    expect(problem([{ title: 'x' }])).toBe('day.json: item 0: paper is missing');
    expect(problem([item({ upvotes: '7' })])).toBe('day.json: item 0: paper.upvotes is a string, not a number');
    expect(problem([item({ authors: [{ name: 'A' }, { hidden: false }] })])).toBe('day.json: item 0: paper.authors[1].name is missing');
    expect(problem([item({ title: '' }, { title: '  ' })])).toBe('day.json: item 0 (2405.15738): no title (neither title nor paper.title)');
    expect(problem([item({ submittedOnDailyAt: 'yesterday' })])).toMatch(/item 0 \(2405\.15738\): paper\.submittedOnDailyAt "yesterday" is not a timestamp/);
    expect(problem([42])).toBe('day.json: item 0 is a number, not an object');
  });

  it('validates the whole body before returning anything', () => {
    expect(() => normalizeHfDay([item({}), item({ id: 'nope' })], { where: 'x' })).toThrow(/item 1/);
  });

  it('tolerates extra fields and reshaped enrichment fields', () => {
    const [p] = normalizeHfDay([item({ brandNew: { x: 1 }, githubStars: 'many', ai_keywords: 'a, b', organization: 'ACME' })], { where: 'x' });
    expect(p).toMatchObject({ githubStars: null, keywords: [], organization: null, title: 'Title' });
  });

  it('falls back to paper.title and item.summary, and takes the organisation name when there is no full name', () => {
    const [p] = normalizeHfDay([item({ title: 'Paper  title\n x', summary: undefined }, { title: undefined, summary: 'Item\nsummary', organization: { name: 'acme' } })], { where: 'x' });
    expect(p).toMatchObject({ title: 'Paper title x', abstract: 'Item summary', organization: 'acme' });
  });

  it('fails on both real malformed files with the file name and the problem', () => {
    const repr = 'hf-daily-2024-12-11.python-repr.json';
    expect(() => normalizeHfDay(readMalformed(repr), { where: repr })).toThrow(
      `${repr}: item 0 is a string, not an object (it looks like a Python repr, not JSON)`,
    );
    const wrapped = 'hf-daily-2025-01-10.wrapped.json';
    expect(() => normalizeHfDay(readMalformed(wrapped), { where: wrapped })).toThrow(
      `${wrapped}: expected a JSON array of Daily Papers items, got an object with keys status, date, count, data`,
    );
  });
});
