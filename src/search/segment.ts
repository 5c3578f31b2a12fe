/**
 * A segment: one immutable piece of the search index, laid out as typed arrays in a single
 * (Shared)ArrayBuffer that is also its file image. Worker threads share one copy of it and
 * decode nothing up front, so attaching one costs microseconds and a snapshot loads at disk
 * speed.
 *
 * What is in it is what lunr.Builder produced for these papers, in compact form:
 * - the inverted index (term → field → papers, papers ascending), each posting with its
 *   weight (postW, the field vector's weight ×1000) so the planner can sum a paper's exact
 *   Lunr score while it counts, without looking into field vectors;
 * - every field vector (term ids in `vec`; BM25 weights as lunr rounded them, ×1000 as
 *   16-bit integers, in `vecW`), from which the searcher reconstructs lunr.Vector objects;
 * - the sorted vocabulary (lunr.TokenSet is rebuilt from it on demand), ids, title keys for
 *   the known-item lookup and phrase tier, filter metadata and text fingerprints.
 *
 * Layout: [magic 8][u32 header offset][u32 header length][u32 crc32 of bytes 24..end][u32 0]
 * [sections, 8-byte aligned][header JSON]. The header names every section's offset and length.
 */
import zlib from 'node:zlib';
import lunr from 'lunr';
import { BM25_K1, FIELD_BOOSTS } from './index-builder.js';
import { INDEX_FIELDS } from './query.js';

export const SEGMENT_MAGIC = 'LUNRSEG1';
/** Bump when the layout or anything that changes weights (tokenising, fields, boosts) changes. */
export const SEGMENT_FORMAT = 6; // 2: BM25 k1 0.6; 3: postings carry their weights (postW), no impact order; 4: field-vector weights in 16 bits (vecW); 5: title boost 0.1 (index-builder.ts); 6: number forms (number-forms.ts)
export const NF = INDEX_FIELDS.length;
export const FIELD_NAMES: readonly string[] = INDEX_FIELDS;
export const BOOSTS: readonly number[] = INDEX_FIELDS.map((f) => FIELD_BOOSTS[f]);
/**
 * postW holds weights ×1000 in 16 bits. A weight is at most boost × idf × (k1 + 1); idf is
 * ln(1 + N/1.5) < 16 up to 10 million papers, so this holds for boosts up to ~2.5: a larger
 * boost needs a wider postW, and this says so at start rather than storing clipped weights.
 */
export const MAX_POSTING_WEIGHT = 0xffff;
if (Math.max(...BOOSTS) * 16 * (BM25_K1 + 1) * 1000 > MAX_POSTING_WEIGHT) {
  throw new Error('FIELD_BOOSTS too large for 16-bit posting weights (segment.ts postW)');
}
const PREAMBLE = 24;

const SECTION_KINDS = {
  ids: 'u8',
  idOff: 'u32',
  idOrder: 'u32',
  vocab: 'u8',
  vocabOff: 'u32',
  termGid: 'u32',
  postOff: 'u32',
  postDocs: 'u32',
  postW: 'u16',
  vecOff: 'u32',
  vec: 'u32',
  vecW: 'u16',
  tkeys: 'u8',
  tkeyOff: 'u32',
  tkeyOrder: 'u32',
  hkeys: 'u8',
  hkeyOff: 'u32',
  hkeyOrder: 'u32',
  twords: 'u8',
  twordOff: 'u32',
  twPostOff: 'u32',
  twPost: 'u32',
  upvotes: 'i32',
  hasCode: 'u8',
  featOff: 'u32',
  featDays: 'u16',
  fp: 'u32',
  dead: 'u32',
  docsJson: 'u8',
} as const;

export type SectionName = keyof typeof SECTION_KINDS;
type Kind = (typeof SECTION_KINDS)[SectionName];
type ViewOf<K extends Kind> = K extends 'u8' ? Uint8Array : K extends 'u16' ? Uint16Array : K extends 'i32' ? Int32Array : Uint32Array;
export type Views = { [S in SectionName]: ViewOf<(typeof SECTION_KINDS)[S]> };

const BYTES: Record<Kind, number> = { u8: 1, u16: 2, u32: 4, i32: 4 };
const CTOR = { u8: Uint8Array, u16: Uint16Array, u32: Uint32Array, i32: Int32Array } as const;

/** upvotes === null is stored as this. */
export const NO_UPVOTES = -2147483648;

export interface SegmentHeader {
  format: number;
  lunr: string;
  fields: string[];
  boosts: number[];
  kind: 'base' | 'delta';
  /** Random id; a delta names the base it was built against. */
  id: string;
  docs: number;
  terms: number;
  /** Global term ids in use once this segment is added (a delta's new terms follow the base's). */
  globalTerms: number;
  postings: number;
  /** What lunr's BM25 weights were computed with: documentCount and Σ field lengths. */
  stats: { documentCount: number; fieldLengthSums: number[] };
  base: { id: string; docs: number; terms: number } | null;
  sections: Partial<Record<SectionName, [offset: number, length: number]>>;
}

const align8 = (n: number) => (n + 7) & ~7;

/** Allocates a segment image for known section lengths; the caller fills the views, then `finish`. */
export class SegmentWriter {
  readonly buffer: ArrayBufferLike;
  readonly views: Views;
  readonly header: SegmentHeader;

  constructor(header: Omit<SegmentHeader, 'sections'>, lengths: Partial<Record<SectionName, number>>, shared: boolean) {
    const sections: SegmentHeader['sections'] = {};
    let at = PREAMBLE;
    for (const name of Object.keys(SECTION_KINDS) as SectionName[]) {
      const len = lengths[name];
      if (len === undefined) continue;
      sections[name] = [at, len];
      at = align8(at + len * BYTES[SECTION_KINDS[name]]);
    }
    this.header = { ...header, sections };
    const json = Buffer.from(JSON.stringify(this.header), 'utf8');
    const total = at + json.length;
    this.buffer = shared ? new SharedArrayBuffer(total) : new ArrayBuffer(total);
    const bytes = Buffer.from(this.buffer);
    bytes.write(SEGMENT_MAGIC, 0, 'latin1');
    bytes.writeUInt32LE(at, 8);
    bytes.writeUInt32LE(json.length, 12);
    json.copy(bytes, at);
    this.views = viewsOf(this.buffer, this.header);
  }

  finish(): { buffer: ArrayBufferLike; header: SegmentHeader } {
    const bytes = Buffer.from(this.buffer);
    bytes.writeUInt32LE(zlib.crc32(bytes.subarray(PREAMBLE)), 16);
    return { buffer: this.buffer, header: this.header };
  }
}

function viewsOf(buffer: ArrayBufferLike, header: SegmentHeader): Views {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(SECTION_KINDS) as SectionName[]) {
    const kind = SECTION_KINDS[name];
    const s = header.sections[name];
    out[name] = s ? new CTOR[kind](buffer as ArrayBuffer, s[0], s[1]) : new CTOR[kind](0);
  }
  return out as Views;
}

/**
 * Reads and checks the header of a segment image; throws an Error saying what is wrong.
 * `deep` also verifies the checksum and that every offset table is in bounds, so a
 * corrupt file is refused before any query can trip over it.
 */
export function readSegmentHeader(buffer: ArrayBufferLike, deep: boolean): SegmentHeader {
  const bytes = Buffer.from(buffer);
  if (bytes.length < PREAMBLE || bytes.toString('latin1', 0, 8) !== SEGMENT_MAGIC) throw new Error('not a segment file');
  const at = bytes.readUInt32LE(8);
  const len = bytes.readUInt32LE(12);
  if (at < PREAMBLE || at + len !== bytes.length) throw new Error('segment truncated or padded');
  if (deep && zlib.crc32(bytes.subarray(PREAMBLE)) !== bytes.readUInt32LE(16)) throw new Error('segment checksum mismatch');
  let header: SegmentHeader;
  try {
    header = JSON.parse(bytes.toString('utf8', at, at + len)) as SegmentHeader;
  } catch {
    throw new Error('segment header is not JSON');
  }
  if (header.format !== SEGMENT_FORMAT) throw new Error(`segment format ${String(header.format)}, expected ${SEGMENT_FORMAT}`);
  if (header.lunr !== lunr.version) throw new Error(`lunr ${String(header.lunr)}, running ${lunr.version}`);
  if (JSON.stringify(header.fields) !== JSON.stringify(FIELD_NAMES) || JSON.stringify(header.boosts) !== JSON.stringify(BOOSTS)) {
    throw new Error('index fields or boosts differ');
  }
  for (const [name, s] of Object.entries(header.sections ?? {})) {
    const kind = SECTION_KINDS[name as SectionName];
    if (!kind || !Array.isArray(s) || s[0] % BYTES[kind] !== 0 || s[0] < PREAMBLE || s[0] + s[1] * BYTES[kind] > at) {
      throw new Error(`segment section ${name} out of bounds`);
    }
  }
  if (deep) for (const _ of checkTables(viewsOf(buffer, header), header));
  return header;
}

/** Every offset table monotone and in bounds, every paper and term number in range. Yields now and then (see verifySegment). */
function* checkTables(v: Views, h: SegmentHeader): Generator<void> {
  const { docs: n, terms } = h;
  const STRIDE = 1 << 20;
  const need = (ok: boolean, what: string) => {
    if (!ok) throw new Error(`segment ${what} inconsistent`);
  };
  function* offsets(off: Uint32Array, count: number, end: number, what: string): Generator<void> {
    need(off.length === count + 1 && off[0] === 0 && off[count] === end, what);
    for (let i = 0; i < count; i++) {
      if (off[i]! > off[i + 1]!) need(false, what);
      if (i % STRIDE === STRIDE - 1) yield;
    }
  }
  function* below(a: Uint32Array, max: number, what: string, step = 1): Generator<void> {
    for (let i = 0; i < a.length; i += step) {
      if (a[i]! >= max) need(false, what);
      if (i % STRIDE === STRIDE - step) yield;
    }
  }
  yield* offsets(v.idOff, n, v.ids.length, 'ids');
  need(v.idOrder.length === n, 'id order');
  yield* below(v.idOrder, n, 'id order');
  yield* offsets(v.vocabOff, terms, v.vocab.length, 'vocabulary');
  need(h.kind === 'base' ? v.termGid.length === 0 : v.termGid.length === terms, 'term ids');
  yield* below(v.termGid, h.globalTerms, 'term ids');
  yield* offsets(v.postOff, terms * NF, v.postDocs.length, 'postings');
  need(v.postW.length === v.postDocs.length && v.postDocs.length === h.postings, 'postings');
  yield* below(v.postDocs, n, 'postings');
  yield* offsets(v.vecOff, n * NF, v.vec.length, 'vectors');
  need(v.vec.length === h.postings && v.vecW.length === h.postings, 'vectors');
  yield* below(v.vec, h.globalTerms, 'vectors');
  yield* offsets(v.tkeyOff, n, v.tkeys.length, 'title keys');
  need(v.tkeyOrder.length === n, 'title order');
  yield* below(v.tkeyOrder, n, 'title order');
  yield* offsets(v.hkeyOff, n, v.hkeys.length, 'method names');
  yield* below(v.hkeyOrder, n, 'method names');
  yield* offsets(v.twordOff, v.twPostOff.length - 1, v.twords.length, 'title words');
  yield* offsets(v.twPostOff, v.twPostOff.length - 1, v.twPost.length, 'title words');
  yield* below(v.twPost, n, 'title words');
  need(v.upvotes.length === n && v.hasCode.length === n && v.fp.length === 2 * n, 'metadata');
  yield* offsets(v.featOff, n, v.featDays.length, 'featured days');
  if (h.kind === 'delta') need(h.base !== null, 'base');
}

/**
 * readSegmentHeader(buffer, true) in slices, yielding to the event loop between them, so a
 * large segment is verified on the main thread without blocking it. Throws (rejects) like it.
 */
export async function verifySegment(buffer: ArrayBufferLike): Promise<SegmentHeader> {
  const header = readSegmentHeader(buffer, false);
  const bytes = Buffer.from(buffer);
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  const CHUNK = 4 << 20;
  let crc = 0;
  for (let at = PREAMBLE; at < bytes.length; at += CHUNK) {
    crc = zlib.crc32(bytes.subarray(at, Math.min(bytes.length, at + CHUNK)), crc);
    await turn();
  }
  if (crc !== bytes.readUInt32LE(16)) throw new Error('segment checksum mismatch');
  for (const _ of checkTables(viewsOf(buffer, header), header)) await turn();
  return header;
}

/** Read access to one segment; cheap to construct (views only), safe to share read-only between threads. */
export class Segment {
  readonly header: SegmentHeader;
  readonly v: Views;
  readonly docs: number;
  readonly terms: number;
  private readonly bytes: Buffer;

  constructor(
    readonly buffer: ArrayBufferLike,
    header?: SegmentHeader,
  ) {
    this.header = header ?? readSegmentHeader(buffer, false);
    this.v = viewsOf(buffer, this.header);
    this.bytes = Buffer.from(buffer);
    this.docs = this.header.docs;
    this.terms = this.header.terms;
  }

  get id(): string {
    return this.header.id;
  }

  private str(blob: Uint8Array, off: Uint32Array, i: number): string {
    const a = off[i]!;
    const b = off[i + 1]!;
    return a === b ? '' : this.bytes.toString('utf8', blob.byteOffset + a, blob.byteOffset + b);
  }

  docId(d: number): string {
    return this.str(this.v.ids, this.v.idOff, d);
  }

  private decoded: (string | undefined)[] | null = null;

  term(t: number): string {
    // Decoded terms are kept: lookups and fuzzy expansion probe the same ones again and again.
    const cache = (this.decoded ??= new Array<string | undefined>(this.terms));
    return (cache[t] ??= this.str(this.v.vocab, this.v.vocabOff, t));
  }

  titleKey(d: number): string {
    return this.str(this.v.tkeys, this.v.tkeyOff, d);
  }

  headKey(d: number): string {
    return this.str(this.v.hkeys, this.v.hkeyOff, d);
  }

  titleWord(w: number): string {
    return this.str(this.v.twords, this.v.twordOff, w);
  }

  gid(t: number): number {
    return this.v.termGid.length ? this.v.termGid[t]! : t;
  }

  /** lunr's document frequency for a term: papers holding it, counted once per field. */
  df(t: number): number {
    const o = this.v.postOff;
    return o[(t + 1) * NF]! - o[t * NF]!;
  }

  /** The paper with this id, or -1. */
  findDoc(id: string): number {
    const order = this.v.idOrder;
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.docId(order[mid]!) < id) lo = mid + 1;
      else hi = mid;
    }
    return lo < order.length && this.docId(order[lo]!) === id ? order[lo]! : -1;
  }

  /** First term index >= s (the vocabulary is sorted as JS sorts strings). */
  lowerBound(s: string): number {
    let lo = 0;
    let hi = this.terms;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.term(mid) < s) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  findTerm(s: string): number {
    const i = this.lowerBound(s);
    return i < this.terms && this.term(i) === s ? i : -1;
  }

  /** Terms starting with `prefix`: [lo, hi). */
  prefixRange(prefix: string): [number, number] {
    const lo = this.lowerBound(prefix);
    let a = lo;
    let b = this.terms;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (this.term(mid).startsWith(prefix)) a = mid + 1;
      else b = mid;
    }
    return [lo, a];
  }

  /** BM25 weight ×1000 of global term `gid` in paper d's field f (0 when absent). */
  weight(d: number, f: number, gid: number): number {
    const vec = this.v.vec;
    let lo = this.v.vecOff[d * NF + f]!;
    let hi = this.v.vecOff[d * NF + f + 1]!;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const g = vec[mid]!;
      if (g === gid) return this.v.vecW[mid]!;
      if (g < gid) lo = mid + 1;
      else hi = mid;
    }
    return 0;
  }

  /** Field vector elements as lunr.Vector holds them: [termIndex, weight, …], ascending. */
  vectorElements(d: number, f: number): number[] {
    const { vec, vecW } = this.v;
    const a = this.v.vecOff[d * NF + f]!;
    const b = this.v.vecOff[d * NF + f + 1]!;
    const out = new Array<number>(2 * (b - a));
    for (let i = a, j = 0; i < b; i++, j += 2) {
      out[j] = vec[i]!;
      out[j + 1] = vecW[i]! / 1000;
    }
    return out;
  }

  /** Docs with this title word (normalised title token), or null. */
  titleWordPosting(word: string): [number, number] | null {
    const n = this.v.twordOff.length - 1;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.titleWord(mid) < word) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= n || this.titleWord(lo) !== word) return null;
    return [this.v.twPostOff[lo]!, this.v.twPostOff[lo + 1]!];
  }

  /** Positions in `order` whose key (via `keyOf`) is >= key. */
  static lowerBoundBy(order: Uint32Array, key: string, keyOf: (d: number) => string): number {
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keyOf(order[mid]!) < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  featuredDays(d: number): Uint16Array {
    return this.v.featDays.subarray(this.v.featOff[d]!, this.v.featOff[d + 1]!);
  }

  upvotes(d: number): number | null {
    const u = this.v.upvotes[d]!;
    return u === NO_UPVOTES ? null : u;
  }

  /** The IndexDocs a delta was built from (kept so the next delta can be rebuilt without the store). */
  deltaDocs(): unknown[] {
    const b = this.v.docsJson;
    if (!b.length) return [];
    return JSON.parse(this.bytes.toString('utf8', b.byteOffset, b.byteOffset + b.length)) as unknown[];
  }
}

// ─── Days ────────────────────────────────────────────────────────────────────────────

const DAY_MS = 86_400_000;

/** 'YYYY-MM-DD' → days since 1970-01-01, or null when it is not such a day. */
export function dayNumber(s: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return null;
  const n = Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10))) / DAY_MS;
  return Number.isInteger(n) && n >= 0 && n < 65_536 && dayString(n) === s ? n : null;
}

export function dayString(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}
