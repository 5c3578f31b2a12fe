/**
 * Which day a channel's digest covers and which papers it shows. Pure: the service
 * (digest-service.ts) gathers the facts from the store and the index, these functions
 * decide.
 *
 * Facts about Daily Papers this encodes:
 * - There is no list on weekends and holidays, and today's list fills during the day
 *   (a 09:00 run may find it empty or half full).
 * - A paper is never posted twice to a channel, whatever day or mode brought it.
 *
 * SCHEDULED runs target the most recent featured day on or before the channel's local
 * today, looking back at most `lookbackDays` (4: Monday still reaches Thursday when
 * Friday was a holiday). They skip when the channel already got that day's digest (a
 * header in the posted log) or when nothing on it qualifies and is unseen, so Saturday's
 * run after Friday's digest posts nothing, and a Tuesday 09:00 run that finds Tuesday's
 * list still empty does not repeat Monday. Papers added to a day after its digest are
 * left to `now`, not re-announced by the schedule.
 *
 * A digest interrupted by a crash or a failed post is finished by delivering the same
 * plan again (the worker keeps the plan in the delivery job), not by planning anew.
 *
 * NOW runs (`/papers digest now`) target the most recent featured day, however old,
 * that still has qualifying papers the channel has not seen: leftovers of an already
 * digested day (late additions, or a larger top N since) count.
 */
import { addDays, formatDay } from '../dates.js';
import type { Paper, PaperId } from '../paper.js';
import type { PostedEntry } from '../ports.js';
import type { DigestSettings } from '../subscription.js';
import { rankForDigest } from './rank.js';
import { dayThemes, themesLine } from './themes.js';

export type DigestMode = 'scheduled' | 'now';

export const DEFAULT_LOOKBACK_DAYS = 4;

export interface ChooseDayInput {
  mode: DigestMode;
  /** The channel's calendar day (its timezone), YYYY-MM-DD. */
  localToday: string;
  /** Featured days known to the store, newest first. Days after localToday are ignored. */
  featuredDaysDesc: readonly string[];
  /** Days this channel already got its digest for (see digestedDays). */
  digestedDays: ReadonlySet<string>;
  /** Whether the day has a qualifying paper this channel has not seen (see composeDigest). */
  hasUnseen: (day: string) => boolean;
  lookbackDays?: number;
  /** Words for the skip reason describing the channel's filters, e.g. ` matching "diffusion"`. */
  filterNote?: string;
}

export function chooseDigestDay(input: ChooseDayInput): { day: string } | { skip: string } {
  const { localToday, digestedDays, hasUnseen } = input;
  const note = input.filterNote ?? '';
  const days = input.featuredDaysDesc.filter((d) => d <= localToday);

  if (input.mode === 'now') {
    const day = days.find(hasUnseen);
    if (day) return { day };
    if (!days.length) return { skip: 'no papers featured yet' };
    return { skip: `nothing new: every paper${note} featured from ${days[days.length - 1]} to ${days[0]} was already posted here` };
  }

  const since = addDays(localToday, -(input.lookbackDays ?? DEFAULT_LOOKBACK_DAYS));
  const target = days[0];
  if (!target || target < since) return { skip: `no papers featured since ${since}` };
  if (digestedDays.has(target)) return { skip: `nothing new: ${target} already posted` };
  if (!hasUnseen(target)) return { skip: `nothing new: no unseen papers${note} on ${target}` };
  return { day: target };
}

/** Days of these logs that already got their digest: a header was posted for them. */
export function digestedDays(logs: ReadonlyMap<string, readonly PostedEntry[]>): Set<string> {
  return new Set([...logs].filter(([, entries]) => entries.some((e) => e.kind === 'header')).map(([day]) => day));
}

export interface Digest {
  day: string;
  /** "Trending papers · Fri 21 Aug 2026". */
  title: string;
  themes: string[];
  themesLine: string;
  /** Ranked, at most topN, never empty. */
  papers: Paper[];
}

export interface ComposeInput {
  day: string;
  /** Papers from the store; those not featured on `day` are ignored. */
  candidates: readonly Paper[];
  settings: Pick<DigestSettings, 'topN' | 'minUpvotes' | 'topic'>;
  alreadyPosted: ReadonlySet<PaperId>;
  /** Ids matching the topic (searched for this day); null when the channel has no topic. */
  topicMatches: ReadonlySet<PaperId> | null;
  /** Paper id → upvotes per hour (momentum-rate.ts) for the trending order; absent or null: by upvotes. */
  momentum?: ReadonlyMap<PaperId, number> | null;
}

/** The papers the channel gets for `day`, or null when none qualifies. */
export function composeDigest(input: ComposeInput): Digest | null {
  const { day, settings } = input;
  const papers = rankForDigest(qualifying(input), input.momentum).slice(0, Math.max(0, settings.topN));
  if (!papers.length) return null;
  // Themes describe the day within the channel's topic, not just the papers left unseen.
  const themes = dayThemes(input.candidates.filter((p) => onDayInTopic(p, input)));
  return { day, title: digestTitle(day, settings.topic), themes, themesLine: themesLine(themes), papers };
}

/** The day's papers in the channel's topic, unseen and with enough upvotes, unranked. */
export function qualifying(input: Omit<ComposeInput, 'settings'> & { settings: Pick<DigestSettings, 'minUpvotes' | 'topic'> }): Paper[] {
  const { alreadyPosted, settings } = input;
  return input.candidates.filter(
    (p) => onDayInTopic(p, input) && !alreadyPosted.has(p.id) && (p.upvotes ?? 0) >= settings.minUpvotes,
  );
}

/** A topic with no search result set (null) does not filter: the caller chose not to search. */
function onDayInTopic(p: Paper, { day, settings, topicMatches }: Pick<ComposeInput, 'day' | 'topicMatches'> & { settings: Pick<DigestSettings, 'topic'> }): boolean {
  return p.featuredDates.includes(day) && (!settings.topic || topicMatches === null || topicMatches.has(p.id));
}

function digestTitle(day: string, topic: string | null): string {
  const about = topic ? ` on “${topic.length > 60 ? `${topic.slice(0, 59)}…` : topic}”` : '';
  return `Trending papers${about} · ${formatDay(day)}`;
}
