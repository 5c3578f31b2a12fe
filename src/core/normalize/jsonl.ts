/**
 * One JSON Lines record → Paper. Three shapes are accepted, told apart by their keys:
 *
 * - arXiv listing records (../shared/data/arxiv-cs-2025-2026.jsonl.gz):
 *   `{id, title, summary, authors[], publishedAt, githubRepo, categories[], listingDates[], …}`.
 *   Listing days are not Daily Papers features, so featuredDates stays empty.
 * - Paper-shaped records (our own export): `{id, title, abstract, authors, featuredDates, …}`.
 * - A Daily Papers API item (`{paper: {...}, …}`), one per line.
 */
import { z } from 'zod';
import { parseArxivId } from '../arxiv-id.js';
import { isDay } from '../dates.js';
import { MalformedDataError } from '../errors.js';
import { SOURCE_PRIORITY, type Paper, type PaperSourceName } from '../paper.js';
import { cleanLine, cleanList, cleanUrl, LIMITS } from '../clean-text.js';
import { dedupeKeywords, describeIssue, describeValue, lineOrNull, normalizeGithubRepo, normalizeHfItemAt, utcDayOf } from './hf.js';
import { thumbnailOf } from './thumbnail.js';

const strings = z.array(z.string());
const count = z.number().int().nonnegative().nullish();

const arxivSchema = z.object({
  id: z.string(),
  title: z.string(),
  summary: z.string().nullish(),
  authors: strings.nullish(),
  publishedAt: z.string().nullish(),
  upvotes: count,
  githubRepo: z.string().nullish(),
  keywords: strings.nullish(),
  categories: strings.nullish(),
});

const paperSchema = z.object({
  id: z.string(),
  title: z.string(),
  abstract: z.string().nullish(),
  authors: strings.nullish(),
  publishedAt: z.string().nullish(),
  featuredDates: strings.nullish(),
  upvotes: count,
  comments: count,
  aiSummary: z.string().nullish(),
  keywords: strings.nullish(),
  githubRepo: z.string().nullish(),
  githubStars: count,
  projectPage: z.string().nullish(),
  thumbnail: z.string().nullish().catch(null),
  organization: z.string().nullish(),
  categories: strings.nullish(),
  sources: strings.nullish(),
});

const authorsOf = (xs: readonly string[] | null | undefined): string[] => cleanList(xs, LIMITS.authors, LIMITS.authorName);
const categoriesOf = (xs: readonly string[] | null | undefined): string[] => sortedUnique(cleanList(xs, LIMITS.keywords, LIMITS.label));
const sortedUnique = (xs: readonly string[]): string[] => [...new Set(xs)].sort();

/** "2025-03-18" from a timestamp or a bare day; null when absent. */
function dayOrNull(value: string | null | undefined, field: string, fail: (p: string) => never): string | null {
  if (!value) return null;
  const day = isDay(value) ? value : utcDayOf(value);
  return day ?? fail(`${field} ${JSON.stringify(value.slice(0, 40))} is not a date`);
}

function fromArxiv(r: z.infer<typeof arxivSchema>, id: string, fail: (p: string) => never): Paper {
  return {
    id,
    title: cleanLine(r.title, LIMITS.title),
    abstract: cleanLine(r.summary ?? '', LIMITS.abstract),
    authors: authorsOf(r.authors),
    publishedAt: dayOrNull(r.publishedAt, 'publishedAt', fail),
    featuredDates: [],
    upvotes: r.upvotes ?? null,
    comments: null,
    aiSummary: null,
    keywords: dedupeKeywords(r.keywords ?? []),
    githubRepo: normalizeGithubRepo(r.githubRepo),
    githubStars: null,
    projectPage: null,
    organization: null,
    thumbnail: null,
    categories: categoriesOf(r.categories),
    sources: ['arxiv'],
  };
}

function fromPaper(r: z.infer<typeof paperSchema>, id: string, fail: (p: string) => never): Paper {
  const featured = (r.featuredDates ?? []).map((d) => (isDay(d) ? d : fail(`featuredDates holds ${JSON.stringify(d.slice(0, 40))}, not YYYY-MM-DD`)));
  const known = (r.sources ?? []).filter((s): s is PaperSourceName => (SOURCE_PRIORITY as readonly string[]).includes(s));
  return {
    id,
    title: cleanLine(r.title, LIMITS.title),
    abstract: cleanLine(r.abstract ?? '', LIMITS.abstract),
    authors: authorsOf(r.authors),
    publishedAt: dayOrNull(r.publishedAt, 'publishedAt', fail),
    featuredDates: sortedUnique(featured),
    upvotes: r.upvotes ?? null,
    comments: r.comments ?? null,
    aiSummary: lineOrNull(r.aiSummary, LIMITS.abstract),
    keywords: dedupeKeywords(r.keywords ?? []),
    githubRepo: normalizeGithubRepo(r.githubRepo),
    githubStars: r.githubStars ?? null,
    projectPage: cleanUrl(r.projectPage),
    organization: lineOrNull(r.organization, LIMITS.label),
    thumbnail: thumbnailOf([r.thumbnail], []),
    categories: categoriesOf(r.categories),
    // A file says which sources it came from; anything else we only know came from a file.
    sources: known.length ? [...new Set(known)].sort((a, b) => SOURCE_PRIORITY.indexOf(a) - SOURCE_PRIORITY.indexOf(b)) : ['file'],
  };
}

/**
 * Same as normalizeJsonlRecord, with the location spelt by the caller ("line 12",
 * "item 3") so JSON arrays of records share the rules.
 */
export function normalizeRecordAt(obj: unknown, where: string, at: string): Paper {
  const fail = (problem: string): never => {
    throw new MalformedDataError(where, `${at}: ${problem}`);
  };
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return fail(`expected a JSON object, got ${describeValue(obj)}`);
  const keys = obj as Record<string, unknown>;
  if ('paper' in keys) return normalizeHfItemAt(obj, { where }, at);
  const isPaper = 'abstract' in keys || 'featuredDates' in keys;
  if (!isPaper && !('summary' in keys)) {
    return fail(`expected an arXiv record (id, title, summary …) or a paper (id, title, abstract …), got ${describeValue(obj)}`);
  }
  const schema = isPaper ? paperSchema : arxivSchema;
  const parsed = schema.safeParse(obj);
  if (!parsed.success) return fail(describeIssue(parsed.error, obj));
  const id = parseArxivId(parsed.data.id);
  if (!id) return fail(`id ${JSON.stringify(parsed.data.id.slice(0, 40))} is not an arXiv id`);
  if (!cleanLine(parsed.data.title, LIMITS.title)) return fail(`${id} has an empty title`);
  return isPaper
    ? fromPaper(parsed.data as z.infer<typeof paperSchema>, id, fail)
    : fromArxiv(parsed.data as z.infer<typeof arxivSchema>, id, fail);
}

/** One parsed JSONL line → Paper; MalformedDataError naming the file and the line (1-based). */
export function normalizeJsonlRecord(obj: unknown, ctx: { where: string; line: number }): Paper {
  return normalizeRecordAt(obj, ctx.where, `line ${ctx.line}`);
}
