/**
 * Test papers with sensible defaults, so a test states only the fields it is about.
 * The defaults look like a Hugging Face Daily Papers record featured on one day.
 */
import type { Paper } from '../../src/core/paper.js';

export function makePaper(overrides: Partial<Paper> & { id: string }): Paper {
  return {
    title: `Paper ${overrides.id}`,
    abstract: `Abstract of paper ${overrides.id}.`,
    authors: ['Ada Lovelace', 'Alan Turing'],
    publishedAt: '2025-03-01',
    featuredDates: ['2025-03-03'],
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
    ...overrides,
  };
}
