/** PNG checks for the chart tests: decoding, "is something drawn", and a golden image compared with a tolerance. */
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';

export const GOLDEN_DIR = path.resolve(import.meta.dirname, '__golden__');

export interface Decoded {
  width: number;
  height: number;
  /** RGBA, row by row. */
  data: Buffer;
}

export function decodePng(png: Uint8Array): Decoded {
  const img = PNG.sync.read(Buffer.from(png));
  return { width: img.width, height: img.height, data: img.data };
}

export function rgbaAt(img: Decoded, x: number, y: number): [number, number, number, number] {
  const i = (y * img.width + x) * 4;
  return [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!, img.data[i + 3]!];
}

/** Pixels that differ from `background` by more than a few levels, and the distinct colours seen. */
export function inkStats(img: Decoded, background: [number, number, number]): { inked: number; colours: number; transparent: number } {
  let inked = 0;
  let transparent = 0;
  const colours = new Set<number>();
  for (let i = 0; i < img.data.length; i += 4) {
    const [r, g, b, a] = [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!, img.data[i + 3]!];
    colours.add((r << 16) | (g << 8) | b);
    if (a < 255) transparent++;
    if (Math.abs(r - background[0]) + Math.abs(g - background[1]) + Math.abs(b - background[2]) > 12) inked++;
  }
  return { inked, colours: colours.size, transparent };
}

export interface Comparison {
  sameSize: boolean;
  /** Pixels whose largest channel difference exceeds `maxDelta`. */
  differing: number;
  fraction: number;
}

/**
 * Anti-aliasing differs a little between CPUs and resvg builds: a pixel counts as
 * different only past `maxDelta` levels in some channel, and a match allows a small
 * fraction of those (text edges), never a moved bar or a changed label.
 */
export function comparePng(actual: Decoded, expected: Decoded, maxDelta = 64): Comparison {
  if (actual.width !== expected.width || actual.height !== expected.height) return { sameSize: false, differing: Infinity, fraction: 1 };
  let differing = 0;
  for (let i = 0; i < actual.data.length; i += 4) {
    let d = 0;
    for (let c = 0; c < 4; c++) d = Math.max(d, Math.abs(actual.data[i + c]! - expected.data[i + c]!));
    if (d > maxDelta) differing++;
  }
  return { sameSize: true, differing, fraction: differing / (actual.width * actual.height) };
}

/** The golden image `name`; with UPDATE_GOLDEN=1 it is (re)written from `png` first. */
export function golden(name: string, png: Uint8Array): Decoded {
  const file = path.join(GOLDEN_DIR, name);
  if (process.env['UPDATE_GOLDEN'] === '1') {
    fs.mkdirSync(GOLDEN_DIR, { recursive: true });
    fs.writeFileSync(file, png);
  }
  if (!fs.existsSync(file)) throw new Error(`golden image ${name} is missing: UPDATE_GOLDEN=1 npx vitest run test/charts writes it (look at it, then commit it)`);
  return decodePng(fs.readFileSync(file));
}
