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
