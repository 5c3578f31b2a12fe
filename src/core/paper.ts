/**
 * The Paper model every part of the bot shares, and the one rule for merging two
 * records of the same paper.
 *
 * A paper is keyed by its arXiv id without version ("2405.15738"). It can arrive from
 * several sources (Hugging Face Daily Papers on one or more days, arXiv listings,
 * files) and from the same source many times (re-imports, upvote refreshes). Merging
 * must be deterministic and idempotent whatever the order: `mergePapers(a, a)` equals
 * `a`, and importing day 1 then day 2 gives the same record as day 2 then day 1.
 */

import { isDay } from './dates.js';

export type PaperId = string;

/** Where a record came from; later entries rank higher when texts disagree. */
export const SOURCE_PRIORITY = ['file', 'arxiv', 'hf'] as const;
export type PaperSourceName = (typeof SOURCE_PRIORITY)[number];

export interface Paper {
  /** arXiv id without version, e.g. "2405.15738". */
  id: PaperId;
  /** Whitespace collapsed; the Daily Papers item title when there is one. */
  title: string;
  /** Abstract, whitespace collapsed (2024 API bodies carry hard line breaks). */
  abstract: string;
  /** Visible authors only, in paper order. */
  authors: string[];
  /** arXiv submission date, YYYY-MM-DD, when known. Never used to group digests. */
  publishedAt: string | null;
  /** Days (YYYY-MM-DD, ascending, unique) the paper was featured on HF Daily Papers. */
  featuredDates: string[];
  /** HF upvotes as last seen; null when the paper never came through HF. */
  upvotes: number | null;
  /** HF comment count as last seen; null when unknown. */
  comments: number | null;
  /** HF's one-sentence AI summary, when the API had one. */
  aiSummary: string | null;
  /** HF AI keywords (or arXiv keywords), deduplicated, original case. */
  keywords: string[];
  /** Normalised to https://github.com/owner/repo. */
  githubRepo: string | null;
  githubStars: number | null;
  projectPage: string | null;
  /** Display name of the organisation that claimed the paper on HF. */
  organization: string | null;
  /**
   * The paper's Hugging Face thumbnail (the item's `thumbnail`, else its first image in
   * `mediaUrls`), http(s) only, through cleanUrl; null when it has none.
   */
  thumbnail: string | null;
  /** arXiv categories such as "cs.CL", when known. */
  categories: string[];
  /** Every source that contributed, sorted by SOURCE_PRIORITY. */
  sources: PaperSourceName[];
}

const rankOfSource = (s: PaperSourceName): number => SOURCE_PRIORITY.indexOf(s);

/** The best source that contributed to a record. */
function topSource(p: Paper): number {
  return p.sources.reduce((best, s) => Math.max(best, rankOfSource(s)), -1);
}

function lastFeatured(p: Paper): string {
  return p.featuredDates.length ? p.featuredDates[p.featuredDates.length - 1]! : '';
}

/**
 * True when `a`'s texts should win over `b`'s: the better source first, then the more
 * recent featured day. Ties go to `a` (the incoming record), so a refresh of today's
 * list can fill in an AI summary that appeared during the day.
 */
function outranks(a: Paper, b: Paper): boolean {
  const sa = topSource(a);
  const sb = topSource(b);
  if (sa !== sb) return sa > sb;
  return lastFeatured(a) >= lastFeatured(b);
}

function maxNullable(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

function unionSorted(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

/**
 * Merges two records of the same paper. Texts come from the record that outranks the
 * other (falling back field by field when the winner has none); featured dates,
 * categories and sources are unions; counts keep the highest value seen, since HF
 * counts only grow in practice and an older snapshot must not roll them back.
 */
export function mergePapers(existing: Paper, incoming: Paper): Paper {
  if (existing.id !== incoming.id) {
    throw new Error(`mergePapers: ids differ (${existing.id} vs ${incoming.id})`);
  }
  const [win, lose] = outranks(incoming, existing) ? [incoming, existing] : [existing, incoming];
  const pick = <T>(w: T | null, l: T | null): T | null => (w === null || w === '' ? l : w);
  const pickList = (w: string[], l: string[]): string[] => (w.length ? w : l);
  return {
    id: existing.id,
    title: pick(win.title, lose.title) ?? '',
    abstract: pick(win.abstract, lose.abstract) ?? '',
    authors: pickList(win.authors, lose.authors),
    publishedAt: pick(win.publishedAt, lose.publishedAt),
    featuredDates: unionSorted(existing.featuredDates, incoming.featuredDates),
    upvotes: maxNullable(existing.upvotes, incoming.upvotes),
    comments: maxNullable(existing.comments, incoming.comments),
    aiSummary: pick(win.aiSummary, lose.aiSummary),
    keywords: pickList(win.keywords, lose.keywords),
    githubRepo: pick(win.githubRepo, lose.githubRepo),
    githubStars: maxNullable(existing.githubStars, incoming.githubStars),
    projectPage: pick(win.projectPage, lose.projectPage),
    organization: pick(win.organization, lose.organization),
    thumbnail: pick(win.thumbnail, lose.thumbnail),
    // Order kept (winner's first): arXiv lists the primary category first, and BibTeX's
    // primaryClass is taken from there.
    categories: [...new Set([...win.categories, ...lose.categories])],
    sources: [...new Set([...existing.sources, ...incoming.sources])].sort(
      (x, y) => rankOfSource(x) - rankOfSource(y),
    ),
  };
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Field-by-field equality, used to report "unchanged" on re-import. Compared directly
 * rather than through JSON: a re-import of 80k papers calls this 80k times.
 */
export function samePaper(a: Paper, b: Paper): boolean {
  return (
    a.id === b.id && a.title === b.title && a.abstract === b.abstract && a.publishedAt === b.publishedAt &&
    a.upvotes === b.upvotes && a.comments === b.comments && a.aiSummary === b.aiSummary && a.githubRepo === b.githubRepo &&
    a.githubStars === b.githubStars && a.projectPage === b.projectPage && a.organization === b.organization && a.thumbnail === b.thumbnail &&
    sameList(a.authors, b.authors) && sameList(a.featuredDates, b.featuredDates) && sameList(a.keywords, b.keywords) &&
    sameList(a.categories, b.categories) && sameList(a.sources, b.sources)
  );
}

/** Whether the search index must be rebuilt: only these fields are searched. */
export function searchableTextChanged(before: Paper, after: Paper): boolean {
  return before.title !== after.title || before.abstract !== after.abstract || !sameList(before.authors, after.authors) || !sameList(before.keywords, after.keywords);
}

/**
 * One step of a store's upsert: the record to write for `incoming` given what is stored
 * (validated, so a bad record aborts the caller's batch), or null when nothing changes.
 */
export function upsertStep(existing: Paper | null | undefined, incoming: Paper): Paper | null {
  const next = existing ? mergePapers(existing, incoming) : incoming;
  assertStorablePaper(next);
  return existing && samePaper(existing, next) ? null : next;
}

/**
 * The store refuses to hold a paper it could not key, show or file by day. Checked on the
 * merged record (what would be stored), inside the write, so a bad record anywhere in a
 * batch aborts the whole batch.
 */
export function assertStorablePaper(p: Paper): void {
  const where = `paper ${JSON.stringify(String(p.id))}`;
  if (typeof p.id !== 'string' || p.id.trim() === '') throw new Error(`${where} has no id`);
  if (typeof p.title !== 'string' || p.title.trim() === '') throw new Error(`${where} has no title`);
  if (typeof p.abstract !== 'string') throw new Error(`${where}: abstract is not a string`);
  for (const field of ['authors', 'keywords', 'categories', 'sources', 'featuredDates'] as const) {
    if (!Array.isArray(p[field])) throw new Error(`${where}: ${field} is not an array`);
  }
  const badDay = p.featuredDates.find((d) => !validDay(d));
  if (badDay !== undefined) throw new Error(`${where}: featured date ${JSON.stringify(badDay)} is not YYYY-MM-DD`);
  // Paper promises ascending, unique days; a store that silently reordered them would report "updated" forever.
  if (p.featuredDates.some((d, i) => i > 0 && d <= p.featuredDates[i - 1]!)) {
    throw new Error(`${where}: featured dates must be ascending and unique`);
  }
}

/** Days repeat across a batch (80k papers share a few hundred), so each is checked once per process. */
const knownDays = new Set<string>();
function validDay(d: unknown): boolean {
  if (typeof d !== 'string') return false;
  if (knownDays.has(d)) return true;
  if (!isDay(d)) return false;
  if (knownDays.size < 100_000) knownDays.add(d);
  return true;
}

/** Merges a batch that may hold the same id several times (a paper featured twice). */
export function mergeBatch(papers: Iterable<Paper>): Map<PaperId, Paper> {
  const out = new Map<PaperId, Paper>();
  for (const p of papers) {
    const prev = out.get(p.id);
    out.set(p.id, prev ? mergePapers(prev, p) : p);
  }
  return out;
}

/** The date a paper was last featured, or null for arXiv-only papers. */
export function latestFeaturedDate(p: Paper): string | null {
  return p.featuredDates.length ? p.featuredDates[p.featuredDates.length - 1]! : null;
}

/** Links shown with every paper. */
export interface PaperLinks {
  hf: string;
  arxiv: string;
  pdf: string;
  code: string | null;
  project: string | null;
}

export function paperLinks(p: Paper): PaperLinks {
  return {
    hf: `https://huggingface.co/papers/${p.id}`,
    arxiv: `https://arxiv.org/abs/${p.id}`,
    pdf: `https://arxiv.org/pdf/${p.id}`,
    code: p.githubRepo,
    project: p.projectPage,
  };
}
