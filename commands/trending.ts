import { addDays, formatDay } from '../src/core/dates.js';
import type { CommandSpec } from '../src/core/command-spec/spec.js';
import { loadMomentum, MOMENTUM_WINDOW_MS, WEEK_MOMENTUM_WINDOW_MS } from '../src/core/digest/momentum-rate.js';
import { rankForDigest } from '../src/core/digest/rank.js';
import { text } from '../src/core/reply.js';
import { DEFAULT_PAGE_SIZE } from '../src/core/search-service.js';
import { DEFAULT_SETTINGS, describeOrder, parseOrder } from '../src/core/subscription.js';
import { toPaperView } from '../src/core/views.js';
import { channelOf, ORDER_OPTION, todayFor } from './support.js';

const MAX_TRENDING = 25;

export const trending: CommandSpec = {
  name: 'trending',
  description: "Today's or this week's trending papers, in this channel's digest order",
  usage: 'trending [today|week] [--top N] [--order trending|upvotes]',
  options: [
    { name: 'period', description: 'today (default) or week', type: 'string', positional: true, choices: [{ name: 'today', value: 'today' }, { name: 'this week', value: 'week' }] },
    { name: 'top', description: `How many papers (1–${MAX_TRENDING}, default 10)`, type: 'integer', min: 1, max: MAX_TRENDING, aliases: ['limit'] },
    { name: 'page', description: 'Page to show', type: 'integer', min: 1, max: MAX_TRENDING },
    { ...ORDER_OPTION, description: "trending (momentum) or upvotes; default: this channel's digest order" },
  ],
  async handler(ctx, o) {
    const { store, clock } = ctx.services;
    const period = o.period === 'week' ? 'week' : 'today';
    const top = Number(o.top ?? 10);
    // The order: as typed for this call, else the channel's digest setting, else the default (trending).
    const order = o.order !== undefined ? parseOrder(String(o.order)) : ((await store.getSubscription(channelOf(ctx)))?.order ?? DEFAULT_SETTINGS.order);
    const today = await todayFor(ctx);
    // Daily Papers has no list on weekends and holidays, and the bot may be behind:
    // anchor on the latest featured day up to today and say so when it is not today.
    const [latest] = await store.featuredDays({ onOrBefore: today, limit: 1 });
    if (!latest) return text('No papers yet. The bot has not fetched any Daily Papers list.');
    const from = period === 'today' ? latest : addDays(latest, -6);
    const candidates = await store.papersFeaturedBetween(from, latest);
    const momentum = await loadMomentum(store, clock, candidates, order, period === 'week' ? WEEK_MOMENTUM_WINDOW_MS : MOMENTUM_WINDOW_MS);
    const papers = rankForDigest(candidates, momentum).slice(0, top);
    const pageCount = Math.max(1, Math.ceil(papers.length / DEFAULT_PAGE_SIZE));
    const page = Math.min(Math.max(1, Number(o.page ?? 1)), pageCount);
    const first = (page - 1) * DEFAULT_PAGE_SIZE;
    const views = papers.slice(first, first + DEFAULT_PAGE_SIZE).map((p, i) => toPaperView(p, { rank: first + i + 1 }));
    const heading = period === 'today' ? `Trending · ${formatDay(latest)}` : `Trending this week · ${formatDay(from)} – ${formatDay(latest)}`;
    const stale =
      period === 'today'
        ? latest !== today ? `No list yet for ${formatDay(today)}; showing the latest one.` : undefined
        : latest < addDays(today, -6) ? `No list in the week to ${formatDay(today)}; showing the week up to the latest list.` : undefined;
    // Which order this is, always: "trending" means momentum unless the channel chose upvotes.
    const subheading = [stale, `Ranked ${describeOrder(order)}.`].filter(Boolean).join(' ');
    const args: Record<string, string | number> = { period };
    if (o.top !== undefined) args.top = top;
    // The pager keeps the order of the first page, even if the channel's setting changes meanwhile.
    if (o.order !== undefined) args.order = order;
    return {
      kind: 'papers',
      heading,
      subheading,
      papers: views,
      pager: { command: 'trending', args, page, pageCount, total: papers.length },
      ephemeral: true,
    };
  },
};
