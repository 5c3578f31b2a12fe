/**
 * A direct message that cannot be delivered (Discord 50007: the person left every server
 * the bot shares or closed their DMs; Slack cannot_dm_bot, a deactivated user) pauses the
 * inbox rather than deleting it: followed topics and settings stay, the scheduler goes,
 * and the next command the person runs says so once (pauseNotice), with how to resume.
 */
import { inboxUser, isInboxChannel } from './people.js';
import type { ChannelRef, Store } from './ports.js';
import type { ScheduleSync } from './services.js';

export { isInboxChannel } from './people.js';

/** Pauses the inbox behind `ref` (an inbox channel); returns the reason stored. */
export async function pauseInbox(deps: { store: Store; schedules: ScheduleSync; clock: { now(): Date } }, ref: ChannelRef, platformCode: string): Promise<string> {
  const reason = `direct messages could not be delivered (${platformCode})`;
  if (!isInboxChannel(ref.channelId)) throw new Error(`pauseInbox: ${ref.channelId} is not an inbox`);
  const userId = inboxUser(ref.channelId);
  const inbox = await deps.store.people.getInbox(ref.platform, userId);
  if (inbox) await deps.store.people.saveInbox({ ...inbox, enabled: false, pausedReason: reason, pauseNoticeShown: false, updatedAt: deps.clock.now().toISOString() });
  await deps.schedules.removeInbox(ref.platform, userId);
  return reason;
}

/**
 * The line added to the next reply of a person whose inbox the bot paused, once. Failures
 * here must not cost the person their answer, so they are swallowed by the caller.
 */
export async function pauseNotice(store: Store, platform: string, userId: string): Promise<string | null> {
  const inbox = await store.people.getInbox(platform, userId);
  if (!inbox || inbox.enabled || !inbox.pausedReason || inbox.pauseNoticeShown) return null;
  await store.people.saveInbox({ ...inbox, pauseNoticeShown: true });
  return `📭 Your inbox is paused: ${inbox.pausedReason}. Make sure you share a server or workspace with the bot and accept its direct messages, then turn it back on with /papers inbox on.`;
}
