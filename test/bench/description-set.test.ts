import { describe, expect, it } from 'vitest';
import { descriptionProblems, titleWordsIn } from '../../scripts/description-check.js';
import { DESCRIPTION_SET } from '../../scripts/description-set.js';

const TITLE = 'Stream-R1: Reliability-Perplexity Aware Reward Distillation for Streaming Video Generation';

describe('the description set', () => {
  it('has 160 papers, each once, alternating between an 80-paper dev half and an 80-paper held-out half', () => {
    expect(DESCRIPTION_SET).toHaveLength(160);
    expect(new Set(DESCRIPTION_SET.map((d) => d.id)).size).toBe(160);
    expect(DESCRIPTION_SET.every((d, i) => d.half === (i % 2 === 0 ? 'dev' : 'held'))).toBe(true);
    expect(DESCRIPTION_SET.every((d) => /^\d{4}\.\d{4,5}$/.test(d.id))).toBe(true);
  });

  it('holds 6–14 words per description', () => {
    const outside = DESCRIPTION_SET.filter((d) => {
      const n = d.q.split(/\s+/).length;
      return n < 6 || n > 14;
    });
    expect(outside).toEqual([]);
  });
});

describe('the description check', () => {
  it('counts title words by stem, stop words aside', () => {
    expect(titleWordsIn('reweight rollouts and pixels by reward score when distilling autoregressive diffusion models', TITLE)).toEqual(['reward', 'distil']);
    expect(titleWordsIn('the for of and', TITLE)).toEqual([]);
  });

  it('reports a description that borrows more than two title words, one out of the corpus, a length outside 6–14 and a paper described twice', () => {
    const titles = new Map([['2605.03849', TITLE]]);
    const fine = { id: '2605.03849', q: 'reweight rollouts and pixels by reward score when distilling autoregressive diffusion models' };
    expect(descriptionProblems([fine], titles)).toEqual([]);
    const problems = descriptionProblems(
      [
        { id: '2605.03849', q: 'a reward for distilling streaming videos in real time' },
        { id: '2605.03849', q: 'reward distillation' },
        { id: '9999.00001', q: 'a paper that is not in this corpus at all' },
      ],
      titles,
    );
    expect(problems).toEqual([
      '2605.03849: 4 title words (reward, distil, stream, video) in "a reward for distilling streaming videos in real time"',
      '2605.03849: described twice',
      '2605.03849: 2 words in "reward distillation"',
      '9999.00001: not in the corpus',
    ]);
  });
});
