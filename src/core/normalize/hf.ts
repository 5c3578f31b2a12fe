/**
 * Hugging Face Daily Papers API items → Paper.
 *
 * The body of `GET /api/daily_papers?date=…` is a JSON array of items
 * `{ paper: {...}, title, summary, publishedAt, numComments, organization?, … }`. Its
 * schema drifted between 2024 and 2026 (2024 items have none of the optional fields;
 * `githubRepo`, `ai_keywords`, `ai_summary`, `githubStars`, `organization`,
 * `submittedOnDailyAt` appeared during 2025), so only what every generation carries is
 * required: `paper.id` and a title. Extra fields are ignored.
 */
import { z } from 'zod';
import { parseArxivId } from '../arxiv-id.js';
import { isDay } from '../dates.js';
import { MalformedDataError } from '../errors.js';
import { mergeBatch, type Paper } from '../paper.js';
import { cleanLine, cleanList, cleanUrl, LIMITS, stripControls } from '../clean-text.js';
import { thumbnailOf } from './thumbnail.js';

// ─── Small shared normalisers (also used by jsonl.ts) ────────────────────────────────

/** The UTC calendar day of a timestamp, or null when it is not one. */
export function utcDayOf(value: string): string | null {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().slice(0, 10);
}

/** One-line outside text, cleaned and capped, or null when nothing is left. */
export function lineOrNull(value: string | null | undefined, max: number): string | null {
  return cleanLine(value ?? '', max) || null;
}

// GitHub logins are alphanumerics and single hyphens; repo names add `.` and `_`.
const GITHUB_OWNER = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
const GITHUB_REPO = /^[A-Za-z0-9._-]+$/;

/** Sentence dots (links lifted from abstracts end "…/repo.") and a `.git` suffix. */
function trimRepoName(name: string): string {
  return name.replace(/\.+$/, '').replace(/\.git$/i, '').replace(/\.+$/, '');
}

/**
 * `https://github.com/owner/repo` from whatever was pasted: line breaks inside the
 * link (two real HF records break after `github.com/`), trailing slashes (even
 * `//`), `/tree/…` and `/blob/…` paths, `.git`, query and fragment, http, www. An
 * org-only link stays `https://github.com/org`. Any other http(s) URL (someone linked
 * GitLab or a project site) is kept as cleanUrl re-serialises it; anything else is null.
 */
export function normalizeGithubRepo(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  let s = stripControls(value).replace(/\s+/g, '');
  if (/^(?:www\.)?github\.com\//i.test(s)) s = `https://${s}`;
  const kept = cleanUrl(s);
  if (!kept) return null;
  const url = new URL(kept);
  if (url.hostname.toLowerCase().replace(/^www\./, '') !== 'github.com') return cleanUrl(value);
  const [first, second] = url.pathname.split('/').filter(Boolean);
  const owner = trimRepoName(first ?? '');
  if (!GITHUB_OWNER.test(owner)) return null;
  const repo = trimRepoName(second ?? '');
  if (repo && GITHUB_REPO.test(repo)) return `https://github.com/${owner}/${repo}`;
  return `https://github.com/${owner}`;
}

/** Cleaned, non-empty, deduplicated case-insensitively (the first spelling wins), capped. */
export function dedupeKeywords(values: readonly unknown[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of values) {
    if (out.length === LIMITS.keywords) break;
    if (typeof v !== 'string') continue;
    const k = cleanLine(v, LIMITS.keyword);
    const key = k.toLowerCase();
    if (!k || seen.has(key)) continue;
    seen.add(key);
    out.push(k);
  }
  return out;
}

/** "a string", "an object with keys a, b", "null" — for error messages. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') {
    const keys = Object.keys(v);
    const shown = keys.slice(0, 8).join(', ') + (keys.length > 8 ? ', …' : '');
    return keys.length ? `an object with keys ${shown}` : 'an empty object';
  }
  return typeof v === 'undefined' ? 'missing' : `a ${typeof v}`;
}

/** `paper.authors[3].name` from a zod issue path. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** The first zod issue as "paper.upvotes is a string, not a number". */
export function describeIssue(error: z.ZodError, input: unknown): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const where = formatPath(issue.path) || 'value';
  if (issue.code === 'invalid_type') {
    const got = valueAt(input, issue.path);
    if (got === undefined) return `${where} is missing`;
    return `${where} is ${describeValue(got)}, not ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
  }
  return `${where}: ${issue.message}`;
}

// ─── Schema ──────────────────────────────────────────────────────────────────────────

/**
 * Enrichment fields (AI summary, keywords, links, stars, organisation) fall back to
 * null when their type is off: HF adds and reshapes them often, and losing a day's
 * digest over a cosmetic field would be worse than showing the paper without it.
 * The fields that identify and date a paper are checked strictly.
 */
const lenient = <T extends z.ZodType>(schema: T) => schema.nullish().catch(null);

const org = z.object({ name: z.string().nullish(), fullname: z.string().nullish() });

const paperSchema = z.object({
  id: z.string(),
  title: z.string().nullish(),
  summary: z.string().nullish(),
  publishedAt: z.string().nullish(),
  submittedOnDailyAt: z.string().nullish(),
  authors: z.array(z.object({ name: z.string(), hidden: z.boolean().nullish() })).nullish(),
  upvotes: z.number().nullish(),
  ai_summary: lenient(z.string()),
  ai_keywords: lenient(z.array(z.unknown())),
  githubRepo: lenient(z.string()),
  githubStars: lenient(z.number()),
  projectPage: lenient(z.string()),
  organization: lenient(org),
  thumbnail: lenient(z.string()),
  mediaUrls: lenient(z.array(z.unknown())),
});

const itemSchema = z.object({
  paper: paperSchema,
  title: z.string().nullish(),
  summary: z.string().nullish(),
  publishedAt: z.string().nullish(),
  numComments: z.number().nullish(),
  organization: lenient(org),
  thumbnail: lenient(z.string()),
  mediaUrls: lenient(z.array(z.unknown())),
});

type HfItem = z.infer<typeof itemSchema>;

export interface HfItemContext {
  /** The day the caller asked for (API `?date=`, or a file named YYYY-MM-DD.json). */
  date?: string;
  /** File name or request, for error messages. */
  where: string;
  index: number;
}

// ─── Validation ──────────────────────────────────────────────────────────────────────

/** A string item: say whether it is a Python repr or double-encoded JSON, the two real cases. */
function describeStringItem(s: string): string {
  const t = s.trim();
  if (/^\{\s*'/.test(t) || /'\s*:\s*(?:True|False|None)\b/.test(t)) return 'it looks like a Python repr, not JSON';
  if (t.startsWith('{')) {
    try {
      JSON.parse(t);
      return 'it holds JSON encoded a second time as a string';
    } catch {
      /* fall through */
    }
  }
  return `it starts ${JSON.stringify(t.slice(0, 30))}`;
}

interface ValidItem {
  item: HfItem;
  id: string;
  title: string;
}

/** One item that could not be used: which paper (when its id could be read), which field, why. */
export interface SkippedItem {
  index: number;
  id: string | null;
  /** Where in the item, e.g. "paper.upvotes" or "title". */
  field: string;
  problem: string;
}

/** A bad item, with what a caller that skips it needs to report it. */
class BadItemError extends MalformedDataError {
  constructor(where: string, message: string, readonly skipped: SkippedItem) {
    super(where, message);
  }
}

/** The arXiv id of an item that failed validation, when it still has a usable one. */
function rawId(raw: unknown): string | null {
  const id = (raw as { paper?: { id?: unknown } } | null)?.paper?.id;
  return typeof id === 'string' ? parseArxivId(id) : null;
}

function validateItem(raw: unknown, where: string, at: string, index: number): ValidItem {
  const fail = (field: string, problem: string, id: string | null = rawId(raw)) =>
    new BadItemError(where, `${at}${problem}`, { index, id, field, problem: problem.replace(/^(?: \([^)]*\))?:? ?/, '') });
  if (typeof raw === 'string') throw fail('item', ` is a string, not an object (${describeStringItem(raw)})`);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw fail('item', ` is ${describeValue(raw)}, not an object`);
  const parsed = itemSchema.safeParse(raw);
  if (!parsed.success) throw fail(formatPath(parsed.error.issues[0]?.path ?? []) || 'item', `: ${describeIssue(parsed.error, raw)}`);
  const item = parsed.data;
  const id = parseArxivId(item.paper.id);
  if (!id) throw fail('paper.id', `: paper.id ${JSON.stringify(item.paper.id.slice(0, 40))} is not an arXiv id`, null);
  const title = cleanLine(item.title ?? '', LIMITS.title) || cleanLine(item.paper.title ?? '', LIMITS.title);
  if (!title) throw fail('title', ` (${id}): no title (neither title nor paper.title)`, id);
  for (const key of ['submittedOnDailyAt', 'publishedAt'] as const) {
    const ts = item.paper[key];
    if (ts && !utcDayOf(ts)) throw fail(`paper.${key}`, ` (${id}): paper.${key} ${JSON.stringify(ts.slice(0, 40))} is not a timestamp`, id);
  }
  if (item.publishedAt && !utcDayOf(item.publishedAt)) {
    throw fail('publishedAt', ` (${id}): publishedAt ${JSON.stringify(item.publishedAt.slice(0, 40))} is not a timestamp`, id);
  }
  return { item, id, title };
}

// ─── Normalisation ───────────────────────────────────────────────────────────────────

/**
 * The day a paper was featured. Measured on 558 archived days (2024-05 … 2026-08):
 * - `paper.submittedOnDailyAt` (present from 2025-03) equals the featured day in every
 *   one of 7,077 items, so it wins.
 * - The item-level `publishedAt` does not: from 2025 it is often days earlier than the
 *   day the paper was featured (up to 100+), and in late 2024 it is the previous
 *   evening UTC (e.g. 2024-12-01T23:12Z for the 2024-12-02 list).
 * - So, without submittedOnDailyAt, the day the caller asked for (`?date=`, or the
 *   file's name) is the truth; the UTC day of item.publishedAt is the last resort.
 */
function featuredDay(item: HfItem, ctx: { date?: string }): string | null {
  if (item.paper.submittedOnDailyAt) return utcDayOf(item.paper.submittedOnDailyAt);
  if (ctx.date) return ctx.date;
  return item.publishedAt ? utcDayOf(item.publishedAt) : null;
}

function toPaper({ item, id, title }: ValidItem, ctx: { date?: string }): Paper {
  const p = item.paper;
  const day = featuredDay(item, ctx);
  const orgName = p.organization?.fullname ?? item.organization?.fullname ?? p.organization?.name ?? item.organization?.name;
  return {
    id,
    title,
    abstract: cleanLine(p.summary ?? item.summary ?? '', LIMITS.abstract),
    authors: cleanList((p.authors ?? []).filter((a) => a.hidden !== true).map((a) => a.name), LIMITS.authors, LIMITS.authorName),
    publishedAt: p.publishedAt ? utcDayOf(p.publishedAt) : null,
    featuredDates: day ? [day] : [],
    upvotes: p.upvotes ?? null,
    comments: item.numComments ?? null,
    aiSummary: lineOrNull(p.ai_summary, LIMITS.abstract),
    keywords: dedupeKeywords(p.ai_keywords ?? []),
    githubRepo: normalizeGithubRepo(p.githubRepo),
    githubStars: p.githubStars ?? null,
    projectPage: cleanUrl(p.projectPage),
    organization: lineOrNull(orgName, LIMITS.label),
    thumbnail: thumbnailOf([item.thumbnail, p.thumbnail], [...(p.mediaUrls ?? []), ...(item.mediaUrls ?? [])]),
    categories: [],
    sources: ['hf'],
  };
}

function checkDate(ctx: { date?: string }): void {
  if (ctx.date !== undefined && !isDay(ctx.date)) throw new Error(`normalizeHf: ctx.date "${ctx.date}" is not YYYY-MM-DD`);
}

/** One Daily Papers item → Paper; MalformedDataError naming `ctx.where` and the item. */
export function normalizeHfItem(item: unknown, ctx: HfItemContext): Paper {
  return normalizeHfItemAt(item, ctx, `item ${ctx.index}`);
}

/** The same, with the location spelt by the caller ("line 12" in a JSONL file). */
export function normalizeHfItemAt(item: unknown, ctx: { date?: string; where: string }, at: string): Paper {
  checkDate(ctx);
  return toPaper(validateItem(item, ctx.where, at, -1), ctx);
}

function checkBody(body: unknown, ctx: { date?: string; where: string }): asserts body is unknown[] {
  checkDate(ctx);
  if (!Array.isArray(body)) {
    throw new MalformedDataError(ctx.where, `expected a JSON array of Daily Papers items, got ${describeValue(body)}`);
  }
}

/**
 * A whole day file → papers merged by id. Every item is validated before any is
 * normalised, so a bad file yields an error and never half a day: an import is all or
 * nothing.
 */
export function normalizeHfDay(body: unknown, ctx: { date?: string; where: string }): Paper[] {
  checkBody(body, ctx);
  const valid = body.map((raw, index) => validateItem(raw, ctx.where, `item ${index}`, index));
  return [...mergeBatch(valid.map((v) => toPaper(v, ctx))).values()];
}

/**
 * An API day → the good items' papers, and the bad items skipped, for the caller to log
 * and count. One bad item must not cost the day's digest. A day where every item is bad
 * is not one bad item but a changed format, so it still fails with the first problem.
 */
export function normalizeHfDaySkippingBad(body: unknown, ctx: { date?: string; where: string }): { papers: Paper[]; skipped: SkippedItem[] } {
  checkBody(body, ctx);
  const valid: ValidItem[] = [];
  const bad: BadItemError[] = [];
  body.forEach((raw, index) => {
    try {
      valid.push(validateItem(raw, ctx.where, `item ${index}`, index));
    } catch (err) {
      if (!(err instanceof BadItemError)) throw err;
      bad.push(err);
    }
  });
  if (bad.length && !valid.length) throw bad[0]!;
  return { papers: [...mergeBatch(valid.map((v) => toPaper(v, ctx))).values()], skipped: bad.map((e) => e.skipped) };
}
