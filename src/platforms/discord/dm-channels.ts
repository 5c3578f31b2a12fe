/**
 * A person's inbox on Discord: the channel id `dm:<userId>` (core/people.ts) becomes the
 * bot's direct-message channel with that user, opened through REST
 * (POST /users/@me/channels { recipient_id }). Discord answers the same channel every
 * time for the same user, so the id is kept (up to `max` users, oldest dropped first)
 * and opening costs one request per user and process, not one per message.
 *
 * Opening a DM always succeeds for a real user; whether the message can be delivered is
 * only known when posting (50007 Cannot send messages to this user: DMs closed, or the
 * user shares no server with the bot any more). An unknown user (10013) fails the open.
 * Both are ChannelUnavailableError (errors.ts), for the core to pause the inbox.
 */
import { Routes, type REST } from 'discord.js';
import { inboxUser, isInboxChannel } from '../../core/people.js';
import { ChannelUnavailableError } from '../../core/errors.js';
import { fromDiscordError } from './errors.js';

/** Users whose DM channel id is kept in memory. */
const DEFAULT_MAX = 50_000;

export class DmChannels {
  private readonly byUser = new Map<string, string>();
  /** Opens under way, so concurrent posts to one inbox open it once. */
  private readonly opening = new Map<string, Promise<string>>();

  constructor(
    private readonly rest: REST,
    private readonly max = DEFAULT_MAX,
  ) {}

  /** The Discord channel id to call for `channelId`: itself, or the DM channel of a `dm:` ref. */
  async resolve(channelId: string): Promise<string> {
    if (!isInboxChannel(channelId)) return channelId;
    const user = inboxUser(channelId);
    const known = this.byUser.get(user);
    if (known) return known;
    let p = this.opening.get(user);
    if (!p) {
      p = this.open(user).finally(() => this.opening.delete(user));
      this.opening.set(user, p);
    }
    return p;
  }

  /** The cached DM channel id, if any (for tests and logs). */
  cached(userId: string): string | undefined {
    return this.byUser.get(userId);
  }

  /** True when a call on `channelId` needs no request to open a DM first (a channel, or an inbox already open). */
  isOpen(channelId: string): boolean {
    return !isInboxChannel(channelId) || this.byUser.has(inboxUser(channelId));
  }

  /**
   * Runs `call` on the resolved channel. When an inbox's cached channel turns out to be
   * gone, the cache entry is dropped so the next attempt opens the DM afresh.
   */
  async on<T>(channelId: string, call: (resolved: string) => Promise<T>): Promise<T> {
    const resolved = await this.resolve(channelId);
    try {
      return await call(resolved);
    } catch (err) {
      if (isInboxChannel(channelId) && err instanceof ChannelUnavailableError && err.platformCode === '10003') this.byUser.delete(inboxUser(channelId));
      throw err;
    }
  }

  private async open(user: string): Promise<string> {
    let dm: { id: string };
    try {
      dm = (await this.rest.post(Routes.userChannels(), { body: { recipient_id: user } })) as { id: string };
    } catch (err) {
      throw fromDiscordError(err, `open a direct message with user ${user}`);
    }
    if (this.byUser.size >= this.max) {
      const oldest = this.byUser.keys().next().value;
      if (oldest !== undefined) this.byUser.delete(oldest);
    }
    this.byUser.set(user, dm.id);
    return dm.id;
  }
}
