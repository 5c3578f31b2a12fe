/**
 * Trains the word vectors search re-ranks with (src/search/word-vectors.ts) and writes
 * models/word-vectors.bin. Offline and occasional: the file is committed, and the bot never
 * trains or downloads anything. Run it again when the corpus has grown a lot:
 *
 *   PAPERS_DATA_DIR=/path/to/data npx tsx scripts/train-word-vectors.ts [--dim 64] [--epochs 3] [--window 5] [--out file]
 *
 * Texts: title and abstract of every paper in hf-daily/ and arxiv-cs-2025-2026.jsonl.gz
 * (~80k), read through the importer and tokenised by the index's own analyzer, so the
 * vectors are keyed by the stemmed terms the segments hold. Skip-gram with negative
 * sampling (Mikolov et al. 2013) as word2vec does it: 5 negatives from the unigram^0.75
 * table, frequent-term subsampling at 1e-4, a window shrunk at random, linear learning-rate
 * decay from 0.025. Written by hand (about 60 lines of arithmetic): the npm word2vec
 * packages wrap the C binary, which needs a compiler and a download. Deterministic for a
 * given corpus and options (one thread, a seeded xorshift). ~4-5 minutes per epoch at 64
 * dimensions on one core.
 */
import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../src/search/query.js';
import { readPaperFiles } from '../src/sources/files.js';
import { SIF_A, WORD_VECTORS_FILE, encodeWordVectors } from '../src/search/word-vectors.js';
import { corpusDir } from './corpus-dir.js';

const NEGATIVES = 5;
const MIN_COUNT = 5;
const SUBSAMPLE = 1e-4;
const LR0 = 0.025;
const TABLE_SIZE = 10_000_000;
const SEED = 20261207;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} takes a positive number`);
  return v;
}

async function main(): Promise<void> {
  const dim = arg('dim', 64);
  const epochs = arg('epochs', 3);
  const window = arg('window', 5);
  const outIdx = process.argv.indexOf('--out');
  const out = outIdx >= 0 ? path.resolve(process.argv[outIdx + 1]!) : WORD_VECTORS_FILE;
  const t0 = performance.now();
  const log = (s: string) => process.stderr.write(`${((performance.now() - t0) / 1000).toFixed(0).padStart(5)} s  ${s}\n`);

  const dir = corpusDir();
  const { papers } = await readPaperFiles([path.join(dir, 'hf-daily'), path.join(dir, 'arxiv-cs-2025-2026.jsonl.gz')]);
  const texts = new Map<string, string>();
  for (const p of papers) texts.set(p.id, `${p.title}. ${p.abstract ?? ''}`);
  log(`${texts.size} papers`);

  const counts = new Map<string, number>();
  const docs: string[][] = [];
  for (const t of texts.values()) {
    const terms = analyze(t);
    docs.push(terms);
    for (const w of terms) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  const vocab = [...counts].filter(([, c]) => c >= MIN_COUNT).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w]) => w);
  const rowOf = new Map(vocab.map((w, i) => [w, i]));
  const V = vocab.length;
  const cnt = Float64Array.from(vocab, (w) => counts.get(w)!);
  const total = cnt.reduce((a, b) => a + b, 0);
  const ids = docs.map((d) => Int32Array.from(d.map((w) => rowOf.get(w) ?? -1).filter((x) => x >= 0)));
  log(`${V} terms seen ${MIN_COUNT}+ times, ${total} tokens`);

  let seed = SEED | 0;
  const rnd = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 4294967296;
  };
  // Negatives are drawn in proportion to count^0.75 (word2vec's table).
  const table = new Int32Array(TABLE_SIZE);
  {
    let z = 0;
    for (let i = 0; i < V; i++) z += cnt[i]! ** 0.75;
    let i = 0;
    let acc = cnt[0]! ** 0.75 / z;
    for (let a = 0; a < TABLE_SIZE; a++) {
      table[a] = i;
      if (a / TABLE_SIZE > acc && i < V - 1) acc += cnt[++i]! ** 0.75 / z;
    }
  }
  const keep = Float32Array.from(cnt, (c) => {
    const f = c / total;
    return Math.min(1, (Math.sqrt(f / SUBSAMPLE) + 1) * (SUBSAMPLE / f));
  });

  const W = new Float32Array(V * dim);
  const C = new Float32Array(V * dim);
  for (let i = 0; i < W.length; i++) W[i] = (rnd() - 0.5) / dim;
  const grad = new Float32Array(dim);
  const steps = epochs * total;
  let step = 0;
  for (let ep = 0; ep < epochs; ep++) {
    for (const d of ids) {
      const s: number[] = [];
      for (const w of d) if (rnd() < keep[w]!) s.push(w);
      step += d.length;
      const lr = Math.max(LR0 * 1e-4, LR0 * (1 - step / steps));
      for (let p = 0; p < s.length; p++) {
        const w = s[p]!;
        const b = Math.floor(rnd() * window);
        const hi = Math.min(s.length, p + window - b + 1);
        for (let q = Math.max(0, p - window + b); q < hi; q++) {
          if (q === p) continue;
          const co = s[q]! * dim;
          grad.fill(0);
          for (let n = 0; n <= NEGATIVES; n++) {
            const t = n === 0 ? w : table[Math.floor(rnd() * TABLE_SIZE)]!;
            if (n > 0 && t === w) continue;
            const to = t * dim;
            let dot = 0;
            for (let k = 0; k < dim; k++) dot += W[co + k]! * C[to + k]!;
            const sig = dot > 6 ? 1 : dot < -6 ? 0 : 1 / (1 + Math.exp(-dot));
            const g = ((n === 0 ? 1 : 0) - sig) * lr;
            for (let k = 0; k < dim; k++) {
              grad[k]! += g * C[to + k]!;
              C[to + k]! += g * W[co + k]!;
            }
          }
          for (let k = 0; k < dim; k++) W[co + k]! += grad[k]!;
        }
      }
    }
    log(`epoch ${ep + 1} of ${epochs}`);
  }

  // 8-bit rows, one scale each (max |x| / 127): a quarter of the size, rankings unchanged
  // to the third decimal of a cosine.
  const scale = new Float32Array(V);
  const rows = new Int8Array(V * dim);
  for (let i = 0; i < V; i++) {
    let m = 0;
    for (let k = 0; k < dim; k++) m = Math.max(m, Math.abs(W[i * dim + k]!));
    const sc = m / 127 || 1;
    scale[i] = sc;
    for (let k = 0; k < dim; k++) rows[i * dim + k] = Math.round(W[i * dim + k]! / sc);
  }
  const weight = Float32Array.from(cnt, (c) => SIF_A / (SIF_A + c / total));
  // The mean of the papers' normalised sums, taken with the quantised rows the bot uses.
  const mean = new Float32Array(dim);
  const acc = new Float32Array(dim);
  for (const d of ids) {
    acc.fill(0);
    for (const r of d) {
      const wt = weight[r]! * scale[r]!;
      for (let k = 0; k < dim; k++) acc[k]! += wt * rows[r * dim + k]!;
    }
    let n = 0;
    for (let k = 0; k < dim; k++) n += acc[k]! * acc[k]!;
    if (!(n > 0)) continue;
    n = Math.sqrt(n);
    for (let k = 0; k < dim; k++) mean[k]! += acc[k]! / n / ids.length;
  }
  const trained = { papers: texts.size, tokens: total, epochs, window, negatives: NEGATIVES, minCount: MIN_COUNT, subsample: SUBSAMPLE, seed: SEED, sifA: SIF_A };
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, encodeWordVectors({ dim, terms: vocab, trained, mean, weight, scale, rows }));
  log(`wrote ${out} (${(fs.statSync(out).size / 1e6).toFixed(1)} MB)`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${String((err as Error)?.stack ?? err)}\n`);
    process.exit(1);
  },
);
