/** A hand-made word-vectors model (every term weight 1, components as given) for tests. */
import { decodeWordVectors, encodeWordVectors, type WordVectors } from '../../src/search/word-vectors.js';

export function tinyModel(rows: Record<string, number[]>, mean?: number[]): WordVectors {
  const terms = Object.keys(rows);
  const dim = rows[terms[0]!]!.length;
  const q = new Int8Array(terms.length * dim);
  terms.forEach((t, i) => rows[t]!.forEach((x, k) => (q[i * dim + k] = Math.round(x * 127))));
  return decodeWordVectors(
    encodeWordVectors({
      dim,
      terms,
      trained: {},
      mean: Float32Array.from(mean ?? new Array<number>(dim).fill(0)),
      weight: new Float32Array(terms.length).fill(1),
      scale: new Float32Array(terms.length).fill(1 / 127),
      rows: q,
    }),
  );
}
