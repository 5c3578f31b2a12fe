import type { CommandContext, CommandSpec } from '../src/core/command-spec/spec.js';
import { UserInputError } from '../src/core/errors.js';
import { toBibtex, toMarkdown } from '../src/core/export.js';
import type { Paper } from '../src/core/paper.js';
import { parseArxivId } from '../src/core/arxiv-id.js';
import { text } from '../src/core/reply.js';
import { toPaperView } from '../src/core/views.js';
import { clip } from './support.js';

const PAGE = 5;

async function bookmarkedPapers(ctx: CommandContext): Promise<Paper[]> {
  const { store } = ctx.services;
  const marks = await store.listBookmarks(ctx.inv.platform, ctx.inv.userId);
  return store.getPapers(marks.map((b) => b.paperId));
}

export const bookmarks: CommandSpec = {
  name: 'bookmarks',
  description: 'Your bookmarks: list, remove, or export as BibTeX or Markdown',
  usage: 'bookmarks [list | remove <id or number> | export bibtex|markdown]',
  options: [
    {
      name: 'action',
      description: 'list (default), remove or export',
      type: 'string',
      positional: true,
      choices: [{ name: 'list', value: 'list' }, { name: 'remove', value: 'remove' }, { name: 'export', value: 'export' }],
    },
    { name: 'format', description: 'Export format: bibtex (default) or markdown', type: 'string', positional: true, choices: [{ name: 'BibTeX', value: 'bibtex' }, { name: 'Markdown', value: 'markdown' }] },
    { name: 'paper', description: 'For remove: arXiv id, URL, or number in your list', type: 'string', positional: true, autocomplete: 'paper', maxLength: 300 },
    { name: 'page', description: 'Page of the list', type: 'integer', min: 1, max: 1000 },
  ],
  async handler(ctx, o) {
    const action = String(o.action ?? (o.format ? 'export' : o.paper ? 'remove' : 'list'));
    const papers = await bookmarkedPapers(ctx);

    if (action === 'remove') {
      if (o.paper === undefined) throw new UserInputError('Which bookmark? Give its arXiv id or its number in /papers bookmarks.');
      const raw = String(o.paper).trim();
      const byNumber = /^\d{1,4}$/.test(raw) ? papers[Number(raw) - 1] : undefined;
      const id = byNumber?.id ?? parseArxivId(raw);
      if (!id) throw new UserInputError(`"${clip(raw, 40)}" is neither an arXiv id nor a number from your list.`);
      const removed = await ctx.services.store.removeBookmark(ctx.inv.platform, ctx.inv.userId, id);
      if (!removed) return text(`${id} is not in your bookmarks.`);
      const title = papers.find((p) => p.id === id)?.title;
      return text(`Removed ${title ? `"${clip(title)}"` : id} from your bookmarks.`, 'success');
    }

    if (action === 'export') {
      // "export pdf": the word fell through to the paper slot, since it is no format.
      if (o.format === undefined && o.paper !== undefined) {
        throw new UserInputError(`"${clip(String(o.paper), 20)}" is not an export format: use bibtex or markdown (/papers bookmarks export markdown).`);
      }
      if (!papers.length) return text('You have no bookmarks to export yet. React with 🔖 to a paper to save it.');
      const markdown = o.format === 'markdown';
      return {
        kind: 'file',
        filename: markdown ? 'bookmarks.md' : 'bookmarks.bib',
        mimeType: markdown ? 'text/markdown' : 'application/x-bibtex',
        content: markdown ? toMarkdown(papers) : toBibtex(papers),
        text: `Your ${papers.length} bookmark${papers.length === 1 ? '' : 's'} as ${markdown ? 'Markdown' : 'BibTeX'}.`,
        ephemeral: true,
      };
    }

    if (!papers.length) return text('No bookmarks yet. React with 🔖 to a paper the bot posted, or press its Save button.');
    const pageCount = Math.ceil(papers.length / PAGE);
    const page = Math.min(Math.max(1, Number(o.page ?? 1)), pageCount);
    const first = (page - 1) * PAGE;
    return {
      kind: 'papers',
      heading: `Your bookmarks (${papers.length})`,
      subheading: 'Remove one with /papers bookmarks remove <number>; export with /papers bookmarks export bibtex',
      papers: papers.slice(first, first + PAGE).map((p, i) => toPaperView(p, { rank: first + i + 1 })),
      pager: { command: 'bookmarks', args: { action: 'list' }, page, pageCount, total: papers.length },
      ephemeral: true,
    };
  },
};
