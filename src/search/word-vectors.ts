/**
 * Word vectors learned offline from the corpus itself (scripts/train-word-vectors.ts:
 * skip-gram with negative sampling over the titles and abstracts of the 80k arXiv and HF
 * papers, in the index's own stemmed terms), committed as models/word-vectors.bin and read
 * here. No model is fetched at run time; without the file the bot searches as before.
 *
 * A text's vector is the SIF-weighted sum of its terms' vectors (weight a / (a + p(term)),
 * Arora et al. 2017: frequent terms count little), normalised, minus the corpus mean so the
 * direction every scientific text shares does not make all papers look alike, normalised again.
 * Papers keep theirs as 8-bit integers in their segment (segment-builder.ts); a query's is
 * computed when it is searched (semantic-rerank.ts).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../paths.js';

export const WORD_VECTORS_MAGIC = 'PWVEC001';
export const WORD_VECTORS_FILE = path.join(PROJECT_ROOT, 'models', 'word-vectors.bin');
/** SIF's a: terms rarer than about 1 in 1,000 tokens keep nearly full weight. */
export const SIF_A = 1e-3;

export interface WordVectorsHeader {
  dim: number;
  /** Terms in the file. */
  count: number;
  /** What the model was trained on and how, for the record. */
  trained: Record<string, unknown>;
}

/** What a model is made of, terms in any order (encodeWordVectors sorts them). */
export interface WordVectorsParts {
  dim: number;
  terms: string[];
  trained: Record<string, unknown>;
  mean: Float32Array;
  /** SIF weight per term. */
  weight: Float32Array;
  /** Per-row dequantisation scale. */
  scale: Float32Array;
  /** terms × dim 8-bit components. */
  rows: Int8Array;
}

/**
 * A model over one buffer, the file's image: the views below are into it, and the terms
 * stay UTF-8 bytes in byte order, looked up by binary search. A Map of 43k strings cost
 * ~5 MB of heap in every thread that loads the model; this costs the file's 3.5 MB.
 */
export class WordVectors {
  readonly dim: number;
  readonly count: number;
  readonly mean: Float32Array;
  readonly weight: Float32Array;
  readonly scale: Float32Array;
  readonly rows: Int8Array;
  private readonly termOff: Uint32Array;
  private readonly termBytes: Buffer;

  constructor(
    buffer: ArrayBuffer,
    header: WordVectorsHeader,
    at: number,
    /** Content hash: a segment's paper vectors are used only with the model that made them. */
    readonly id: string,
  ) {
    const D = (this.dim = header.dim);
    const V = (this.count = header.count);
    this.mean = new Float32Array(buffer, at, D);
    this.weight = new Float32Array(buffer, (at += 4 * D), V);
    this.scale = new Float32Array(buffer, (at += 4 * V), V);
    this.termOff = new Uint32Array(buffer, (at += 4 * V), V + 1);
    at += 4 * (V + 1);
    this.termBytes = Buffer.from(buffer, at, this.termOff[V]!);
    this.rows = new Int8Array(buffer, at + this.termOff[V]!, V * D);
  }

  /** The row of an index term, or -1. */
  row(term: string): number {
    const key = Buffer.from(term, 'utf8');
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.termBytes.compare(key, 0, key.length, this.termOff[mid]!, this.termOff[mid + 1]!);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    return -1;
  }

  /** Adds weight × (the term's SIF weight) × its vector to `acc`; false when the term is unknown. */
  addTerm(acc: Float32Array, row: number, weight = 1): boolean {
    if (row < 0) return false;
    const w = weight * this.weight[row]! * this.scale[row]!;
    const o = row * this.dim;
    for (let k = 0; k < this.dim; k++) acc[k]! += w * this.rows[o + k]!;
    return true;
  }

  /** The sum normalised, minus the corpus mean (of normalised sums), normalised again; null for an empty sum. */
  finish(acc: Float32Array): Float32Array | null {
    const norm = () => {
      let n = 0;
      for (let k = 0; k < this.dim; k++) n += acc[k]! * acc[k]!;
      if (!(n > 0)) return false;
      n = Math.sqrt(n);
      for (let k = 0; k < this.dim; k++) acc[k]! /= n;
      return true;
    };
    if (!norm()) return null;
    for (let k = 0; k < this.dim; k++) acc[k]! -= this.mean[k]!;
    return norm() ? acc : null;
  }

  /** The vector of a bag of index terms (repeats count), or null when none is known. */
  embed(terms: Iterable<string | [term: string, weight: number]>): Float32Array | null {
    const acc = new Float32Array(this.dim);
    let any = false;
    for (const t of terms) {
      const [term, w] = typeof t === 'string' ? [t, 1] : t;
      if (this.addTerm(acc, this.row(term), w)) any = true;
    }
    return any ? this.finish(acc) : null;
  }
}

// File: [magic 8][u32 header length][header JSON][pad to 4][f32 mean × dim][f32 weight × V]
// [f32 scale × V][u32 term offsets × V+1][UTF-8 terms, byte order][i8 rows × V × dim].
const align4 = (n: number) => (n + 3) & ~3;

export function encodeWordVectors(p: WordVectorsParts): Buffer {
  const V = p.terms.length;
  const D = p.dim;
  const bytes = p.terms.map((t) => Buffer.from(t, 'utf8'));
  const order = Array.from({ length: V }, (_, i) => i).sort((a, b) => Buffer.compare(bytes[a]!, bytes[b]!));
  const header: WordVectorsHeader = { dim: D, count: V, trained: p.trained };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const start = align4(12 + json.length);
  const termLen = bytes.reduce((s, b) => s + b.length, 0);
  const out = Buffer.alloc(start + 4 * (D + 2 * V + V + 1) + termLen + V * D);
  out.write(WORD_VECTORS_MAGIC, 0, 'latin1');
  out.writeUInt32LE(json.length, 8);
  json.copy(out, 12);
  let at = start;
  for (let k = 0; k < D; k++, at += 4) out.writeFloatLE(p.mean[k]!, at);
  for (const a of [p.weight, p.scale]) for (const i of order) (out.writeFloatLE(a[i]!, at), (at += 4));
  let off = 0;
  out.writeUInt32LE(0, at);
  for (const i of order) out.writeUInt32LE((off += bytes[i]!.length), (at += 4));
  at += 4;
  for (const i of order) at += bytes[i]!.copy(out, at);
  for (const i of order) {
    for (let k = 0; k < D; k++) out.writeInt8(p.rows[i * D + k]!, at++);
  }
  return out;
}

/** The id a model file's WordVectors will have: its content hash. */
export function wordVectorsId(file: Uint8Array): string {
  return crypto.hash('sha256', file, 'hex').slice(0, 16);
}

/** Parses a model file; its views are into the file's buffer. Throws saying what is wrong. */
export function decodeWordVectors(file: Uint8Array): WordVectors {
  const buf = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (buf.length < 12 || buf.toString('latin1', 0, 8) !== WORD_VECTORS_MAGIC) throw new Error('not a word-vectors file');
  const len = buf.readUInt32LE(8);
  let header: WordVectorsHeader;
  try {
    header = JSON.parse(buf.toString('utf8', 12, 12 + len)) as WordVectorsHeader;
  } catch {
    throw new Error('word-vectors header is not JSON');
  }
  const { dim: D, count: V } = header;
  if (!Number.isInteger(D) || D <= 0 || D > 1024 || !Number.isInteger(V) || V <= 0) throw new Error('word-vectors header is malformed');
  const start = align4(12 + len);
  const offAt = start + 4 * (D + 2 * V);
  if (buf.length < offAt + 4 * (V + 1)) throw new Error('word-vectors file truncated');
  const termLen = buf.readUInt32LE(offAt + 4 * V);
  if (buf.length !== offAt + 4 * (V + 1) + termLen + V * D) throw new Error('word-vectors file truncated or padded');
  // A file read whole has its own ArrayBuffer: used as is; anything else is copied once.
  let image = buf.buffer;
  if (buf.byteOffset !== 0 || buf.byteLength !== image.byteLength || !(image instanceof ArrayBuffer)) {
    image = new ArrayBuffer(buf.length);
    buf.copy(Buffer.from(image));
  }
  return new WordVectors(image as ArrayBuffer, header, start, wordVectorsId(buf));
}

let loaded: WordVectors | null | undefined;
let loadedId: string | null | undefined;

/** The committed model, read once per thread; null (and semantic re-ranking off) when the file is missing. */
export function defaultWordVectors(): WordVectors | null {
  if (loaded === undefined) {
    const file = readModelFile();
    loaded = file ? decodeWordVectors(file) : null;
    loadedId = loaded?.id ?? null;
  }
  return loaded;
}

/** The committed model's id without decoding it (the main thread checks snapshots with it; searches run elsewhere). */
export function defaultWordVectorsId(): string | null {
  if (loadedId === undefined) {
    const file = readModelFile();
    loadedId = file ? wordVectorsId(file) : null;
  }
  return loadedId;
}

function readModelFile(): Buffer | null {
  try {
    return fs.readFileSync(WORD_VECTORS_FILE);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
