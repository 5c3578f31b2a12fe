/**
 * When a subscription's scheduled slot was due. A sweep (jobs/sweep.ts) uses it to find
 * slots that passed with no plan at all: their scheduler's tick was lost (Redis forgot it,
 * or nothing ran at that minute), and the digest is owed.
 */
import type { Subscription } from './subscription.js';

interface LocalTime {
  day: string;
  /** Minutes since local midnight. */
  minutes: number;
  /** 0 = Sunday. */
  weekday: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function localTime(instant: Date, timeZone: string): LocalTime {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    weekday: 'short',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return { day: `${get('year')}-${get('month')}-${get('day')}`, minutes: Number(get('hour')) * 60 + Number(get('minute')), weekday: WEEKDAYS.indexOf(get('weekday')) };
}

/**
 * The local day whose slot has passed (by at least `graceMs`, time for the scheduler's
 * own tick to run) when `now` falls on a digest weekday after the slot, else null. A
 * subscription created or changed after today's slot starts with the next one: the
 * sweep must not post a digest nobody asked for at this hour.
 */
export function passedSlot(sub: Pick<Subscription, 'hour' | 'minute' | 'timezone' | 'weekdays' | 'updatedAt'>, now: Date, graceMs: number): string | null {
  const local = localTime(now, sub.timezone);
  if (!sub.weekdays.includes(local.weekday as Subscription['weekdays'][number])) return null;
  const slot = sub.hour * 60 + sub.minute;
  if (local.minutes < slot + graceMs / 60_000) return null;
  const changed = localTime(new Date(sub.updatedAt), sub.timezone);
  if (changed.day > local.day || (changed.day === local.day && changed.minutes >= slot)) return null;
  return local.day;
}

/** The instant the local wall-clock time `day` `hour`:`minute` happens in `timeZone` (the later one in a repeated hour). */
export function zonedInstant(day: string, hour: number, minute: number, timeZone: string): Date {
  const [y, mo, d] = day.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, mo - 1, d, hour, minute);
  const offsetAt = (t: number): number => {
    const l = localTime(new Date(t), timeZone);
    const [ly, lm, ld] = l.day.split('-').map(Number) as [number, number, number];
    return Date.UTC(ly, lm - 1, ld) + l.minutes * 60_000 - Math.floor(t / 60_000) * 60_000;
  };
  // Two passes: the offset at the first guess may differ from the one at the answer (a DST change between).
  const first = wall - offsetAt(wall);
  return new Date(wall - offsetAt(first));
}

/** The next time a schedule at `hour`:`minute` on `weekdays` in `timezone` fires after `now`, or null when it has no day. */
export function nextSlot(s: Pick<Subscription, 'hour' | 'minute' | 'timezone' | 'weekdays'>, now: Date): Date | null {
  const today = localTime(now, s.timezone).day;
  for (let k = 0; k <= 7; k++) {
    const [y, mo, d] = today.split('-').map(Number) as [number, number, number];
    const day = new Date(Date.UTC(y, mo - 1, d + k)).toISOString().slice(0, 10);
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    if (!s.weekdays.includes(weekday as Subscription['weekdays'][number])) continue;
    const at = zonedInstant(day, s.hour, s.minute, s.timezone);
    if (at.getTime() > now.getTime()) return at;
  }
  return null;
}

/** "Mon 7 Sep, 08:00 (Europe/Paris)": an instant as the person's own clock shows it. */
export function formatLocal(instant: Date, timeZone: string): string {
  const f = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return `${f.format(instant).replace(/,? (\d{2}:\d{2})$/, ', $1')} (${timeZone})`;
}
