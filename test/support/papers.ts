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
    thumbnail: null,
    categories: [],
    sources: ['hf'],
    ...overrides,
  };
}

/** Papers shaped like real ones: a ~1 kB abstract, several authors and keywords. */
export function syntheticPapers(count: number): Paper[] {
  const abstract = 'We study a method for training large models efficiently. '.repeat(18);
  return Array.from({ length: count }, (_, i) => {
    const day = new Date(Date.UTC(2024, 5, 3) + (i % 500) * 86_400_000).toISOString().slice(0, 10);
    return makePaper({
      id: `${2400 + Math.floor(i / 10_000)}.${String(i % 100_000).padStart(5, '0')}`,
      title: `Synthetic paper number ${i}`,
      abstract,
      authors: ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', `Author ${i}`],
      keywords: ['efficiency', 'scaling', `topic ${i % 97}`],
      featuredDates: [day],
      upvotes: i % 300,
    });
  });
}

/** A real paper (ConvLLaVA, 2405.15738) with code, for renderer tests; `overrides` adds what a platform shows. */
export function convLlava(overrides: Partial<Paper> = {}): Paper {
  return makePaper({
    id: '2405.15738',
    title: 'ConvLLaVA: Hierarchical Backbones as Visual Encoder for Large Multimodal Models',
    authors: ['Chunjiang Ge', 'Sijie Cheng', 'Ziming Wang', 'Jiale Yuan'],
    abstract: 'High-resolution Large Multimodal Models (LMMs) encounter the challenges of excessive visual tokens. To mitigate this issue, we propose ConvLLaVA, which employs ConvNeXt as the visual encoder.',
    upvotes: 32,
    comments: 3,
    featuredDates: ['2024-05-27'],
    githubRepo: 'https://github.com/alibaba/conv-llava',
    ...overrides,
  });
}
