/**
 * Test helpers for the digest suite: real Daily Papers days read straight from the shared
 * data (a minimal item → Paper mapping, so these tests do not depend on the normaliser
 * being written elsewhere) and a paper factory for hand-made cases.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Paper } from '../../src/core/paper.js';

// Same place as test/support/tmp.ts, without its vitest import, so scripts can load days too.
const HF_DAILY_DIR = path.resolve(import.meta.dirname, '../../../shared/data/hf-daily');

interface RawItem {
  title: string;
  numComments?: number;
  paper: {
    id: string;
    summary: string;
    upvotes?: number;
    publishedAt: string;
    authors: { name: string; hidden?: boolean }[];
    ai_summary?: string;
    ai_keywords?: string[];
    githubRepo?: string;
  };
}

const collapse = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** The papers featured on one real day, in the file's order. */
export function loadDay(day: string): Paper[] {
  const items = JSON.parse(fs.readFileSync(path.join(HF_DAILY_DIR, `${day}.json`), 'utf8')) as RawItem[];
  return items.map((item) => ({
    id: item.paper.id,
    title: collapse(item.title),
    abstract: collapse(item.paper.summary),
    authors: item.paper.authors.filter((a) => !a.hidden).map((a) => a.name),
    publishedAt: item.paper.publishedAt.slice(0, 10),
    featuredDates: [day],
    upvotes: item.paper.upvotes ?? 0,
    comments: item.numComments ?? 0,
    aiSummary: item.paper.ai_summary ?? null,
    keywords: item.paper.ai_keywords ?? [],
    githubRepo: item.paper.githubRepo ?? null,
    githubStars: null,
    projectPage: null,
    organization: null,
    categories: [],
    sources: ['hf'],
  }));
}

/** Every day file available, ascending. */
export function allDays(): string[] {
  return fs
    .readdirSync(HF_DAILY_DIR)
    .filter((f) => /^\d{4}-\d{2}-\d{2}\.json$/.test(f))
    .map((f) => f.slice(0, 10))
    .sort();
}

/** A hand-made paper; every field overridable. */
export function paper(over: Partial<Paper> & { id: string }): Paper {
  return {
    title: `Paper ${over.id}`,
    abstract: 'We propose a method that does something useful for the community at large.',
    authors: ['A. Author'],
    publishedAt: '2026-08-20',
    featuredDates: ['2026-08-21'],
    upvotes: 10,
    comments: 0,
    aiSummary: null,
    keywords: [],
    githubRepo: null,
    githubStars: null,
    projectPage: null,
    organization: null,
    categories: [],
    sources: ['hf'],
    ...over,
  };
}
