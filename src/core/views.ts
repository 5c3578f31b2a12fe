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
  return view;
}
