/** "Did you mean …?": misspelt query words answered with the closest word the index knows. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/reply.js';
import { editDistance } from '../../src/search/suggest.js';
import { makeHarness, type Harness } from '../support/bot-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await makeHarness();
  await h.services.index.ready();
});
afterAll(async () => {
  await h.services.index.close();
});

const said = (r: Reply): string => (r.kind === 'text' ? r.text : r.kind === 'papers' ? (r.notice ?? '') : '');

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and transpositions, and stops past the bound', () => {
    expect(editDistance('difusion', 'diffusion', 2)).toBe(1);
    expect(editDistance('trasnformer', 'transformer', 2)).toBe(1);
    expect(editDistance('model', 'modal', 2)).toBe(1);
    expect(editDistance('agent', 'agent', 2)).toBe(0);
    expect(editDistance('abcdefgh', 'zyxwvuts', 2)).toBe(3);
  });
});

describe('did you mean', () => {
  it('a misspelt word with no match: the corrected query, from the index vocabulary', async () => {
    expect(said(await h.run('search difusion'))).toBe('No papers match "difusion". Did you mean "diffusion"?');
  });

  it('a misspelt word among good ones: results, and the suggestion beside them', async () => {
    const r = await h.run('search speculative decodng');
    expect(r.kind).toBe('papers');
    expect(said(r)).toContain('Did you mean "speculative decoding"?');
  });

  it('nothing for known words, and nothing when no word is close', async () => {
    const r = await h.run('search diffusion');
    expect(said(r)).not.toMatch(/Did you mean/);
    expect(said(await h.run('search xqzvw'))).toBe('No papers match "xqzvw". Try fewer or broader words.');
  });

  it('the suggested query finds papers', async () => {
    const r = await h.services.search.search('transformr');
    expect(r.papers).toHaveLength(0);
    expect(r.suggestion).toBe('transformer');
    expect((await h.services.search.search(r.suggestion!)).papers.length).toBeGreaterThan(0);
  });
});
