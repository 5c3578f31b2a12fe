/**
 * User text → a structured query for Lunr's programmatic API.
 *
 * We never hand user text to `index.search(string)`: Lunr's own parser throws
 * QueryParseError on `title:`, `^`, a lone `+`, and a required stop word silently
 * matches nothing (the build pipeline dropped it). This parser is lenient instead:
 * whatever is well-formed is honoured, anything else degrades to plain words, and only
 * "nothing searchable left" becomes a UserInputError with a short message.
 *
 * Terms are normalised exactly as the index pipeline does (lunr.tokenizer separator,
 * lowercase, lunr.trimmer, lunr.stopWordFilter, lunr.stemmer), so the engine passes
 * them to Lunr with `usePipeline: false`.
 */
import lunr from 'lunr';
import { parseArxivId } from '../core/arxiv-id.js';
import { UserInputError } from '../core/errors.js';
import { numberForms } from './number-forms.js';

export const INDEX_FIELDS = ['title', 'abstract', 'authors', 'keywords'] as const;
export type IndexField = (typeof INDEX_FIELDS)[number];

/** Input beyond this is cut before tokenising, so the work per query is bounded. */
export const MAX_QUERY_CHARS = 2_000;
/** Distinct meaningful terms kept from one query. */
export const MAX_QUERY_TERMS = 32;
/** Longer tokens are URLs or garbage; they cannot usefully match. */
const MAX_TERM_CHARS = 64;
/** Fuzzy and wildcard terms expand to many index terms; cap how many one query may use. */
const MAX_EXPANDING_TERMS = 6;

export const EMPTY_QUERY_MESSAGE = 'Type some words to search for, e.g. "sparse attention".';
export const ONLY_EXCLUSIONS_MESSAGE = 'Add at least one word to search for, not only words to exclude.';
export const SHORTENED_NOTICE = `Query shortened to its first ${MAX_QUERY_TERMS} words.`;

const FIELD_ALIASES: Record<string, IndexField> = {
  title: 'title',
  author: 'authors',
  authors: 'authors',
  abstract: 'abstract',
  summary: 'abstract',
  keyword: 'keywords',
  keywords: 'keywords',
};

export type Presence = 'optional' | 'required' | 'prohibited';

export interface QueryTerm {
  /** What Lunr looks up: the stem, or the prefix for a wildcard term. */
  key: string;
  /** The lowercased, trimmed word as typed (for snippets and notices). */
  word: string;
  /** Restricts the term to these fields; undefined = all fields. */
  fields?: IndexField[];
  presence: Presence;
  /** Trailing wildcard: `key` is a prefix. */
  wildcard: boolean;
  /** Fuzzy edit distance, 0 = exact. */
  editDistance: number;
  boost: number;
}

export interface ParsedQuery {
  /** `id`: the text was an arXiv id or paper URL; `terms`: a text query. */
  kind: 'id' | 'terms';
  /** The arXiv id for `kind: 'id'`. */
  id?: string;
  /** Optional and required terms. */
  terms: QueryTerm[];
  /**
   * Exclusions. A group of one is a plain `-word`; a longer group (`-"large model"`,
   * `-text-to-image`) excludes papers that contain every word of it.
   */
  prohibited: QueryTerm[][];
  /** Distinct words searched, for SearchResult.terms. */
  words: string[];
  notice?: string;
  /** The whole query normalised like titles, for the known-item boost; '' disables it. */
  titleKey: string;
  /** Rank papers matching every term above those matching some (off for "similar"). */
  rankAllTermsFirst: boolean;
  /** Papers never to return (the paper itself, for "similar"). */
  excludeIds?: string[];
}

// ─── Normalisation shared with the engine and snippets ──────────────────────────────

const SEPARATOR = lunr.tokenizer.separator;

/**
 * Lowercased text → raw tokens, as lunr's tokenizer splits them (whitespace and hyphens),
 * plus the joined form of a two-part hyphenated word: "pre-trained" gives "pre", "trained"
 * and "pretrained", so a query for either spelling finds it; and the short form of a
 * spelled-out number ("138 million" also gives "138m", number-forms.ts).
 */
export function rawTokens(lower: string): string[] {
  const out: string[] = [];
  const chunks = lower.split(/\s+/);
  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[i]!;
    if (!chunk) continue;
    const parts = chunk.split(SEPARATOR).filter(Boolean);
    out.push(...parts);
    if (parts.length === 2 && /^[a-z]{2,}$/.test(parts[0]!) && /^[a-z]{2,}$/.test(parts[1]!.replace(/[^a-z]+$/, ''))) out.push(parts.join(''));
    const c = chunk.charCodeAt(0); // a digit, '(', '~' or '≈': a cheap test before the regex
    if ((c >= 48 && c <= 57) || c === 40 || c === 126 || c === 8776) out.push(...numberForms(chunks, i));
  }
  return out;
}

/** Same as the index pipeline's trimmer: strips non-word characters at both ends. */
export function trimWord(w: string): string {
  return w.replace(/^\W+/, '').replace(/\W+$/, '');
}

export function isStopWord(w: string): boolean {
  return lunr.stopWordFilter(new lunr.Token(w, {})) === undefined;
}

export function stem(w: string): string {
  return lunr.stemmer(new lunr.Token(w, {})).toString();
}

const termCache = new Map<string, string | null>();
const TERM_CACHE_MAX = 400_000;

/**
 * One raw token (already lowercased and split) → its index term, or null when the
 * build pipeline would drop it (stop word) or it is empty after trimming. Memoised:
 * a corpus repeats the same few hundred thousand tokens millions of times.
 */
/** Forgets the memo: a build calls it once every paper is read (up to ~50 MB at 80k papers). */
export function clearTermCache(): void {
  termCache.clear();
}

export function indexTerm(raw: string): string | null {
  let t = termCache.get(raw);
  if (t === undefined) {
    const w = trimWord(raw);
    t = !w || isStopWord(w) ? null : stem(w);
    if (termCache.size >= TERM_CACHE_MAX) termCache.clear();
    termCache.set(raw, t);
  }
  return t;
}

/**
 * Text → index terms, exactly as lunr's default build pipeline produces them
 * (lowercase, split on whitespace and hyphens, trimmer, stopWordFilter, stemmer),
 * except that tokens trimmed to nothing are dropped rather than indexed as "".
 */
export function analyze(text: string): string[] {
  const out: string[] = [];
  for (const raw of rawTokens(text.toLowerCase())) {
    const t = indexTerm(raw);
    if (t) out.push(t);
  }
  return out;
}

/**
 * Titles and queries compared for the known-item boost: accents folded, lowercase,
 * every run of non-alphanumerics one space.
 */
export function normalizeTitle(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The longest common prefix of a word and its stem, so `diffusion*` finds `diffus`. */
function wildcardKey(word: string): string {
  const s = stem(word);
  let i = 0;
  while (i < word.length && i < s.length && word[i] === s[i]) i++;
  return i >= 2 ? word.slice(0, i) : word;
}

// ─── Parsing ──────────────────────────────────────────────────────────────────────────

interface Chunk {
  presence: Presence;
  fields?: IndexField[];
  text: string;
  quoted: boolean;
  wildcard: boolean;
  editDistance: number;
  boost: number;
}

/** Splits the text into chunks: `[+-][field:](word|"phrase")[*][~N][^N]`. */
function chunksOf(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && /\s/.test(text[i]!)) i++;
    if (i >= n) break;

    let presence: Presence = 'optional';
    if (text[i] === '+' || text[i] === '-') {
      presence = text[i] === '+' ? 'required' : 'prohibited';
      i++;
    }

    let fields: IndexField[] | undefined;
    const fm = /^([A-Za-z]+):/.exec(text.slice(i, i + 20));
    if (fm) {
      const alias = FIELD_ALIASES[fm[1]!.toLowerCase()];
      i += fm[0].length;
      if (alias) {
        fields = [alias];
        while (i < n && /\s/.test(text[i]!)) i++; // `title: mamba` means title:mamba
      } else chunks.push({ presence, text: fm[1]!, quoted: false, wildcard: false, editDistance: 0, boost: 1 });
    }

    let body: string;
    let quoted = false;
    if (text[i] === '"') {
      const close = text.indexOf('"', i + 1);
      const end = close === -1 ? n : close;
      body = text.slice(i + 1, end);
      quoted = true;
      i = close === -1 ? n : close + 1;
    } else {
      const start = i;
      while (i < n && !/\s/.test(text[i]!) && text[i] !== '"') i++;
      body = text.slice(start, i);
    }
    // Modifiers stuck to the end of the word or closing quote.
    let suffix = '';
    if (quoted) {
      const start = i;
      while (i < n && !/\s/.test(text[i]!)) i++;
      suffix = text.slice(start, i);
    } else {
      const m = /(?:\*|~\d*|\^\d*(?:\.\d+)?)+$/.exec(body);
      if (m) {
        suffix = m[0];
        body = body.slice(0, m.index);
      }
    }
    let wildcard = false;
    let editDistance = 0;
    let boost = 1;
    for (const mod of suffix.match(/\*|~\d*|\^\d*(?:\.\d+)?/g) ?? []) {
      if (mod === '*') wildcard = !quoted;
      else if (mod.startsWith('~')) editDistance = quoted ? 0 : Math.min(2, mod.length > 1 ? Number(mod.slice(1)) : 1);
      else if (mod.length > 1) {
        const b = Number(mod.slice(1));
        if (Number.isFinite(b)) boost = Math.min(10, Math.max(0.1, b));
      }
    }
    if (body) chunks.push({ presence, ...(fields ? { fields } : {}), text: body, quoted, wildcard, editDistance, boost });
  }
  return chunks;
}

/** Cuts at a word boundary at or before `max` characters. */
function capInput(text: string, max: number): { text: string; cut: boolean } {
  if (text.length <= max) return { text, cut: false };
  const head = text.slice(0, max + 1);
  const lastSpace = head.search(/\s\S*$/);
  return { text: lastSpace > max * 0.5 ? head.slice(0, lastSpace) : text.slice(0, max), cut: true };
}

function termKey(t: QueryTerm): string {
  return `${t.presence}|${t.fields?.join(',') ?? '*'}|${t.key}|${t.wildcard ? 1 : 0}|${t.editDistance}`;
}

/**
 * Parses what a user typed. Throws UserInputError (short message) when nothing
 * searchable is left; never throws anything else.
 */
export function parseQuery(input: unknown): ParsedQuery {
  const raw = typeof input === 'string' ? input : '';
  const { text, cut } = capInput(raw.trim(), MAX_QUERY_CHARS);

  const id = text.length <= 300 ? parseArxivId(text) : null;
  if (id) {
    return { kind: 'id', id, terms: [], prohibited: [], words: [], titleKey: '', rankAllTermsFirst: false };
  }

  const terms: QueryTerm[] = [];
  const prohibited: QueryTerm[][] = [];
  const words: string[] = [];
  const seen = new Set<string>();
  const stopWords: string[] = [];
  let shortened = cut;
  let expanding = 0;

  const chunks = chunksOf(text);
  // A chunk with no letter or digit ("--" in a title cut short, a stray "+") is punctuation,
  // not syntax: the query can still name a paper.
  const usesSyntax = chunks.some(
    (c) => /[\p{L}\p{N}]/u.test(c.text) && (c.fields || c.presence !== 'optional' || c.quoted || c.wildcard || c.editDistance > 0 || c.boost !== 1),
  );
  outer: for (const chunk of chunks) {
    const tokens = chunk.text
      .toLowerCase()
      .split(SEPARATOR)
      .map((t) => trimWord(t.replace(/[*~^"]/g, '')))
      .filter((t) => t.length > 0);
    const group: QueryTerm[] = [];
    for (let ti = 0; ti < tokens.length; ti++) {
      const word = tokens[ti]!;
      const last = ti === tokens.length - 1;
      let wildcard = chunk.wildcard && last;
      if (word.length > MAX_TERM_CHARS) continue;
      if (wildcard && word.length < 2) continue; // `a*` would expand to most of the index
      if (!wildcard && isStopWord(word)) {
        stopWords.push(word);
        continue;
      }
      let editDistance = word.length >= 4 ? chunk.editDistance : 0;
      if ((wildcard || editDistance > 0) && expanding >= MAX_EXPANDING_TERMS) {
        wildcard = false;
        editDistance = 0;
        if (isStopWord(word)) continue;
      }
      if (wildcard || editDistance > 0) expanding++;
      const presence: Presence = chunk.quoted && chunk.presence === 'optional' ? 'required' : chunk.presence;
      const term: QueryTerm = {
        key: wildcard ? wildcardKey(word) : stem(word),
        word,
        presence,
        wildcard,
        editDistance,
        boost: chunk.boost,
        ...(chunk.fields ? { fields: chunk.fields } : {}),
      };
      const k = termKey(term);
      if (seen.has(k)) continue;
      if (seen.size >= MAX_QUERY_TERMS) {
        shortened = true;
        break outer;
      }
      seen.add(k);
      group.push(term);
    }
    if (group.length === 0) continue;
    if (chunk.presence === 'prohibited') prohibited.push(group);
    else {
      terms.push(...group);
      for (const t of group) if (!words.includes(t.word)) words.push(t.word);
    }
  }

  if (terms.length === 0) {
    if (prohibited.length > 0) throw new UserInputError(ONLY_EXCLUSIONS_MESSAGE);
    if (stopWords.length > 0) {
      const shown = stopWords.slice(0, 8).join(' ');
      throw new UserInputError(`"${shown}" only has common words; add a more specific term.`);
    }
    throw new UserInputError(EMPTY_QUERY_MESSAGE);
  }

  const out: ParsedQuery = {
    kind: 'terms',
    terms,
    prohibited,
    words,
    titleKey: usesSyntax || shortened ? '' : normalizeTitle(text),
    rankAllTermsFirst: true,
  };
  if (shortened) out.notice = SHORTENED_NOTICE;
  return out;
}
