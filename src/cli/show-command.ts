import type { CliDeps } from './cli-deps.js';
import { parseArxivId } from '../core/arxiv-id.js';
import { NotFoundError, UserInputError } from '../core/errors.js';
import { paperJson, printJson, println } from './cli-output.js';
import { collapseWhitespace, plainText } from '../core/text.js';
import { toPaperView } from '../core/views.js';
import { renderReply } from '../platforms/console/render.js';

export async function showCommand(core: CliDeps, ref: string | undefined, json: boolean): Promise<void> {
  const id = parseArxivId(ref ?? '');
  if (!id) throw new UserInputError(`"${(ref ?? '').slice(0, 60)}" is not an arXiv id or paper URL (e.g. 2405.15738).`);
  const p = await core.store.getPaper(id);
  if (!p) throw new NotFoundError(`No paper ${id} in the store. Import or ingest it first.`);
  if (json) return printJson({ ...paperJson(p), abstract: p.abstract, aiSummary: p.aiSummary, categories: p.categories, projectPage: p.projectPage, organization: p.organization, githubStars: p.githubStars, sources: p.sources });
  // The console's renderer: wrapped to the terminal, control characters from upstream text removed.
  println(renderReply({ kind: 'paper', paper: toPaperView(p), abstract: collapseWhitespace(plainText(p.abstract)), authors: p.authors, ephemeral: true }, core.style));
  println(`Featured ${p.featuredDates.join(', ') || 'never'} · arXiv ${p.publishedAt ?? '–'}`);
}
