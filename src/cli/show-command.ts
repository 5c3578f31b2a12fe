import type { CliDeps } from './cli-deps.js';
import { parseArxivId } from '../core/arxiv-id.js';
import { NotFoundError, UserInputError } from '../core/errors.js';
import { paperLinks } from '../core/paper.js';
import { paperJson, printJson, println } from './cli-output.js';
import { tldrOf } from '../core/digest/tldr.js';

export async function showCommand(core: CliDeps, ref: string | undefined, json: boolean): Promise<void> {
  const id = parseArxivId(ref ?? '');
  if (!id) throw new UserInputError(`"${(ref ?? '').slice(0, 60)}" is not an arXiv id or paper URL (e.g. 2405.15738).`);
  const p = await core.store.getPaper(id);
  if (!p) throw new NotFoundError(`No paper ${id} in the store. Import or ingest it first.`);
  if (json) return printJson({ ...paperJson(p), abstract: p.abstract, aiSummary: p.aiSummary, categories: p.categories, projectPage: p.projectPage, organization: p.organization, githubStars: p.githubStars, sources: p.sources });
  const l = paperLinks(p);
  println(`${p.title} (${p.id})`);
  println(p.authors.join(', '));
  println(`▲ ${p.upvotes ?? '–'} · 💬 ${p.comments ?? '–'} · featured ${p.featuredDates.join(', ') || 'never'} · arXiv ${p.publishedAt ?? '–'}`);
  println(`\nTL;DR: ${tldrOf(p)}\n\n${p.abstract}\n`);
  println([l.hf, l.arxiv, l.pdf, l.code, l.project].filter(Boolean).join('\n'));
}
