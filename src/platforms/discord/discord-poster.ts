/**
 * What the Discord bot sends on its own, over REST: digest and alert messages, the lookup
 * of one already sent (findPosted), edits of posted papers' counts and the 🔖 hints. A person's inbox (a `dm:<user>` ref)
 * is the bot's DM channel with them (dm-channels.ts); everything else is a channel id.
 *
 * post() sends a nonce derived from the idempotency key with enforce_nonce, so a post
 * retried within minutes returns the first message instead of a second; the message also
 * carries that tag (message-key.ts), so findPosted() finds it in the channel's recent
 * messages however long the retry took.
 */
import { createHash } from 'node:crypto';
import { DiscordAPIError, Routes, type APIMessage, type REST, type RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import { isInboxChannel } from '../../core/people.js';
import type { ChannelRef, Logger, PostedRef, PostOptions, ThreadPlacement } from '../../core/ports.js';
import type { OutboundMessage } from '../../core/reply.js';
import { withFiles, type RawUpload } from './attach-files.js';
import { DigestThreads, isDiscordCode } from './digest-threads.js';
import { DmChannels } from './dm-channels.js';
import { forLog, fromDiscordError } from './errors.js';
import { LIMITS } from './limits.js';
import { carriesKey, stampKey } from './message-key.js';
import { messageBody, renderOutbound } from './render.js';

/** The 🔖 the bot adds under each digest paper, and that users react with. */
export const BOOKMARK_EMOJI = '🔖';

/** A Discord nonce (≤ 25 characters) that is the same for every attempt at one message. */
export function nonceFor(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, LIMITS.nonce);
}

/** Pages of 100 recent messages findPosted reads: a digest's own posts are the latest. */
const FIND_PAGES = 2;

function refusedForFiles(err: unknown): boolean {
  if (!(err instanceof DiscordAPIError)) return false;
  return err.status === 400 || err.status === 413 || (err.status === 403 && Number(err.code) === 50013);
}

export class DiscordPoster {
  /** People's inboxes: `dm:<user>` refs → the bot's DM channels. */
  readonly dms: DmChannels;
  /** Thread mode's threads and forum posts. */
  readonly threads: DigestThreads;
  private selfIdCache: string | undefined;

  constructor(
    private readonly rest: REST,
    /** The bot's user id when a gateway session knows it. */
    private readonly sessionUserId: () => string | null,
    private readonly log?: Logger,
    /** A client without the library's own retries, for requests a retry could double (forum posts). */
    unretried: REST = rest,
  ) {
    this.dms = new DmChannels(rest);
    this.threads = new DigestThreads(rest, log, unretried);
  }

  /**
   * Opens an inbox's DM ahead of posting, for a caller that paces every request (one
   * request the first time per user and process; nothing once open, see inboxOpen).
   */
  async openInbox(channel: ChannelRef): Promise<void> {
    await this.dms.resolve(channel.channelId);
  }

  /** True when posting to `channel` needs no request to open a DM first. */
  inboxOpen(channel: ChannelRef): boolean {
    return this.dms.isOpen(channel.channelId);
  }

  /**
   * A `dm:<user>` ref (a person's inbox) posts in the bot's DM channel with that user
   * (dm-channels.ts). In thread mode (`opts.thread`) a paper goes in its header's thread and
   * a header in a forum channel opens a forum post (digest-threads.ts); the answer then
   * names the thread the message is in.
   */
  async post(channel: ChannelRef, message: OutboundMessage, opts: PostOptions = {}): Promise<PostedRef> {
    // With files (a weekly chart) the same body goes as multipart, the image shown in the header's embed.
    const plain = messageBody(renderOutbound(message), opts.idempotencyKey ? nonceFor(opts.idempotencyKey) : undefined);
    const asked = isInboxChannel(channel.channelId) ? undefined : opts.thread;
    return this.dms.on(channel.channelId, async (id) => {
      try {
        // A forum takes posts only (Discord answers 50008): there a digest is one forum post,
        // thread mode or not. A channel known to be one is not tried plain again (a 4xx counts
        // towards Discord's invalid-request limit).
        const inForum = () => this.threads.forumPlacement(channel.workspaceId, id, message, () => this.selfId());
        if (!asked && this.threads.knownForum(id)) {
          const forum = await inForum();
          if (forum) return await this.placed(id, message, plain, opts.files, forum);
        }
        try {
          return await this.placed(id, message, plain, opts.files, asked);
        } catch (err) {
          const forum = !asked && isDiscordCode(err, 50008) ? await inForum() : null;
          if (!forum) throw err;
          return await this.placed(id, message, plain, opts.files, forum);
        }
      } catch (err) {
        throw fromDiscordError(err, `post to channel ${id}`);
      }
    });
  }

  /** Posts in the channel, or where thread mode puts the message (digest-threads.ts). */
  private async placed(id: string, message: OutboundMessage, plain: RESTPostAPIChannelMessageJSONBody, files: PostOptions['files'], thread: ThreadPlacement | undefined): Promise<PostedRef> {
    if (thread && message.kind === 'digestHeader' && (await this.threads.isForum(id))) {
      return this.withoutFilesIfRefused(files, id, (b, f) => this.threads.forumPost(id, thread.name, b, f), plain);
    }
    const target = thread?.parentMessageId ? await this.threads.placeFor(id, { ...thread, parentMessageId: thread.parentMessageId }) : id;
    const sent = await this.withoutFilesIfRefused(files, id, async (b, f) => ({ messageId: ((await this.rest.post(Routes.channelMessages(target), f.length ? { body: b, files: f } : { body: b })) as APIMessage).id }), plain);
    return target === id ? sent : { ...sent, channelId: target };
  }

  /**
   * Sends `plain` with the files; refused for its files (no Attach Files: 403 50013; too
   * large: 413; a form Discord would not take: 400), nothing was created, so it goes again
   * without them, under the same nonce. A channel or DM that is gone answers the same
   * either way: thrown.
   */
  private async withoutFilesIfRefused(files: PostOptions['files'], id: string, send: (body: RESTPostAPIChannelMessageJSONBody, files: RawUpload[]) => Promise<PostedRef>, plain: RESTPostAPIChannelMessageJSONBody): Promise<PostedRef> {
    const attached = withFiles(plain, files);
    if (attached.files.length) {
      try {
        return await send(attached.body, attached.files);
      } catch (err) {
        if (!refusedForFiles(err)) throw err;
        this.log?.warn({ err: forLog(err), channel: id }, 'discord refused a digest message with its files; posting it without them');
      }
    }
    return send(plain, []);
  }

  /**
   * Replaces a posted message's content (live counts): the same render as post, with the
   * key stamped where post put it (so findPosted still finds it), without the nonce an
   * edit has no use for. A deleted message answers 10008 Unknown Message (UpstreamError).
   */
  async edit(channel: ChannelRef, messageId: string, message: OutboundMessage, opts: PostOptions = {}): Promise<void> {
    const rendered = messageBody(renderOutbound(message));
    const body = opts.idempotencyKey ? stampKey(rendered, nonceFor(opts.idempotencyKey)) : rendered;
    await this.dms.on(channel.channelId, async (id) => {
      try {
        await this.rest.patch(Routes.channelMessage(id, messageId), { body });
      } catch (err) {
        throw fromDiscordError(err, `edit message ${messageId} in channel ${id}`);
      }
    });
  }

  /**
   * Our message carrying this key among the channel's last 200, or null. Only the bot's
   * own messages count: a member could paste a link with the same fragment. In thread
   * mode a paper is looked for in its header's thread first, then in the channel (where it
   * went if no thread could be started); a header in a forum among our forum posts.
   */
  async findPosted(channel: ChannelRef, idempotencyKey: string, opts: Pick<PostOptions, 'thread'> = {}): Promise<PostedRef | null> {
    const tag = nonceFor(idempotencyKey);
    const thread = isInboxChannel(channel.channelId) ? undefined : opts.thread;
    return this.dms.on(channel.channelId, async (id) => {
      try {
        const self = await this.selfId();
        // A forum has no messages of its own: a header is a post's first message, a paper is in a post.
        if (!isInboxChannel(channel.channelId) && (await this.threads.isForum(id))) {
          if (!thread?.parentMessageId) {
            const post = await this.threads.findForumPost(channel.workspaceId, id, self, tag);
            if (post || thread) return post;
          }
          const postId = thread?.parentMessageId ?? (await this.threads.latestForumPost(channel.workspaceId, id, self));
          const hit = postId ? await this.findIn(postId, self, tag) : null;
          return hit && postId ? { ...hit, channelId: postId } : null;
        }
        const threadId = thread?.parentMessageId;
        if (threadId && (await this.threads.exists(threadId))) {
          const inThread = await this.findIn(threadId, self, tag);
          if (inThread) return { ...inThread, channelId: threadId };
        }
        return await this.findIn(id, self, tag);
      } catch (err) {
        throw fromDiscordError(err, `look for message ${tag} in channel ${id}`);
      }
    });
  }

  private async findIn(id: string, self: string, tag: string): Promise<PostedRef | null> {
    let before: string | undefined;
    for (let page = 0; page < FIND_PAGES; page++) {
      const query = new URLSearchParams({ limit: '100', ...(before ? { before } : {}) });
      const batch = (await this.rest.get(Routes.channelMessages(id), { query })) as APIMessage[];
      const hit = batch.find((m) => m.author?.id === self && carriesKey(m, tag));
      if (hit) return { messageId: hit.id };
      if (batch.length < 100) return null;
      before = batch[batch.length - 1]!.id;
    }
    return null;
  }

  /** The bot's user id: from the session, else asked once (a REST-only poster). */
  private async selfId(): Promise<string> {
    const known = this.sessionUserId() ?? this.selfIdCache;
    if (known) return known;
    const me = (await this.rest.get(Routes.user('@me'))) as { id: string };
    this.selfIdCache = me.id;
    return me.id;
  }

  async addBookmarkHint(channel: ChannelRef, messageId: string): Promise<void> {
    await this.dms.on(channel.channelId, async (id) => {
      try {
        await this.rest.put(Routes.channelMessageOwnReaction(id, messageId, encodeURIComponent(BOOKMARK_EMOJI)));
      } catch (err) {
        throw fromDiscordError(err, `add ${BOOKMARK_EMOJI} to message ${messageId}`);
      }
    });
  }
}
