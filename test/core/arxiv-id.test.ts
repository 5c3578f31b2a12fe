import { describe, expect, it } from 'vitest';
import { parseArxivId } from '../../src/core/arxiv-id.js';

describe('parseArxivId', () => {
  it.each([
    ['2405.15738', '2405.15738'],
    ['2405.15738v2', '2405.15738'],
    ['arXiv:2405.15738', '2405.15738'],
    ['http://arxiv.org/abs/2405.15738', '2405.15738'],
    ['https://arxiv.org/pdf/2405.15738v1.pdf', '2405.15738'],
    ['https://huggingface.co/papers/2405.15738', '2405.15738'],
    ['https://arxiv.org/abs/cs/0112017', 'cs/0112017'],
  ])('%s → %s', (input, id) => expect(parseArxivId(input)).toBe(id));

  it.each(['', 'mamba', '2405', 'https://example.com/abs/2405.15738', '2405.15738 and more', 'x'.repeat(400)])('%j is no id', (input) => {
    expect(parseArxivId(input)).toBeNull();
  });
});
