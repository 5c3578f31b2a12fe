/**
 * Compact spellings of the numbers in a text, indexed beside the words they come from.
 *
 * Readers remember a paper's numbers the short way ("138m samples", "a 24gb gpu", "22k
 * examples", "1.3b images") while abstracts spell them out ("138 million", "24 GB",
 * "22,000", "1.3 billion"). Lunr splits the spelled-out form into a number and a word, so
 * the short form matched nothing. For a number followed by a magnitude word or a unit, or
 * written with thousands separators, the index also gets the short form. This is about how
 * numbers are written, not about any one corpus: the magnitudes and units are the usual
 * ones (SI byte sizes, frame and clock rates), and the short form is how people type them.
 *
 * Only documents get these forms: a query already typed the short way matches them, and a
 * query typed the long way still matches the long form, as before.
 */

const MAGNITUDES: Record<string, number> = {
  thousand: 1e3,
  thousands: 1e3,
  million: 1e6,
  millions: 1e6,
  billion: 1e9,
  billions: 1e9,
  trillion: 1e12,
  trillions: 1e12,
  k: 1e3,
  m: 1e6,
  b: 1e9,
};
/** Units written glued to a number as often as apart ("24gb", "25fps", "16khz"). */
const UNITS = new Set(['kb', 'mb', 'gb', 'tb', 'pb', 'ms', 'fps', 'hz', 'khz', 'mhz', 'ghz', 'px', 'bit', 'bits']);
const SUFFIXES: [number, string][] = [
  [1e12, 't'],
  [1e9, 'b'],
  [1e6, 'm'],
  [1e3, 'k'],
];

const NUMBER = /^[(~≈]?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(×?)[),.;:]*$/;

/** "67.0" → "67", "1.70" → "1.7". */
const plain = (x: number) => String(Number(x.toFixed(1)));

/** 1.7e6 → ["1.7m"]; 67_453 → ["67.5k", "67k"]; below a thousand: nothing. */
function compact(value: number): string[] {
  for (const [size, suffix] of SUFFIXES) {
    if (value < size) continue;
    const q = value / size;
    const out = [`${plain(q)}${suffix}`];
    const whole = `${Math.round(q)}${suffix}`;
    if (q >= 10 && whole !== out[0]) out.push(whole);
    return out;
  }
  return [];
}

/**
 * The short forms for the number chunk `chunks[i]` (lowercased, split on whitespace), from
 * it and the chunk after it; empty when it is not a number.
 */
export function numberForms(chunks: readonly string[], i: number): string[] {
  const m = NUMBER.exec(chunks[i]!);
  if (!m) return [];
  const digits = m[1]!;
  const value = Number(digits.replace(/,/g, ''));
  if (!Number.isFinite(value)) return [];
  const out: string[] = [];
  if (m[2]) out.push(`${digits.replace(/,/g, '')}x`); // "5×" is trimmed to "5" otherwise
  const next = (chunks[i + 1] ?? '').replace(/[^a-z]+$/, '');
  const magnitude = MAGNITUDES[next];
  if (magnitude !== undefined && !m[2]) out.push(...compact(value * magnitude));
  else if (UNITS.has(next) && !digits.includes(',')) out.push(`${digits}${next}`);
  else if (digits.includes(',')) out.push(...compact(value));
  return out;
}
