import { parseDay } from '../src/core/dates.js';
import { UserInputError } from '../src/core/errors.js';
import type { CommandSpec } from '../src/core/command-spec/spec.js';
import type { SearchFilters } from '../src/core/ports.js';
import { text } from '../src/core/reply.js';
import { MAX_RESULTS } from '../src/core/search-service.js';
import { clip, quoted } from './support.js';

export const search: CommandSpec = {
  name: 'search',
  description: 'Search every paper the bot has seen',
  usage: 'search <query> [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--min-upvotes N] [--code] [--top N]',
  options: [
    { name: 'query', description: 'Words or "phrases"; also title:word, author:name, -exclude', type: 'string', required: true, positional: true, rest: true, maxLength: 4000 },
    { name: 'from', description: 'Featured on or after this day (YYYY-MM-DD)', type: 'string', maxLength: 10 },
    { name: 'to', description: 'Featured on or before this day (YYYY-MM-DD)', type: 'string', maxLength: 10 },
    { name: 'min_upvotes', description: 'Only papers with at least this many upvotes', type: 'integer', min: 0, max: 10000, aliases: ['upvotes'] },
    { name: 'code', description: 'Only papers with a code repository', type: 'boolean', aliases: ['has_code'] },
    { name: 'top', description: `How many results in all (1–${MAX_RESULTS}, default ${MAX_RESULTS})`, type: 'integer', min: 1, max: MAX_RESULTS, aliases: ['limit'] },
    { name: 'page', description: 'Page of results to show', type: 'integer', min: 1, max: MAX_RESULTS },
  ],
  async handler(ctx, o) {
    const query = String(o.query ?? '');
    const filters: SearchFilters = {};
    if (o.from !== undefined) filters.featuredFrom = parseDay(String(o.from));
    if (o.to !== undefined) filters.featuredTo = parseDay(String(o.to));
    if (filters.featuredFrom && filters.featuredTo && filters.featuredFrom > filters.featuredTo) {
      throw new UserInputError(`--from ${filters.featuredFrom} is after --to ${filters.featuredTo}.`);
    }
    if (o.min_upvotes !== undefined) filters.minUpvotes = Number(o.min_upvotes);
    if (o.code === true) filters.hasCode = true;
    const req = { page: Number(o.page ?? 1), filters, ...(o.top === undefined ? {} : { limit: Number(o.top) }) };
    const r = await ctx.services.search.search(query, req);
    const didYouMean = r.suggestion ? `Did you mean ${quoted(r.suggestion)}?` : '';
    if (!r.papers.length) {
      const filtered = Object.keys(filters).length ? ' with these filters' : '';
      const hint = didYouMean || 'Try fewer or broader words.';
      return text(`No papers match ${quoted(query)}${filtered}. ${hint}${r.notice ? ` (${r.notice})` : ''}`);
    }
    const notice = [didYouMean, r.notice].filter(Boolean).join(' ');
    const args: Record<string, string | number | boolean> = { query };
    for (const k of ['from', 'to', 'min_upvotes', 'code', 'top'] as const) if (o[k] !== undefined) args[k] = o[k]!;
    return {
      kind: 'papers',
      heading: `Search: ${clip(query, 80)}`,
      subheading: `${r.total.toLocaleString('en-US')} match${r.total === 1 ? '' : 'es'}${describeFilters(filters)}`,
      papers: r.papers,
      pager: { command: 'search', args, page: r.page, pageCount: r.pageCount, total: r.total },
      ...(notice ? { notice } : {}),
      ephemeral: true,
    };
  },
};

function describeFilters(f: SearchFilters): string {
  const parts: string[] = [];
  if (f.featuredFrom && f.featuredTo) parts.push(`featured ${f.featuredFrom} to ${f.featuredTo}`);
  else if (f.featuredFrom) parts.push(`featured since ${f.featuredFrom}`);
  else if (f.featuredTo) parts.push(`featured until ${f.featuredTo}`);
  if (f.minUpvotes) parts.push(`≥ ${f.minUpvotes} upvotes`);
  if (f.hasCode) parts.push('with code');
  return parts.length ? ` · ${parts.join(', ')}` : '';
}
