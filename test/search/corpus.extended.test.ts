/**
 * The whole archive: 558 days of Daily Papers, 9,577 papers, one index built once for
 * the file.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { UserInputError } from '../../src/core/errors.js';
import type { IndexDoc, SearchOptions, SearchResult } from '../../src/core/ports.js';
import { SHORTENED_NOTICE, analyze, parseQuery } from '../../src/search/query.js';
import { Corpus } from '../../src/search/planner.js';
import { Segment } from '../../src/search/segment.js';
import { SegmentBuilder, type BuiltSegment } from '../../src/search/segment-builder.js';
import { plainText } from '../../src/core/text.js';
import { allDays, allDocs } from './fixture.js';

let docs: IndexDoc[];
let byId: Map<string, IndexDoc>;
let built: BuiltSegment;
let corpus: Corpus;

beforeAll(() => {
  docs = allDocs();
  byId = new Map(docs.map((d) => [d.id, d]));
  const b = new SegmentBuilder();
  b.add(docs);
  built = b.build();
  corpus = new Corpus(new Segment(built.buffer, built.header));
});

const search = (q: string, opts: SearchOptions = {}) => corpus.search(parseQuery(q), opts);
const text = (d: IndexDoc) => [d.title, d.abstract, d.keywords.join(' ')].join(' ');
const termCache = new WeakMap<IndexDoc, Set<string>>();
function termsOf(d: IndexDoc): Set<string> {
  let t = termCache.get(d);
  if (!t) {
    t = new Set(analyze([plainText(d.title), plainText(d.abstract), d.authors.join(' '), d.keywords.join(' ')].join(' ')));
    termCache.set(d, t);
  }
  return t;
}

/** Sane results: ordered scores, a total that covers the hits, matched terms the paper really has. */
function expectSane(r: SearchResult): void {
  expect(r.total).toBeGreaterThanOrEqual(r.hits.length);
  for (let i = 1; i < r.hits.length; i++) expect(r.hits[i - 1]!.score).toBeGreaterThanOrEqual(r.hits[i]!.score);
  for (const h of r.hits) {
    expect(byId.has(h.id)).toBe(true);
    expect(h.matched.length).toBeGreaterThan(0);
    const terms = termsOf(byId.get(h.id)!);
    for (const m of h.matched) expect(terms.has(m), `${h.id} matched ${m}`).toBe(true);
  }
}

describe('the full archive', () => {
  it('holds every paper of every day once', () => {
    expect(allDays()).toHaveLength(558);
    expect(docs).toHaveLength(9_577);
    expect(corpus.docCount).toBe(9_577);
    expect(docs.filter((d) => d.featuredDates.length > 1).length).toBeGreaterThan(0);
  });

  it('finds a paper by its method name or its arXiv URL first', () => {
    expect(search('ConvLLaVA').hits[0]!.id).toBe('2405.15738');
    expect(search('convllava').hits[0]!.id).toBe('2405.15738');
    expect(search('ConvLLaVA: Hierarchical Backbones as Visual Encoder').hits[0]!.id).toBe('2405.15738');
    expect(search('http://arxiv.org/abs/2405.15738').hits[0]!.id).toBe('2405.15738');
    expect(search('huggingface.co/papers/2405.15738').hits[0]!.id).toBe('2405.15738');
  });

  it('restricts author: to authors', () => {
    // Nobody called Hinton was featured: an empty answer, not an error.
    const hinton = search('author:hinton');
    expect(hinton.hits).toEqual([]);
    expect(hinton.total).toBe(docs.filter((d) => d.authors.some((a) => /hinton/i.test(a))).length);
    const lecun = search('author:lecun', { limit: 50 });
    expect(lecun.total).toBe(docs.filter((d) => d.authors.some((a) => /\blecun\b/i.test(a))).length);
    expect(lecun.total).toBeGreaterThanOrEqual(5);
    for (const h of lecun.hits) expect(byId.get(h.id)!.authors.some((a) => /lecun/i.test(a))).toBe(true);
  });

  it('restricts title: to titles', () => {
    const r = search('title:mamba', { limit: 100 });
    expect(r.total).toBeGreaterThan(10);
    for (const h of r.hits) expect(byId.get(h.id)!.title).toMatch(/mamba/i);
    expect(r.total).toBe(docs.filter((d) => new Set(analyze(plainText(d.title))).has('mamba')).length);
  });

  it('finds mixture-of-experts papers, with or without + on the stop word', () => {
    const moe = /mixture[- ]of[- ]experts|\bMoEs?\b/i;
    const plain = search('mixture of experts');
    const required = search('+mixture +of +experts', { limit: 100 });
    expectSane(plain);
    expectSane(required);
    for (const h of plain.hits) expect(text(byId.get(h.id)!)).toMatch(moe);
    for (const h of required.hits.slice(0, 10)) expect(text(byId.get(h.id)!)).toMatch(moe);
    for (const h of required.hits) expect(['mixtur', 'expert'].every((t) => termsOf(byId.get(h.id)!).has(t))).toBe(true);
    expect(required.total).toBeGreaterThan(50);
    expect(required.total).toBeLessThan(plain.total);
  });

  it('finds text-to-image papers', () => {
    const r = search('text to image');
    expectSane(r);
    for (const h of r.hits) expect(text(byId.get(h.id)!)).toMatch(/text[- ]to[- ]image|\bT2I\b/i);
  });

  it('ranks papers with all the words above papers with some', () => {
    const r = search('kv cache compression', { limit: 100 });
    const hasAll = r.hits.map((h) => ['kv', 'cach', 'compress'].every((t) => termsOf(byId.get(h.id)!).has(t)));
    const firstPartial = hasAll.indexOf(false);
    expect(firstPartial).toBeGreaterThan(10);
    expect(hasAll.slice(firstPartial).every((x) => !x)).toBe(true);
    expect(r.total).toBeGreaterThan(100);
  });

  it('explains a query of common words only', () => {
    expect(() => search('of the')).toThrow(UserInputError);
    try {
      search('of the');
    } catch (err) {
      expect((err as UserInputError).userMessage).toBe('"of the" only has common words; add a more specific term.');
    }
  });

  const tenKb = () => {
    let s = '';
    for (const d of docs) {
      s += `${d.abstract} `;
      if (s.length > 10_240) break;
    }
    return s.slice(0, 10_240);
  };
  it.each([
    ['title:', () => 'title:'],
    ['foo~', () => 'foo~'],
    ['^', () => '^'],
    ['+', () => '+'],
    ['-', () => '-'],
    ['*', () => '*'],
    ['empty', () => ''],
    ['10 KB of abstracts', tenKb],
    ['10 KB of one letter', () => 'a'.repeat(10_240)],
    ['10 KB of operators', () => '+-~^*:"'.repeat(1_500)],
  ])('%s: a UserInputError or a sane result, never anything else', (_name, make) => {
    const q = make();
    const started = performance.now();
    let r: SearchResult | undefined;
    try {
      r = search(q, { limit: 20 });
    } catch (err) {
      expect(err).toBeInstanceOf(UserInputError);
      expect((err as UserInputError).userMessage.length).toBeLessThan(100);
    }
    if (r) expectSane(r);
    if (q.length > 2_000 && r) expect(r.notice).toBe(SHORTENED_NOTICE);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('answers foo~ with papers that contain foo', () => {
    const r = search('foo~');
    expect(r.terms).toEqual(['foo']);
    for (const h of r.hits) expect(termsOf(byId.get(h.id)!).has('foo')).toBe(true);
  });

  it('filters by featured days, upvotes and code', () => {
    const june = search('diffusion', { limit: 100, filters: { featuredFrom: '2024-06-01', featuredTo: '2024-06-30' } });
    const inJune = (d: IndexDoc) => d.featuredDates.some((x) => x >= '2024-06-01' && x <= '2024-06-30');
    expect(june.total).toBe(docs.filter((d) => termsOf(d).has('diffus') && inJune(d)).length);
    expect(june.total).toBeGreaterThan(20);
    for (const h of june.hits) expect(inJune(byId.get(h.id)!)).toBe(true);

    const popular = search('diffusion', { limit: 100, filters: { minUpvotes: 100 } });
    expect(popular.total).toBe(docs.filter((d) => termsOf(d).has('diffus') && (d.upvotes ?? 0) >= 100).length);
    expect(popular.total).toBeGreaterThan(0);

    const code = search('diffusion', { limit: 100, filters: { hasCode: true, featuredFrom: '2025-01-01' } });
    expect(code.total).toBe(docs.filter((d) => termsOf(d).has('diffus') && d.hasCode && d.featuredDates.some((x) => x >= '2025-01-01')).length);
    for (const h of code.hits) expect(byId.get(h.id)!.hasCode).toBe(true);
  });

  it('gives identical answers after a snapshot round trip', () => {
    // A snapshot is the segment's bytes; read back into fresh (shared) memory.
    const copy = new SharedArrayBuffer(built.buffer.byteLength);
    new Uint8Array(copy).set(new Uint8Array(built.buffer));
    const loaded = new Corpus(new Segment(copy));
    expect(loaded.docCount).toBe(9_577);
    for (const q of ['ConvLLaVA', 'kv cache compression', 'title:mamba -vision', 'diffu* video', 'transformr~1', 'author:lecun']) {
      const opts = { limit: 25, filters: { minUpvotes: 2 } };
      expect(loaded.search(parseQuery(q), opts), q).toEqual(search(q, opts));
    }
  });
});
