/** CLI output rules: with --json, stdout holds only JSON; everything human goes to stderr or stdout without --json. */
import type { SearchHit } from '../core/ports.js';
import type { Paper } from '../core/paper.js';
import { paperLinks } from '../core/paper.js';
import { tldrOf } from '../core/digest/tldr.js';

export class UsageError extends Error {}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

export function println(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Progress and notes that must never pollute --json output. */
export function note(line: string): void {
  process.stderr.write(`${line}\n`);
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
