/** What every PaperSource does with days the same way: check them, and walk a range through fetchDay. */
import { eachDay, isDay } from '../core/dates.js';
import { UserInputError } from '../core/errors.js';
import type { Paper } from '../core/paper.js';

export function checkDay(date: string): void {
  if (!isDay(date)) throw new UserInputError(`"${String(date).slice(0, 40)}" is not a date. Use YYYY-MM-DD, e.g. 2026-08-21.`);
}

/** Days from `from` to `to`, oldest first; sequential, so the first failure ends the range. */
export async function* dayRange(
  from: string,
  to: string,
  fetchDay: (date: string, signal?: AbortSignal) => Promise<Paper[]>,
  signal?: AbortSignal,
): AsyncIterable<{ date: string; papers: Paper[] }> {
  checkDay(from);
  checkDay(to);
  if (from > to) throw new UserInputError(`The range starts after it ends (${from} > ${to}).`);
  for (const date of eachDay(from, to)) yield { date, papers: await fetchDay(date, signal) };
}
