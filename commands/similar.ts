import type { CommandSpec } from '../src/core/command-spec/spec.js';
import { text } from '../src/core/reply.js';
import { clip, paperArg } from './support.js';

export const similar: CommandSpec = {
  name: 'similar',
  description: 'Papers similar to one paper',
  usage: 'similar <arXiv id or URL>',
  options: [
    { name: 'paper', description: 'arXiv id or URL, e.g. 2405.15738', type: 'string', required: true, positional: true, autocomplete: 'paper', maxLength: 300 },
    { name: 'page', description: 'Page to show', type: 'integer', min: 1, max: 10 },
  ],
  async handler(ctx, o) {
    const paper = await paperArg(ctx, o.paper);
    const r = await ctx.services.search.similar(paper.id, { page: Number(o.page ?? 1), limit: 25 });
    if (!r.papers.length) return text(`Nothing similar to "${clip(paper.title)}" yet.`);
    return {
      kind: 'papers',
      heading: `Similar to: ${clip(paper.title, 90)}`,
      subheading: `${paper.id}`,
      papers: r.papers,
      pager: { command: 'similar', args: { paper: paper.id }, page: r.page, pageCount: r.pageCount, total: Math.min(r.total, 25) },
      ephemeral: true,
    };
  },
};
