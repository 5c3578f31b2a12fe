/**
 * The planner must not change answers: on real papers, every query gives what one plain
 * Lunr pass over a full lunr.Index gives (engine.ts runQuery: same parser, same tiers,
 * ties in indexing order), including with the top-k search forced on small tiers.
 */
import lunr from 'lunr';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IndexDoc, SearchOptions, SearchResult } from '../../src/core/ports.js';
import { runQuery } from '../../src/search/engine.js';
import { IndexBuilder, buildMeta, type IndexMeta } from '../../src/search/index-builder.js';
import { similarQuery } from '../../src/search/similar-query.js';
import { parseQuery, type ParsedQuery } from '../../src/search/query.js';
import { Corpus } from '../../src/search/planner.js';
import { Segment } from '../../src/search/segment.js';
import { SegmentBuilder } from '../../src/search/segment-builder.js';
import { plainText } from '../../src/core/text.js';
import { allDays, docsOfDays } from './fixture.js';
import { DESCRIPTION_SET } from '../../scripts/description-set.js';

let docs: IndexDoc[];
let index: lunr.Index;
let meta: IndexMeta;
let plain: Corpus;
let tight: Corpus;

function segment(ds: IndexDoc[], opts: ConstructorParameters<typeof SegmentBuilder>[0] = {}): Segment {
  const b = new SegmentBuilder(opts);
  b.add(ds);
  const built = b.build();
  return new Segment(built.buffer, built.header);
}

beforeAll(() => {
  // Every 11th day of the archive (old and new schema), ~900 papers, in id order like the store's.
  docs = docsOfDays(allDays().filter((_, i) => i % 11 === 0)).sort((a, b) => (a.id < b.id ? -1 : 1));
  const ib = new IndexBuilder();
  ib.add(docs);
  index = ib.build();
  meta = buildMeta(ib.docMetas());
  plain = new Corpus(segment(docs, { shardDocs: 400 }));
  // Whole-tier scoring only for tiny tiers: the top-k search does the work.
  tight = new Corpus(segment(docs, { shardDocs: 700 }), null, { scoreAll: 3 });
});

const TOPICAL = [
  'vision language model benchmark', 'kv cache compression', 'mixture of experts', 'diffusion transformer video generation',
  'reinforcement learning reasoning llm', 'speculative decoding', 'sparse attention long context', 'text to image',
  'multimodal agents gui', 'retrieval augmented generation', 'quantization low bit', 'state space models mamba',
  'reward model alignment', 'code generation benchmark', '3d gaussian splatting', 'chain of thought',
  'world model robotics', 'speech synthesis', 'knowledge distillation small models', 'model', 'large language model', 'learning',
];
const SYNTAX = [
  'title:mamba -vision', 'diffu* video', 'transformr~1', 'author:lecun', 'author:zhang', '+mixture +of +experts',
  'diffusion -"video generation"', '+video diffusion', 'title:video video', '"large language" model', 'mod* -model',
  'reason^3 agent', 'summary:benchmark keyword:agent', 'difusion~1 model~2', '-video', 'of the model',
];
const OPTIONS: SearchOptions[] = [
  { limit: 10 },
  { limit: 5, offset: 45 },
  { limit: 50, filters: { minUpvotes: 3 } },
  { limit: 10, filters: { featuredFrom: '2025-01-01', featuredTo: '2025-06-30' } },
  { limit: 20, filters: { hasCode: true } },
  { limit: 100 },
];

/** What must not change: ids in order, totals, notices, terms and the terms each hit matched. */
function shape(r: SearchResult) {
  return { ids: r.hits.map((h) => h.id), total: r.total, terms: r.terms, notice: r.notice, matched: r.hits.map((h) => [...h.matched].sort()) };
}

function knownItemQueries(): string[] {
  const out: string[] = [];
  // About 160 titles whatever the corpus size (every 61st of the full 9,577).
  const stride = Math.max(1, Math.round(docs.length / 157));
  for (const d of docs.filter((_, i) => i % stride === 0)) {
    const title = plainText(d.title);
    const colon = title.indexOf(':');
    if (colon > 0) out.push(title.slice(0, colon), title.slice(colon + 1).trim());
    out.push(title, title.split(/\s+/).slice(0, 4).join(' '));
  }
  return out;
}

describe('planned search equals one plain Lunr pass', () => {
  const check = (corpus: () => Corpus, queries: () => string[], options = OPTIONS) => {
    const problems: string[] = [];
    let compared = 0;
    for (const q of queries()) {
      let parsed: ParsedQuery;
      try {
        parsed = parseQuery(q);
      } catch {
        continue;
      }
      for (const opts of options) {
        const want = shape(runQuery(index, parsed, meta, opts));
        const got = shape(corpus().search(parsed, opts));
        compared++;
        if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`${q} ${JSON.stringify(opts)}`);
      }
    }
    expect(compared).toBeGreaterThan(40);
    expect(problems).toEqual([]);
  };

  it('topical queries', () => check(() => plain, () => TOPICAL));
  it('topical queries, top-k search forced', () => check(() => tight, () => TOPICAL));
  it('field, required, excluded, wildcard, fuzzy and boosted terms', () => check(() => plain, () => SYNTAX));
  it('the same, top-k search forced', () => check(() => tight, () => SYNTAX));
  // Nine-word descriptions: few papers hold every word, thousands hold some (issue 13).
  const descriptions = () => DESCRIPTION_SET.filter((_, i) => i % 3 === 0).map((d) => d.q);
  it('descriptions of a paper', () => check(() => plain, descriptions, OPTIONS.slice(0, 3)));
  it('descriptions, top-k search forced', () => check(() => tight, descriptions, OPTIONS.slice(0, 3)));
  it('known-item queries (method names, titles, subtitles, title starts)', () => check(() => tight, knownItemQueries, OPTIONS.slice(0, 3)));

  it('"similar" queries', () => {
    for (const d of docs.filter((_, i) => i % 211 === 0)) {
      const q = similarQuery(d);
      q.excludeIds = [d.id];
      for (const opts of [{ limit: 10 }, { limit: 5, offset: 20 }]) {
        expect(shape(tight.search(q, opts)), d.id).toEqual(shape(runQuery(index, q, meta, opts)));
      }
    }
  });

  it('asks Lunr about a small part of what matches', () => {
    const r = tight.search(parseQuery('model'), { limit: 10 });
    expect(r.total).toBeGreaterThan(Math.min(600, docs.length / 4)); // 600 of the full 9,577
    // Under a fifth on the full corpus; with the fixture's ~60 matches, top-k still skips two thirds.
    expect(tight.lastCost.scored).toBeLessThan(r.total / (docs.length > 5000 ? 5 : 3));
    expect(tight.lastCost.postings).toBeGreaterThan(r.total);
    // A description matches much of the corpus in some word; Lunr is asked about a batch or two.
    const d = tight.search(parseQuery(DESCRIPTION_SET[0]!.q), { limit: 10 });
    expect(d.total).toBeGreaterThan(30);
    expect(tight.lastCost.scored).toBeLessThanOrEqual(40);
  });
});

describe('a base with a delta', () => {
  it('finds new and changed papers, forgets removed ones, and counts like a rebuilt index', () => {
    const base = segment(docs.slice(0, -40), { shardDocs: 500 });
    const changed = { ...docs[10]!, title: 'Zyxwvutian Retrieval: a changed title', keywords: ['zyxwvutian'] };
    const removed = docs[20]!;
    const added = docs.slice(-40);
    const db = new SegmentBuilder({ base });
    db.add([changed, ...added]);
    const deltaImg = db.build({ dead: [10, 20] });
    const corpus = new Corpus(base, new Segment(deltaImg.buffer, deltaImg.header));
    const now = [...docs.slice(0, -40).filter((d) => d.id !== changed.id && d.id !== removed.id), changed, ...added];
    expect(corpus.docCount).toBe(now.length);

    const s = (q: string, opts: SearchOptions = {}) => corpus.search(parseQuery(q), opts);
    expect(s('zyxwvutian').hits.map((h) => h.id)).toEqual([changed.id]);
    expect(s('Zyxwvutian Retrieval').hits[0]!.id).toBe(changed.id);
    expect(s(removed.id).notice).toMatch(/not in the index/);
    expect(s(added[5]!.id).hits.map((h) => h.id)).toEqual([added[5]!.id]);
    expect(s(plainText(added[7]!.title)).hits[0]!.id).toBe(added[7]!.id);

    // Matching does not depend on statistics: the same papers match as in a fresh index.
    const ib = new IndexBuilder();
    ib.add(now);
    const fresh = ib.build();
    const freshMeta = buildMeta(ib.docMetas());
    for (const q of ['video diffusion', 'kv cache', 'author:zhang', 'title:agent -web', 'diffu*']) {
      const want = runQuery(fresh, parseQuery(q), freshMeta, { limit: 100 });
      const got = s(q, { limit: 100 });
      expect(got.total, q).toBe(want.total);
      if (want.total <= 100) expect(new Set(got.hits.map((h) => h.id)), q).toEqual(new Set(want.hits.map((h) => h.id)));
      expect(got.hits.some((h) => h.id === removed.id)).toBe(false);
    }
  });

  it('applies metadata patches over what the segments say', () => {
    const corpus = new Corpus(segment(docs.slice(0, 300)));
    const target = docs[5]!;
    const q = parseQuery(target.id);
    expect(corpus.search(q, { filters: { minUpvotes: 100_000 } }).hits).toEqual([]);
    corpus.applyMeta([{ id: target.id, featuredDates: ['2031-01-01'], upvotes: 100_001, hasCode: true }]);
    expect(corpus.search(q, { filters: { minUpvotes: 100_000, featuredFrom: '2031-01-01', hasCode: true } }).hits.map((h) => h.id)).toEqual([target.id]);
    corpus.applyMeta([{ id: 'not-indexed', featuredDates: [], upvotes: 1, hasCode: false }]);
  });
});
