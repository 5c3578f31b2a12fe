/**
 * Thread mode on Discord (core/digest/thread-mode.ts): where a digest's papers go.
 *
 * - A text channel: the first paper starts a public thread on the header message
 *   (POST /channels/:id/messages/:header/threads); Discord gives a thread started from a
 *   message the message's id, so the thread is always `parentMessageId`, whichever process
 *   or attempt made it, and a second start answers 160004, "already created".
 * - A forum or media channel takes no plain messages: the header opens a forum post
 *   (POST /channels/:id/threads with the header as its first message), whose id is both the
 *   thread's and that first message's, and the papers go in it.
 * - A thread the bot cannot start (no Create Public Threads: 50013; a channel that takes
 *   none, such as a thread or an announcement channel: 50024; a header deleted meanwhile:
 *   10008) is not a failed digest: the papers go in the channel itself, as without threads.
 *
 * Threads archive after three days without activity: longer than live counts edit a
 * paper's message (48 hours), as an archived thread refuses edits.
 */
import { ChannelType, DiscordAPIError, Routes, type APIChannel, type APIMessage, type APIThreadChannel, type REST, type RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import { threadName } from '../../core/digest/thread-mode.js';
import type { Logger, PostedRef, ThreadPlacement } from '../../core/ports.js';
import type { OutboundMessage } from '../../core/reply.js';
import type { RawUpload } from './attach-files.js';
import { forLog } from './errors.js';
import { carriesKey } from './message-key.js';

const THREAD_ARCHIVE_MINUTES = 4320;

/** Forum and media channels take posts only, no plain messages. */
export const isForumType = (type: ChannelType | number | undefined): boolean => type === ChannelType.GuildForum || type === ChannelType.GuildMedia;

/** Forum posts of ours whose first message findPosted reads, newest first. */
const FORUM_POSTS_READ = 10;

/** Discord's "a thread has already been created for this message". */
const THREAD_EXISTS = 160004;
/** Refusals that mean "no thread here": post in the channel instead. */
const NO_THREAD_CODES: ReadonlySet<number> = new Set([50001, 50013, 50024, 10008]);

const codeOf = (err: unknown): number | null => (err instanceof DiscordAPIError ? Number(err.code) : null);
export const isDiscordCode = (err: unknown, code: number): boolean => codeOf(err) === code;

export class DigestThreads {
  /** Channel id → whether it is a forum or media channel, asked once per channel and process. */
  private readonly forums = new Map<string, boolean>();
  /** Thread ids known to exist. */
  private readonly open = new Set<string>();
  /** Headers whose thread could not be started: their other papers go in the channel without asking again. */
  private readonly refused = new Set<string>();
  /** The forum post this process opened last in each forum (the current digest's). */
  private readonly lastPost = new Map<string, string>();

  constructor(
    private readonly rest: REST,
    private readonly log?: Logger,
    /** Without the library's retries: a forum post takes no nonce, so a retried 5xx could open two. */
    private readonly unretried: REST = rest,
  ) {}

  /** True when this process already knows the channel is a forum (no request). */
  knownForum(channelId: string): boolean {
    return this.forums.get(channelId) === true;
  }

  /** Whether the channel takes only posts (forum 15, media 16). */
  async isForum(channelId: string): Promise<boolean> {
    const known = this.forums.get(channelId);
    if (known !== undefined) return known;
    const c = (await this.rest.get(Routes.channel(channelId))) as APIChannel;
    const forum = isForumType(c.type);
    this.forums.set(channelId, forum);
    return forum;
  }

  /**
   * Opens a forum post whose first message is the header. Discord takes no nonce here, so
   * a retry finds an earlier attempt's post with `findForumPost` before opening another.
   */
  async forumPost(channelId: string, name: string, body: RESTPostAPIChannelMessageJSONBody, files: RawUpload[]): Promise<PostedRef> {
    const { nonce: _nonce, enforce_nonce: _enforce, ...message } = body;
    const request = { body: { name, auto_archive_duration: THREAD_ARCHIVE_MINUTES, message }, ...(files.length ? { files } : {}) };
    const post = (await this.unretried.post(Routes.threads(channelId), request)) as APIThreadChannel & { message?: APIMessage };
    this.open.add(post.id);
    this.lastPost.set(channelId, post.id);
    return { messageId: post.message?.id ?? post.id, channelId: post.id };
  }

  /** The channel a paper under `thread` goes in: its header's thread (started if need be), or `channelId` itself. */
  async placeFor(channelId: string, thread: ThreadPlacement & { parentMessageId: string }): Promise<string> {
    const parent = thread.parentMessageId;
    if (this.open.has(parent)) return parent;
    if (this.refused.has(parent)) return channelId;
    // A forum post's id is its first message's: the header's id names the thread.
    if (await this.isForum(channelId)) {
      this.open.add(parent);
      return parent;
    }
    try {
      await this.rest.post(Routes.threads(channelId, parent), { body: { name: thread.name, auto_archive_duration: THREAD_ARCHIVE_MINUTES } });
    } catch (err) {
      const code = codeOf(err);
      if (code !== THREAD_EXISTS) {
        if (code === null || !NO_THREAD_CODES.has(code)) throw err;
        this.log?.warn({ err: forLog(err), channel: channelId, header: parent }, 'discord: cannot start the digest thread; posting its papers in the channel');
        this.refused.add(parent);
        return channelId;
      }
    }
    this.open.add(parent);
    return parent;
  }

  /**
   * Where a digest message goes in a forum without thread mode (Discord answered 50008 to a
   * plain post): a header opens a post of its own, a paper goes in the newest post of ours
   * (one digest per channel runs at a time, so that is its header's). Null for any other
   * channel or message.
   */
  async forumPlacement(guildId: string, channelId: string, message: OutboundMessage, selfId: () => Promise<string>): Promise<ThreadPlacement | null> {
    if (!(await this.isForum(channelId))) return null;
    if (message.kind === 'digestHeader') return { name: threadName(message) };
    if (message.kind !== 'digestPaper') return null;
    const post = await this.latestForumPost(guildId, channelId, await selfId());
    // No name: a post exists already, so placeFor starts no thread.
    return post ? { name: '', parentMessageId: post } : null;
  }

  /** The newest forum post of ours in `forumId`: the one this process opened, else from the guild's active threads. */
  async latestForumPost(guildId: string, forumId: string, selfId: string): Promise<string | null> {
    return this.lastPost.get(forumId) ?? (await this.ourForumPosts(guildId, forumId, selfId))[0]?.id ?? null;
  }

  private async ourForumPosts(guildId: string, forumId: string, selfId: string): Promise<APIThreadChannel[]> {
    const { threads } = (await this.rest.get(Routes.guildActiveThreads(guildId))) as { threads: APIThreadChannel[] };
    return threads
      .filter((t) => t.parent_id === forumId && t.owner_id === selfId)
      .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1))
      .slice(0, FORUM_POSTS_READ);
  }

  /** Whether a thread with this id exists; a thread never started answers 10003 Unknown Channel. */
  async exists(threadId: string): Promise<boolean> {
    if (this.open.has(threadId)) return true;
    try {
      await this.rest.get(Routes.channel(threadId));
    } catch (err) {
      if (codeOf(err) === 10003) return false;
      throw err;
    }
    this.open.add(threadId);
    return true;
  }

  /**
   * A forum post of ours in `forumId` whose first message carries `tag` (message-key.ts):
   * Discord's list of the guild's active threads, then the newest few of ours there.
   */
  async findForumPost(guildId: string, forumId: string, selfId: string, tag: string): Promise<PostedRef | null> {
    for (const t of await this.ourForumPosts(guildId, forumId, selfId)) {
      try {
        const first = (await this.rest.get(Routes.channelMessage(t.id, t.id))) as APIMessage;
        if (carriesKey(first, tag)) return { messageId: first.id, channelId: t.id };
      } catch (err) {
        if (codeOf(err) !== 10008) throw err; // its first message was deleted: not the one
      }
    }
    return null;
  }
}
