/**
 * The papers a segment is built from, as SegmentBuilder collects them: papers arrive in
 * batches (`add`) and are tokenised at once (the same memoised tokenizer + pipeline as
 * IndexBuilder); only term ids are kept, so the raw text is not held while a large corpus
 * streams in. Alongside, the corpus statistics lunr weighs terms with (per term and field
 * document frequency, field length sums), the filter metadata, title words and the text
 * fingerprints. SegmentBuilder (segment-builder.ts) lays all of it out as a segment.
 */
import crypto from 'node:crypto';
import v8 from 'node:v8';
import type { IndexDoc } from '../core/ports.js';
import { docMeta, toLunrDoc } from './index-builder.js';
import { indexTerm, rawTokens } from './query.js';
import { FIELD_NAMES, NF, dayNumber, type Segment } from './segment.js';

/**
 * Papers per lunr.Builder: bounds what a shard adds to the build's live heap. At 80k papers
 * (live ~63 MB between shards) a shard adds ~7 MB at 512, ~13 at 1024 and ~26 at 2048, with
 * build times alike (39-45 s, at a 136 MB cap); 1024 stays well under the end of reading
 * (~99 MB, the heap cap's real bound) with few shards.
 */
export const DEFAULT_SHARD_DOCS = 1024;


/** 64 bits of MD5 over a paper's searchable text: equal fingerprints mean the index entry is current. */
export function fingerprint(doc: Pick<IndexDoc, 'title' | 'abstract' | 'authors' | 'keywords'>): [number, number] {
  const hex = crypto.hash('md5', JSON.stringify([doc.title ?? '', doc.abstract ?? '', doc.authors ?? [], doc.keywords ?? []]), 'hex');
  return [parseInt(hex.slice(0, 8), 16) >>> 0, parseInt(hex.slice(8, 16), 16) >>> 0];
}

export class Growable {
  a: Uint32Array;
  n = 0;
  constructor(size = 1024) {
    this.a = new Uint32Array(size);
  }
  push(x: number): void {
    if (this.n === this.a.length) this.grow(this.n * 2);
    this.a[this.n++] = x;
  }
  grow(size: number): void {
    if (size <= this.a.length) return;
    const b = new Uint32Array(Math.max(size, 16));
    b.set(this.a.subarray(0, this.n));
    this.a = b;
  }
  /** Ensures index i exists (zero-filled). */
  ensure(i: number): void {
    if (i >= this.a.length) this.grow(Math.max(i + 1, this.a.length * 2));
    if (i >= this.n) this.n = i + 1;
  }
  view(): Uint32Array {
    return this.a.subarray(0, this.n);
  }
  /** Lets the memory go (the builder has copied what it needs). */
  release(): void {
    this.a = new Uint32Array(0);
    this.n = 0;
  }
}

export interface SegmentBuilderOptions {
  kind?: 'base' | 'delta';
  /** The base a delta extends (its statistics and term ids). */
  base?: Segment;
  shardDocs?: number;
  /** Allocate the image in a SharedArrayBuffer (to hand to worker threads). Default true. */
  shared?: boolean;
  /** Keep the IndexDocs in the segment (deltas: so the next delta can be rebuilt from them). */
  keepDocs?: boolean;
}

export class SegmentCorpus {
  protected readonly kind: 'base' | 'delta';
  protected readonly base: Segment | undefined;
  protected readonly shardDocs: number;
  protected readonly shared: boolean;
  protected readonly keepDocs: boolean;

  protected readonly seen = new Set<string>();
  protected readonly ids: string[] = [];
  protected readonly titleKeys: string[] = [];
  protected readonly headKeys: (string | null)[] = [];
  protected readonly upvotes: (number | null)[] = [];
  protected readonly hasCode: boolean[] = [];
  protected readonly featured: number[][] = [];
  protected readonly fps = new Growable();
  protected readonly kept: IndexDoc[] = [];

  // Vocabulary in arrival order (temporary ids) and per-term-field document frequency.
  protected readonly dict = new Map<string, number>();
  protected readonly termStr: string[] = [];
  protected readonly dfField = new Growable(4096);
  protected readonly lastSeen = new Growable(1024);
  protected serial = 0;
  // Tokens of every doc field, and where each starts; unique terms per doc field.
  protected readonly tokens = new Growable(1 << 16);
  protected readonly tokOff = new Growable();
  protected readonly uniq = new Growable();
  protected readonly lenSums = new Array<number>(NF).fill(0);
  // Title words (normalised title tokens) per doc.
  protected readonly twDict = new Map<string, number>();
  protected readonly twStr: string[] = [];
  protected readonly twDocs = new Growable();
  protected readonly twOff = new Growable();

  skipped = 0;
  /** Largest heap seen while building (sampled between shards), for build reports. */
  peakHeapBytes = 0;

  protected sampleHeap(): void {
    this.peakHeapBytes = Math.max(this.peakHeapBytes, v8.getHeapStatistics().used_heap_size);
  }

  constructor(opts: SegmentBuilderOptions = {}) {
    this.kind = opts.kind ?? (opts.base ? 'delta' : 'base');
    this.base = opts.base;
    if (this.kind === 'delta' && !this.base) throw new Error('a delta segment needs its base');
    this.shardDocs = Math.max(1, opts.shardDocs ?? DEFAULT_SHARD_DOCS);
    this.shared = opts.shared ?? true;
    this.keepDocs = opts.keepDocs ?? this.kind === 'delta';
    this.tokOff.push(0);
    this.twOff.push(0);
  }

  get size(): number {
    return this.ids.length;
  }

  has(id: string): boolean {
    return this.seen.has(id);
  }

  /** Adds papers; a repeated id keeps its first record (Lunr would count it twice otherwise). */
  add(docs: Iterable<IndexDoc>): void {
    for (const doc of docs) {
      if (!doc || typeof doc.id !== 'string' || !doc.id || this.seen.has(doc.id)) {
        this.skipped++;
        continue;
      }
      this.seen.add(doc.id);
      this.addOne(doc);
    }
  }

  protected addOne(doc: IndexDoc): void {
    const meta = docMeta(doc);
    this.ids.push(doc.id);
    this.titleKeys.push(meta.titleKey);
    this.headKeys.push(meta.titleKey ? meta.headKey : null);
    this.upvotes.push(typeof meta.upvotes === 'number' && Number.isFinite(meta.upvotes) ? meta.upvotes : null);
    this.hasCode.push(meta.hasCode === true);
    this.featured.push(dayNumbers(meta.featuredDates));
    const [a, b] = fingerprint(doc);
    this.fps.push(a);
    this.fps.push(b);
    if (this.keepDocs) this.kept.push(doc);

    const ld = toLunrDoc(doc);
    for (let f = 0; f < NF; f++) {
      const text = ld[FIELD_NAMES[f] as keyof typeof ld];
      const serial = ++this.serial;
      const start = this.tokens.n;
      let uniq = 0;
      if (text) {
        for (const raw of rawTokens(text.toLowerCase())) {
          const term = indexTerm(raw);
          if (!term) continue;
          let t = this.dict.get(term);
          if (t === undefined) {
            t = this.termStr.length;
            this.termStr.push(term);
            this.dict.set(term, t);
            this.dfField.ensure(t * NF + NF - 1);
            this.lastSeen.ensure(t);
          }
          this.tokens.push(t);
          if (this.lastSeen.a[t] !== serial) {
            this.lastSeen.a[t] = serial;
            uniq++;
            this.dfField.a[t * NF + f]!++;
          }
        }
      }
      this.lenSums[f]! += this.tokens.n - start;
      this.tokOff.push(this.tokens.n);
      this.uniq.push(uniq);
    }

    if (meta.titleKey) {
      for (const w of new Set(meta.titleKey.split(' '))) {
        if (!w) continue;
        let id = this.twDict.get(w);
        if (id === undefined) {
          id = this.twStr.length;
          this.twStr.push(w);
          this.twDict.set(w, id);
        }
        this.twDocs.push(id);
      }
    }
    this.twOff.push(this.twDocs.n);
  }
}

function dayNumbers(dates: readonly string[]): number[] {
  const out: number[] = [];
  for (const s of dates ?? []) {
    const n = typeof s === 'string' ? dayNumber(s) : null;
    if (n !== null) out.push(n);
  }
  return out;
}
