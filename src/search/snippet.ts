/**
 * The line of an abstract shown under a search hit: the sentence that holds the most
 * query terms, cut around the first match.
 */
import lunr from 'lunr';
import { plainText, truncateWords } from '../core/text.js';
import { stem, trimWord } from './query.js';

/** Splits after . ! ? when the next sentence starts like one (capital, digit, bracket). */
function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+(?=[\p{Lu}\p{N}"'(\[])/u)
    .map((s) => s.trim())
    .filter(Boolean);
}

interface Word {
  start: number;
  lower: string;
  stemmed: string;
}

function wordsOf(sentence: string): Word[] {
  const out: Word[] = [];
  const re = /[^\s\-]+/g;
  for (let m = re.exec(sentence); m; m = re.exec(sentence)) {
    const lower = trimWord(m[0].toLowerCase());
    if (lower) out.push({ start: m.index, lower, stemmed: stem(lower) });
  }
  return out;
}

/**
 * `terms` may be typed words ("diffusion") or index terms ("diffus"); a word matches a
 * term when its lowercase form or its stem starts with the term or the term's stem.
 */
export function makeSnippet(text: string, terms: readonly string[], maxLen = 180): string {
  const plain = plainText(text ?? '');
  if (!plain) return '';
  const max = Math.max(20, maxLen);
  const keys = [
    ...new Set(
      (terms ?? [])
        .flatMap((t) => String(t).toLowerCase().split(lunr.tokenizer.separator))
        .map((t) => trimWord(t.replace(/\*+$/, '')))
        .filter((t) => t.length >= 2)
        .flatMap((t) => [t, stem(t)]),
    ),
  ];
  const all = sentences(plain);
  const matches = (w: Word, k: string) => w.lower.startsWith(k) || w.stemmed.startsWith(k);

  let best: { sentence: string; first: number; count: number } | null = null;
  if (keys.length) {
    for (const sentence of all) {
      const words = wordsOf(sentence);
      const found = new Set<string>();
      let first = -1;
      for (const w of words) {
        for (const k of keys) {
          if (matches(w, k)) {
            found.add(k);
            if (first === -1) first = w.start;
          }
        }
      }
      if (found.size > 0 && (!best || found.size > best.count)) best = { sentence, first, count: found.size };
    }
  }

  if (!best) return truncateWords(all[0] ?? plain, max);
  const { sentence, first } = best;
  if (sentence.length <= max) return sentence;

  // Start a little before the first match, at a word boundary.
  let start = 0;
  if (first > max * 0.3) {
    const from = first - Math.floor(max * 0.25);
    const space = sentence.lastIndexOf(' ', from);
    start = space > 0 ? space + 1 : from;
  }
  if (start === 0) return truncateWords(sentence, max);
  const rest = sentence.slice(start);
  const body = rest.length <= max - 1 ? rest : truncateWords(rest, max - 1);
  return `…${body}`;
}
