/** One-line TL;DR for a paper. (First version; the digest work refines the sentence choice.) */
import type { Paper } from '../paper.js';
import { collapseWhitespace, plainText, truncateWords } from '../text.js';

export function tldrOf(p: Pick<Paper, 'aiSummary' | 'abstract' | 'title'>, maxLen = 200): string {
  const source = p.aiSummary ? p.aiSummary : (plainText(p.abstract).split(/(?<=[.!?])\s+(?=[A-Z])/)[0] ?? '');
  return truncateWords(collapseWhitespace(plainText(source)), maxLen);
}
