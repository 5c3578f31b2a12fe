/**
 * Text widths from the bundled TrueType font itself, so that Vega's layout (which, with
 * no canvas, would guess 0.8 em a character) places labels where resvg will draw them.
 * Only the tables needed for advance widths are read: head (units per em), hhea and
 * hmtx (advances), cmap (character → glyph, formats 4 and 12). Kerning is ignored: it
 * moves a Latin line by a pixel or two, well inside the chart's margins.
 */
import fs from 'node:fs';

export interface FontMetrics {
  /** Width of `text` at `size` px. */
  width(text: string, size: number): number;
  /** Whether the font has a glyph for this character (else resvg draws an empty box). */
  covers(ch: string): boolean;
}

interface Tables {
  buf: Buffer;
  at: Map<string, number>;
}

function tables(buf: Buffer): Tables {
  const at = new Map<string, number>();
  const n = buf.readUInt16BE(4);
  for (let i = 0; i < n; i++) {
    const rec = 12 + i * 16;
    at.set(buf.toString('latin1', rec, rec + 4), buf.readUInt32BE(rec + 8));
  }
  for (const t of ['head', 'hhea', 'hmtx', 'cmap']) if (!at.has(t)) throw new Error(`font has no ${t} table`);
  return { buf, at };
}

/** Character code → glyph id, from the best Unicode subtable (format 12 for all planes, else format 4). */
function readCmap({ buf, at }: Tables): (code: number) => number {
  const cmap = at.get('cmap')!;
  const count = buf.readUInt16BE(cmap + 2);
  let f4 = -1;
  let f12 = -1;
  for (let i = 0; i < count; i++) {
    const rec = cmap + 4 + i * 8;
    const platform = buf.readUInt16BE(rec);
    const encoding = buf.readUInt16BE(rec + 2);
    const sub = cmap + buf.readUInt32BE(rec + 4);
    const format = buf.readUInt16BE(sub);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode) continue;
    if (format === 12 && f12 < 0) f12 = sub;
    if (format === 4 && f4 < 0) f4 = sub;
  }
  if (f12 >= 0) {
    const groups = buf.readUInt32BE(f12 + 12);
    return (code) => {
      let lo = 0;
      let hi = groups - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const g = f12 + 16 + mid * 12;
        const start = buf.readUInt32BE(g);
        const end = buf.readUInt32BE(g + 4);
        if (code < start) hi = mid - 1;
        else if (code > end) lo = mid + 1;
        else return buf.readUInt32BE(g + 8) + (code - start);
      }
      return 0;
    };
  }
  if (f4 < 0) throw new Error('font has no Unicode cmap');
  const segX2 = buf.readUInt16BE(f4 + 6);
  const ends = f4 + 14;
  const starts = ends + segX2 + 2;
  const deltas = starts + segX2;
  const offsets = deltas + segX2;
  return (code) => {
    if (code > 0xffff) return 0;
    for (let s = 0; s < segX2; s += 2) {
      if (code > buf.readUInt16BE(ends + s)) continue;
      const start = buf.readUInt16BE(starts + s);
      if (code < start) return 0;
      const delta = buf.readInt16BE(deltas + s);
      const range = buf.readUInt16BE(offsets + s);
      if (range === 0) return (code + delta) & 0xffff;
      const glyph = buf.readUInt16BE(offsets + s + range + (code - start) * 2);
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };
}

/** Reads a .ttf file's advance widths. */
export function loadFontMetrics(file: string): FontMetrics {
  const t = tables(fs.readFileSync(file));
  const { buf, at } = t;
  const unitsPerEm = buf.readUInt16BE(at.get('head')! + 18);
  const hMetrics = buf.readUInt16BE(at.get('hhea')! + 34);
  const hmtx = at.get('hmtx')!;
  const glyphOf = readCmap(t);
  const advance = (glyph: number) => buf.readUInt16BE(hmtx + Math.min(glyph, hMetrics - 1) * 4);
  const cache = new Map<number, number>();
  const em = (code: number): number => {
    let w = cache.get(code);
    if (w === undefined) {
      w = advance(glyphOf(code)) / unitsPerEm;
      cache.set(code, w);
    }
    return w;
  };
  return {
    covers: (ch) => glyphOf(ch.codePointAt(0)!) !== 0,
    width(text, size) {
      let units = 0;
      for (const ch of text) units += em(ch.codePointAt(0)!);
      return units * size;
    },
  };
}
