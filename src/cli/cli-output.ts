/** CLI output rules: with --json, stdout holds only JSON; everything human goes to stderr or stdout without --json. */
import type { SearchHit } from '../core/ports.js';
import type { Paper } from '../core/paper.js';
import { paperLinks } from '../core/paper.js';
import { tldrOf } from '../core/digest/tldr.js';
import { stripControls } from '../core/clean-text.js';

export class UsageError extends Error {}

// JSON.stringify escapes C0 only; C1 (U+009B is an 8-bit CSI to some terminals), bidi and
// zero-width characters are escaped too, so --json read in a terminal is as safe as text.
// eslint-disable-next-line no-control-regex
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** One JSON document a line; the same value as JSON.stringify, with terminal-unsafe characters \u-escaped. */
function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${jsonLine(value)}\n`);
}

export function println(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Progress and notes that must never pollute --json output; errors quote data, so controls are stripped. */
export function note(line: string): void {
  process.stderr.write(`${stripControls(line, { multiline: true })}\n`);
}

export function paperJson(p: Paper, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const l = paperLinks(p);
  return {
    id: p.id,
    title: p.title,
    ...extra,
    tldr: tldrOf(p),
    authors: p.authors,
    upvotes: p.upvotes,
    comments: p.comments,
    featuredDates: p.featuredDates,
    publishedAt: p.publishedAt,
    keywords: p.keywords,
    githubRepo: p.githubRepo,
    url: l.hf,
    arxiv: l.arxiv,
    pdf: l.pdf,
  };
}

export function hitJson(hit: SearchHit, p: Paper | undefined, snippet: string): Record<string, unknown> {
  return {
    id: hit.id,
    title: p?.title ?? '',
    score: Math.round(hit.score * 1000) / 1000,
    snippet,
    upvotes: p?.upvotes ?? null,
    featuredDates: p?.featuredDates ?? [],
    githubRepo: p?.githubRepo ?? null,
    url: `https://huggingface.co/papers/${hit.id}`,
  };
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
