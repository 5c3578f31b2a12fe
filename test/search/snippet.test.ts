import { describe, expect, it } from 'vitest';
import { makeSnippet } from '../../src/search/snippet.js';

const ABSTRACT =
  'Large language models are strong. We study how to compress the KV cache of long contexts. ' +
  'Our method, ReKV, evicts tokens with low attention scores and keeps a small cache that grows with the sequence. ' +
  'Experiments on LongBench show 4x compression with no loss.';

describe('makeSnippet', () => {
  it('picks the sentence holding the most query terms', () => {
    expect(makeSnippet(ABSTRACT, ['attention', 'cache', 'evict'])).toBe(
      'Our method, ReKV, evicts tokens with low attention scores and keeps a small cache that grows with the sequence.',
    );
  });

  it('matches stems and word prefixes, typed words or index terms alike', () => {
    // "compress" and "cach" are index terms (stems); "compression" and "caches" are typed words.
    expect(makeSnippet(ABSTRACT, ['compress', 'cach'])).toBe('We study how to compress the KV cache of long contexts.');
    expect(makeSnippet(ABSTRACT, ['compression', 'caches'])).toBe('We study how to compress the KV cache of long contexts.');
    expect(makeSnippet(ABSTRACT, ['longbench'])).toBe('Experiments on LongBench show 4x compression with no loss.');
  });

  it('falls back to the first sentence when nothing matches', () => {
    expect(makeSnippet(ABSTRACT, ['zebra'])).toBe('Large language models are strong.');
    expect(makeSnippet(ABSTRACT, [])).toBe('Large language models are strong.');
  });

  it('cuts a long sentence around the first match, at word boundaries, with ellipses', () => {
    const long =
      'In this extremely long sentence we first talk at length about many unrelated things such as weather, ' +
      'cooking, gardening and travel before finally mentioning speculative decoding, which is the topic, ' +
      'and then we continue for a very long time with more unrelated words about sports, music, art and films.';
    const s = makeSnippet(long, ['speculative']);
    expect(s.length).toBeLessThanOrEqual(180);
    expect(s.startsWith('…')).toBe(true);
    expect(s.endsWith('…')).toBe(true);
    expect(s).toContain('speculative decoding');
    // Word boundaries: every word shown is a whole word of the sentence.
    for (const w of s.replace(/…/g, '').trim().split(/\s+/)) expect(long).toContain(w);
    expect(long.split(/\s+/)).toContain(s.replace(/^…/, '').split(/\s+/)[0]);
  });

  it('keeps a match near the start without a leading ellipsis', () => {
    const long = `Speculative decoding ${'makes generation faster and cheaper '.repeat(10)}end.`;
    const s = makeSnippet(long, ['speculative'], 100);
    expect(s.startsWith('Speculative decoding')).toBe(true);
    expect(s.endsWith('…')).toBe(true);
    expect(s.length).toBeLessThanOrEqual(100);
  });

  it('strips LaTeX and tags before showing text', () => {
    const s = makeSnippet('We reach $\\mathcal{O}(n)$ cost with <b>linear</b> attention.', ['linear']);
    expect(s).toBe('We reach O(n) cost with linear attention.');
  });

  it('handles empty text and odd terms', () => {
    expect(makeSnippet('', ['x'])).toBe('');
    expect(makeSnippet(ABSTRACT, ['', '*', 'KV-cache'])).toBe('We study how to compress the KV cache of long contexts.');
  });
});
