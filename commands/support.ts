/** Helpers several command specs share: resolving papers, channels and digest settings. */
import { parseArxivId } from '../src/core/arxiv-id.js';
import type { CommandContext, OptionValues } from '../src/core/command-spec/spec.js';
import { dayInZone } from '../src/core/dates.js';
import { NotFoundError, UserInputError } from '../src/core/errors.js';
import type { Paper } from '../src/core/paper.js';
import type { ChannelRef } from '../src/core/ports.js';
import {
  DEFAULT_SETTINGS,
  MAX_TOPIC_LENGTH,
  parseCadence,
  parseOrder,
  resolveTimezone,
  parseTimeOfDay,
  parseWeekdays,
  validateMinUpvotes,
  validateTopN,
  type DigestSettings,
  type Subscription,
} from '../src/core/subscription.js';

export function channelOf(ctx: CommandContext): ChannelRef {
  const { platform, workspaceId, channelId } = ctx.inv;
  return { platform, workspaceId, channelId };
}

import { clip } from '../src/core/text.js';
import { PING_OPTIONS } from './ping-option.js';

export { clip, quoted } from '../src/core/text.js';

/** A paper from an id or URL the user typed; short errors for anything else. */
export async function paperArg(ctx: CommandContext, value: unknown): Promise<Paper> {
  const text = String(value ?? '').trim();
  const id = parseArxivId(text);
  if (!id) {
    throw new UserInputError(`"${clip(text, 40)}" is not an arXiv id or paper URL (e.g. 2405.15738 or https://arxiv.org/abs/2405.15738).`);
  }
  const paper = await ctx.services.store.getPaper(id);
  if (!paper) throw new NotFoundError(`I have not seen paper ${id}. Try /papers search to find it by title.`);
  return paper;
}

/** "Today" for this channel: its subscription's timezone, else the bot's default. */
export async function todayFor(ctx: CommandContext): Promise<string> {
  const sub = await ctx.services.store.getSubscription(channelOf(ctx));
  return dayInZone(ctx.services.clock.now(), sub?.timezone ?? ctx.services.defaults.timezone);
}

/** `--order`: trending (momentum, the default) or upvotes; /papers trending takes it too, for one call. */
export const ORDER_OPTION = {
  name: 'order',
  description: 'trending (default: upvotes gained per hour since featured) or upvotes',
  type: 'string',
  maxLength: 20,
  choices: [{ name: 'trending (momentum)', value: 'trending' }, { name: 'upvotes', value: 'upvotes' }],
} as const;

export const SETTINGS_OPTIONS = [
  { name: 'time', description: 'Local time of the daily digest, HH:MM (default 09:00)', type: 'string', maxLength: 10 },
  { name: 'timezone', description: 'IANA timezone, e.g. Europe/Paris (default UTC)', type: 'string', autocomplete: 'timezone', maxLength: 64 },
  { name: 'weekdays', description: 'Days to post: mon-fri, daily, or mon,wed,fri (one day when weekly)', type: 'string', maxLength: 40 },
  { name: 'every', description: 'day (default) or week: the top of the past seven featured days', type: 'string', maxLength: 10 },
  { name: 'top', description: 'Papers per digest, 1–10 (default 5)', type: 'integer', min: 1, max: 10, aliases: ['top_n'] },
  { name: 'min_upvotes', description: 'Leave out papers with fewer upvotes', type: 'integer', min: 0, max: 10000, aliases: ['upvotes'] },
  { name: 'topic', description: 'Only papers matching this search (use "none" to clear)', type: 'string', maxLength: MAX_TOPIC_LENGTH },
  ORDER_OPTION,
  { name: 'threads', description: 'on: the header in the channel, its papers in a thread under it (default off)', type: 'boolean' },
  ...PING_OPTIONS,
] as const;

export function hasSettings(o: OptionValues): boolean {
  return SETTINGS_OPTIONS.some((s) => o[s.name] !== undefined);
}

/**
 * The schedule options a channel's digest and a person's inbox share (--time, --timezone,
 * --weekdays, --every), applied to a copy of `base`; `notes` says how an input was read.
 * Switching to weekly without naming a day means Monday; back to daily, Mon–Fri.
 */
export function applySchedule<T extends Pick<DigestSettings, 'hour' | 'minute' | 'timezone' | 'weekdays' | 'every'>>(base: T, o: OptionValues, notes: string[]): T {
  const next: T = { ...base, weekdays: [...base.weekdays] };
  if (o.time !== undefined) Object.assign(next, parseTimeOfDay(String(o.time)));
  if (o.timezone !== undefined) {
    const tz = resolveTimezone(String(o.timezone));
    next.timezone = tz.zone;
    if (tz.note) notes.push(tz.note);
  }
  if (o.weekdays !== undefined) next.weekdays = parseWeekdays(String(o.weekdays));
  if (o.every !== undefined) {
    const every = parseCadence(String(o.every));
    if (every === 'week' && base.every !== 'week' && o.weekdays === undefined) next.weekdays = [1];
    if (every === 'day' && base.every === 'week' && o.weekdays === undefined) next.weekdays = [1, 2, 3, 4, 5];
    next.every = every;
  }
  return next;
}

/**
 * Applies the typed options to `base`, validating each; the topic is checked against the
 * search parser. `notes` says how an input was read (a timezone abbreviation).
 */
export async function applySettings(ctx: CommandContext, base: DigestSettings, o: OptionValues, notes: string[] = []): Promise<DigestSettings> {
  const next: DigestSettings = applySchedule(base, o, notes);
  if (next.every === 'week' && next.weekdays.length !== 1) throw new UserInputError('A weekly digest posts on one day: give one weekday, e.g. --weekdays mon.');
  if (o.top !== undefined) next.topN = validateTopN(Number(o.top));
  if (o.min_upvotes !== undefined) next.minUpvotes = validateMinUpvotes(Number(o.min_upvotes));
  if (o.order !== undefined) next.order = parseOrder(String(o.order));
  if (o.topic !== undefined) {
    const topic = String(o.topic).trim();
    if (!topic || /^(none|off|clear|-)$/i.test(topic)) next.topic = null;
    else {
      if (topic.length > MAX_TOPIC_LENGTH) throw new UserInputError(`A topic can be at most ${MAX_TOPIC_LENGTH} characters.`);
      // Runs the topic through the same parser as searches: a topic that cannot be
      // searched ("+", "of the", "title:") is refused now rather than at 9 a.m.
      await ctx.services.index.search(topic, { limit: 1 });
      next.topic = topic;
    }
  }
  return next;
}

export function newSubscription(ctx: CommandContext, settings: DigestSettings): Subscription {
  const now = ctx.services.clock.now().toISOString();
  return {
    ...channelOf(ctx),
    ...settings,
    paused: false,
    pausedReason: null,
    createdBy: ctx.inv.userId,
    createdAt: now,
    updatedAt: now,
  };
}

/** How the saved schedule will be kept: by the job scheduler, or not at all without Redis. */
export function scheduleNote(ctx: CommandContext): string {
  return ctx.services.schedules ? '' : ' No scheduler is running (no Redis), so digests come only on demand with /papers digest now until the bot runs with Redis.';
}

export function defaultSettings(ctx: CommandContext): DigestSettings {
  return { ...DEFAULT_SETTINGS, timezone: ctx.services.defaults.timezone };
}
