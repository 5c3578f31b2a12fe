/** Paper → PaperView: the one place that decides what a paper looks like in chat. */
import { saveAction } from './actions.js';
import { tldrOf } from './digest/tldr.js';
import { latestFeaturedDate, paperLinks, type Paper } from './paper.js';
import type { PaperView } from './reply.js';
import { collapseWhitespace, plainText, shortenAuthors } from './text.js';

export function toPaperView(p: Paper, extra: { rank?: number; snippet?: string } = {}): PaperView {
  const view: PaperView = {
    id: p.id,
    title: collapseWhitespace(plainText(p.title)) || p.id,
    tldr: tldrOf(p),
    authorsLine: shortenAuthors(p.authors),
    authorsCount: p.authors.length,
    upvotes: p.upvotes,
    comments: p.comments,
    featuredDate: latestFeaturedDate(p),
    publishedAt: p.publishedAt,
    links: paperLinks(p),
    keywords: p.keywords.slice(0, 8),
    githubStars: p.githubStars,
    organization: p.organization,
    saveAction: saveAction(p.id),
  };
  if (extra.rank !== undefined) view.rank = extra.rank;
  if (extra.snippet) view.snippet = extra.snippet;
  if (p.thumbnail) view.thumbnail = p.thumbnail;
  return view;
}

/**
 * The picture a renderer may show for a paper: its thumbnail when that is an http(s) URL
 * (a job written elsewhere could carry anything), else null and the card renders as before.
 */
export function pictureOf(v: Pick<PaperView, 'thumbnail'>): string | null {
  const t = v.thumbnail;
  return typeof t === 'string' && /^https?:\/\/[^\s]+$/i.test(t) && t.length <= 2_000 ? t : null;
}
