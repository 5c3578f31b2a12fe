/**
 * Text and URLs from outside, cleaned once at the door (normalisation) so that nothing
 * stored can drive a terminal (ESC, OSC 52 clipboard writes), reorder what a reader sees
 * (bidi overrides: "\u202Egnp.exe" shows as "exe.png"), hide characters (zero-width),
 * fail a store (NUL, lone surrogates) or grow without bound. Renderers still escape for
 * their own syntax; this only removes what no renderer should ever receive.
 */
import { collapseWhitespace } from './text.js';

/** Field caps, in code points. Real HF and arXiv data stays far below every one. */
export const LIMITS = {
  title: 500,
  abstract: 10_000,
  authors: 200,
  authorName: 200,
  keywords: 50,
  keyword: 100,
  /** Organisation names, categories: one short label. */
  label: 200,
  url: 2_048,
} as const;

// CSI (`ESC [ … final`) and OSC (`ESC ] … BEL` or `ESC ] … ESC \`) are removed whole, so
// "\x1b]0;pwned\x07" leaves nothing behind rather than "]0;pwned". An unterminated OSC
// is left to the control-character pass, which drops its ESC.
// eslint-disable-next-line no-control-regex
const ESCAPE_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]{0,2048}(?:\u0007|\u001b\\)/g;

// C0 except tab and line breaks, DEL, C1 except NEL, bidi embeddings/overrides/isolates
// and marks (incl. ALM U+061C), zero-width space/joiners, word joiner and invisible
// operators, BOM, line breaks (made spaces or "\n") and surrogates (pairs are put back by the lone-surrogate rule below).
// eslint-disable-next-line no-control-regex
const NEEDS_CLEANING = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ud800-\udfff\t\n\r]/;
// eslint-disable-next-line no-control-regex
const REMOVED = /[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// Tab, vertical tab, form feed: spacing, not structure.
const SPACING = /[\t\u000b\u000c]/g;
// CR LF, lone CR and NEL are line breaks like LF.
const LINE_BREAK = /\r\n?|\u0085/g;

/**
 * Removes control, bidi and zero-width characters and lone surrogates. Tabs become
 * spaces; line breaks are kept as "\n" when `multiline`, else become spaces (they
 * separate words, so dropping them would glue two words together).
 */
export function stripControls(s: string, opts: { multiline?: boolean } = {}): string {
  if (!NEEDS_CLEANING.test(s)) return s;
  const lines = s.replace(ESCAPE_SEQUENCE, '').replace(SPACING, ' ').replace(LINE_BREAK, '\n').replace(REMOVED, '');
  return opts.multiline ? lines : lines.replace(/\n/g, ' ');
}

/** At most `max` code points; a cut text (or any text, with `forceEllipsis`) ends in "…" within the cap. */
export function capLength(s: string, max: number, forceEllipsis = false): string {
  // Code points never outnumber UTF-16 units, so a short string needs no counting.
  if (s.length <= max && !forceEllipsis) return s;
  let units = 0;
  let points = 0;
  let cut = -1;
  for (const ch of s) {
    if (points === max - 1) cut = units;
    if (++points > max) break;
    units += ch.length;
  }
  if (points <= max && !forceEllipsis) return s;
  return `${s.slice(0, cut === -1 ? units : cut).trimEnd()}…`;
}

// The collapse is skipped when there is nothing to collapse: the rewrite dominated an
// import of the 74,728-record arXiv file, where 71 records need it.
const NEEDS_COLLAPSE = /[^\S ]| {2}|^ | $/;

/**
 * One line of outside text: cleaned, whitespace collapsed, capped. Only a generous head
 * is cleaned, so a 10 M-character title costs no more than a 4,000-character one.
 */
export function cleanLine(value: string, max: number): string {
  const head = value.length > max * 8 ? value.slice(0, max * 8) : value;
  const s = stripControls(head);
  const collapsed = NEEDS_COLLAPSE.test(s) ? collapseWhitespace(s) : s;
  return capLength(collapsed, max, head !== value);
}

/** A list of outside strings: each cleaned and capped, empties dropped, at most `maxItems`. */
export function cleanList(values: readonly string[] | null | undefined, maxItems: number, maxEach: number): string[] {
  const out: string[] = [];
  for (const v of values ?? []) {
    if (out.length === maxItems) break;
    const s = cleanLine(v, maxEach);
    if (s) out.push(s);
  }
  return out;
}

// Left raw by WHATWG serialisation in some URL part, and meaningful to Markdown (link
// ends, autolinks), BibTeX (field braces), Slack (`<url|text>`) or HTML attributes.
const URL_UNSAFE = /[()[\]{}<>|"'`\s]/g;

const percentEncode = (c: string): string =>
  [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');

/**
 * An absolute http(s) URL without credentials, re-serialised by the WHATWG parser, with
 * the characters above percent-encoded after the host, at most LIMITS.url characters;
 * otherwise null. Controls and invisible characters are removed first; whitespace left
 * inside means it was never one URL, so that is refused too.
 */
export function cleanUrl(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > LIMITS.url * 4) return null;
  const s = stripControls(value).trim();
  if (!s || /\s/.test(s)) return null;
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password || !url.hostname) return null;
  // The origin holds IPv6 brackets, which must stay; only what follows it is encoded.
  const rest = `${url.pathname}${url.search}${url.hash}`.replace(URL_UNSAFE, percentEncode);
  const href = `${url.origin}${rest}`;
  return href.length <= LIMITS.url ? href : null;
}
