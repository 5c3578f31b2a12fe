/**
 * Forgetting a person (`/papers forget-me`, `papers forget`): everything the bot holds
 * about them goes, in one store transaction (PeopleStore.forget), then the state outside
 * it: the inbox's scheduler and the meta keys that name them.
 */
import { lastAlertKey, type ForgetReport } from './people.js';
import type { PlatformName, Store } from './ports.js';
import type { ScheduleSync } from './services.js';

export async function forgetPerson(deps: { store: Store; schedules?: ScheduleSync; clock: { now(): Date } }, platform: PlatformName, userId: string): Promise<ForgetReport> {
  const report = await deps.store.people.forget(platform, userId);
  await deps.schedules?.removeInbox(platform, userId);
  const now = deps.clock.now();
  // Meta has no delete: the value is blanked and expires now, then pruned with the other expired keys.
  await deps.store.setMeta(lastAlertKey(platform, userId), '', { expiresAt: new Date(now.getTime() - 1000).toISOString() });
  await deps.store.pruneMeta(now.toISOString());
  return report;
}

/** "Deleted 3 bookmarks, 2 followed topics, your inbox settings …" */
export function describeForget(r: ForgetReport): string {
  const parts: string[] = [];
  const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  parts.push(n(r.bookmarks, 'bookmark', 'bookmarks'));
  parts.push(n(r.follows, 'followed topic', 'followed topics'));
  parts.push(r.inbox ? 'your inbox settings' : 'no inbox settings (you had none)');
  parts.push(n(r.posted, 'record of a paper sent to you', 'records of papers sent to you'));
  if (r.deliveries) parts.push(n(r.deliveries, 'planned delivery', 'planned deliveries'));
  parts.push(n(r.pendingAlerts, 'pending alert', 'pending alerts'));
  return `Deleted ${parts.join(', ')}.`;
}
