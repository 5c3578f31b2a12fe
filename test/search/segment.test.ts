/**
 * Segments: what lunr.Builder computes, compacted. The weights must be exactly those of one
 * lunr.Builder over every paper, however the build is sharded.
 */
import lunr from 'lunr';
import zlib from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IndexDoc } from '../../src/core/ports.js';
import { IndexBuilder } from '../../src/search/index-builder.js';
import { INDEX_FIELDS } from '../../src/search/query.js';
import { NF, Segment, readSegmentHeader } from '../../src/search/segment.js';
import { SegmentBuilder } from '../../src/search/segment-builder.js';
import { fingerprint } from '../../src/search/segment-corpus.js';
import { smallDocs } from './fixture.js';

/** Every field vector of a plain lunr index, as term → weight per "field/id". */
function lunrVectors(index: lunr.Index): Map<string, Map<string, number>> {
  const inv = (index as unknown as { invertedIndex: Record<string, { _index: number }> }).invertedIndex;
  const termOf: string[] = [];
  for (const t in inv) termOf[inv[t]!._index] = t;
  const out = new Map<string, Map<string, number>>();
  const fv = (index as unknown as { fieldVectors: Record<string, { elements: number[] }> }).fieldVectors;
  for (const [ref, v] of Object.entries(fv)) {
    const m = new Map<string, number>();
    for (let i = 0; i < v.elements.length; i += 2) m.set(termOf[v.elements[i]!]!, v.elements[i + 1]!);
    out.set(ref, m);
  }
  return out;
}

/** The same, read back from a segment (global term ids resolved through the segment that names them). */
function segmentVectors(seg: Segment, termOfGid: (gid: number) => string): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (let d = 0; d < seg.docs; d++) {
    for (let f = 0; f < NF; f++) {
      const el = seg.vectorElements(d, f);
      const m = new Map<string, number>();
      for (let i = 0; i < el.length; i += 2) m.set(termOfGid(el[i]!), el[i + 1]!);
      out.set(`${INDEX_FIELDS[f]}/${seg.docId(d)}`, m);
    }
  }
  return out;
}

let docs: IndexDoc[];
let reference: Map<string, Map<string, number>>;
beforeAll(() => {
  docs = smallDocs();
  const b = new IndexBuilder();
  b.add(docs);
  reference = lunrVectors(b.build());
});

function buildSegment(ds: IndexDoc[], opts: ConstructorParameters<typeof SegmentBuilder>[0] = {}): Segment {
  const b = new SegmentBuilder(opts);
  b.add(ds);
  const built = b.build();
  return new Segment(built.buffer, built.header);
}

describe('segment build', () => {
  it.each([7, 64, 100_000])('has lunr.Builder’s weights bit for bit (shards of %i papers)', (shardDocs) => {
    const seg = buildSegment(docs, { shardDocs });
    expect(seg.docs).toBe(docs.length);
    expect(segmentVectors(seg, (g) => seg.term(g))).toEqual(reference);
  });

  it('keeps lunr’s weight for a term repeated past 16 bits of count in one field', () => {
    // The build keeps each field's term counts in the segment's 16-bit vecW while it runs.
    const few = [...docs.slice(0, 6), { ...docs[0]!, id: 'repeats', abstract: `${'echo '.repeat(70_000)}chamber` }];
    const b = new IndexBuilder();
    b.add(few);
    const seg = buildSegment(few, { shardDocs: 3 });
    expect(segmentVectors(seg, (g) => seg.term(g))).toEqual(lunrVectors(b.build()));
  });

  it('lists each term’s papers ascending, each posting with its field-vector weight', () => {
    const seg = buildSegment(docs);
    let long = 0;
    const problems: string[] = [];
    for (let t = 0; t < seg.terms; t++) {
      for (let f = 0; f < NF; f++) {
        const a = seg.v.postOff[t * NF + f]!;
        const b = seg.v.postOff[t * NF + f + 1]!;
        for (let p = a + 1; p < b; p++) if (seg.v.postDocs[p]! <= seg.v.postDocs[p - 1]!) problems.push(`order ${t}/${f}`);
        // A posting exists exactly where the field vector holds the term.
        const held = new Set<number>();
        for (let d = 0; d < seg.docs; d++) if (seg.vectorElements(d, f).some((x, i) => i % 2 === 0 && x === t)) held.add(d);
        if (held.size !== b - a || ![...seg.v.postDocs.subarray(a, b)].every((d) => held.has(d))) problems.push(`postings ${t}/${f}`);
        for (let p = a; p < b; p++) {
          const w = seg.weight(seg.v.postDocs[p]!, f, t);
          if (w === 0 || seg.v.postW[p] !== w) problems.push(`weight ${t}/${f}`);
        }
        if (b - a >= 4) long++;
      }
      if (t > 400) break; // enough terms (the check above is quadratic)
    }
    expect(problems).toEqual([]);
    expect(long).toBeGreaterThan(20);
  });

  it('gives a delta lunr’s weights over base and delta together, term ids continuing the base’s', () => {
    const base = buildSegment(docs.slice(0, 200));
    const deltaBuilder = new SegmentBuilder({ base });
    deltaBuilder.add(docs.slice(200));
    const built = deltaBuilder.build();
    const delta = new Segment(built.buffer, built.header);
    expect(delta.header.kind).toBe('delta');
    expect(delta.header.base).toEqual({ id: base.id, docs: 200, terms: base.terms });
    const newTerm = new Map<number, string>();
    for (let t = 0; t < delta.terms; t++) {
      const gid = delta.gid(t);
      const inBase = base.findTerm(delta.term(t));
      if (inBase >= 0) expect(gid).toBe(inBase);
      else {
        expect(gid).toBeGreaterThanOrEqual(base.terms);
        newTerm.set(gid, delta.term(t));
      }
    }
    const vectors = segmentVectors(delta, (g) => (g < base.terms ? base.term(g) : newTerm.get(g)!));
    for (const [ref, v] of vectors) expect(v, ref).toEqual(reference.get(ref));
    expect((delta.deltaDocs() as IndexDoc[]).map((d) => d.id)).toEqual(docs.slice(200).map((d) => d.id));
  });

  it('finds papers, terms, prefixes and title words', () => {
    const seg = buildSegment(docs);
    const d = seg.findDoc('2405.16537');
    expect(seg.docId(d)).toBe('2405.16537');
    expect(seg.titleKey(d)).toMatch(/^i2vedit first frame/);
    expect(seg.headKey(d)).toBe('i2vedit');
    expect(seg.findDoc('nope')).toBe(-1);
    expect(seg.term(seg.findTerm('diffus'))).toBe('diffus');
    expect(seg.findTerm('zzzzzz')).toBe(-1);
    const [lo, hi] = seg.prefixRange('diffu');
    expect(hi - lo).toBeGreaterThan(0);
    for (let t = lo; t < hi; t++) expect(seg.term(t).startsWith('diffu')).toBe(true);
    expect(seg.term(lo - 1).startsWith('diffu')).toBe(false);
    const [a, b] = seg.titleWordPosting('i2vedit')!;
    expect([...seg.v.twPost.subarray(a, b)]).toContain(d);
    const [x, y] = fingerprint(docs.find((p) => p.id === '2405.16537')!);
    expect([seg.v.fp[2 * d], seg.v.fp[2 * d + 1]]).toEqual([x, y]);
  });

  it('refuses a damaged image when checked deeply', () => {
    const b = new SegmentBuilder();
    b.add(docs.slice(0, 20));
    const { buffer } = b.build();
    expect(readSegmentHeader(buffer, true).docs).toBe(20);
    const bytes = new Uint8Array(buffer);
    bytes[100] = bytes[100]! ^ 1;
    expect(() => readSegmentHeader(buffer, true)).toThrow(/checksum/);
    // A table that points out of bounds is caught even with a good checksum.
    const seg = new Segment(buffer);
    seg.v.postDocs[0] = 1_000_000;
    new DataView(buffer as ArrayBuffer).setUint32(16, zlib.crc32(bytes.subarray(24)), true);
    expect(() => readSegmentHeader(buffer, true)).toThrow(/inconsistent/);
  });
});
