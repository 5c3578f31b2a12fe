/** SQLite's row of the papers table and its mapping to and from Paper (SqliteStore's upsert and reads). */
import type { Paper, PaperSourceName } from '../../core/paper.js';

export interface PaperRow {
  id: string;
  title: string;
  abstract: string;
  authors_json: string;
  published_at: string | null;
  upvotes: number | null;
  comments: number | null;
  ai_summary: string | null;
  keywords_json: string;
  github_repo: string | null;
  github_stars: number | null;
  project_page: string | null;
  organization: string | null;
  categories_json: string;
  sources_json: string;
  /** Since schema version 6. */
  thumbnail: string | null;
  /** Comma-joined featured days (days never contain commas), null when never featured. */
  days: string | null;
}

export function paperParams(p: Paper): Record<string, string | number | null> {
  return {
    id: p.id,
    title: p.title,
    abstract: p.abstract,
    authors_json: JSON.stringify(p.authors),
    published_at: p.publishedAt,
    upvotes: p.upvotes,
    comments: p.comments,
    ai_summary: p.aiSummary,
    keywords_json: JSON.stringify(p.keywords),
    github_repo: p.githubRepo,
    github_stars: p.githubStars,
    project_page: p.projectPage,
    organization: p.organization,
    categories_json: JSON.stringify(p.categories),
    sources_json: JSON.stringify(p.sources),
    thumbnail: p.thumbnail,
  };
}

export function rowToPaper(r: PaperRow): Paper {
  return {
    id: r.id,
    title: r.title,
    abstract: r.abstract,
    authors: JSON.parse(r.authors_json) as string[],
    publishedAt: r.published_at,
    featuredDates: r.days ? r.days.split(',').sort() : [],
    upvotes: r.upvotes,
    comments: r.comments,
    aiSummary: r.ai_summary,
    keywords: JSON.parse(r.keywords_json) as string[],
    githubRepo: r.github_repo,
    githubStars: r.github_stars,
    projectPage: r.project_page,
    organization: r.organization,
    thumbnail: r.thumbnail ?? null,
    categories: JSON.parse(r.categories_json) as string[],
    sources: JSON.parse(r.sources_json) as PaperSourceName[],
  };
}
