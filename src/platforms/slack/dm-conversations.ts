/**
 * A person's inbox on Slack: the channel id `dm:<userId>` (core/people.ts) becomes the
 * app's direct-message conversation with that user in the ref's workspace. Posting needs
 * no conversations.open: chat.postMessage to the user's id posts in that conversation and
 * answers its id (a Tier-3 open per person would hold 5,000 inboxes for over an hour). The
 * id is kept (per workspace and user, up to `max`, oldest dropped first) for the calls that
 * need a conversation (history, reactions); those open it when it is not known yet.
 *
 * A DM that cannot be delivered (cannot_dm_bot, user_not_found, user_disabled,
 * account_inactive, or the conversation gone) is a ChannelUnavailableError with Slack's
 * code, for the core to pause the inbox rather than retry.
 */
import { ChannelUnavailableError, UpstreamError } from '../../core/errors.js';
import { inboxUser } from '../../core/people.js';
import type { ChannelRef } from '../../core/ports.js';
import { slackErrorCode } from './errors.js';
import type { SlackWeb } from './web.js';

/** Slack codes after which no DM reaches this person: their inbox is paused, not retried. */
export const DM_UNDELIVERABLE: ReadonlySet<string> = new Set(['cannot_dm_bot', 'user_not_found', 'user_disabled', 'account_inactive', 'channel_not_found', 'is_archived']);

const DEFAULT_MAX = 50_000;

/** A Slack failure on a person's DM as the core's error: undeliverable codes become ChannelUnavailableError. */
export function inboxError(err: unknown, what: string): unknown {
  const code = err instanceof ChannelUnavailableError ? err.platformCode : err instanceof UpstreamError ? slackErrorCode(err.cause) : undefined;
  if (code && DM_UNDELIVERABLE.has(code)) return err instanceof ChannelUnavailableError ? err : new ChannelUnavailableError(code, `${what}: ${code}`);
  return err;
}

export class SlackDms {
  private readonly byUser = new Map<string, string>();
  private readonly opening = new Map<string, Promise<string>>();

  constructor(
    private readonly web: Pick<SlackWeb, 'call'>,
    private readonly max = DEFAULT_MAX,
  ) {}

  /** The conversation id of a kept DM, if any (tests, logs). */
  cached(teamId: string, userId: string): string | undefined {
    return this.byUser.get(`${teamId}:${userId}`);
  }

  /** True when posting to this inbox needs no conversations.open first. */
  isOpen(ref: ChannelRef): boolean {
    return this.byUser.has(`${ref.workspaceId}:${inboxUser(ref.channelId)}`);
  }

  /** Opens the person's DM conversation ahead of posting (nothing when it is open). */
  async open(ref: ChannelRef): Promise<void> {
    await this.on(ref, async () => undefined);
  }

  /**
   * Posts to the person's DM: to the kept conversation, else to the user id (Slack opens
   * the DM itself), keeping the conversation id the answer names. Failures as inboxError says.
   */
  async post<T extends { channel?: string }>(ref: ChannelRef, call: (target: string) => Promise<T>): Promise<T> {
    const user = inboxUser(ref.channelId);
    const key = `${ref.workspaceId}:${user}`;
    try {
      const res = await call(this.byUser.get(key) ?? user);
      if (typeof res.channel === 'string' && res.channel) this.keep(key, res.channel);
      return res;
    } catch (err) {
      const mapped = inboxError(err, `direct message to ${user}`);
      if (mapped instanceof ChannelUnavailableError) this.byUser.delete(key);
      throw mapped;
    }
  }

  /**
   * Runs `call` on the person's DM conversation; its failures come back as inboxError
   * says. A conversation Slack no longer knows is forgotten, so the next attempt reopens it.
   */
  async on<T>(ref: ChannelRef, call: (conversationId: string) => Promise<T>): Promise<T> {
    const user = inboxUser(ref.channelId);
    const key = `${ref.workspaceId}:${user}`;
    try {
      return await call(await this.resolve(ref.workspaceId, user, key));
    } catch (err) {
      const mapped = inboxError(err, `direct message to ${user}`);
      if (mapped instanceof ChannelUnavailableError) this.byUser.delete(key);
      throw mapped;
    }
  }

  private resolve(teamId: string, user: string, key: string): Promise<string> {
    const known = this.byUser.get(key);
    if (known) return Promise.resolve(known);
    let p = this.opening.get(key);
    if (!p) {
      p = this.openConversation(teamId, user, key).finally(() => this.opening.delete(key));
      this.opening.set(key, p);
    }
    return p;
  }

  private async openConversation(teamId: string, user: string, key: string): Promise<string> {
    const res = await this.web.call<{ channel?: { id?: string } }>(teamId, 'conversations.open', { users: user });
    const id = res.channel?.id;
    if (!id) throw new UpstreamError('Slack did not open a direct message.', { retryable: false, detail: `conversations.open ${user}: no channel id` });
    this.keep(key, id);
    return id;
  }

  private keep(key: string, id: string): void {
    if (!this.byUser.has(key) && this.byUser.size >= this.max) {
      const oldest = this.byUser.keys().next().value;
      if (oldest !== undefined) this.byUser.delete(oldest);
    }
    this.byUser.set(key, id);
  }
}
