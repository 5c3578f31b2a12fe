/**
 * The papers' SQL and row mapping for PostgresStore: the statements, the typed-array
 * parameters they take, and the cleaning PostgreSQL text needs.
 */
import type { Paper, PaperSourceName } from '../../core/paper.js';

export const PAPER_SELECT = `
  SELECT p.id, p.title, p.abstract, p.authors, p.published_at, p.upvotes, p.comments, p.ai_summary, p.keywords,
    p.github_repo, p.github_stars, p.project_page, p.organization, p.categories, p.sources, p.thumbnail,
    ARRAY(SELECT f.day FROM paper_features f WHERE f.paper_id = p.id ORDER BY f.day) AS days
  FROM papers p`;

/**
 * One multi-row statement per chunk, a column per parameter: unnest of typed arrays is
 * the fastest bulk path node-postgres has without COPY (about half the time of
 * json_to_recordset, whose JSON parsing dominates at 80k papers). Array columns travel
 * as array literals (see textArrayLiteral) and are cast row by row.
 */
export const PAPER_WRITE = `
  INSERT INTO papers AS p (id, title, abstract, authors, published_at, upvotes, comments, ai_summary, keywords,
    github_repo, github_stars, project_page, organization, categories, sources, thumbnail)
  SELECT id, title, abstract, authors::text[], published_at, upvotes, comments, ai_summary, keywords::text[],
    github_repo, github_stars, project_page, organization, categories::text[], sources::text[], thumbnail
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::text[],
    $9::text[], $10::text[], $11::int[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[])
    AS x(id, title, abstract, authors, published_at, upvotes, comments, ai_summary, keywords,
      github_repo, github_stars, project_page, organization, categories, sources, thumbnail)
  ON CONFLICT (id) DO UPDATE SET title = excluded.title, abstract = excluded.abstract, authors = excluded.authors,
    published_at = excluded.published_at, upvotes = excluded.upvotes, comments = excluded.comments,
    ai_summary = excluded.ai_summary, keywords = excluded.keywords, github_repo = excluded.github_repo,
    github_stars = excluded.github_stars, project_page = excluded.project_page, organization = excluded.organization,
    categories = excluded.categories, sources = excluded.sources, thumbnail = excluded.thumbnail, updated_at = now()`;

export const FEATURE_WRITE = `
  INSERT INTO paper_features (paper_id, day) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`;

export interface PaperRow {
  id: string;
  title: string;
  abstract: string;
  authors: string[];
  published_at: string | null;
  upvotes: number | null;
  comments: number | null;
  ai_summary: string | null;
  keywords: string[];
  github_repo: string | null;
  github_stars: number | null;
  project_page: string | null;
  organization: string | null;
  categories: string[];
  sources: PaperSourceName[];
  /** Since schema version 6. */
  thumbnail: string | null;
  days: string[];
}

/*
 * PostgreSQL text cannot hold NUL, and an unpaired surrogate reaches it as U+FFFD (UTF-8
 * has no encoding for it), so a re-import would never compare unchanged. Neither ever
 * means anything in a paper: they are cleaned on the way in (NUL dropped, a lone
 * surrogate made U+FFFD) rather than failing a whole import or churning the revision.
 */
const UNSAFE_TEXT = /[\0\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const TEXT_FIELDS = ['id', 'title', 'abstract', 'publishedAt', 'aiSummary', 'githubRepo', 'projectPage', 'organization', 'thumbnail'] as const;
const LIST_FIELDS = ['authors', 'keywords', 'categories', 'featuredDates'] as const;

/** A string PostgreSQL text and jsonb can hold: NUL dropped, a lone surrogate made U+FFFD. */
export function cleanText(s: string): string {
  return UNSAFE_TEXT.test(s) ? s.replace(/\0/g, '').replace(LONE_SURROGATE, '\uFFFD') : s;
}

const unsafe = (v: unknown): boolean => typeof v === 'string' && UNSAFE_TEXT.test(v);

/** The paper itself when it is clean (nearly always), else a cleaned copy; the caller's object is never changed. */
export function storableText(p: Paper): Paper {
  let out: Record<string, unknown> | undefined;
  for (const k of TEXT_FIELDS) {
    const v: unknown = p[k];
    if (unsafe(v)) (out ??= { ...p })[k] = cleanText(v as string);
  }
  for (const k of LIST_FIELDS) {
    const v: unknown = p[k];
    if (Array.isArray(v) && v.some(unsafe)) (out ??= { ...p })[k] = v.map((x: unknown) => (typeof x === 'string' ? cleanText(x) : x));
  }
  return (out as Paper | undefined) ?? p;
}

/** PAPER_WRITE's parameters: one array per column, in its order. */
export function paperColumns(papers: readonly Paper[]): unknown[] {
  const col = <T>(f: (p: Paper) => T): T[] => papers.map(f);
  return [
    col((p) => p.id),
    col((p) => p.title),
    col((p) => p.abstract),
    col((p) => textArrayLiteral(p.authors)),
    col((p) => p.publishedAt),
    col((p) => p.upvotes),
    col((p) => p.comments),
    col((p) => p.aiSummary),
    col((p) => textArrayLiteral(p.keywords)),
    col((p) => p.githubRepo),
    col((p) => p.githubStars),
    col((p) => p.projectPage),
    col((p) => p.organization),
    col((p) => textArrayLiteral(p.categories)),
    col((p) => textArrayLiteral(p.sources)),
    col((p) => p.thumbnail),
  ];
}

/**
 * A text[] literal ({"a","b \"c"}), every element quoted so that NULL, empty strings,
 * commas and braces come back as they went in. node-postgres cannot send a list of lists
 * of different lengths (PostgreSQL arrays are rectangular), hence one literal per row.
 */
function textArrayLiteral(xs: readonly unknown[]): string {
  let out = '{';
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (i > 0) out += ',';
    out += x === null || x === undefined ? 'NULL' : `"${String(x).replace(/[\\"]/g, '\\$&')}"`;
  }
  return `${out}}`;
}

export function rowToPaper(r: PaperRow): Paper {
  return {
    id: r.id,
    title: r.title,
    abstract: r.abstract,
    authors: r.authors,
    publishedAt: r.published_at,
    featuredDates: r.days,
    upvotes: r.upvotes,
    comments: r.comments,
    aiSummary: r.ai_summary,
    keywords: r.keywords,
    githubRepo: r.github_repo,
    githubStars: r.github_stars,
    projectPage: r.project_page,
    organization: r.organization,
    thumbnail: r.thumbnail ?? null,
    categories: r.categories,
    sources: r.sources,
  };
}


