/**
 * The re-ranking stage after Lunr (semantic-rerank.ts): it reorders only the head of a
 * description's results, only within a tier, never the papers a query names, and in the
 * planner it lifts the paper whose vector agrees with the query over an equal lexical match.
 * Without a model (or with paper vectors from another one) answers are Lunr's alone.
 */
import { describe, expect, it } from 'vitest';
import type { IndexDoc } from '../../src/core/ports.js';
import { Corpus } from '../../src/search/planner.js';
import { parseQuery } from '../../src/search/query.js';
import { Segment } from '../../src/search/segment.js';
import { SegmentBuilder } from '../../src/search/segment-builder.js';
import { descriptionVector, rerankHead, type Ranked } from '../../src/search/semantic-rerank.js';
import type { WordVectors } from '../../src/search/word-vectors.js';
import { tinyModel } from './tiny-model.js';

const MODEL = tinyModel({
  graph: [1, 0, 0],
  token: [1, 0, 0],
  pool: [1, 0, 0],
  layer: [1, 0, 0],
  edge: [1, 0, 0],
  audio: [0.9, 0.1, 0],
  pixel: [0, 0, 1],
});

function doc(id: string, title: string, abstract: string): IndexDoc {
  return { id, title, abstract, authors: [], keywords: [], featuredDates: ['2025-01-01'], upvotes: 1, hasCode: false };
}

function segment(docs: IndexDoc[], vectors: WordVectors | null): Segment {
  const b = new SegmentBuilder({ vectors });
  b.add(docs);
  const built = b.build();
  return new Segment(built.buffer, built.header);
}

// The same words for the query in both; p1 (indexed first, so Lunr's tiebreak winner) adds
// a word about pixels, p2 one about audio, which the model puts beside the query's words.
const DOCS = [
  doc('2501.00001', 'Alpha', 'graph token pool layer edge pixel'),
  doc('2501.00002', 'Bravo', 'graph token pool layer edge audio'),
  doc('2501.00003', 'Charlie', 'graph token unrelated words here'),
];
const ids = (c: Corpus, q: string, opts = {}) => c.search(parseQuery(q), opts).hits.map((h) => h.id);

describe('semantic re-ranking', () => {
  it('lifts the paper whose meaning agrees with a description over an equal lexical match', () => {
    const withModel = new Corpus(segment(DOCS, MODEL), null, { meaning: MODEL });
    const lunrOnly = new Corpus(segment(DOCS, MODEL));
    expect(ids(lunrOnly, 'graph token pool layer edge')).toEqual(['2501.00001', '2501.00002', '2501.00003']);
    expect(ids(withModel, 'graph token pool layer edge')).toEqual(['2501.00002', '2501.00001', '2501.00003']);
    // Scores still fall down the list, and each hit keeps its own matched terms.
    const hits = withModel.search(parseQuery('graph token pool layer edge')).hits;
    for (let i = 1; i < hits.length; i++) expect(hits[i]!.score).toBeLessThanOrEqual(hits[i - 1]!.score);
    expect(hits[2]!.matched.sort()).toEqual(['graph', 'token']);
    // Pages of the re-ranked list are the list, cut.
    expect([...ids(withModel, 'graph token pool layer edge', { limit: 1 }), ...ids(withModel, 'graph token pool layer edge', { limit: 2, offset: 1 })]).toEqual(
      ids(withModel, 'graph token pool layer edge'),
    );
  });

  it('leaves short queries, "similar" and paper vectors of another model to Lunr', () => {
    const withModel = new Corpus(segment(DOCS, MODEL), null, { meaning: MODEL });
    expect(ids(withModel, 'graph token pool layer')).toEqual(['2501.00001', '2501.00002', '2501.00003']);
    expect(descriptionVector(MODEL, { ...parseQuery('graph token pool layer edge'), rankAllTermsFirst: false })).toBeNull();
    const other = tinyModel({ graph: [0, 1, 0], audio: [1, 0, 0] });
    const mixed = new Corpus(segment(DOCS, other), null, { meaning: MODEL });
    expect(ids(mixed, 'graph token pool layer edge')).toEqual(['2501.00001', '2501.00002', '2501.00003']);
    const none = new Corpus(segment(DOCS, null), null, { meaning: MODEL });
    expect(none.base.header.vectors).toBeNull();
    expect(ids(none, 'graph token pool layer edge')).toEqual(['2501.00001', '2501.00002', '2501.00003']);
  });

  it('reorders only the head, each tier among itself, and never the papers a query names', () => {
    const q = Float32Array.from([1, 0]);
    const vec: Record<number, Int8Array> = {};
    for (let g = 0; g < 8; g++) vec[g] = Int8Array.from(g % 2 ? [127, 0] : [0, 127]);
    const out: Ranked[] = [
      { g: 0, tier: 3 }, { g: 2, tier: 3 }, { g: 1, tier: 3 },
      { g: 4, tier: 1 }, { g: 3, tier: 1 },
      { g: 6, tier: 0 }, { g: 5, tier: 0 },
      { g: 7, tier: 0 },
    ];
    rerankHead(out, q, () => 1, (g) => vec[g]!, 7, 0.5);
    expect(out.map((r) => r.g)).toEqual([0, 2, 1, 3, 4, 5, 6, 7]);
    expect(out.map((r) => r.tier)).toEqual([3, 3, 3, 1, 1, 0, 0, 0]);
  });
});
