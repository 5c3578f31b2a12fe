/**
 * A channel's digest subscription and the validation of its settings. Validation lives
 * here, not in adapters, so every platform refuses the same bad values with the same
 * words.
 */
import { UserInputError } from './errors.js';
import { describePing, type DigestPing } from './ping.js';
import { clip } from './text.js';

/**
 * A platform's name. The core does not list them: the platforms registered with the app
 * (src/platforms/index.ts) do, and the edges (job payloads, config, the store's callers)
 * check a name against that list. See PlatformTraits in platform-descriptor.ts.
 */
export type PlatformName = string;

/** A channel on a platform. `workspaceId` is the Discord guild or the Slack team. */
export interface ChannelRef {
  platform: PlatformName;
  workspaceId: string;
  channelId: string;
}

/** 0 = Sunday … 6 = Saturday, as in Date#getDay and cron. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** A digest of the day's papers, or of the past seven featured days on one weekday. */
export type Cadence = 'day' | 'week';

/**
 * How a digest orders its papers: by momentum (upvotes gained per hour since featured,
 * src/core/digest/momentum.ts) or by upvotes (rank.ts compareForDigest).
 */
export type DigestOrder = 'trending' | 'upvotes';
export const DIGEST_ORDERS: readonly DigestOrder[] = ['trending', 'upvotes'];

export interface DigestSettings {
  /** Local hour 0–23 and minute 0–59 at which the digest is posted. */
  hour: number;
  minute: number;
  /** IANA zone name, e.g. "Europe/Paris". */
  timezone: string;
  /** Days the digest is posted, ascending; one day for a weekly digest. */
  weekdays: Weekday[];
  /** Daily, or weekly (the top of the past seven featured days). */
  every: Cadence;
  /** How many papers a digest holds (1–10). */
  topN: number;
  /** Papers below this many upvotes are left out. */
  minUpvotes: number;
  /** Optional search query a paper must match to be included. */
  topic: string | null;
  /** Trending (momentum, the default) or upvotes. */
  order: DigestOrder;
}

export interface Subscription extends ChannelRef, DigestSettings {
  /** The role or user group the digest header pings (settings --ping); null or absent: none, the default. */
  ping?: DigestPing | null;
  /** settings --threads on: the header in the channel, the papers in a thread under it; absent: off, the default. */
  threads?: boolean;
  paused: boolean;
  /** Why it was paused (by a user, or because the channel is gone). */
  pausedReason: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export const DEFAULT_SETTINGS: DigestSettings = {
  hour: 9,
  minute: 0,
  timezone: 'UTC',
  weekdays: [1, 2, 3, 4, 5],
  every: 'day',
  topN: 5,
  minUpvotes: 0,
  topic: null,
  order: 'trending',
};

export const MAX_TOP_N = 10;
export const MAX_TOPIC_LENGTH = 200;

export function channelKey(ref: ChannelRef): string {
  return `${ref.platform}:${ref.workspaceId}:${ref.channelId}`;
}

export function sameChannel(a: ChannelRef, b: ChannelRef): boolean {
  return a.platform === b.platform && a.workspaceId === b.workspaceId && a.channelId === b.channelId;
}

/** "9", "09", "9:30", "09:30", "9am", "9:30pm", "21h" → {hour, minute}. */
export function parseTimeOfDay(text: string): { hour: number; minute: number } {
  const t = text.trim().toLowerCase();
  const m = /^(\d{1,2})(?:[:h.](\d{2}))?\s*(am|pm|h)?$/.exec(t);
  if (!m) throw new UserInputError(`"${clip(text, 40)}" is not a time of day. Use HH:MM, e.g. 09:00 or 17:30.`);
  let hour = Number(m[1]);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  const suffix = m[3];
  if (suffix === 'am' || suffix === 'pm') {
    if (hour < 1 || hour > 12) throw new UserInputError(`"${clip(text, 40)}" is not a time: with am/pm the hour is 1–12.`);
    hour = (hour % 12) + (suffix === 'pm' ? 12 : 0);
  }
  validateHour(hour);
  if (minute > 59) throw new UserInputError(`Minute ${minute} is out of range: use 0–59.`);
  return { hour, minute };
}

export function validateHour(hour: number): void {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) {
    throw new UserInputError(`Hour ${hour} is out of range: use 0–23 (24-hour clock).`);
  }
}

let zoneCache: Map<string, string> | undefined;

function zones(): Map<string, string> {
  if (!zoneCache) {
    zoneCache = new Map();
    for (const z of [...Intl.supportedValuesOf('timeZone'), 'UTC', 'Etc/UTC', 'GMT']) zoneCache.set(z.toLowerCase(), z);
  }
  return zoneCache;
}

/** Every IANA zone the runtime knows, for autocomplete. */
export function allTimezones(): string[] {
  return [...new Set(zones().values())].sort();
}

/**
 * Abbreviations people type for a zone. Node resolves some of them to a fixed-offset zone
 * with no daylight saving (EST becomes America/Panama), which would move the digest by an
 * hour twice a year; they are mapped to the zone people mean, and the reply says so.
 * Abbreviations shared by several zones are refused with the choices.
 */
const ABBREVIATIONS: Record<string, string | readonly string[]> = {
  et: 'America/New_York', est: 'America/New_York', edt: 'America/New_York',
  ct: 'America/Chicago', cdt: 'America/Chicago',
  mt: 'America/Denver', mst: 'America/Denver', mdt: 'America/Denver',
  pt: 'America/Los_Angeles', pst: 'America/Los_Angeles', pdt: 'America/Los_Angeles',
  akst: 'America/Anchorage', akdt: 'America/Anchorage', hst: 'Pacific/Honolulu',
  cet: 'Europe/Berlin', cest: 'Europe/Berlin', eet: 'Europe/Athens', eest: 'Europe/Athens', wet: 'Europe/Lisbon', west: 'Europe/Lisbon',
  bst: 'Europe/London', jst: 'Asia/Tokyo', kst: 'Asia/Seoul', sgt: 'Asia/Singapore', hkt: 'Asia/Hong_Kong',
  aest: 'Australia/Sydney', aedt: 'Australia/Sydney', awst: 'Australia/Perth', nzst: 'Pacific/Auckland', nzdt: 'Pacific/Auckland',
  cst: ['America/Chicago (US Central)', 'Asia/Shanghai (China)', 'America/Havana (Cuba)'],
  ist: ['Asia/Kolkata (India)', 'Asia/Jerusalem (Israel)', 'Europe/Dublin (Ireland)'],
  ast: ['America/Halifax (Atlantic)', 'Asia/Riyadh (Arabia)'],
};

/** The zone a typed name means, and a note when an abbreviation was read as a zone. */
export function resolveTimezone(text: string): { zone: string; note?: string } {
  const t = text.trim();
  const abbr = ABBREVIATIONS[t.toLowerCase()];
  if (typeof abbr === 'string') return { zone: abbr, note: `${clip(t, 40)} read as ${abbr} (with its daylight saving changes).` };
  if (abbr) throw new UserInputError(`"${clip(t, 40)}" means several timezones: ${abbr.join(', ')}. Give the one you mean, e.g. --timezone ${abbr[0]!.split(' ')[0]}.`);
  return { zone: normalizeTimezone(t) };
}

/** Canonical IANA name for a zone typed in any case; throws a user error otherwise. */
export function normalizeTimezone(text: string): string {
  const t = text.trim();
  const abbr = ABBREVIATIONS[t.toLowerCase()];
  if (abbr) return resolveTimezone(t).zone;
  const known = zones().get(t.toLowerCase());
  if (known) return known;
  try {
    // Accepts aliases the list above omits (e.g. "US/Pacific"), rejects everything else.
    return new Intl.DateTimeFormat('en-US', { timeZone: t }).resolvedOptions().timeZone;
  } catch {
    const suggestions = allTimezones().filter((z) => z.toLowerCase().includes(t.toLowerCase().slice(0, 12))).slice(0, 3);
    const hint = suggestions.length ? ` Did you mean ${suggestions.join(', ')}?` : ' Use an IANA name such as Europe/Paris or America/New_York.';
    throw new UserInputError(`Unknown timezone "${clip(t, 40)}".${hint}`);
  }
}

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** "mon-fri", "weekdays", "daily", "mon,wed,fri", "sat sun" → sorted weekdays. */
export function parseWeekdays(text: string): Weekday[] {
  const t = text.trim().toLowerCase();
  if (t === 'weekdays' || t === 'workdays') return [1, 2, 3, 4, 5];
  if (t === 'daily' || t === 'everyday' || t === 'every day' || t === 'all') return [0, 1, 2, 3, 4, 5, 6];
  if (t === 'weekends' || t === 'weekend') return [0, 6];
  const out = new Set<Weekday>();
  for (const part of t.split(/[\s,]+/).filter(Boolean)) {
    const range = /^([a-z]+)-([a-z]+)$/.exec(part);
    if (range) {
      const a = dayIndex(range[1]!, text);
      const b = dayIndex(range[2]!, text);
      for (let d = a; ; d = ((d + 1) % 7) as Weekday) {
        out.add(d);
        if (d === b) break;
      }
    } else {
      out.add(dayIndex(part, text));
    }
  }
  if (!out.size) throw new UserInputError('Give at least one weekday, e.g. mon-fri or mon,wed,fri.');
  return [...out].sort((a, b) => a - b);
}

function dayIndex(word: string, whole: string): Weekday {
  const i = DAY_NAMES.findIndex((d) => word.startsWith(d) && d.length >= 3 && word.length <= 9);
  if (i < 0) throw new UserInputError(`"${clip(whole, 40)}" is not a list of weekdays. Use e.g. mon-fri, daily or mon,wed,fri.`);
  return i as Weekday;
}

export function formatWeekdays(days: readonly Weekday[]): string {
  const key = [...days].sort().join('');
  if (key === '12345') return 'Mon–Fri';
  if (key === '0123456') return 'every day';
  if (key === '06') return 'weekends';
  return days.map((d) => DAY_NAMES[d]![0]!.toUpperCase() + DAY_NAMES[d]!.slice(1)).join(', ');
}

export function validateTopN(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_TOP_N) {
    throw new UserInputError(`Top N must be a whole number from 1 to ${MAX_TOP_N}.`);
  }
  return n;
}

export function validateMinUpvotes(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 100_000) {
    throw new UserInputError('Minimum upvotes must be a whole number, 0 or more.');
  }
  return n;
}

export function parseCadence(text: string): Cadence {
  const t = text.trim().toLowerCase();
  if (t === 'day' || t === 'daily') return 'day';
  if (t === 'week' || t === 'weekly') return 'week';
  throw new UserInputError(`"${clip(text, 20)}" is not a cadence: use --every day or --every week.`);
}

export function parseOrder(text: string): DigestOrder {
  const t = text.trim().toLowerCase();
  if (t === 'trending' || t === 'upvotes') return t;
  throw new UserInputError(`"${clip(text, 20)}" is not an order: use --order trending (momentum) or --order upvotes.`);
}

/** How a list in this order is described: headings of /papers trending, the settings line. */
export function describeOrder(order: DigestOrder): string {
  return order === 'upvotes' ? 'by upvotes' : 'by momentum: upvotes gained per hour since featured';
}

export function formatTime(s: Pick<DigestSettings, 'hour' | 'minute'>): string {
  return `${String(s.hour).padStart(2, '0')}:${String(s.minute).padStart(2, '0')}`;
}

/** One line describing a subscription, e.g. "09:00 Europe/Paris, Mon–Fri, top 5". An inbox has no order. */
export function describeSettings(s: Omit<DigestSettings, 'order'> & { order?: DigestOrder; ping?: DigestPing | null; threads?: boolean }): string {
  const parts = [`${formatTime(s)} ${s.timezone}`, s.every === 'week' ? `weekly on ${formatWeekdays(s.weekdays)}` : formatWeekdays(s.weekdays), `top ${s.topN}`];
  if (s.minUpvotes > 0) parts.push(`at least ${s.minUpvotes} upvotes`);
  if (s.topic) parts.push(`topic "${s.topic}"`);
  // Like the filters, the order is named only when it is not the default (trending).
  if (s.order === 'upvotes') parts.push('ordered by upvotes');
  if (s.threads) parts.push('papers in a thread');
  const ping = describePing(s.ping);
  if (ping) parts.push(ping);
  return parts.join(', ');
}
