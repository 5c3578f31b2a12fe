/**
 * The one fake ChatPlatform for tests: records what it was asked to post, which 🔖
 * hints it added and which messages it edited (live counts), and can be told to fail. Its name, and the shape of the message ids it
 * hands back, are the test's choice. A person's inbox (`dm:<user>`) is posted to like any
 * channel; `unreachable` users' DMs fail as a closed DM does on Discord or Slack.
 */
import { ChannelUnavailableError } from '../../../src/core/errors.js';
import { inboxUser, isInboxChannel } from '../../../src/core/people.js';
import type { ChannelRef, ChatPlatform, PlatformName, PostedRef, PostOptions } from '../../../src/core/ports.js';
import type { OutboundMessage } from '../../../src/core/reply.js';

export interface PostCall {
  channel: ChannelRef;
  message: OutboundMessage;
  key: string | undefined;
  messageId: string;
  /** Files posted with it (a weekly chart), when there were any. */
  files?: NonNullable<PostOptions['files']>;
  /** Its thread options (thread mode), when it had any. */
  thread?: PostOptions['thread'];
}

export interface EditCall {
  channel: ChannelRef;
  messageId: string;
  message: OutboundMessage;
  key: string | undefined;
}

export interface FakePlatformOptions {
  /** Default 'console'. */
  name?: PlatformName;
  /** Message ids are `${idPrefix}${n}`, n counting every post attempt from 1. Default 'm'. */
  idPrefix?: string;
  /** Threads with channels of their own (as Discord's): a paper posted under a header lands in `thread-<header id>`. */
  threadChannels?: boolean;
}

export class FakePlatform implements ChatPlatform {
  readonly name: PlatformName;
  readonly posts: PostCall[] = [];
  readonly hints: string[] = [];
  /** Live-counts edits, in order. */
  readonly edits: EditCall[] = [];
  /** An edit of one of these message ids throws the error given (a deleted message, a 503 …). */
  readonly editFails = new Map<string, Error>();
  /** Throw on the post with this 1-based number (counted across the fake's life). */
  failOnPost: number | null = null;
  /** Every addBookmarkHint throws (as a channel without Add Reactions would). */
  hintFails = false;
  /**
   * Users no DM reaches: a post to their inbox throws ChannelUnavailableError with this
   * code (the platform's: Discord '50007', Slack 'cannot_dm_bot' …), and nothing is recorded.
   */
  readonly unreachable = new Map<string, string>();
  private n = 0;
  private readonly idPrefix: string;

  constructor(opts: FakePlatformOptions = {}) {
    this.name = opts.name ?? 'console';
    this.idPrefix = opts.idPrefix ?? 'm';
    this.threadChannels = opts.threadChannels === true;
  }

  private readonly threadChannels: boolean;

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  async post(channel: ChannelRef, message: OutboundMessage, opts?: PostOptions): Promise<PostedRef> {
    this.n++;
    if (this.failOnPost === this.n) throw new Error('upstream 503');
    const refused = isInboxChannel(channel.channelId) ? this.unreachable.get(inboxUser(channel.channelId)) : undefined;
    if (refused) throw new ChannelUnavailableError(refused, `fake: no direct message reaches ${inboxUser(channel.channelId)}`);
    const messageId = `${this.idPrefix}${this.n}`;
    this.posts.push({ channel, message, key: opts?.idempotencyKey, messageId, ...(opts?.files?.length ? { files: opts.files } : {}), ...(opts?.thread ? { thread: opts.thread } : {}) });
    const parent = opts?.thread?.parentMessageId;
    return this.threadChannels && parent ? { messageId, channelId: `thread-${parent}` } : { messageId };
  }

  async edit(channel: ChannelRef, messageId: string, message: OutboundMessage, opts?: PostOptions): Promise<void> {
    const fail = this.editFails.get(messageId);
    if (fail) throw fail;
    this.edits.push({ channel, messageId, message, key: opts?.idempotencyKey });
  }

  /** The channel of each hint, in order (a thread's, in thread mode). */
  readonly hintChannels: string[] = [];

  async addBookmarkHint(channel: ChannelRef, messageId: string): Promise<void> {
    if (this.hintFails) throw new Error('Missing Permissions');
    this.hints.push(messageId);
    this.hintChannels.push(channel.channelId);
  }

  /** What was posted to a person's inbox (`dm:<user>`, any workspace), in order. */
  inbox(userId: string): PostCall[] {
    return this.posts.filter((p) => isInboxChannel(p.channel.channelId) && inboxUser(p.channel.channelId) === userId);
  }

  /** Kept for tests written against the old digest fake. */
  asPlatform(): ChatPlatform {
    return this;
  }
}
