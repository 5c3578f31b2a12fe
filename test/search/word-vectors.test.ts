/**
 * The word-vectors model: its file round-trips and refuses damage, a text's vector is what
 * the doc says (SIF-weighted, centred, unit length), and the committed model knows the
 * index's stemmed vocabulary and puts related descriptions closer than unrelated ones.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/search/query.js';
import { decodeWordVectors, defaultWordVectors, encodeWordVectors } from '../../src/search/word-vectors.js';
import { tinyModel } from './tiny-model.js';

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, k) => s + x * b[k]!, 0);

describe('word vectors', () => {
  it('round-trips through its file format and refuses a damaged file', () => {
    // Terms in any order (and beyond ASCII) come back sorted, each with its own row and weight.
    const terms = ['token', 'graph', 'zürich', 'audio'];
    const parts = {
      dim: 3,
      terms,
      trained: { note: 'test' },
      mean: Float32Array.from([0.1, 0, 0]),
      weight: Float32Array.from([1, 2, 3, 4]),
      scale: new Float32Array(4).fill(1 / 127),
      rows: Int8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, -10, -11, -12]),
    };
    const buf = encodeWordVectors(parts);
    const back = decodeWordVectors(buf);
    expect(back.dim).toBe(3);
    expect(back.count).toBe(4);
    expect(back.row('nothing')).toBe(-1);
    terms.forEach((t, i) => {
      const r = back.row(t);
      expect(Array.from(back.rows.subarray(r * 3, r * 3 + 3))).toEqual(Array.from(parts.rows.subarray(i * 3, i * 3 + 3)));
      expect(back.weight[r]).toBe(parts.weight[i]);
    });
    expect(back.mean[0]).toBeCloseTo(0.1, 6);
    expect(decodeWordVectors(buf).id).toBe(back.id);
    expect(decodeWordVectors(encodeWordVectors({ ...parts, rows: Int8Array.from([...parts.rows].reverse()) })).id).not.toBe(back.id);
    expect(() => decodeWordVectors(buf.subarray(0, buf.length - 1))).toThrow(/truncated/);
    expect(() => decodeWordVectors(Buffer.from('not a model at all'))).toThrow(/not a word-vectors file/);
  });

  it('embeds a bag of terms: unknown terms ignored, repeats counted, the mean taken off, unit length', () => {
    const m = tinyModel({ graph: [1, 0], token: [0, 1] }, [0.5, 0]);
    expect(m.embed(['nothing', 'known'])).toBeNull();
    const v = m.embed(['graph', 'token', 'token', 'unknown'])!;
    // (1, 2) normalised, minus (0.5, 0), normalised again.
    const x = 1 / Math.sqrt(5) - 0.5;
    const y = 2 / Math.sqrt(5);
    const n = Math.hypot(x, y);
    expect(v[0]).toBeCloseTo(x / n, 2);
    expect(v[1]).toBeCloseTo(y / n, 2);
    expect(dot(v, v)).toBeCloseTo(1, 5);
  });

  it('ships a model in the index vocabulary that puts related descriptions closer than unrelated ones', () => {
    const wv = defaultWordVectors();
    expect(wv).not.toBeNull();
    for (const t of analyze('diffusion transformer reinforcement learning speech')) expect(wv!.row(t)).toBeGreaterThanOrEqual(0);
    const v = (s: string) => wv!.embed(analyze(s))!;
    const asr = v('llm corrects speech recognition transcripts');
    expect(dot(asr, v('automatic speech recognition error correction with language models'))).toBeGreaterThan(
      dot(asr, v('text to image diffusion with higher resolution pictures')) + 0.2,
    );
    const kv = v('compress the kv cache of long context decoding');
    expect(dot(kv, v('evicting key value cache entries to save memory at inference'))).toBeGreaterThan(
      dot(kv, v('robot grasping policy learned from human videos')) + 0.2,
    );
  });
});
