/**
 * Test helpers for the digest suite: real days (through the real normaliser) and a paper
 * factory whose defaults suit a digest of 2026-08-21.
 */
import type { Paper } from '../../src/core/paper.js';
import { makePaper } from '../support/papers.js';

export { allDays, loadDay } from '../support/real-data.js';

/** A hand-made paper featured on 2026-08-21; every field overridable. */
export function paper(over: Partial<Paper> & { id: string }): Paper {
  return makePaper({
    abstract: 'We propose a method that does something useful for the community at large.',
    authors: ['A. Author'],
    publishedAt: '2026-08-20',
    featuredDates: ['2026-08-21'],
    ...over,
  });
}
