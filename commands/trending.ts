import { addDays, formatDay } from '../src/core/dates.js';
import type { CommandSpec } from '../src/core/command-spec/spec.js';
import { rankForDigest } from '../src/core/digest/rank.js';
import { text } from '../src/core/reply.js';
import { DEFAULT_PAGE_SIZE } from '../src/core/search-service.js';
import { toPaperView } from '../src/core/views.js';
import { todayFor } from './support.js';

const MAX_TRENDING = 25;

export const trending: CommandSpec = {
  name: 'trending',
  description: "Today's or this week's most upvoted papers",
  usage: 'trending [today|week] [--top N]',
  options: [
    { name: 'period', description: 'today (default) or week', type: 'string', positional: true, choices: [{ name: 'today', value: 'today' }, { name: 'this week', value: 'week' }] },
    { name: 'top', description: `How many papers (1–${MAX_TRENDING}, default 10)`, type: 'integer', min: 1, max: MAX_TRENDING, aliases: ['limit'] },
    { name: 'page', description: 'Page to show', type: 'integer', min: 1, max: MAX_TRENDING },
  ],
  async handler(ctx, o) {
    const { store } = ctx.services;
    const period = o.period === 'week' ? 'week' : 'today';
    const top = Number(o.top ?? 10);
    const today = await todayFor(ctx);
    // Daily Papers has no list on weekends and holidays, and the bot may be behind:
    // anchor on the latest featured day up to today and say so when it is not today.
    const [latest] = await store.featuredDays({ onOrBefore: today, limit: 1 });
    if (!latest) return text('No papers yet. The bot has not fetched any Daily Papers list.');
    const from = period === 'today' ? latest : addDays(latest, -6);
    const papers = rankForDigest(await store.papersFeaturedBetween(from, latest)).slice(0, top);
    const pageCount = Math.max(1, Math.ceil(papers.length / DEFAULT_PAGE_SIZE));
    const page = Math.min(Math.max(1, Number(o.page ?? 1)), pageCount);
    const first = (page - 1) * DEFAULT_PAGE_SIZE;
    const views = papers.slice(first, first + DEFAULT_PAGE_SIZE).map((p, i) => toPaperView(p, { rank: first + i + 1 }));
    const heading = period === 'today' ? `Trending · ${formatDay(latest)}` : `Trending this week · ${formatDay(from)} – ${formatDay(latest)}`;
    const stale =
      period === 'today'
        ? latest !== today ? `No list yet for ${formatDay(today)}; showing the latest one.` : undefined
        : latest < addDays(today, -6) ? `No list in the week to ${formatDay(today)}; showing the week up to the latest list.` : undefined;
    const args: Record<string, string | number> = { period };
    if (o.top !== undefined) args.top = top;
    return {
      kind: 'papers',
      heading,
      ...(stale ? { subheading: stale } : {}),
      papers: views,
      pager: { command: 'trending', args, page, pageCount, total: papers.length },
      ephemeral: true,
    };
  },
};
