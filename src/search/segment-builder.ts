/**
 * Builds a segment with lunr.Builder, in shards, with corpus-wide statistics.
 *
 * One lunr.Builder over 80k papers needs ~3 GB of heap. Here each shard of a few thousand
 * papers goes through its own lunr.Builder's `createFieldVectors` (its tf saturation,
 * field-length normalisation, field boosts and rounding), fed what lunr's `add` would leave
 * for it (term frequencies and lengths per field, a posting per term), but every shard is
 * given the statistics of the whole corpus first: documentCount, average field lengths and,
 * through lunr.idf, each term's corpus-wide document frequency. The weights are therefore
 * exactly those one lunr.Builder over every paper computes (test/search/segment.test.ts
 * compares them bit for bit); only the peak memory differs.
 *
 * The papers, tokenised as they arrive, and those statistics are collected by the base
 * class, SegmentCorpus (segment-corpus.ts); this file lays them out as a segment.
 *
 * A delta segment (new or changed papers on top of a base) is built the same way with the
 * base's statistics added to its own, and its term ids continue the base's.
 */
import crypto from 'node:crypto';
import lunr from 'lunr';
import { clearTermCache } from './query.js';
import { BOOSTS, FIELD_NAMES, MAX_POSTING_WEIGHT, NF, NO_UPVOTES, SEGMENT_FORMAT, SegmentWriter, type SegmentHeader } from './segment.js';
import { BM25_K1 } from './index-builder.js';
import { SegmentCorpus } from './segment-corpus.js';

const SHIFT = 16_777_216; // 2^24

export interface BuiltSegment {
  buffer: ArrayBufferLike;
  header: SegmentHeader;
}

export class SegmentBuilder extends SegmentCorpus {
  /** Builds the segment. `dead`: base papers this delta supersedes or removes. */
  build(opts: { dead?: Iterable<number>; onShard?: (done: number, total: number) => void } = {}): BuiltSegment {
    this.sampleHeap();
    // Every paper is tokenised by now: the raw-token memo is garbage until the next build.
    clearTermCache();
    const n = this.ids.length;
    const V = this.termStr.length;
    const base = this.base;

    // Sorted vocabulary: local term index = rank; global ids continue the base's.
    const order = Array.from({ length: V }, (_, i) => i).sort((x, y) => (this.termStr[x]! < this.termStr[y]! ? -1 : 1));
    const localOfTemp = new Uint32Array(V);
    order.forEach((temp, local) => (localOfTemp[temp] = local));
    const gidOfLocal = new Uint32Array(V);
    const baseTermOfLocal = new Int32Array(V).fill(-1);
    let globalTerms = V;
    if (base) {
      let next = base.header.globalTerms;
      for (let local = 0; local < V; local++) {
        const bt = base.findTerm(this.termStr[order[local]!]!);
        baseTermOfLocal[local] = bt;
        gidOfLocal[local] = bt >= 0 ? base.gid(bt) : next++;
      }
      globalTerms = next;
    } else {
      for (let local = 0; local < V; local++) gidOfLocal[local] = local;
    }
    const localOfGid = base ? new Map<number, number>() : null;
    if (localOfGid) for (let local = 0; local < V; local++) localOfGid.set(gidOfLocal[local]!, local);

    // Statistics lunr computes its weights from, over base + this segment.
    const documentCount = (base?.header.stats.documentCount ?? 0) + n;
    const fieldLengthSums = this.lenSums.map((s, f) => s + (base?.header.stats.fieldLengthSums[f] ?? 0));
    const averageFieldLength: Record<string, number> = {};
    FIELD_NAMES.forEach((name, f) => (averageFieldLength[name] = fieldLengthSums[f]! / documentCount));
    const dfTemp = (temp: number): number => {
      let df = 0;
      for (let f = 0; f < NF; f++) df += this.dfField.a[temp * NF + f]!;
      const bt = baseTermOfLocal[localOfTemp[temp]!]!;
      return bt >= 0 && base ? df + base.df(bt) : df;
    };

    // Section sizes.
    let postings = 0;
    const postOffLocal = new Uint32Array(V * NF + 1);
    for (let local = 0; local < V; local++) {
      const temp = order[local]!;
      for (let f = 0; f < NF; f++) {
        postOffLocal[local * NF + f] = postings;
        postings += this.dfField.a[temp * NF + f]!;
      }
    }
    postOffLocal[V * NF] = postings;
    const dead = [...new Set(opts.dead ?? [])].sort((x, y) => x - y);
    const byteLen = (xs: readonly (string | null)[]) => xs.reduce((s, x) => s + (x ? Buffer.byteLength(x) : 0), 0);
    const twOrder = Array.from({ length: this.twStr.length }, (_, i) => i).sort((x, y) => (this.twStr[x]! < this.twStr[y]! ? -1 : 1));
    const docsJson = this.keepDocs ? Buffer.from(JSON.stringify(this.kept), 'utf8') : null;
    const heads = this.headKeys.reduce((c, h) => c + (h ? 1 : 0), 0);
    const featCount = this.featured.reduce((c, d) => c + d.length, 0);

    const header: Omit<SegmentHeader, 'sections'> = {
      format: SEGMENT_FORMAT,
      lunr: lunr.version,
      fields: [...FIELD_NAMES],
      boosts: [...BOOSTS],
      kind: this.kind,
      id: crypto.randomUUID(),
      docs: n,
      terms: V,
      globalTerms,
      postings,
      stats: { documentCount, fieldLengthSums },
      base: base ? { id: base.id, docs: base.docs, terms: base.terms } : null,
    };
    const w = new SegmentWriter(
      header,
      {
        ids: byteLen(this.ids),
        idOff: n + 1,
        idOrder: n,
        vocab: byteLen(this.termStr),
        vocabOff: V + 1,
        ...(base ? { termGid: V } : {}),
        postOff: V * NF + 1,
        postDocs: postings,
        postW: postings,
        vecOff: n * NF + 1,
        vec: postings,
        vecW: postings,
        tkeys: byteLen(this.titleKeys),
        tkeyOff: n + 1,
        tkeyOrder: n,
        hkeys: byteLen(this.headKeys),
        hkeyOff: n + 1,
        hkeyOrder: heads,
        twords: byteLen(this.twStr),
        twordOff: this.twStr.length + 1,
        twPostOff: this.twStr.length + 1,
        twPost: this.twDocs.n,
        upvotes: n,
        hasCode: n,
        featOff: n + 1,
        featDays: featCount,
        fp: 2 * n,
        ...(dead.length ? { dead: dead.length } : {}),
        ...(docsJson ? { docsJson: docsJson.length } : {}),
      },
      this.shared,
    );
    const v = w.views;
    const bytes = Buffer.from(w.buffer);

    const writeStrings = (blob: Uint8Array, off: Uint32Array, xs: readonly (string | null)[], idx?: readonly number[]) => {
      let at = 0;
      const count = idx ? idx.length : xs.length;
      for (let i = 0; i < count; i++) {
        off[i] = at;
        const s = xs[idx ? idx[i]! : i];
        if (s) at += bytes.write(s, blob.byteOffset + at, 'utf8');
      }
      off[count] = at;
    };
    const sortedBy = (keys: readonly (string | null)[], filter: (i: number) => boolean) =>
      Array.from({ length: n }, (_, i) => i)
        .filter(filter)
        .sort((x, y) => {
          const a = keys[x]!;
          const b = keys[y]!;
          return a < b ? -1 : a > b ? 1 : x - y;
        });

    // Papers: ids, title keys, method names, filter metadata, fingerprints.
    writeStrings(v.ids, v.idOff, this.ids);
    v.idOrder.set(sortedBy(this.ids, () => true));
    writeStrings(v.tkeys, v.tkeyOff, this.titleKeys);
    v.tkeyOrder.set(sortedBy(this.titleKeys, () => true));
    writeStrings(v.hkeys, v.hkeyOff, this.headKeys);
    v.hkeyOrder.set(sortedBy(this.headKeys, (i) => Boolean(this.headKeys[i])));
    let fd = 0;
    for (let d = 0; d < n; d++) {
      const u = this.upvotes[d];
      v.upvotes[d] = u === null || u === undefined ? NO_UPVOTES : Math.max(-2147483647, Math.min(2147483647, Math.round(u)));
      v.hasCode[d] = this.hasCode[d] ? 1 : 0;
      v.featOff[d] = fd;
      for (const day of this.featured[d]!) v.featDays[fd++] = day;
    }
    v.featOff[n] = fd;
    v.fp.set(this.fps.view());
    if (dead.length) v.dead.set(dead);
    if (docsJson) docsJson.copy(bytes, v.docsJson.byteOffset);

    // Title words: sorted words, papers ascending.
    writeStrings(v.twords, v.twordOff, this.twStr, twOrder);
    const twRank = new Uint32Array(this.twStr.length);
    twOrder.forEach((temp, rank) => (twRank[temp] = rank));
    const twCount = new Uint32Array(this.twStr.length + 1);
    for (let i = 0; i < this.twDocs.n; i++) twCount[twRank[this.twDocs.a[i]!]! + 1]!++;
    for (let i = 0; i < this.twStr.length; i++) twCount[i + 1]! += twCount[i]!;
    v.twPostOff.set(twCount);
    const twCursor = twCount.slice(0, this.twStr.length);
    for (let d = 0; d < n; d++) {
      for (let i = this.twOff.a[d]!; i < this.twOff.a[d + 1]!; i++) v.twPost[twCursor[twRank[this.twDocs.a[i]!]!]!++] = d;
    }

    // Vocabulary.
    writeStrings(v.vocab, v.vocabOff, this.termStr, order);
    if (base) v.termGid.set(gidOfLocal);
    v.postOff.set(postOffLocal);
    let vo = 0;
    for (let i = 0; i < n * NF; i++) {
      v.vecOff[i] = vo;
      vo += this.uniq.a[i]!;
    }
    v.vecOff[n * NF] = vo;

    // Each doc field's distinct terms (temporary ids, first occurrence first) and their
    // counts go where its field vector will be, in vec / vecW: all lunr needs of a field is
    // its term frequencies and length (tokOff). The tokens array (~55 MB at 80k papers) is
    // then let go, before the shards fill the rest of the segment; each shard reads its
    // papers' counts before it overwrites them with the vectors.
    const slotOf = new Int32Array(V).fill(-1);
    // Counts past vecW's 16 bits (a field repeating one word 65536+ times), by vec position.
    const bigCounts = new Map<number, number>();
    for (let i = 0; i < n * NF; i++) {
      const start = v.vecOff[i]!;
      let at = start;
      for (let j = this.tokOff.a[i]!; j < this.tokOff.a[i + 1]!; j++) {
        const t = this.tokens.a[j]!;
        const slot = slotOf[t]!;
        if (slot < 0) {
          slotOf[t] = at;
          v.vec[at] = t;
          v.vecW[at++] = 1;
        } else if (v.vecW[slot]! === 0xffff) bigCounts.set(slot, (bigCounts.get(slot) ?? 0xffff) + 1);
        else v.vecW[slot]!++;
      }
      for (let k = start; k < at; k++) slotOf[v.vec[k]!] = -1;
    }
    this.tokens.release();

    // Shards through lunr.Builder's createFieldVectors, with corpus-wide statistics.
    const cursor = postOffLocal.slice(0, V * NF);
    const termStr = this.termStr;
    const idfCache = new Float64Array(V).fill(Number.NaN);
    const noAttributes = {};
    let scratch = new Float64Array(256);
    for (let s = 0; s < n; s += this.shardDocs) {
      const e = Math.min(n, s + this.shardDocs);
      opts.onShard?.(s, n);
      const builder = new lunr.Builder();
      builder.ref('id');
      FIELD_NAMES.forEach((name, f) => builder.field(name, { boost: BOOSTS[f]! }));
      builder.k1(BM25_K1);
      const internals = builder as unknown as {
        documentCount: number;
        averageFieldLength: Record<string, number>;
        invertedIndex: Record<string, { _index: number }>;
        fieldTermFrequencies: Record<string, Record<string, number>>;
        fieldLengths: Record<string, number>;
        _documents: Record<string, object>;
        fieldVectors: Record<string, lunr.Vector & { elements: number[] }>;
        createFieldVectors(): void;
      };
      // What lunr.Builder#add leaves for createFieldVectors: per "field/ref" the term
      // frequencies and the field length, per document its attributes, per term a posting.
      // Not #add itself: its inverted index also holds invertedIndex[term][field][ref] = {}
      // for every posting, which createFieldVectors never reads, and with refs "0".."1023"
      // V8 stores those as fast elements, an array of ~1.5 × ref slots per term and field
      // (hundreds of MB for the first 1024 papers; it was what ran a capped build out of heap).
      for (let d = s; d < e; d++) {
        const ref = String(d);
        internals._documents[ref] = noAttributes;
        for (let f = 0; f < NF; f++) {
          const tf: Record<string, number> = Object.create(null);
          for (let at = v.vecOff[d * NF + f]!; at < v.vecOff[d * NF + f + 1]!; at++) {
            const t = v.vec[at]!;
            const term = termStr[t]!;
            tf[term] = bigCounts.get(at) ?? v.vecW[at]!;
            // Its _index is the term's temporary id: createFieldVectors reads only that (and
            // hands the posting to lunr.idf, ours below), so vector elements come out in temp ids.
            internals.invertedIndex[term] ??= { _index: t };
          }
          const fieldRef = `${FIELD_NAMES[f]}/${ref}`;
          internals.fieldTermFrequencies[fieldRef] = tf;
          internals.fieldLengths[fieldRef] = this.tokOff.a[d * NF + f + 1]! - this.tokOff.a[d * NF + f]!;
        }
      }
      internals.documentCount = documentCount;
      internals.averageFieldLength = averageFieldLength;
      const lunrStatics = lunr as unknown as { idf: (posting: { _index: number }, n: number) => number };
      const lunrIdf = lunrStatics.idf;
      // lunr.idf, verbatim, fed the corpus-wide document frequency instead of this shard's.
      lunrStatics.idf = (posting) => {
        const temp = posting._index;
        let idf = idfCache[temp]!;
        if (Number.isNaN(idf)) {
          const documentsWithTerm = dfTemp(temp);
          const x = (documentCount - documentsWithTerm + 0.5) / (documentsWithTerm + 0.5);
          idf = idfCache[temp] = Math.log(1 + Math.abs(x));
        }
        return idf;
      };
      try {
        internals.createFieldVectors();
      } finally {
        lunrStatics.idf = lunrIdf;
      }
      this.sampleHeap();

      for (let d = s; d < e; d++) {
        for (let f = 0; f < NF; f++) {
          const el = internals.fieldVectors[`${FIELD_NAMES[f]}/${d}`]!.elements;
          const len = el.length / 2;
          if (scratch.length < len) scratch = new Float64Array(len * 2);
          for (let i = 0, j = 0; i < len; i++, j += 2) {
            const local = localOfTemp[el[j]!]!;
            const k = Math.round(el[j + 1]! * 1000);
            if (k > MAX_POSTING_WEIGHT) throw new Error(`term weight ${k / 1000} out of range (segment.ts MAX_POSTING_WEIGHT)`);
            scratch[i] = gidOfLocal[local]! * SHIFT + k;
          }
          const sorted = scratch.subarray(0, len).sort();
          let at = v.vecOff[d * NF + f]!;
          for (let i = 0; i < len; i++, at++) {
            const key = sorted[i]!;
            const k = key % SHIFT;
            const gid = (key - k) / SHIFT;
            const local = localOfGid ? localOfGid.get(gid)! : gid;
            v.vec[at] = gid;
            v.vecW[at] = k;
            const p = cursor[local * NF + f]!++;
            v.postDocs[p] = d;
            v.postW[p] = k;
          }
        }
      }
    }

    return w.finish();
  }
}
