import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MalformedDataError } from '../../src/core/errors.js';
import { normalizeHfDay } from '../../src/core/normalize/hf.js';
import { normalizeJsonlRecord } from '../../src/core/normalize/jsonl.js';
import { mergeBatch, type Paper } from '../../src/core/paper.js';
import { ARXIV_FILE, HF_DAILY_DIR } from '../support/tmp.js';

/** The first lines of the real arXiv file (the stream stops early; no need to inflate 130 MB). */
function arxivHead(n: number): unknown[] {
  const out = zlib.gunzipSync(fs.readFileSync(ARXIV_FILE).subarray(0, 400_000), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  return out.toString('utf8').split('\n').slice(0, n).map((l) => JSON.parse(l) as unknown);
}

const ctx = (line = 1) => ({ where: 'papers.jsonl', line });

describe('arXiv listing records', () => {
  const head = arxivHead(200);

  it('become arXiv-only papers: no featured day, no upvotes', () => {
    const p = normalizeJsonlRecord(head[1], ctx(2));
    expect(p).toEqual<Paper>({
      id: '2503.11742',
      title: 'Safe Vision-Language Models via Unsafe Weights Manipulation',
      abstract: expect.stringMatching(/^Vision-language models \(VLMs\) often inherit/) as unknown as string,
      authors: ["Moreno D'Incà", 'Elia Peruzzo', 'Xingqian Xu', 'Humphrey Shi', 'Nicu Sebe', 'Massimiliano Mancini'],
      publishedAt: '2025-03-18',
      // listingDates are arXiv listing days, not Daily Papers features.
      featuredDates: [],
      upvotes: null,
      comments: null,
      aiSummary: null,
      keywords: [],
      githubRepo: null,
      githubStars: null,
      projectPage: null,
      organization: null,
      thumbnail: null,
      categories: ['cs.AI', 'cs.CV'],
      sources: ['arxiv'],
    });
  });

  it('lose the sentence dot and .git that links lifted from abstracts carry', () => {
    const raw = head.map((r) => (r as { githubRepo: string | null }).githubRepo);
    const papers = head.map((r, i) => normalizeJsonlRecord(r, ctx(i + 1)));
    const i = raw.indexOf('https://github.com/SCZwangxiao/video-FlexReduc.git.');
    expect(i).toBeGreaterThan(-1);
    expect(papers[i]!.githubRepo).toBe('https://github.com/SCZwangxiao/video-FlexReduc');
    const dotted = raw.filter((r) => r?.endsWith('.')).length;
    expect(dotted).toBeGreaterThan(10);
    expect(papers.filter((p) => p.githubRepo?.endsWith('.'))).toEqual([]);
  });

  it('merge with the HF record of the same paper: HF texts, arXiv categories, both sources', () => {
    const hfDay = JSON.parse(fs.readFileSync(path.join(HF_DAILY_DIR, '2026-04-16.json'), 'utf8')) as unknown;
    const hf = normalizeHfDay(hfDay, { date: '2026-04-16', where: 'x' }).find((p) => p.id === '2604.07429')!;
    const arxiv = normalizeJsonlRecord(
      { id: '2604.07429', title: 'GameWorld', summary: 'arXiv text', authors: ['A'], publishedAt: '2026-04-09T00:00:00.000Z', upvotes: null, githubRepo: null, keywords: null, categories: ['cs.AI'], listingDates: ['2026-04-09'], source: 'arxiv-listing' },
      ctx(),
    );
    for (const merged of [mergeBatch([hf, arxiv]).get(hf.id)!, mergeBatch([arxiv, hf]).get(hf.id)!]) {
      expect(merged.sources).toEqual(['arxiv', 'hf']);
      expect(merged.title).toBe(hf.title);
      expect(merged.featuredDates).toEqual(['2026-04-16']);
      expect(merged.categories).toEqual(['cs.AI']);
      expect(merged.upvotes).toBe(hf.upvotes);
    }
  });
});

describe('paper-shaped records (our export)', () => {
  const paper = {
    id: '2405.15738v2',
    title: ' ConvLLaVA:\n Hierarchical  Backbones ',
    abstract: 'Line one\nline two',
    authors: ['Chunjiang Ge', ' '],
    publishedAt: '2024-05-24',
    featuredDates: ['2024-05-27', '2024-05-27', '2024-05-20'],
    upvotes: 10,
    comments: 2,
    aiSummary: null,
    keywords: ['LMM', 'lmm', 'vision'],
    githubRepo: 'https://github.com/alibaba/conv-llava/',
    githubStars: 400,
    projectPage: null,
    organization: 'Alibaba',
    thumbnail: 'https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2405.15738.png',
    categories: ['cs.CV'],
    sources: ['hf', 'arxiv'],
  };

  it('round-trips with ids, dates and lists tidied', () => {
    expect(normalizeJsonlRecord(paper, ctx())).toEqual({
      ...paper,
      id: '2405.15738',
      title: 'ConvLLaVA: Hierarchical Backbones',
      abstract: 'Line one line two',
      authors: ['Chunjiang Ge'],
      featuredDates: ['2024-05-20', '2024-05-27'],
      keywords: ['LMM', 'vision'],
      githubRepo: 'https://github.com/alibaba/conv-llava',
      sources: ['arxiv', 'hf'],
    });
  });

  it("marks records without known sources as 'file'", () => {
    expect(normalizeJsonlRecord({ id: '2405.15738', title: 'T', abstract: 'A' }, ctx()).sources).toEqual(['file']);
    expect(normalizeJsonlRecord({ ...paper, sources: ['somewhere'] }, ctx()).sources).toEqual(['file']);
  });

  it('is a normalised Paper already: normalising twice changes nothing', () => {
    const once = normalizeJsonlRecord(paper, ctx());
    expect(normalizeJsonlRecord(JSON.parse(JSON.stringify(once)), ctx())).toEqual(once);
  });
});

describe('Daily Papers items, one per line', () => {
  it('are normalised like a day file', () => {
    const [item] = JSON.parse(fs.readFileSync(path.join(HF_DAILY_DIR, '2026-04-16.json'), 'utf8')) as unknown[];
    const p = normalizeJsonlRecord(item, ctx());
    expect(p).toMatchObject({ id: '2604.14148', featuredDates: ['2026-04-16'], sources: ['hf'] });
  });
});

describe('errors name the file and the line', () => {
  const problem = (obj: unknown, line = 7) => {
    try {
      normalizeJsonlRecord(obj, ctx(line));
    } catch (err) {
      expect(err).toBeInstanceOf(MalformedDataError);
      return (err as MalformedDataError).userMessage;
    }
    throw new Error('expected a MalformedDataError');
  };

  it.each<[unknown, string]>([
    ['a string', 'papers.jsonl: line 7: expected a JSON object, got a string'],
    [[1, 2], 'papers.jsonl: line 7: expected a JSON object, got an array of 2'],
    [{ foo: 1 }, 'papers.jsonl: line 7: expected an arXiv record (id, title, summary …) or a paper (id, title, abstract …), got an object with keys foo'],
    [{ id: 'nope', title: 'T', summary: 'S' }, 'papers.jsonl: line 7: id "nope" is not an arXiv id'],
    [{ title: 'T', summary: 'S' }, 'papers.jsonl: line 7: id is missing'],
    [{ id: '2503.11742', title: 'T', summary: 'S', authors: 'A, B' }, 'papers.jsonl: line 7: authors is a string, not an array'],
    [{ id: '2503.11742', title: ' ', summary: 'S' }, 'papers.jsonl: line 7: 2503.11742 has an empty title'],
    [{ id: '2503.11742', title: 'T', abstract: 'A', featuredDates: ['Monday'] }, 'papers.jsonl: line 7: featuredDates holds "Monday", not YYYY-MM-DD'],
    [{ id: '2503.11742', title: 'T', summary: 'S', publishedAt: 'soon' }, 'papers.jsonl: line 7: publishedAt "soon" is not a date'],
    [{ paper: { id: 'x' }, title: 'T' }, 'papers.jsonl: line 7: paper.id "x" is not an arXiv id'],
  ])('%j', (obj, message) => {
    expect(problem(obj)).toBe(message);
  });
});
