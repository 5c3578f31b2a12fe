/**
 * SQLite's shapes of the shared rows (../rows.ts, ../people-rows.ts): weekdays are kept
 * as '1,2,3' (0 = Sunday) and booleans as 0/1; each is turned into the shared row first.
 */
import type { Inbox } from '../../core/people.js';
import type { Subscription } from '../../core/subscription.js';
import { rowToInbox, type InboxRow } from '../people-rows.js';
import { rowToSubscription, type SubscriptionRow } from '../rows.js';

export { pingColumns } from '../rows.js';

export interface SqliteSubscriptionRow extends Omit<SubscriptionRow, 'weekdays' | 'paused' | 'threads'> {
  weekdays: string;
  paused: number;
  threads: number;
}

export interface SqliteInboxRow extends Omit<InboxRow, 'weekdays' | 'instant' | 'enabled' | 'pause_notice_shown'> {
  weekdays: string;
  instant: number;
  enabled: number;
  pause_notice_shown: number;
}

export const weekdaysText = (days: readonly number[]): string => days.join(',');
const weekdaysOf = (text: string): number[] => (text ? text.split(',').map(Number) : []);

export function sqliteRowToSubscription(r: SqliteSubscriptionRow): Subscription {
  return rowToSubscription({ ...r, weekdays: weekdaysOf(r.weekdays), paused: r.paused === 1, threads: r.threads === 1 });
}

export function sqliteRowToInbox(r: SqliteInboxRow): Inbox {
  return rowToInbox({
    ...r, weekdays: weekdaysOf(r.weekdays), instant: r.instant === 1, enabled: r.enabled === 1, pause_notice_shown: r.pause_notice_shown === 1,
  });
}
