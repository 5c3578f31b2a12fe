import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { normalizeHfDay, normalizeHfItem } from '../../src/core/normalize/hf.js';
import { mergeBatch, type Paper } from '../../src/core/paper.js';
import { HF_DAILY_DIR } from '../support/tmp.js';

interface Day {
  date: string;
  body: unknown[];
  papers: Paper[];
}

const days: Day[] = [];

beforeAll(() => {
  for (const name of fs.readdirSync(HF_DAILY_DIR).filter((f) => f.endsWith('.json')).sort()) {
    const date = name.slice(0, 10);
    const body = JSON.parse(fs.readFileSync(path.join(HF_DAILY_DIR, name), 'utf8')) as unknown[];
    days.push({ date, body, papers: normalizeHfDay(body, { date, where: name }) });
  }
});

const find = (id: string): Paper[] => days.flatMap((d) => d.papers.filter((p) => p.id === id));

// Needs every archived day (PAPERS_DATA_DIR): counts and quirks of the whole corpus.
describe('normalizeHfDay on every archived day', () => {
  it('takes all 558 days: 9,581 items, 9,577 unique papers', () => {
    expect(days).toHaveLength(558);
    expect(days.reduce((n, d) => n + d.body.length, 0)).toBe(9581);
    // No day lists a paper twice, so nothing merges within a day.
    expect(days.reduce((n, d) => n + d.papers.length, 0)).toBe(9581);
    expect(mergeBatch(days.flatMap((d) => d.papers)).size).toBe(9577);
  });

  it('dates every paper on the day of its file', () => {
    const wrong = days.flatMap((d) => d.papers.filter((p) => p.featuredDates.join() !== d.date).map((p) => `${d.date} ${p.id}`));
    expect(wrong).toEqual([]);
  });

  it('finds the featured day without being told, wherever submittedOnDailyAt exists', () => {
    let withSubmitted = 0;
    let itemPublishedAtWrong = 0;
    const wrong: string[] = [];
    for (const d of days) {
      d.body.forEach((raw, index) => {
        const item = raw as { publishedAt: string; paper: { id: string; submittedOnDailyAt?: string } };
        if (!item.paper.submittedOnDailyAt) return;
        withSubmitted++;
        const got = normalizeHfItem(raw, { where: d.date, index }).featuredDates.join();
        if (got !== d.date) wrong.push(`${d.date} ${item.paper.id}: ${got}`);
        if (item.publishedAt.slice(0, 10) !== d.date) itemPublishedAtWrong++;
      });
    }
    expect(wrong).toEqual([]);
    expect(withSubmitted).toBe(7077);
    // Why the item-level publishedAt is not used: it misses the featured day this often.
    expect(itemPublishedAtWrong).toBeGreaterThan(5000);
  });

  it('falls back to the UTC day of item.publishedAt, which is the previous evening in late 2024', () => {
    const d = days.find((x) => x.date === '2024-12-02')!;
    const guessed = d.body.map((raw, index) => normalizeHfItem(raw, { where: 'x', index }).featuredDates[0]);
    expect(guessed).toContain('2024-12-01');
    expect(normalizeHfDay(d.body, { date: '2024-12-02', where: 'x' }).every((p) => p.featuredDates[0] === '2024-12-02')).toBe(true);
  });

  it('keeps a clean shape: collapsed text, tidy links, no duplicate keywords', () => {
    const problems = (p: Paper): string[] => [
      !/^\d{4}\.\d{4,5}$/.test(p.id) && 'id',
      /\s{2}|\n|^\s|\s$/.test(p.title) && 'title',
      /\n/.test(p.abstract) && 'abstract',
      p.sources.join() !== 'hf' && 'sources',
      p.categories.length > 0 && 'categories',
      p.githubRepo !== null && !/^https:\/\/github\.com\/[A-Za-z0-9-]+(\/[A-Za-z0-9._-]+)?$/.test(p.githubRepo) && 'githubRepo',
      p.githubRepo?.endsWith('.git') && 'githubRepo .git',
      p.projectPage !== null && !/^https?:\/\/\S+$/.test(p.projectPage) && 'projectPage',
      new Set(p.keywords.map((k) => k.toLowerCase())).size !== p.keywords.length && 'keywords',
      p.publishedAt !== null && !/^\d{4}-\d{2}-\d{2}$/.test(p.publishedAt) && 'publishedAt',
      p.authors.some((a) => !a || a !== a.trim()) && 'authors',
    ].filter((x): x is string => typeof x === 'string');
    const bad = days.flatMap((d) => d.papers).flatMap((p) => problems(p).map((what) => `${p.id}: ${what}`));
    expect(bad).toEqual([]);
    const all = days.flatMap((d) => d.papers);
    expect(all.filter((p) => p.githubRepo).length).toBe(3692);
    expect(all.filter((p) => p.aiSummary).length).toBe(5715);
  });
});

describe('normalised fields on real papers', () => {
  it('uses the item title, collapsed, and an abstract without hard line breaks (2024)', () => {
    const [p] = find('2405.15738');
    expect(p!.title).toBe('ConvLLaVA: Hierarchical Backbones as Visual Encoder for Large Multimodal Models');
    expect(p!.abstract.length).toBeGreaterThan(500);
    expect(p!.abstract).not.toContain('\n');
    expect(p!.abstract).not.toMatch(/\s{2}/);
  });

  it('drops hidden authors and keeps the order of the others', () => {
    const [p] = find('2406.17774');
    // Ruben Wiersma, Julien Philip and Valentin Deschaintre are hidden in the API body.
    expect(p!.authors).toEqual(['Miloš Hašan', 'Krishna Mullia', 'Fujun Luan', 'Elmar Eisemann']);
  });

  it('deduplicates AI keywords case-insensitively, keeping the first spelling', () => {
    const [p] = find('2503.07459');
    expect(p!.keywords.filter((k) => k === 'MedAgentsBench')).toHaveLength(1);
    expect(p!.keywords).toHaveLength(7);
    expect(p!.keywords[0]).toBe('MedAgentsBench');
  });

  it('normalises the real githubRepo quirks', () => {
    expect(find('2503.00501')[0]!.githubRepo).toBe('https://github.com/RED-Search/Qilin');
    expect(find('2508.05748')[0]!.githubRepo).toBe('https://github.com/Alibaba-NLP/WebAgent');
    expect(find('2505.02471')[0]!.githubRepo).toBe('https://github.com/inclusionAI/Ming');
    expect(find('2510.14545')[0]!.githubRepo).toBe('https://github.com/RUC-NLPIR/ARPO');
    expect(find('2505.19973')[0]!.githubRepo).toBe('https://github.com/DFIR-Metric');
    // Line breaks inside the link, as HF stored them.
    expect(find('2510.18940')[0]!.githubRepo).toBe('https://github.com/FightingFighting/NeuroAda');
    expect(find('2510.05342')[0]!.githubRepo).toBe('https://github.com/sirano1004/Margin-Apative-Direct-Preference-Optimization');
  });

  it('trims a project page with a leading space', () => {
    expect(find('2503.11646')[0]!.projectPage).toBe('https://sites.google.com/view/adc-robot');
  });

  it('reads counts, AI summary and organisation on a 2026 paper', () => {
    const [p] = find('2604.14148');
    expect(p).toMatchObject({ upvotes: 77, comments: 4, organization: 'ByteDance Seed', publishedAt: '2026-04-15' });
    expect(p!.aiSummary).toMatch(/^Seedance 2\.0 is a multi-modal/);
    expect(p!.keywords).toContain('joint generation');
  });

  it('merges a paper featured on two days into both dates with the later counts', () => {
    const both = find('2604.07429');
    expect(both.map((p) => p.featuredDates)).toEqual([['2026-04-10'], ['2026-04-16']]);
    const merged = mergeBatch(both).get('2604.07429')!;
    expect(merged.featuredDates).toEqual(['2026-04-10', '2026-04-16']);
    expect(merged.upvotes).toBe(42);
    expect(merged.githubRepo).toBe('https://github.com/gameworld-project/gameworld');
  });
});
