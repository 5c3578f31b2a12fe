/**
 * What a thread an event came from means for the core, read from the gateway's channel
 * cache (threads arrive in GUILD_CREATE and THREAD_CREATE), else from one REST fetch:
 *
 * - a 🔖 in a thread is on a paper thread mode posted there, logged under the thread's
 *   channel (`threadParentOf`);
 * - a command run in a forum's post speaks for the forum (`forumOf`): Discord's client runs
 *   commands only inside posts, and a forum's digest is one new post per digest
 *   (digest-threads.ts). The member's permissions there are the forum's (threads inherit them).
 */
import type { Client } from 'discord.js';
import type { Logger } from '../../core/ports.js';
import { isForumType } from './digest-threads.js';
import { forLog } from './errors.js';

async function channelOf(client: Client, channelId: string, log: Logger) {
  try {
    return client.channels.cache.get(channelId) ?? (await client.channels.fetch(channelId));
  } catch (err) {
    log.warn({ err: forLog(err), channel: channelId }, 'could not read the channel an event came from');
    return null;
  }
}

/** The channel a thread belongs to; undefined for any other channel. */
export async function threadParentOf(client: Client, channelId: string, log: Logger): Promise<string | undefined> {
  const channel = await channelOf(client, channelId, log);
  return channel?.isThread() ? (channel.parentId ?? undefined) : undefined;
}

/** The forum (or media channel) a post belongs to; null for any other channel. */
export async function forumOf(client: Client, channelId: string, log: Logger): Promise<string | null> {
  const channel = await channelOf(client, channelId, log);
  if (!channel?.isThread()) return null;
  const parent = channel.parent;
  return parent && isForumType(parent.type) ? parent.id : null;
}
