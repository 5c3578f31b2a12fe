/**
 * The bot on Discord through discord.js 14: the gateway client for slash commands,
 * buttons, autocomplete and 🔖 reactions, and REST for the bot's own posts.
 *
 * - Intents Guilds, GuildMessageReactions and DirectMessageReactions (🔖 on an inbox's DMs),
 *   no privileged intent. Partials
 *   (Message, Reaction, User, Channel) make reactions on messages posted before a restart
 *   arrive: the posted log, not the message cache, says which paper a message shows.
 * - Shards: the process runs the gateway shards `shards` names (DISCORD_SHARDS,
 *   DISCORD_SHARD_IDS), through discord.js's own shard management (@discordjs/ws); with
 *   `auto` the total comes from GET /gateway/bot before login. Each shard receives only
 *   its guilds' events, so every interaction reaches exactly one process.
 * - `gateway: false` gives a REST-only instance: post() and addBookmarkHint() work without
 *   logging in, for a worker process that delivers digests.
 * - Every interaction is acknowledged within Discord's 3 seconds: slow commands are
 *   deferred at once, any other one when it has not answered after `deferAfterMs`.
 * - "Paper cards" message commands answer with the cards of the papers a message links to (message-cards.ts).
 * - Outbound (post, findPosted, the 🔖 hints, people's inboxes by DM) is discord-poster.ts:
 *   a nonce per idempotency key, and the key carried in the message for findPosted.
 */
import { once } from 'node:events';
import {
  Client,
  DefaultRestOptions,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Partials,
  REST,
  Routes,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type MessageReaction,
  type PartialMessageReaction,
  type PartialUser,
  type RESTOptions,
  type User,
} from 'discord.js';
import { COMMAND_ROOT, type CommandSpec } from '../../core/command-spec/spec.js';
import { GENERIC_FAILURE } from '../../core/errors.js';
import { noMetrics, type Metrics } from '../../core/metrics.js';
import type { ChannelRef, ChatPlatform, Logger, PlatformHandlers, PostedRef, PostOptions, TurnGate } from '../../core/ports.js';
import { errorReply, type OutboundMessage, type Reply } from '../../core/reply.js';
import { DiscordPoster } from './discord-poster.js';
import { isBookmarkEmoji } from '../../core/actions.js';
import { forumOf, threadParentOf } from './thread-channels.js';
import { forLog, fromDiscordError } from './errors.js';
import { InvalidRequestBreaker } from './invalid-requests.js';
import { answerMessageCommand } from './message-cards.js';
import { describeShardIds, resolveShards, shardRefusal, type ShardPlan } from './shards.js';
import { autocompleteChoices, editOptions, NOOP_PREFIX, renderReply, replyOptions } from './render.js';
import { dmReactionOf, focusedOf, toActionEvent, toInvocation, toReactionEvent, type OptionLike } from './translate.js';
import { TIMED_OUT, within } from './within.js';

export interface DiscordPlatformOptions {
  token: string;
  appId: string;
  /** REST base without version, e.g. https://discord.com/api; the gateway URL comes from GET /gateway/bot. */
  apiBase: string;
  commands: readonly CommandSpec[];
  log: Logger;
  /** False: REST only (post, addBookmarkHint), never connects to the gateway. Default true. */
  gateway?: boolean;
  /** Defer a command or button that has not answered after this long (default 1,500 ms). */
  deferAfterMs?: number;
  /** Autocomplete cannot be deferred: after this long it answers with no suggestions (default 2,500 ms). */
  autocompleteTimeoutMs?: number;
  /** Extra @discordjs/rest options (retries, timeout, globalRequestsPerSecond …). */
  rest?: Partial<RESTOptions>;
  /** Invalid requests (401/403/429) in 10 minutes at which sending stops (default 5,000; Discord bans at 10,000). */
  invalidRequestsOpenAt?: number;
  metrics?: Metrics;
  /** Gateway shards this process runs (default: `auto`, all of them). */
  shards?: ShardPlan;
  /** Identify turns shared with the bot's other processes, read at start; none: paced in this process by discord.js. */
  identifyTurns?: () => TurnGate | undefined;
}

/** Discord allows `max_concurrency` identifies (one per bucket, shard id modulo it) per 5 s, per bot. */
const IDENTIFY_WINDOW_MS = 5_000;

export { BOOKMARK_EMOJI, nonceFor } from './discord-poster.js';

export class DiscordPlatform implements ChatPlatform {
  readonly name = 'discord' as const;
  private readonly client: Client | null;
  private readonly rest: REST;
  /** REST without the library's retries, for forum posts (no nonce: a retried 5xx could open two). */
  private readonly unretried: REST;
  private readonly log: Logger;
  private handlers: PlatformHandlers | undefined;
  private readonly inflight = new Set<Promise<void>>();
  private readonly deferAfterMs: number;
  private readonly autocompleteTimeoutMs: number;
  readonly breaker: InvalidRequestBreaker;
  /** Posts, lookups and 🔖 hints over REST, people's inboxes (`dm:<user>`) included. */
  readonly poster: DiscordPoster;

  constructor(private readonly opts: DiscordPlatformOptions) {
    this.log = opts.log;
    this.deferAfterMs = opts.deferAfterMs ?? 1500;
    this.autocompleteTimeoutMs = opts.autocompleteTimeoutMs ?? 2500;
    const metrics = opts.metrics ?? noMetrics;
    this.breaker = new InvalidRequestBreaker(opts.invalidRequestsOpenAt, {
      invalid: (status) => metrics.invalidRequest('discord', status),
      changed: (open, count) => {
        metrics.circuit('discord', open);
        if (open) this.log.error({ invalidRequests: count }, 'discord: too many invalid requests in 10 minutes; holding every request back');
        else this.log.warn({ invalidRequests: count }, 'discord: invalid requests back under the limit; sending again');
      },
    });
    const send = opts.rest?.makeRequest ?? DefaultRestOptions.makeRequest;
    const restOptions: Partial<RESTOptions> = {
      api: opts.apiBase.replace(/\/+$/, ''),
      ...opts.rest,
      // Every request the library sends, its own retries included, passes the breaker.
      makeRequest: async (url, init) => {
        this.breaker.check();
        const res = await send(url, init);
        this.breaker.record(res.status);
        return res;
      },
    };
    if (opts.gateway === false) {
      this.client = null;
      this.rest = new REST(restOptions);
    } else {
      this.client = new Client({
        intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessageReactions, GatewayIntentBits.DirectMessageReactions],
        partials: [Partials.Message, Partials.Reaction, Partials.User, Partials.Channel],
        // Belt and braces: every payload sets its own (empty) allowed mentions too.
        allowedMentions: { parse: [] },
        rest: restOptions,
      });
      this.rest = this.client.rest;
    }
    // Posts work before (or without) login.
    this.rest.setToken(opts.token);
    // Forum posts take no nonce: a 5xx retried by the library could open a second one, so
    // they go through a client that never retries (the delivery's own retry looks first).
    this.unretried = new REST({ ...restOptions, retries: 0 });
    this.unretried.setToken(opts.token);
    this.poster = new DiscordPoster(this.rest, () => this.botUserId, this.log, this.unretried);
    this.rest.on('rateLimited', (info) => {
      this.log.warn({ route: info.route, global: info.global, retryAfterMs: info.retryAfter, scope: info.scope }, 'discord rate limit: waiting');
    });
  }

  /** The bot's user id once connected (null for a REST-only instance). */
  get botUserId(): string | null {
    return this.client?.user?.id ?? null;
  }

  async start(handlers: PlatformHandlers): Promise<void> {
    this.handlers = handlers;
    const client = this.client;
    if (!client) {
      this.log.info({}, 'discord: REST-only instance, not connecting to the gateway');
      return;
    }
    client.on(Events.InteractionCreate, (i) => this.track(this.onInteraction(i)));
    client.on(Events.MessageReactionAdd, (r, u) => this.track(this.onReaction(r, u, true)));
    client.on(Events.MessageReactionRemove, (r, u) => this.track(this.onReaction(r, u, false)));
    // discord.js drops reactions in a DM channel it has not cached (an inbox opened by a worker, or before a restart).
    client.on(Events.Raw, (packet: { t?: string | null; d?: unknown }) => {
      const ev = dmReactionOf(packet, this.botUserId);
      if (ev) this.track(this.handlers!.reaction(ev));
    });
    client.on(Events.Error, (err) => this.log.error({ err: forLog(err) }, 'discord client error'));
    client.on(Events.Warn, (msg) => this.log.warn({ msg }, 'discord client warning'));
    client.on(Events.ShardError, (err, shard) => this.log.warn({ err, shard }, 'discord gateway connection error'));
    client.on(Events.ShardDisconnect, (ev, shard) => this.log.error({ code: ev.code, shard }, 'discord gateway closed for good'));
    client.on(Events.ShardReconnecting, (shard) => this.log.info({ shard }, 'discord gateway reconnecting'));
    client.on(Events.Invalidated, () => this.log.error({}, 'discord session invalidated'));

    // Read by discord.js when login connects: the shards this process runs, out of how many in all.
    const plan = this.opts.shards ?? { count: 'auto', ids: undefined };
    if (plan.count === 'auto' && !plan.ids) client.options.shards = 'auto'; // every shard: the library asks GET /gateway/bot itself
    else {
      const shards = await resolveShards(plan, () => this.recommendedShards());
      client.options.shards = shards.ids;
      client.options.shardCount = shards.count;
    }
    const turns = this.opts.identifyTurns?.();
    if (turns) {
      // Bot processes started together would each pace only their own shards.
      client.options.ws = {
        ...client.options.ws,
        buildIdentifyThrottler: async (manager) => {
          const buckets = (await manager.fetchGatewayInformation()).session_start_limit.max_concurrency;
          return { waitForIdentify: (shardId, signal) => turns.take(`discord:identify:${shardId % buckets}`, IDENTIFY_WINDOW_MS, signal) };
        },
      };
    }
    const controller = new AbortController();
    const ready = once(client, Events.ClientReady, { signal: controller.signal });
    ready.catch(() => undefined);
    try {
      await client.login(this.opts.token);
      await ready;
    } catch (err) {
      controller.abort();
      throw shardRefusal(err) ?? fromDiscordError(err, 'log in');
    }
    const ids = client.options.shards as number[];
    const count = client.options.shardCount ?? ids.length;
    this.log.info({ user: client.user?.id, guilds: client.guilds.cache.size, shards: ids, shardCount: count }, `discord connected: shards ${describeShardIds(ids)} of ${count}`);
  }

  /** The shard count Discord recommends for the bot (GET /gateway/bot). */
  private async recommendedShards(): Promise<number> {
    try {
      const info = (await this.rest.get(Routes.gatewayBot())) as { shards: number };
      return info.shards;
    } catch (err) {
      throw fromDiscordError(err, 'ask Discord for the shard count');
    }
  }

  /** Resolves when every interaction and reaction received so far has been handled. */
  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }

  /** A poster (no gateway) is connected once constructed: REST needs no session. */
  isConnected(): boolean {
    return this.client ? this.client.isReady() : true;
  }

  /** Lets in-flight interactions finish (up to 5 s), then disconnects. */
  async stop(): Promise<void> {
    await within(this.idle(), 5000);
    if (this.client) await this.client.destroy();
    for (const rest of [this.rest, this.unretried]) {
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
    }
  }

  // ─── Outbound (discord-poster.ts) ──────────────────────────────────────────────────

  /** Opens an inbox's DM ahead of posting, for a caller that paces every request (nothing once open). */
  openInbox(channel: ChannelRef): Promise<void> {
    return this.poster.openInbox(channel);
  }

  inboxOpen(channel: ChannelRef): boolean {
    return this.poster.inboxOpen(channel);
  }

  post(channel: ChannelRef, message: OutboundMessage, opts: PostOptions = {}): Promise<PostedRef> {
    return this.poster.post(channel, message, opts);
  }

  edit(channel: ChannelRef, messageId: string, message: OutboundMessage, opts: PostOptions = {}): Promise<void> {
    return this.poster.edit(channel, messageId, message, opts);
  }

  findPosted(channel: ChannelRef, idempotencyKey: string, opts?: Pick<PostOptions, 'thread'>): Promise<PostedRef | null> {
    return this.poster.findPosted(channel, idempotencyKey, opts);
  }

  addBookmarkHint(channel: ChannelRef, messageId: string): Promise<void> {
    return this.poster.addBookmarkHint(channel, messageId);
  }

  // ─── Inbound ─────────────────────────────────────────────────────────────────────────

  private track(p: Promise<void>): void {
    const tracked = p.catch((err: unknown) => this.log.error({ err: forLog(err) }, 'discord event handler failed'));
    this.inflight.add(tracked);
    void tracked.finally(() => this.inflight.delete(tracked));
  }

  private async onInteraction(i: Interaction): Promise<void> {
    if (!this.handlers) return;
    if (i.isChatInputCommand()) return this.onCommand(i);
    if (i.isAutocomplete()) return this.onAutocomplete(i);
    if (i.isButton()) return this.onButton(i);
    if (i.isMessageContextMenuCommand()) return answerMessageCommand(i, this.handlers, { log: this.log, deferAfterMs: this.deferAfterMs });
  }

  private async onCommand(i: ChatInputCommandInteraction): Promise<void> {
    const asked = toInvocation(i, i.options.data as readonly OptionLike[], COMMAND_ROOT);
    // In a forum's post, the forum's subscription is meant (thread-channels.ts).
    const forum = this.client && i.guildId && i.channelId && this.client.guilds.cache.has(i.guildId) ? await forumOf(this.client, i.channelId, this.log) : null;
    const inv = forum ? { ...asked, channelId: forum } : asked;
    const log = this.log.child({ interaction: i.id, channel: i.channelId, guild: i.guildId, command: inv.command });
    const spec = this.opts.commands.find((s) => s.name === inv.command);
    const work = this.safely(() => this.handlers!.command(inv), log);
    let deferred = false;
    try {
      let reply: Reply | typeof TIMED_OUT = TIMED_OUT;
      if (!spec?.slow) reply = await within(work, this.deferAfterMs);
      if (reply === TIMED_OUT) {
        // Replies are ephemeral by the core's convention; a public one is re-sent below.
        await i.deferReply({ flags: MessageFlags.Ephemeral });
        deferred = true;
        log.debug({ slow: spec?.slow === true }, 'deferred');
        reply = await work;
      }
      const payload = renderReply(reply);
      if (!deferred) await i.reply(replyOptions(payload));
      else if (payload.ephemeral) await i.editReply(editOptions(payload));
      else {
        await i.deleteReply();
        await i.followUp(replyOptions(payload));
      }
    } catch (err) {
      await this.apologise(i, err, log);
    }
  }

  private async onButton(i: ButtonInteraction): Promise<void> {
    const log = this.log.child({ interaction: i.id, channel: i.channelId, guild: i.guildId, action: i.customId.slice(0, 40) });
    try {
      if (i.customId.startsWith(NOOP_PREFIX)) {
        await i.deferUpdate();
        return;
      }
      // Paging edits the list the button sits on; anything else answers privately.
      const paging = i.customId.startsWith('pg:');
      const work = this.safely(() => this.handlers!.action(toActionEvent(i)), log);
      let reply: Reply | null | typeof TIMED_OUT = await within(work, this.deferAfterMs);
      let deferred = false;
      if (reply === TIMED_OUT) {
        if (paging) await i.deferUpdate();
        else await i.deferReply({ flags: MessageFlags.Ephemeral });
        deferred = true;
        reply = await work;
      }
      if (reply === null) {
        if (!deferred) await i.deferUpdate();
        return;
      }
      const payload = renderReply(reply);
      if (paging && reply.kind === 'papers') {
        if (deferred) await i.editReply(editOptions(payload));
        else await i.update(editOptions(payload));
      } else if (deferred && paging) {
        await i.followUp(replyOptions({ ...payload, ephemeral: true }));
      } else if (deferred) {
        await i.editReply(editOptions(payload));
      } else {
        await i.reply(replyOptions({ ...payload, ephemeral: true }));
      }
    } catch (err) {
      await this.apologise(i, err, log);
    }
  }

  private async onAutocomplete(i: AutocompleteInteraction): Promise<void> {
    const focused = focusedOf(i.options.data as readonly OptionLike[]);
    const spec = focused && this.opts.commands.find((s) => s.name === focused.command);
    const kind = spec?.options.find((o) => o.name === focused!.option)?.autocomplete;
    let choices: { name: string; value: string }[] = [];
    if (kind && focused && this.handlers?.autocomplete) {
      const found = await within(
        this.handlers.autocomplete(kind, focused.text).catch((err: unknown) => {
          this.log.warn({ err: forLog(err), interaction: i.id }, 'autocomplete failed');
          return [];
        }),
        this.autocompleteTimeoutMs,
      );
      if (found !== TIMED_OUT) choices = found;
      else this.log.warn({ interaction: i.id, kind }, 'autocomplete too slow: answered with no suggestions');
    }
    try {
      await i.respond(autocompleteChoices(choices));
    } catch (err) {
      this.log.warn({ err: forLog(err), interaction: i.id }, 'autocomplete answer failed');
    }
  }

  private async onReaction(reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser, added: boolean): Promise<void> {
    const message = reaction.message;
    if (message.guildId === null) return; // a DM: handled from the raw packet (dmReactionOf)
    const ev = toReactionEvent(
      {
        messageId: message.id,
        channelId: message.channelId,
        guildId: message.guildId,
        emoji: { name: reaction.emoji.name, id: reaction.emoji.id },
        userId: user.id,
        userIsBot: user.bot,
      },
      added,
      this.botUserId,
    );
    // A paper posted in a digest's thread (thread mode) is logged under the channel.
    const parent = this.client && !ev.byBot && isBookmarkEmoji(ev.emoji) ? await threadParentOf(this.client, message.channelId, this.log) : undefined;
    await this.handlers?.reaction(parent ? { ...ev, threadParentId: parent } : ev);
  }

  /** The core's handlers catch their own errors; this guards against anything that slips past. */
  private safely<T>(fn: () => Promise<T>, log: Logger): Promise<T | Reply> {
    return fn().catch((err: unknown) => {
      log.error({ err: forLog(err) }, 'handler threw');
      return errorReply(GENERIC_FAILURE);
    });
  }

  /** A failure while answering: logged in full, the user gets a short private apology. */
  private async apologise(i: ChatInputCommandInteraction | ButtonInteraction, err: unknown, log: Logger): Promise<void> {
    log.error({ err: forLog(err) }, 'interaction failed');
    const sorry = { content: `❌ ${GENERIC_FAILURE}`, allowedMentions: { parse: [] }, flags: MessageFlags.Ephemeral as const };
    try {
      if (i.deferred || i.replied) await i.followUp(sorry);
      else await i.reply(sorry);
    } catch (again) {
      log.warn({ err: forLog(again) }, 'could not tell the user about the failure');
    }
  }
}
