/** Calendar days as YYYY-MM-DD strings: what Daily Papers, digests and filters speak. */
import { UserInputError } from './errors.js';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDay(s: string): boolean {
  const m = DAY.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

/** Validates a user-typed day; "today" and "yesterday" are resolved against `today`. */
export function parseDay(s: string, today?: string): string {
  const t = s.trim().toLowerCase();
  if (today && t === 'today') return today;
  if (today && t === 'yesterday') return addDays(today, -1);
  if (!isDay(t)) throw new UserInputError(`"${s.slice(0, 40)}" is not a date. Use YYYY-MM-DD, e.g. 2026-08-21.`);
  return t;
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Days from `from` to `to` inclusive. */
export function* eachDay(from: string, to: string): Generator<string> {
  for (let d = from; d <= to; d = addDays(d, 1)) yield d;
}

/** The calendar day of an instant in a timezone. */
export function dayInZone(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Day of week 0 (Sunday) … 6 of a YYYY-MM-DD day. */
export function weekdayOf(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

/** "Fri 21 Aug 2026". */
export function formatDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return d.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

export function utcDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}
