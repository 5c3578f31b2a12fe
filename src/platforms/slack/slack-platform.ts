/**
 * The bot on Slack, through @slack/bolt.
 *
 * - Socket Mode when SLACK_APP_TOKEN is set (no public URL), otherwise HTTP mode on PORT
 *   with request signatures checked (Bolt: 401 on a bad signature or a timestamp more
 *   than five minutes old). HTTP mode with SLACK_CLIENT_ID/SECRET serves the OAuth
 *   install flow (/slack/install, /slack/oauth_redirect) and keeps installs in the store.
 * - `/papers …` is acknowledged at once and answered through the response_url,
 *   ephemeral unless the reply says otherwise; files (exports) go by direct message.
 * - 🔖 reactions on digest messages bookmark / unbookmark; buttons save, page, remove.
 * - Links to papers we know unfurl into their paper card (unfurl.ts).
 * - App Home (app-home.ts) shows the user's inbox and followed topics with buttons to turn
 *   it on or off and to unfollow, lists their bookmarks with Remove and export buttons,
 *   and lets admins choose who may subscribe channels (policy.ts).
 * - Retried and replayed deliveries are acknowledged and skipped (dedupe.ts).
 *
 * `webOnly: true` builds no receiver: post / findPosted / addBookmarkHint work through
 * the Web API alone, for a worker process that only delivers digests.
 */
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type HTTPReceiver, type RespondArguments, type RespondFn } from '@slack/bolt';
import type { CommandSpec } from '../../core/command-spec/spec.js';
import { BotError, ChannelUnavailableError, ConfigError, UpstreamError, userMessageOf } from '../../core/errors.js';
import { isInboxChannel } from '../../core/people.js';
import type { ChannelRef, ChatPlatform, Logger, PlatformHandlers, PostedRef, PostOptions, SeenStore, Store } from '../../core/ports.js';
import { shareFiles } from './post-files.js';
import { errorReply, text, type FileReply, type OutboundMessage, type Reply, type TextReply } from '../../core/reply.js';
import type { SlackConnection } from './slack-config.js';
import { deliveryKey, SlackDeliveries } from './dedupe.js';
import { SlackDms } from './dm-conversations.js';
import { slackErrorCode } from './errors.js';
import { StoreInstallationStore } from './install-store.js';
import { AppHome } from './app-home.js';
import { SubscribePolicyService } from './policy.js';
import { escapeMrkdwn, LINK_ACTION_PREFIX, postArgs, renderReply, updateArgs } from './render.js';
import { findKeyed, replyOrPost } from './thread-replies.js';
import { withUsergroupPings } from './usergroup-pings.js';
import { actionSurface, actionTeam, parseSlash, toActionEvent, toInvocation, toReactionEvent, type BlockActionsBody, type ReactionEventBody, type SlashCommandBody } from './translate.js';
import { httpReceiver, socketReceiver } from './slack-receivers.js';
import { slackSdkLogger, SlackWeb } from './web.js';
import { onLinkShared, type LinkSharedBody } from './unfurl.js';

export type SlackConfig = SlackConnection;

export interface SlackPlatformOptions {
  slack: SlackConfig;
  store: Store;
  commands: readonly CommandSpec[];
  log: Logger;
  /** No receiver: only post / findPosted / addBookmarkHint (a digest worker). */
  webOnly?: boolean;
  /** HTTP mode on the app's own server (shared HTTP_PORT) instead of a port of Bolt's. */
  mountHttp?: (listener: RequestListener) => void;
  /** Deliveries seen by any process (Redis), read per delivery; unset or undefined: this process's own memory. */
  seen?: () => SeenStore | undefined;
  /** Tuning, mostly for tests. */
  tuning?: { maxRateLimitWaitSec?: number; adminCacheMs?: number; dedupeTtlMs?: number; historyLimit?: number };
}

export type SlackMode = 'socket' | 'http' | 'web';

export class SlackPlatform implements ChatPlatform {
  readonly name = 'slack' as const;
  readonly mode: SlackMode;
  private readonly web: SlackWeb;
  private readonly installs: StoreInstallationStore;
  private readonly policy: SubscribePolicyService;
  private readonly seen: SlackDeliveries;
  /** People's inboxes: `dm:<user>` refs → the app's DM conversations. */
  readonly dms: SlackDms;
  private readonly home: AppHome;
  private readonly log: Logger;
  private readonly inflight = new Set<Promise<unknown>>();
  private app: App | undefined;
  private sharedHttp = false;
  private server: Server | undefined;
  private handlers: PlatformHandlers | undefined;

  constructor(private readonly opts: SlackPlatformOptions) {
    const { slack } = opts;
    this.log = opts.log;
    this.mode = opts.webOnly ? 'web' : slack.appToken ? 'socket' : 'http';
    if (this.mode === 'socket' && !slack.botToken) throw new ConfigError('SLACK_BOT_TOKEN: required with SLACK_APP_TOKEN (Socket Mode)');
    if (this.mode === 'http' && !slack.signingSecret) throw new ConfigError('SLACK_SIGNING_SECRET: required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
    this.installs = new StoreInstallationStore(opts.store, { key: slack.tokenKey, log: opts.log });
    this.web = new SlackWeb({
      apiUrl: slack.apiUrl,
      botToken: slack.botToken,
      oauth: Boolean(slack.oauth),
      installs: this.installs,
      log: opts.log,
      ...(opts.tuning?.maxRateLimitWaitSec !== undefined ? { maxRateLimitWaitSec: opts.tuning.maxRateLimitWaitSec } : {}),
    });
    this.policy = new SubscribePolicyService({
      store: opts.store,
      defaultPolicy: slack.subscribePolicy,
      lookupAdmin: async (teamId, userId) => {
        const res = await this.web.call<{ user?: { is_admin?: boolean; is_owner?: boolean; is_primary_owner?: boolean } }>(teamId, 'users.info', { user: userId });
        return Boolean(res.user?.is_admin || res.user?.is_owner || res.user?.is_primary_owner);
      },
      installerOf: async (teamId) => (await this.installs.installation(teamId))?.user?.id,
      log: opts.log,
      ...(opts.tuning?.adminCacheMs !== undefined ? { ttlMs: opts.tuning.adminCacheMs } : {}),
    });
    this.seen = new SlackDeliveries(opts.seen, opts.log, opts.tuning?.dedupeTtlMs);
    this.dms = new SlackDms(this.web);
    this.home = new AppHome({
      commands: opts.commands,
      handlers: () => this.handlers!,
      policy: this.policy,
      call: (teamId, method, args) => this.web.call(teamId, method, args),
      sendFile: (teamId, userId, reply) => this.sendFile(teamId, userId, reply),
      log: opts.log,
    });
  }

  /** HTTP mode: where the receiver listens (tests start it on port 0). */
  get address(): { port: number; url: string } | undefined {
    const a = this.server?.address() as AddressInfo | null | undefined;
    return a ? { port: a.port, url: `http://127.0.0.1:${a.port}` } : undefined;
  }

  // ─── Lifecycle ─────────────────────────────────────────────────────────────────────

  async start(handlers: PlatformHandlers): Promise<void> {
    this.handlers = handlers;
    if (this.mode === 'web') return;
    const { slack } = this.opts;
    const logger = slackSdkLogger(this.log.child({ component: 'bolt' }));
    const oauth = this.mode === 'http' ? slack.oauth : undefined;

    // One token: check it now, so a wrong token fails the start with a clear message
    // (Bolt would call auth.test in its constructor and reject unobserved).
    let identity: { botId?: string; botUserId?: string } = {};
    if (!oauth) {
      try {
        const auth = await this.web.callWithToken<{ user_id?: string; bot_id?: string; team_id?: string }>(slack.botToken!, 'auth.test', {});
        identity = { ...(auth.bot_id ? { botId: auth.bot_id } : {}), ...(auth.user_id ? { botUserId: auth.user_id } : {}) };
        this.log.info({ team: auth.team_id, botUser: auth.user_id, mode: this.mode }, 'Slack token verified');
      } catch (err) {
        throw new ConfigError(`SLACK_BOT_TOKEN: auth.test did not accept it (${err instanceof BotError ? err.message : String(err)})`);
      }
    } else {
      if (slack.botToken) this.log.warn({}, 'SLACK_BOT_TOKEN is set with OAuth: events are authorised by installs only; the token is a fallback for posting');
      if (!slack.tokenKey) this.log.warn({}, 'TOKEN_ENCRYPTION_KEY is not set: the bot tokens of installed workspaces are stored unencrypted (see docs/slack.md)');
    }

    const receiver = this.mode === 'socket' ? socketReceiver(this.opts.slack, this.web, logger) : httpReceiver(this.opts.slack, this.installs, this.web, logger, oauth);
    const app = new App({
      receiver,
      logger,
      clientOptions: this.web.clientOptions(),
      convoStore: false,
      ...(oauth ? {} : { token: slack.botToken!, ...identity }),
    });
    this.app = app;
    this.register(app);
    if (this.mode === 'http' && this.opts.mountHttp) {
      // Bolt's App constructor has initialised the receiver; its listener serves /slack/*.
      this.opts.mountHttp((receiver as HTTPReceiver).requestListener);
      this.sharedHttp = true;
      this.log.info({ oauth: Boolean(oauth) }, 'Slack HTTP endpoints on the shared HTTP server');
    } else if (this.mode === 'http') {
      this.server = (await app.start(slack.port)) as Server;
      this.log.info({ port: this.address?.port, oauth: Boolean(oauth) }, 'Slack HTTP receiver listening');
    } else {
      try {
        await app.start();
      } catch (err) {
        this.app = undefined;
        const code = slackErrorCode(err);
        throw new ConfigError(`SLACK_APP_TOKEN: Socket Mode could not connect (${code ?? (err instanceof Error ? err.message : String(err))})`);
      }
      this.log.info({}, 'Slack Socket Mode connected');
    }
  }

  /** Web-only posters need no connection; the bot's receiver is up once started. */
  isConnected(): boolean {
    return this.mode === 'web' || this.app !== undefined;
  }

  async stop(): Promise<void> {
    const app = this.app;
    this.app = undefined;
    if (!app) return;
    await this.idle(10_000);
    if (this.sharedHttp) return; // the app's HTTP server is closed by its owner
    this.server?.closeIdleConnections?.();
    await app.stop().catch((err: unknown) => this.log.warn({ err }, 'Slack receiver did not stop cleanly'));
    this.server = undefined;
  }

  /** Resolves when no handler is running (or after `timeoutMs`); for shutdown and tests. */
  async idle(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.inflight.size && Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(1, deadline - Date.now()))));
      await Promise.race([Promise.allSettled([...this.inflight]), timeout]);
      clearTimeout(timer);
    }
  }

  /** Runs a handler so that shutdown (and tests) can wait for it; errors are logged, never thrown at Bolt. */
  private track(what: string, work: () => Promise<void>): Promise<void> {
    const p = work().catch((err: unknown) => this.log.error({ err, what }, 'Slack handler failed'));
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
    return p;
  }

  private register(app: App): void {
    // Retried (X-Slack-Retry-Num) and replayed deliveries: acknowledge, do not handle again.
    app.use(async (args) => {
      const key = deliveryKey(args.body);
      if (key && !(await this.seen.firstTime(key))) {
        const ack = (args as { ack?: () => Promise<void> }).ack;
        if (ack) await ack();
        this.log.info({ key, retryNum: args.context.retryNum, retryReason: args.context.retryReason }, 'Slack delivery seen before: acknowledged, not handled again');
        return;
      }
      await args.next();
    });

    // Every slash command routed to this app is /papers (whatever a workspace renamed it to).
    app.command(/.*/, ({ command, ack, respond }) =>
      this.track('command', async () => {
        await ack();
        await this.onCommand(command as SlashCommandBody, respond);
      }),
    );

    app.action(/.*/, ({ body, ack, respond }) =>
      this.track('action', async () => {
        await ack();
        if (body.type !== 'block_actions') return;
        await this.onAction(body as unknown as BlockActionsBody, respond);
      }),
    );

    for (const type of ['reaction_added', 'reaction_removed'] as const) {
      app.event(type, ({ event, body, context }) =>
        this.track(type, async () => {
          const ev = toReactionEvent(body.team_id, event as ReactionEventBody, context.botUserId);
          if (ev) await this.handlers!.reaction(ev);
        }),
      );
    }

    app.event('app_home_opened', ({ event, body }) =>
      this.track('app_home_opened', async () => {
        if (event.tab !== 'home') return;
        await this.publishHome(body.team_id, event.user);
      }),
    );

    // Paper links posted by anyone: unfurled with our card when we know the paper (unfurl.ts).
    app.event('link_shared', ({ event, body }) =>
      this.track('link_shared', () => onLinkShared({ handlers: () => this.handlers, seen: this.seen, call: (t, m, a) => this.web.call(t, m, a), log: this.log }, body.team_id, event as unknown as LinkSharedBody)),
    );

    // OAuth: forget a workspace that removed the app (its token no longer works).
    app.event('app_uninstalled', ({ body }) => this.track('app_uninstalled', () => this.forgetInstall(body.team_id)));
    app.event('tokens_revoked', ({ event, body }) =>
      this.track('tokens_revoked', async () => {
        if (event.tokens.bot?.length) await this.forgetInstall(body.team_id);
      }),
    );

    app.error(async (err) => {
      this.log.error({ err }, 'Slack (Bolt) error');
    });
  }

  // ─── Inbound ───────────────────────────────────────────────────────────────────────

  private async onCommand(body: SlashCommandBody, respond: RespondFn): Promise<void> {
    const log = this.log.child({ interaction: body.trigger_id, team: body.team_id, channel: body.channel_id });
    let reply: Reply;
    try {
      const parsed = parseSlash(body, this.opts.commands);
      if (!parsed.ok) reply = parsed.reply;
      else {
        const perms = await this.policy.permissions(body.team_id, body.user_id, parsed.spec.permission === 'manageChannel');
        const inv = await withUsergroupPings(toInvocation(body, parsed, perms), {
          list: () => this.web.call(body.team_id, 'usergroups.list', {}),
          isAdmin: () => this.policy.isAdmin(body.team_id, body.user_id),
        });
        reply = await this.handlers!.command(inv);
      }
    } catch (err) {
      log.error({ err }, 'slash command failed');
      reply = errorReply(userMessageOf(err));
    }
    await this.answer({ teamId: body.team_id, userId: body.user_id, channelId: body.channel_id, respond }, reply, false, log);
  }

  private async onAction(body: BlockActionsBody, respond: RespondFn | undefined): Promise<void> {
    const actionId = body.actions[0]?.action_id;
    // Link buttons open their URL in the browser; Slack still tells us, and we only acknowledge.
    if (!actionId || actionId.startsWith(LINK_ACTION_PREFIX)) return;
    const teamId = actionTeam(body);
    const userId = body.user.id;
    const log = this.log.child({ interaction: body.trigger_id, team: teamId, action: actionId.slice(0, 40) });
    if (actionSurface(body) === 'home') return this.home.onAction(teamId, userId, actionId, body.trigger_id ?? actionId);

    const ev = toActionEvent(body, await this.policy.permissions(teamId, userId, false));
    const reply = await this.handlers!.action(ev);
    if (!reply) return;
    // A page of a list replaces the list it was turned from; anything else is a new ephemeral.
    await this.answer({ teamId, userId, channelId: ev.channelId, respond }, reply, reply.kind === 'papers', log);
  }

  /** (Re)publishes a user's App Home (app-home.ts). */
  publishHome(teamId: string, userId: string, extra: { notice?: string; list?: Reply } = {}): Promise<void> {
    return this.home.publish(teamId, userId, extra);
  }

  private async forgetInstall(teamId: string): Promise<void> {
    if (!this.opts.slack.oauth) return;
    const removed = await this.opts.store.deleteInstall('slack', teamId);
    this.log.info({ team: teamId, removed }, 'Slack app removed from a workspace; install forgotten');
  }

  // ─── Replies ───────────────────────────────────────────────────────────────────────

  /**
   * Sends a reply through the response_url (ephemeral unless the reply says otherwise);
   * a file goes by direct message first. A failure to answer is logged: the user's
   * action already happened, and there is nowhere else to say it.
   */
  private async answer(target: { teamId: string; userId: string; channelId: string; respond: RespondFn | undefined }, reply: Reply, replaceOriginal: boolean, log: Logger): Promise<void> {
    const out = reply.kind === 'file' ? await this.sendFile(target.teamId, target.userId, reply) : reply;
    const msg = renderReply(out);
    try {
      if (target.respond) {
        const payload: RespondArguments = { response_type: out.ephemeral ? 'ephemeral' : 'in_channel', replace_original: replaceOriginal, text: msg.text, blocks: msg.blocks };
        await target.respond(payload);
      } else {
        await this.web.call(target.teamId, 'chat.postEphemeral', { channel: target.channelId, user: target.userId, text: msg.text, blocks: msg.blocks });
      }
    } catch (err) {
      log.error({ err }, 'could not answer on Slack');
    }
  }

  /** An export as a file in the user's DM with the app; returns what to tell them. */
  private async sendFile(teamId: string, userId: string, reply: FileReply): Promise<TextReply> {
    try {
      const dm = await this.web.call<{ channel?: { id?: string } }>(teamId, 'conversations.open', { users: userId });
      const channelId = dm.channel?.id;
      if (!channelId) throw new UpstreamError('Slack did not open a direct message.', { retryable: false });
      await this.web.call(teamId, 'files.uploadV2', {
        channel_id: channelId,
        filename: reply.filename,
        title: reply.filename,
        content: reply.content,
        initial_comment: escapeMrkdwn(reply.text),
      });
      return text(`📎 Sent ${reply.filename} to you in a direct message from this app. ${reply.text}`, 'success');
    } catch (err) {
      this.log.error({ err, team: teamId, user: userId }, 'could not send a file by direct message');
      return errorReply(`I could not send you ${reply.filename}: ${userMessageOf(err)}`);
    }
  }

  // ─── Outbound (digests) ────────────────────────────────────────────────────────────

  /** Opens an inbox's DM ahead of posting (conversations.open, once per person and process), for a caller that paces it. */
  openInbox(channel: ChannelRef): Promise<void> {
    return this.dms.open(channel);
  }

  /** Posting never needs the DM opened first (see SlackDms.post): nothing to pace. */
  inboxOpen(_channel: ChannelRef): boolean {
    return true;
  }

  async post(channel: ChannelRef, message: OutboundMessage, opts?: PostOptions): Promise<PostedRef> {
    // Thread mode: a paper is a reply in its header's thread (an inbox has none).
    const threadTs = isInboxChannel(channel.channelId) ? undefined : opts?.thread?.parentMessageId;
    const send = (id: string, ts = threadTs) => this.web.call<{ ts?: string; channel?: string }>(channel.workspaceId, 'chat.postMessage', { ...postArgs(id, message, opts?.idempotencyKey), ...(ts ? { thread_ts: ts } : {}) });
    const res = isInboxChannel(channel.channelId) ? await this.dms.post(channel, send) : await this.inChannel(channel, (id) => replyOrPost(id, threadTs, send, this.log));
    if (typeof res.ts !== 'string') throw new UpstreamError('Slack did not return the message it posted.', { retryable: false, detail: 'chat.postMessage: no ts' });
    // The chart of a weekly digest, right under its header (post-files.ts says why after it).
    if (opts?.files?.length) await shareFiles(this.web, channel.workspaceId, res.channel ?? channel.channelId, opts.files, this.log);
    return { messageId: res.ts };
  }

  /** Live counts: chat.update with the message's blocks and metadata as posted (Tier 3, like reactions.add). */
  async edit(channel: ChannelRef, messageId: string, message: OutboundMessage, opts?: PostOptions): Promise<void> {
    await this.inChannel(channel, (id) => this.web.call(channel.workspaceId, 'chat.update', updateArgs(id, messageId, message, opts?.idempotencyKey)));
  }

  async addBookmarkHint(channel: ChannelRef, messageId: string): Promise<void> {
    try {
      await this.inChannel(channel, (id) => this.web.call(channel.workspaceId, 'reactions.add', { channel: id, timestamp: messageId, name: 'bookmark' }));
    } catch (err) {
      if (err instanceof UpstreamError && slackErrorCode(err.cause) === 'already_reacted') return;
      throw err;
    }
  }

  /**
   * A message of ours in the channel's recent history (the last 200), or in the digest's
   * thread (thread mode), whose metadata carries this idempotency key, or null.
   */
  async findPosted(channel: ChannelRef, idempotencyKey: string, opts?: Pick<PostOptions, 'thread'>): Promise<PostedRef | null> {
    const threadTs = isInboxChannel(channel.channelId) ? undefined : opts?.thread?.parentMessageId;
    return findKeyed((method, args) => this.inChannel(channel, (id) => this.web.call(channel.workspaceId, method, { channel: id, ...args })), idempotencyKey, {
      limit: this.opts.tuning?.historyLimit ?? 200,
      ...(threadTs ? { threadTs } : {}),
    });
  }

  /**
   * Runs a call that needs the bot in the channel. A public channel the bot is not in yet
   * (someone subscribed it with /papers, which works anywhere) is joined once, and the
   * call made again: not_in_channel means Slack did nothing, so nothing can double. A
   * private channel cannot be joined; the original not_in_channel stands (invite the bot).
   * A person's inbox (`dm:<user>`) is their DM with the app instead (dm-conversations.ts).
   */
  private async inChannel<T>(channel: ChannelRef, call: (conversationId: string) => Promise<T>): Promise<T> {
    if (isInboxChannel(channel.channelId)) return this.dms.on(channel, call);
    try {
      return await call(channel.channelId);
    } catch (err) {
      if (!(err instanceof ChannelUnavailableError) || err.platformCode !== 'not_in_channel') throw err;
      try {
        await this.web.call(channel.workspaceId, 'conversations.join', { channel: channel.channelId });
      } catch (joinErr) {
        this.log.info({ channel: channel.channelId, err: joinErr instanceof Error ? joinErr.message : String(joinErr) }, 'could not join the channel');
        throw err;
      }
      this.log.info({ team: channel.workspaceId, channel: channel.channelId }, 'joined the channel to post in it');
      return call(channel.channelId);
    }
  }
}
