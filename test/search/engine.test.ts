import lunr from 'lunr';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IndexDoc, SearchOptions, SearchResult } from '../../src/core/ports.js';
import { IndexBuilder, buildLunrIndex, docMeta } from '../../src/search/index-builder.js';
import { similarQuery } from '../../src/search/similar-query.js';
import { INDEX_FIELDS, analyze, parseQuery } from '../../src/search/query.js';
import { Corpus } from '../../src/search/planner.js';
import { Segment } from '../../src/search/segment.js';
import { SegmentBuilder } from '../../src/search/segment-builder.js';
import { plainText } from '../../src/core/text.js';
import { smallDocs } from './fixture.js';

function doc(id: string, over: Partial<IndexDoc> = {}): IndexDoc {
  return { id, title: '', abstract: '', authors: [], keywords: [], featuredDates: [], upvotes: null, hasCode: false, ...over };
}

interface Built {
  docs: IndexDoc[];
  byId: Map<string, IndexDoc>;
  /** Plain Lunr over the same papers (one lunr.Builder), for comparisons. */
  index: lunr.Index;
  /** What the bot searches: a segment built in shards, planned queries scored by Lunr. */
  corpus: Corpus;
  search(q: string, opts?: SearchOptions): SearchResult;
}

function build(docs: IndexDoc[]): Built {
  const b = new IndexBuilder();
  b.add(docs);
  const index = b.build();
  const sb = new SegmentBuilder({ shardDocs: 50 });
  sb.add(docs);
  const built = sb.build();
  const corpus = new Corpus(new Segment(built.buffer, built.header));
  return { docs, byId: new Map(docs.map((d) => [d.id, d])), index, corpus, search: (q, opts) => corpus.search(parseQuery(q), opts) };
}

/** Index terms of a doc, per field, as the index holds them. */
function termsOf(d: IndexDoc, field: 'title' | 'abstract' | 'authors' | 'keywords' | 'all'): Set<string> {
  const text = {
    title: plainText(d.title),
    abstract: plainText(d.abstract),
    authors: d.authors.join(' '),
    keywords: d.keywords.join(' '),
    all: [plainText(d.title), plainText(d.abstract), d.authors.join(' '), d.keywords.join(' ')].join(' '),
  }[field];
  return new Set(analyze(text));
}

let small: Built;
beforeAll(() => {
  small = build(smallDocs());
});

describe('building', () => {
  it('indexes the four fields with their boosts and no metadata', () => {
    const json = small.index.toJSON() as { fields: string[]; invertedIndex: [string, Record<string, Record<string, object>>][] };
    expect(json.fields).toEqual([...INDEX_FIELDS]);
    // No metadata whitelist: every posting is an empty object.
    const [, posting] = json.invertedIndex.find(([t]) => t === 'diffus')!;
    for (const meta of Object.values(posting.title!)) expect(meta).toEqual({});
    expect(small.corpus.base.header.fields).toEqual([...INDEX_FIELDS]);
    expect(small.corpus.base.header.boosts).toEqual([0.1, 1, 1, 0.3]);
  });

  it('holds the same terms as an index built with lunr’s default pipeline', () => {
    const docs = smallDocs().slice(0, 60);
    const seg = build(docs).corpus.base;
    const segTerms = new Set(Array.from({ length: seg.terms }, (_, i) => seg.term(i)));
    const ours = buildLunrIndex(docs).toJSON() as { invertedIndex: [string][] };
    const reference = lunr(function () {
      this.ref('id');
      for (const f of INDEX_FIELDS) this.field(f);
      // Titles and abstracts are indexed as plain text (LaTeX and tags stripped).
      for (const d of docs) {
        this.add({ ...d, title: plainText(d.title), abstract: plainText(d.abstract), authors: d.authors.join(', '), keywords: d.keywords.join(', ') });
      }
    }).toJSON() as { invertedIndex: [string][] };
    const refTerms = reference.invertedIndex.map(([t]) => t).filter((t) => t !== '');
    const ourTerms = new Set(ours.invertedIndex.map(([t]) => t));
    // Ours may add accent-folded author names; everything lunr indexes is there.
    for (const t of refTerms) expect(ourTerms.has(t), t).toBe(true);
    expect(ourTerms.has('')).toBe(false);
    expect(segTerms).toEqual(ourTerms);
  });

  it('keeps the first record of a repeated id', () => {
    const b = new IndexBuilder();
    b.add([doc('1', { title: 'alpha' }), doc('1', { title: 'beta' }), doc('2', { title: 'gamma' })]);
    const index = b.build();
    expect(b.size).toBe(2);
    expect(b.skipped).toBe(1);
    expect(index.query((q) => q.term('beta', {})).length).toBe(0);
    expect(index.query((q) => q.term('alpha', {})).map((r) => r.ref)).toEqual(['1']);
    const sb = new SegmentBuilder();
    sb.add([doc('1', { title: 'alpha' }), doc('1', { title: 'beta' }), doc('2', { title: 'gamma' })]);
    const built = sb.build();
    expect(sb.size).toBe(2);
    expect(sb.skipped).toBe(1);
    const corpus = new Corpus(new Segment(built.buffer, built.header));
    expect(corpus.search(parseQuery('beta')).hits).toEqual([]);
    expect(corpus.search(parseQuery('alpha')).hits.map((h) => h.id)).toEqual(['1']);
  });

  it('keeps title keys for the known-item lookup', () => {
    const m = docMeta(doc('x', { title: 'I2VEdit: First-Frame-Guided Video Editing' }));
    expect(m.titleKey).toBe('i2vedit first frame guided video editing');
    expect(m.headKey).toBe('i2vedit');
    expect(docMeta(doc('y', { title: 'No colon here' })).headKey).toBeNull();
  });

  it('finds authors with or without accents', () => {
    const b = build([doc('1', { title: 'x', authors: ['Oscar Mañas'] }), doc('2', { title: 'y', authors: ['Ana Manasse'] })]);
    expect(b.search('author:mañas').hits.map((h) => h.id)).toEqual(['1']);
    expect(b.search('author:manas').hits.map((h) => h.id)).toEqual(['1']);
  });
});

describe('searching', () => {
  it('returns matching papers by descending score with the terms each matched', () => {
    const r = small.search('video diffusion');
    expect(r.total).toBeGreaterThan(10);
    expect(r.hits).toHaveLength(10);
    expect(r.terms).toEqual(['video', 'diffusion']);
    for (let i = 1; i < r.hits.length; i++) expect(r.hits[i - 1]!.score).toBeGreaterThanOrEqual(r.hits[i]!.score);
    for (const h of r.hits) {
      expect(h.matched.length).toBeGreaterThan(0);
      const terms = termsOf(small.byId.get(h.id)!, 'all');
      for (const m of h.matched) expect(terms.has(m), `${h.id} ${m}`).toBe(true);
    }
  });

  it('restricts field-prefixed terms to that field', () => {
    const r = small.search('title:video', { limit: 100 });
    expect(r.total).toBeGreaterThan(3);
    for (const h of r.hits) expect(termsOf(small.byId.get(h.id)!, 'title').has('video')).toBe(true);
    // Papers that only mention video in the abstract exist, and are not returned.
    const abstractOnly = small.docs.filter((d) => termsOf(d, 'abstract').has('video') && !termsOf(d, 'title').has('video'));
    expect(abstractOnly.length).toBeGreaterThan(0);
    for (const d of abstractOnly) expect(r.hits.some((h) => h.id === d.id)).toBe(false);
  });

  it('ranks papers matching every term above papers matching some', () => {
    const docs = [
      doc('title-heavy', { title: 'Alpha alpha alpha', abstract: 'alpha' }),
      doc('both', { title: 'A study', abstract: `${'filler words here '.repeat(30)} alpha and beta appear once.` }),
      doc('beta-only', { title: 'Beta', abstract: 'beta' }),
      doc('neither', { title: 'Gamma', abstract: 'gamma' }),
    ];
    const b = build(docs);
    // Lunr alone puts a one-term paper first...
    const plain = b.index.query((q) => {
      q.term('alpha', { usePipeline: false });
      q.term('beta', { usePipeline: false });
    });
    expect(plain[0]!.ref).not.toBe('both');
    // ...we put the paper with both terms first.
    const r = b.search('alpha beta');
    expect(r.hits.map((h) => h.id)[0]).toBe('both');
    expect(new Set(r.hits.map((h) => h.id))).toEqual(new Set(['both', 'title-heavy', 'beta-only']));
    expect(r.total).toBe(3);
  });

  it('puts all-terms hits first on real papers too', () => {
    const r = small.search('video diffusion editing', { limit: 100 });
    const hasAll = r.hits.map((h) => ['video', 'diffus', 'edit'].every((t) => termsOf(small.byId.get(h.id)!, 'all').has(t)));
    const firstPartial = hasAll.indexOf(false);
    expect(firstPartial).toBeGreaterThan(0);
    expect(hasAll.slice(firstPartial).every((x) => !x)).toBe(true);
  });

  it('keeps required terms required', () => {
    const r = small.search('+video diffusion', { limit: 100 });
    expect(r.total).toBeGreaterThan(0);
    for (const h of r.hits) expect(termsOf(small.byId.get(h.id)!, 'all').has('video')).toBe(true);
  });

  it('excludes prohibited words and phrases', () => {
    const r = small.search('diffusion -video', { limit: 100 });
    expect(r.total).toBeGreaterThan(0);
    for (const h of r.hits) expect(termsOf(small.byId.get(h.id)!, 'all').has('video')).toBe(false);

    const all = small.search('diffusion', { limit: 100 });
    const g = small.search('diffusion -"video generation"', { limit: 100 });
    const both = (id: string) => analyze('video generation').every((t) => termsOf(small.byId.get(id)!, 'all').has(t));
    expect(all.total).toBeLessThan(100);
    for (const h of g.hits) expect(both(h.id)).toBe(false);
    // Only papers with both words go: one with "video" alone stays.
    expect(g.total).toBe(all.hits.filter((h) => !both(h.id)).length);
    expect(g.hits.some((h) => termsOf(small.byId.get(h.id)!, 'all').has('video'))).toBe(true);
  });

  it('expands wildcards and fuzzy terms', () => {
    const w = small.search('diffu*');
    expect(w.total).toBeGreaterThan(5);
    for (const h of w.hits) expect([...termsOf(small.byId.get(h.id)!, 'all')].some((t) => t.startsWith('diffu'))).toBe(true);
    const f = small.search('difusion~1');
    expect(f.hits.map((h) => h.id)).toEqual(small.search('diffusion').hits.map((h) => h.id));
    expect(small.search('difusion').total).toBe(0);
  });

  it('puts the paper a query names first (title, title start, method name)', () => {
    expect(small.search('I2VEdit').hits[0]!.id).toBe('2405.16537');
    expect(small.search('EM Distillation for One-step Diffusion Models').hits[0]!.id).toBe('2405.16852');
    expect(small.search('looking backward streaming').hits[0]!.id).toBe('2405.15757');
  });
});

describe('searching: filters and paging', () => {
  const ids = (q: string, opts: SearchOptions) => small.search(q, { limit: 100, ...opts }).hits.map((h) => h.id);

  it('filters by featured day range (any featured day in range)', () => {
    const r = small.search('model', { limit: 100, filters: { featuredFrom: '2025-06-10', featuredTo: '2025-06-11' } });
    const unfiltered = small.search('model', { limit: 100 });
    expect(r.total).toBeGreaterThan(0);
    expect(r.total).toBeLessThan(unfiltered.total);
    const inRange = (id: string) => small.byId.get(id)!.featuredDates.some((d) => d >= '2025-06-10' && d <= '2025-06-11');
    for (const h of r.hits) expect(inRange(h.id)).toBe(true);
    const expected = small.docs.filter((d) => termsOf(d, 'all').has('model') && inRange(d.id));
    expect(r.total).toBe(expected.length);
    expect(ids('model', { filters: { featuredFrom: '2026-01-01' } }).every((id) => small.byId.get(id)!.featuredDates.some((d) => d >= '2026-01-01'))).toBe(true);
  });

  it('filters by upvotes, counting unknown upvotes as 0', () => {
    for (const id of ids('model', { filters: { minUpvotes: 40 } })) expect(small.byId.get(id)!.upvotes!).toBeGreaterThanOrEqual(40);
    const b = build([doc('a', { title: 'alpha', upvotes: null }), doc('b', { title: 'alpha', upvotes: 3 })]);
    expect(b.search('alpha', { filters: { minUpvotes: 1 } }).hits.map((h) => h.id)).toEqual(['b']);
    expect(b.search('alpha', { filters: { minUpvotes: 0 } }).total).toBe(2);
  });

  it('filters by code availability and excluded ids', () => {
    const withCode = ids('model', { filters: { hasCode: true } });
    const without = ids('model', { filters: { hasCode: false } });
    expect(withCode.length).toBeGreaterThan(0);
    expect(without.length).toBeGreaterThan(0);
    for (const id of withCode) expect(small.byId.get(id)!.hasCode).toBe(true);
    for (const id of without) expect(small.byId.get(id)!.hasCode).toBe(false);
    const first = ids('model', {})[0]!;
    expect(ids('model', { filters: { excludeIds: [first] } })).not.toContain(first);
  });

  it('pages with limit and offset over a stable total', () => {
    const all = small.search('model', { limit: 100 });
    expect(all.hits.length).toBe(Math.min(100, all.total));
    const pages = [0, 10, 20].flatMap((offset) => small.search('model', { limit: 10, offset }).hits.map((h) => h.id));
    expect(pages).toEqual(all.hits.slice(0, 30).map((h) => h.id));
    expect(small.search('model').hits).toHaveLength(10); // default limit
    expect(small.search('model', { limit: 10_000 }).hits.length).toBeLessThanOrEqual(100);
    expect(small.search('model', { limit: 0 }).hits).toHaveLength(1);
    expect(small.search('model', { offset: all.total + 5 }).hits).toEqual([]);
    expect(small.search('model', { limit: Number.NaN, offset: -3 }).hits).toHaveLength(10);
  });

  it('answers an id lookup with that paper only', () => {
    expect(small.search('https://arxiv.org/abs/2405.16537v3').hits.map((h) => h.id)).toEqual(['2405.16537']);
    const missing = small.search('2101.00001');
    expect(missing.hits).toEqual([]);
    expect(missing.notice).toMatch(/not in the index/);
    const filtered = small.search('2405.16537', { filters: { featuredFrom: '2026-01-01' } });
    expect(filtered.hits).toEqual([]);
    expect(filtered.notice).toMatch(/filters/);
  });
});

describe('similar', () => {
  it('finds related papers by keywords and title, never the paper itself', () => {
    const target = small.docs.find((d) => d.keywords.length > 3 && /diffusion/i.test(d.title))!;
    const q = similarQuery(target);
    expect(q.terms.length).toBeGreaterThan(3);
    expect(q.terms.every((t) => t.presence === 'optional')).toBe(true);
    const r = small.corpus.search(q, { limit: 10 });
    expect(r.hits.length).toBe(10);
    expect(r.hits.map((h) => h.id)).not.toContain(target.id);
    // The nearest papers share title words with it.
    const titleTerms = termsOf(target, 'title');
    expect(r.hits.slice(0, 3).every((h) => [...termsOf(small.byId.get(h.id)!, 'all')].some((t) => titleTerms.has(t)))).toBe(true);
  });

  it('can be built from the index alone', () => {
    const target = small.docs.find((d) => d.keywords.length > 3)!;
    const fromIndex = small.corpus.similarQueryFromIndex(target.id)!;
    const fromText = similarQuery(target);
    const overlap = fromIndex.terms.filter((t) => fromText.terms.some((u) => u.key === t.key));
    expect(overlap.length).toBeGreaterThan(3);
    const r = small.corpus.search(fromIndex, {});
    expect(r.hits.length).toBeGreaterThan(0);
    expect(r.hits.map((h) => h.id)).not.toContain(target.id);
    expect(small.corpus.similarQueryFromIndex('nope')).toBeNull();
  });
});
