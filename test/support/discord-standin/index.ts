/**
 * A local stand-in for Discord: REST under /api/v10 and the gateway on /gateway, on one
 * 127.0.0.1 port. The real discord.js client logs in against it (point
 * DISCORD_API_BASE / the platform's `apiBase` at `standin.apiBase`; the gateway URL is
 * handed out by GET /gateway/bot). See README.md in this folder for the API and for what
 * it covers and what it does not.
 *
 *   const discord = await startDiscordStandin({ guilds: [{ id: G, channels: [{ id: C }] }] });
 *   … new DiscordPlatform({ token: discord.token, appId: discord.appId, apiBase: discord.apiBase, … })
 *   const i = discord.slashCommand({ channelId: C, subcommand: 'search', options: { query: 'mamba' } });
 *   const answer = await discord.answer(i);           // the reply message, after any deferral
 *   discord.messages(C);                               // what the channel shows
 *   discord.fault({ kind: 'rateLimit', method: 'POST', path: `/channels/${C}/messages`, retryAfter: 0.2 });
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { mulberry32 } from '../random.js';
import { StandinGateway } from './gateway.js';
import {
  apiChannel,
  apiDmChannel,
  apiMember,
  apiMessage,
  apiRole,
  apiUser,
  isThreadType,
  nextId,
  type InteractionRecord,
  type Json,
  type RecordedRequest,
  type StandinChannel,
  type StandinGuild,
  type StandinRole,
  type StandinUser,
  type StoredAttachment,
  type StoredMessage,
} from './model.js';
import { validateChoices, validateCommand, validateMessage } from './validate.js';

export type { InteractionRecord, RecordedRequest, StandinGuild, StandinRole, StandinUser, StoredMessage } from './model.js';
export { pingsOf } from './model.js';
export { INTENTS, shardOf } from './gateway.js';

/** Permission bits as Discord sends them in interactions (decimal strings). */
const P = {
  Administrator: 1n << 3n,
  ManageChannels: 1n << 4n,
  AddReactions: 1n << 6n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  MentionEveryone: 1n << 17n,
  ManageRoles: 1n << 28n,
  UseApplicationCommands: 1n << 31n,
};
const MEMBER = P.ViewChannel | P.SendMessages | P.AddReactions | P.ReadMessageHistory | P.UseApplicationCommands;
export const PERMISSIONS = {
  /** An ordinary member: can talk and use commands, cannot manage the channel. */
  member: MEMBER.toString(),
  /** A member with Manage Channels in the channel. */
  manager: (MEMBER | P.ManageChannels).toString(),
  admin: (MEMBER | P.Administrator).toString(),
  /** A member with Manage Roles (who may set a digest ping). */
  roleManager: (MEMBER | P.ManageChannels | P.ManageRoles).toString(),
  /** What the bot is granted in channels (app_permissions). */
  bot: (P.ViewChannel | P.SendMessages | P.EmbedLinks | P.AttachFiles | P.AddReactions | P.ReadMessageHistory).toString(),
  /** The bot with Mention Everyone: it may mention any role, mentionable or not. */
  botMentionEveryone: (P.ViewChannel | P.SendMessages | P.EmbedLinks | P.AttachFiles | P.AddReactions | P.ReadMessageHistory | P.MentionEveryone).toString(),
} as const;

export const DEFAULT_GUILD = '900000000000000001';
export const DEFAULT_CHANNEL = '900000000000000101';
export const OTHER_CHANNEL = '900000000000000102';
export const DEFAULT_USER: StandinUser = { id: '200000000000000001', username: 'ada' };

export interface StandinOptions {
  /** The bot token it accepts (default "test-token-not-real"). */
  token?: string;
  /** Application id, also the bot user's id. */
  appId?: string;
  botName?: string;
  /** Guilds sent in READY/GUILD_CREATE (default: one guild with two text channels). */
  guilds?: { id: string; name?: string; ownerId?: string; channels: { id: string; name?: string; type?: number }[] }[];
  /** HELLO's heartbeat_interval (default 41,250 ms, as Discord). */
  heartbeatIntervalMs?: number;
  /** How long the same nonce in the same channel returns the first message (default 5 min). */
  nonceWindowMs?: number;
  /** Interaction callbacks later than this after dispatch get 404 10062 (default 3,000 ms; 0 = none). */
  ackDeadlineMs?: number;
  /** Enforce a global limit of this many bot requests per second (429 + X-RateLimit-Global). Off by default. */
  globalRateLimit?: number;
  /** Accept posts to channels it was not told about (creates them), e.g. fan-out benchmarks. */
  acceptUnknownChannels?: boolean;
  /** Send the bot's own reaction adds/removes back through the gateway, as Discord does (default true). */
  dispatchOwnReactions?: boolean;
  /** Delay every REST answer by this much. */
  latencyMs?: number;
  /** The shard count GET /gateway/bot recommends; IDENTIFY with fewer closes with 4011 (default 1). */
  shards?: number;
  /** session_start_limit.max_concurrency: shards that may identify in the same 5 s (default 1, as small bots). */
  maxConcurrency?: number;
}

/**
 * Where a user runs a command: a channel of a guild the bot is in (default); their DM with
 * the bot (`'dm'`, context 1); a group DM (`{ privateChannel }`, context 2); or a channel
 * of a server the bot is not in, through the user's own install (`{ userInstallIn }`).
 */
export type Where = 'guild' | 'dm' | { privateChannel: string } | { userInstallIn: string };

export type FaultKind = 'rateLimit' | 'serverError' | 'unknownChannel' | 'missingAccess' | 'missingPermissions' | 'unknownMessage';

export interface Fault {
  kind: FaultKind;
  /** Only requests with this method (default any). */
  method?: string;
  /** Only paths (after /api/v10) equal to or starting with this string, or matching this RegExp. */
  path?: string | RegExp;
  /** How many requests it hits (default 1; Infinity for a lasting state). */
  times?: number;
  /** rateLimit: seconds to wait (default 0.2), sent as retry_after and Retry-After. */
  retryAfter?: number;
  /** rateLimit: a global limit (X-RateLimit-Global) rather than a per-route one. */
  global?: boolean;
  /** serverError: the status (default 500). */
  status?: number;
  /** serverError: carry the request out, then answer the error, as when a response is lost. */
  afterCommit?: boolean;
}

export interface Answer {
  kind: 'message' | 'update' | 'choices';
  /** True when the interaction was deferred (type 5 or 6) before the answer. */
  deferred: boolean;
  message?: StoredMessage;
  choices?: Json[];
}

interface ParsedBody {
  json: Json;
  files: { field: string; filename: string; contentType: string; data: Buffer }[];
}

const FAULT_ANSWERS: Record<Exclude<FaultKind, 'rateLimit' | 'serverError'>, { status: number; code: number; message: string }> = {
  unknownChannel: { status: 404, code: 10003, message: 'Unknown Channel' },
  unknownMessage: { status: 404, code: 10008, message: 'Unknown Message' },
  missingAccess: { status: 403, code: 50001, message: 'Missing Access' },
  missingPermissions: { status: 403, code: 50013, message: 'Missing Permissions' },
};

class HttpAnswer {
  constructor(
    readonly status: number,
    readonly body: Json = undefined,
    readonly headers: Record<string, string> = {},
  ) {}
}

const err = (status: number, code: number, message: string, errors?: Json) => new HttpAnswer(status, { message, code, ...(errors ? { errors } : {}) });
const invalidForm = (problems: string[]) => err(400, 50035, 'Invalid Form Body', { _problems: problems });

export class DiscordStandin {
  readonly token: string;
  readonly appId: string;
  readonly bot: StandinUser;
  readonly guilds: StandinGuild[];
  readonly gateway: StandinGateway;
  /** Every REST request, in order, with its answer's status. */
  readonly requests: RecordedRequest[] = [];
  readonly interactions = new Map<string, InteractionRecord>();
  readonly commands = { global: [] as Json[], guild: new Map<string, Json[]>() };
  /** Nonce hits: posts answered with an earlier message instead of a new one. */
  deduplicated = 0;
  private readonly server: http.Server;
  private port = 0;
  private readonly messagesById = new Map<string, StoredMessage>();
  private readonly byChannel = new Map<string, StoredMessage[]>();
  private readonly nonces = new Map<string, { message: StoredMessage; at: number }>();
  /** The bot's DM channel with each user (POST /users/@me/channels), by user id and by channel id. */
  private readonly dmByUser = new Map<string, StandinChannel & { userId: string }>();
  private readonly dmById = new Map<string, StandinChannel & { userId: string }>();
  /** Users the bot cannot message (DMs closed, no shared server): posting in their DM answers 403 50007. */
  readonly unreachableUsers = new Set<string>();
  /** Channels where the bot lacks Attach Files: a message with files is refused 403 50013, as Discord does. */
  readonly noAttachFiles = new Set<string>();
  /** Channels where the bot lacks Create Public Threads: starting a thread there answers 403 50013. */
  readonly noCreateThreads = new Set<string>();
  /** User ids Discord does not know: opening a DM with one answers 404 10013. */
  readonly unknownUsers = new Set<string>();
  private readonly tokens = new Map<string, InteractionRecord>();
  private faults: (Fault & { left: number })[] = [];
  private readonly recent: number[] = [];
  private readonly opts: Required<Omit<StandinOptions, 'guilds' | 'globalRateLimit' | 'token' | 'appId' | 'botName'>> & { globalRateLimit: number | undefined };

  constructor(options: StandinOptions = {}) {
    this.token = options.token ?? 'test-token-not-real';
    this.appId = options.appId ?? '100000000000000001';
    this.bot = { id: this.appId, username: options.botName ?? 'papers-bot', bot: true };
    this.opts = {
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      nonceWindowMs: options.nonceWindowMs ?? 5 * 60_000,
      ackDeadlineMs: options.ackDeadlineMs ?? 3000,
      globalRateLimit: options.globalRateLimit,
      acceptUnknownChannels: options.acceptUnknownChannels ?? false,
      dispatchOwnReactions: options.dispatchOwnReactions ?? true,
      latencyMs: options.latencyMs ?? 0,
      shards: options.shards ?? 1,
      maxConcurrency: options.maxConcurrency ?? 1,
    };
    this.guilds = (options.guilds ?? [{ id: DEFAULT_GUILD, name: 'Papers Lab', channels: [{ id: DEFAULT_CHANNEL, name: 'papers' }, { id: OTHER_CHANNEL, name: 'general' }] }]).map((g) => ({
      id: g.id,
      name: g.name ?? `guild-${g.id}`,
      ownerId: g.ownerId ?? '200000000000009999',
      channels: g.channels.map((c) => ({ id: c.id, name: c.name ?? `channel-${c.id}`, type: c.type ?? 0 })),
    }));
    this.gateway = new StandinGateway({
      token: () => this.token,
      appId: this.appId,
      bot: this.bot,
      guilds: () => this.guilds,
      heartbeatIntervalMs: this.opts.heartbeatIntervalMs,
      gatewayUrl: () => this.gatewayUrl,
      requiredShards: this.opts.shards,
    });
    this.server = http.createServer((req, res) => void this.onRequest(req, res));
    this.server.on('upgrade', (req, socket, head) => this.gateway.handleUpgrade(req, socket, head));
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  /** What DISCORD_API_BASE should be. */
  get apiBase(): string {
    return `${this.url}/api`;
  }
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  async close(): Promise<void> {
    await this.gateway.shutdown();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ─── Looking at the state ───────────────────────────────────────────────────────────

  /** Messages in a channel, oldest first; ephemeral interaction replies only when asked. */
  messages(channelId: string, opts: { ephemeral?: boolean } = {}): StoredMessage[] {
    return (this.byChannel.get(channelId) ?? []).filter((m) => !m.deleted && (opts.ephemeral ? true : (m.flags & 64) === 0));
  }

  message(id: string): StoredMessage | undefined {
    return this.messagesById.get(id);
  }

  /** Requests Discord would have refused (4xx other than 429), injected faults excluded. */
  rejected(): RecordedRequest[] {
    return this.requests.filter((r) => r.status >= 400 && r.status < 500 && r.status !== 429 && !r.fault);
  }

  stats(): { requests: number; rateLimited: number; globalRateLimited: number; messages: number } {
    return {
      requests: this.requests.length,
      rateLimited: this.requests.filter((r) => r.status === 429).length,
      globalRateLimited: this.requests.filter((r) => r.status === 429 && r.fault === 'global').length,
      messages: [...this.messagesById.values()].filter((m) => !m.deleted).length,
    };
  }

  /** The bot's DM channel with a user, opened as the bot's POST /users/@me/channels does (same id each time). */
  dmChannel(userId: string): StandinChannel & { userId: string } {
    let dm = this.dmByUser.get(userId);
    if (!dm) {
      dm = { id: nextId(), name: '', type: 1, userId };
      this.dmByUser.set(userId, dm);
      this.dmById.set(dm.id, dm);
    }
    return dm;
  }

  /** The DM channel with this id, if the bot opened one. */
  dmOf(channelId: string): (StandinChannel & { userId: string }) | undefined {
    return this.dmById.get(channelId);
  }

  /** Messages in the bot's DM with a user, oldest first (none when no DM was opened). */
  dms(userId: string): StoredMessage[] {
    const dm = this.dmByUser.get(userId);
    return dm ? this.messages(dm.id) : [];
  }

  channel(id: string): (StandinChannel & { guildId: string }) | undefined {
    for (const g of this.guilds) {
      const c = g.channels.find((x) => x.id === id);
      if (c) return { ...c, guildId: g.id };
    }
    return undefined;
  }

  // ─── Faults ─────────────────────────────────────────────────────────────────────────

  fault(f: Fault): void {
    this.faults.push({ ...f, left: f.times ?? 1 });
  }

  /** Every request on the channel fails from now on: deleted (10003) or closed to the bot (50001, 50013). */
  channelFault(channelId: string, kind: 'unknownChannel' | 'missingAccess' | 'missingPermissions'): void {
    this.fault({ kind, path: `/channels/${channelId}/`, times: Infinity });
    this.fault({ kind, path: `/channels/${channelId}`, times: Infinity });
  }

  clearFaults(): void {
    this.faults = [];
  }

  // ─── Driving the bot as users would ─────────────────────────────────────────────────

  /** Sends a raw dispatch to every connected client whose shard holds the event's guild; returns how many got it. */
  dispatch(t: string, d: Json, received?: [number, number][]): number {
    return this.gateway.dispatch(t, d, received);
  }

  /** `/papers <subcommand> …` typed by a user. Option types are inferred (string 3, integer 4, boolean 5, number 10). */
  slashCommand(o: {
    subcommand: string | null;
    options?: Record<string, string | number | boolean>;
    channelId?: string;
    user?: StandinUser;
    permissions?: string;
    name?: string;
    /** Marks this option as focused (an autocomplete request, type 4). */
    focused?: string;
    /** Where the user typed it (default: a channel of a guild the bot is in). See `Where`. */
    where?: Where;
    /** Role options (type 8): the role picked, sent as its id with the role in data.resolved.roles. */
    roles?: Record<string, StandinRole>;
    /** The bot's permissions in the channel (app_permissions; default PERMISSIONS.bot). */
    appPermissions?: string;
  }): InteractionRecord {
    const opts = Object.entries(o.options ?? {}).map(([name, value]) => ({
      name,
      type: typeof value === 'boolean' ? 5 : typeof value === 'number' ? (Number.isInteger(value) ? 4 : 10) : 3,
      value,
      ...(o.focused === name ? { focused: true } : {}),
    }));
    for (const [name, role] of Object.entries(o.roles ?? {})) opts.push({ name, type: 8, value: role.id });
    const resolvedRoles = Object.fromEntries(Object.values(o.roles ?? {}).map((r) => [r.id, apiRole(r)]));
    const name = o.name ?? 'papers';
    const channelId = o.channelId ?? DEFAULT_CHANNEL;
    const registered = [...this.commands.global, ...(this.commands.guild.get(this.channel(channelId)?.guildId ?? '') ?? [])].find((c) => c.name === name);
    // Discord only offers a command where its contexts allow (global commands; a guild command is guild-only).
    const context = o.where === 'dm' ? 1 : typeof o.where === 'object' && 'privateChannel' in o.where ? 2 : 0;
    if (registered && context !== 0 && !(registered.guild_id === undefined && (registered.contexts ?? [0, 1, 2]).includes(context))) {
      throw new Error(`stand-in: /${name} is not offered in context ${context} (its contexts: ${JSON.stringify(registered.contexts)})`);
    }
    if (registered && typeof o.where === 'object' && 'userInstallIn' in o.where && !(registered.integration_types ?? [0]).includes(1)) {
      throw new Error(`stand-in: /${name} cannot be user-installed (integration_types ${JSON.stringify(registered.integration_types)})`);
    }
    const data = {
      id: registered?.id ?? '300000000000000001',
      name,
      type: 1,
      options: o.subcommand === null ? opts : [{ type: 1, name: o.subcommand, options: opts }],
      ...(o.roles ? { resolved: { roles: resolvedRoles } } : {}),
    };
    return this.interact(o.focused ? 4 : 2, { data, ...(o.appPermissions !== undefined ? { app_permissions: o.appPermissions } : {}) }, o);
  }

  /** A user typing in an option that has autocomplete. */
  autocomplete(o: { subcommand: string; option: string; text: string; options?: Record<string, string | number | boolean>; channelId?: string; user?: StandinUser }): InteractionRecord {
    return this.slashCommand({ ...o, options: { ...o.options, [o.option]: o.text }, focused: o.option });
  }

  /** A user pressing a button of a message (ephemeral ones included); in a DM when the message is in one. */
  clickButton(o: { messageId: string; customId: string; user?: StandinUser; permissions?: string }): InteractionRecord {
    const m = this.messagesById.get(o.messageId);
    if (!m) throw new Error(`stand-in: no message ${o.messageId}`);
    const ids = m.components.flatMap((r: Json) => r.components ?? []).map((b: Json) => b.custom_id);
    if (!ids.includes(o.customId)) throw new Error(`stand-in: message ${o.messageId} has no button "${o.customId}" (has ${ids.join(', ')})`);
    const dm = this.dmById.get(m.channelId);
    if (dm && o.user && o.user.id !== dm.userId) throw new Error(`stand-in: only ${dm.userId} can press buttons in their DM with the bot`);
    const foreignGuild = m.guildId !== null && !this.guilds.some((g) => g.id === m.guildId);
    const where: Where | undefined = dm ? 'dm' : foreignGuild ? { userInstallIn: m.guildId! } : m.guildId === null && !this.channel(m.channelId) ? { privateChannel: m.channelId } : undefined;
    const user = o.user ?? (dm ? { id: dm.userId, username: `user-${dm.userId.slice(-4)}` } : undefined);
    const rec = this.interact(3, { message: apiMessage(m, this.appId), data: { custom_id: o.customId, component_type: 2 } }, { ...o, ...(user ? { user } : {}), channelId: m.channelId, ...(where ? { where } : {}) });
    rec.original = m;
    return rec;
  }

  /**
   * A user picking a message command (right-click a message → Apps → `name`) on a message
   * (one a member posted with `userMessage`, or the bot's own). Discord only offers a
   * registered type-3 command, where its contexts allow; the interaction (type 2, data
   * type 3) carries the message in `data.resolved.messages`, content and embeds included
   * (a message command's target is readable without the Message Content intent).
   */
  messageCommand(o: { name: string; messageId: string; user?: StandinUser; permissions?: string }): InteractionRecord {
    const m = this.messagesById.get(o.messageId);
    if (!m || m.deleted) throw new Error(`stand-in: no message ${o.messageId}`);
    const dm = this.dmById.get(m.channelId);
    const registered = [...this.commands.global, ...(m.guildId ? (this.commands.guild.get(m.guildId) ?? []) : [])].find((c) => c.name === o.name && c.type === 3);
    if (!registered) throw new Error(`stand-in: no message command "${o.name}" is registered`);
    const context = dm ? 1 : 0;
    if (context !== 0 && !(registered.guild_id === undefined && (registered.contexts ?? [0, 1, 2]).includes(context))) throw new Error(`stand-in: "${o.name}" is not offered in context ${context}`);
    const user = o.user ?? (dm ? { id: dm.userId, username: `user-${dm.userId.slice(-4)}` } : undefined);
    const data = { id: registered.id, name: o.name, type: 3, target_id: m.id, resolved: { messages: { [m.id]: apiMessage(m, this.appId) } }, ...(m.guildId ? { guild_id: m.guildId } : {}) };
    return this.interact(2, { data }, { ...o, ...(user ? { user } : {}), channelId: m.channelId, ...(dm ? { where: 'dm' as const } : {}) });
  }

  private interact(type: number, extra: Json, o: { channelId?: string; user?: StandinUser; permissions?: string; where?: Where }): InteractionRecord {
    const user = o.user ?? DEFAULT_USER;
    const id = nextId();
    const token = `standin-interaction-${id}`;
    const common = { id, application_id: this.appId, type, token, version: 1, app_permissions: PERMISSIONS.bot, locale: 'en-US', entitlements: [], attachment_size_limit: 10 * 1024 * 1024 };
    let payload: Json;
    const where = o.where ?? 'guild';
    if (where === 'dm') {
      // The user's DM with the bot (context 1, BOT_DM): no guild, no member; the app is the user's.
      const dm = this.dmChannel(user.id);
      payload = { ...common, channel_id: dm.id, channel: apiDmChannel(dm.id, user.id, user.username), user: apiUser(user), authorizing_integration_owners: { '1': user.id }, context: 1, ...extra };
    } else if (typeof where === 'object' && 'privateChannel' in where) {
      // A group DM or a DM between users (context 2, PRIVATE_CHANNEL): only a user-installed app is there.
      const channel = { id: where.privateChannel, type: 3, last_message_id: null, flags: 0, recipients: [apiUser(user)], name: null, icon: null, owner_id: user.id };
      payload = { ...common, channel_id: where.privateChannel, channel, user: apiUser(user), authorizing_integration_owners: { '1': user.id }, context: 2, ...extra };
    } else if (typeof where === 'object') {
      // A server the bot is not in, through the user's install (context 0, authorised by the user only).
      const channelId = o.channelId ?? nextId();
      const channel = { id: channelId, type: 0, guild_id: where.userInstallIn, name: 'elsewhere', position: 0, permission_overwrites: [], parent_id: null, nsfw: false, flags: 0 };
      payload = {
        ...common,
        guild_id: where.userInstallIn,
        channel_id: channelId,
        channel,
        member: apiMember(user, o.permissions ?? PERMISSIONS.member),
        guild_locale: 'en-US',
        authorizing_integration_owners: { '1': user.id },
        context: 0,
        ...extra,
      };
    } else {
      const channelId = o.channelId ?? DEFAULT_CHANNEL;
      const ch = this.channel(channelId);
      payload = {
        ...common,
        ...(ch ? { guild_id: ch.guildId, channel: apiChannel(ch, ch.guildId) } : {}),
        channel_id: channelId,
        ...(ch ? { member: apiMember(user, o.permissions ?? PERMISSIONS.member) } : { user: apiUser(user) }),
        ...(ch ? { guild_locale: 'en-US' } : {}),
        authorizing_integration_owners: ch ? { '0': ch.guildId } : { '1': user.id },
        context: ch ? 0 : 1,
        ...extra,
      };
    }
    const rec: InteractionRecord = { id, token, type, payload, dispatchedAt: Date.now(), shards: [], callbacks: [], late: 0, original: null, followups: [], edits: 0, choices: null };
    this.interactions.set(id, rec);
    this.tokens.set(token, rec);
    if (this.dispatch('INTERACTION_CREATE', payload, rec.shards) === 0) throw new Error('stand-in: no client is connected to receive the interaction');
    return rec;
  }

  /** A user adding (or removing) a reaction on any message, cached by the client or not. */
  /**
   * A member posts in a channel (no gateway event: the bot has no message intent). Its
   * embeds stand for the link preview Discord makes from a pasted URL.
   */
  userMessage(channelId: string, o: { content?: string; embeds?: Json[]; user?: StandinUser }): StoredMessage {
    const c = this.channel(channelId);
    if (!c) throw new Error(`no channel ${channelId}`);
    const m = this.store(channelId, c.guildId, { json: { content: o.content ?? '', embeds: o.embeds ?? [] }, files: [] }, { interactionId: null });
    m.author = o.user ?? { id: '200000000000000042', username: 'member', bot: false };
    return m;
  }

  react(o: { channelId: string; messageId: string; emoji: string; user?: StandinUser; remove?: boolean }): void {
    const user = o.user ?? DEFAULT_USER;
    const m = this.messagesById.get(o.messageId);
    if (m) {
      const users = m.reactions.get(o.emoji) ?? new Set<string>();
      if (o.remove) users.delete(user.id);
      else users.add(user.id);
      m.reactions.set(o.emoji, users);
    }
    this.dispatchReaction(o.channelId, o.messageId, o.emoji, user, !o.remove, m?.author.id);
  }

  private dispatchReaction(channelId: string, messageId: string, emoji: string, user: StandinUser, added: boolean, authorId?: string): void {
    const guildId = this.channel(channelId)?.guildId;
    const base = { user_id: user.id, channel_id: channelId, message_id: messageId, emoji: { id: null, name: emoji }, burst: false, type: 0, ...(guildId ? { guild_id: guildId } : {}) };
    if (added) this.dispatch('MESSAGE_REACTION_ADD', { ...base, ...(guildId ? { member: apiMember(user) } : {}), ...(authorId ? { message_author_id: authorId } : {}), burst_colors: [] });
    else this.dispatch('MESSAGE_REACTION_REMOVE', base);
  }

  // ─── Waiting ────────────────────────────────────────────────────────────────────────

  /** Polls `check` until it returns something truthy (no fixed sleeps in tests). */
  async waitFor<T>(check: () => T | Promise<T>, opts: { timeoutMs?: number; what?: string } = {}): Promise<NonNullable<T>> {
    const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
    for (;;) {
      const v = await check();
      if (v) return v as NonNullable<T>;
      if (Date.now() > deadline) throw new Error(`stand-in: timed out waiting for ${opts.what ?? 'a condition'}`);
      await sleep(5);
    }
  }

  /** The interaction's answer, once there is one: the reply (after any deferral), the updated message, or the choices. */
  answer(rec: InteractionRecord, timeoutMs?: number): Promise<Answer> {
    return this.waitFor(() => answerOf(rec), { what: `an answer to interaction ${rec.id} (callbacks: ${rec.callbacks.map((c) => c.type).join(',') || 'none'})`, ...(timeoutMs ? { timeoutMs } : {}) });
  }

  // ─── HTTP ───────────────────────────────────────────────────────────────────────────

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const record: RecordedRequest = { method, path: url.pathname, query: url.search, status: 0, body: undefined, files: [], auth: false, at: Date.now() };
    let answer: HttpAnswer;
    try {
      const parsed = await parseBody(raw, req.headers['content-type']);
      record.body = parsed.json;
      record.files = parsed.files.map((f) => ({ name: f.field, filename: f.filename, contentType: f.contentType, size: f.data.length }));
      answer = await this.route(method, url, req.headers, parsed, record);
    } catch (e) {
      answer = err(400, 50109, `The request body contains invalid JSON. (${e instanceof Error ? e.message : String(e)})`);
    }
    if (this.opts.latencyMs) await sleep(this.opts.latencyMs);
    record.status = answer.status;
    this.requests.push(record);
    const headers: Record<string, string> = { ...answer.headers };
    if (answer.body !== undefined) headers['content-type'] = 'application/json';
    res.writeHead(answer.status, headers);
    res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
  }

  private async route(method: string, url: URL, headers: http.IncomingHttpHeaders, body: ParsedBody, record: RecordedRequest): Promise<HttpAnswer> {
    const prefix = '/api/v10';
    if (!url.pathname.startsWith(`${prefix}/`)) return err(404, 0, '404: Not Found');
    const path = url.pathname.slice(prefix.length);
    record.path = path;
    const isInteraction = /^\/(interactions|webhooks)\//.test(path);
    if (!isInteraction) {
      record.auth = headers.authorization === `Bot ${this.token}`;
      if (!record.auth) return err(401, 0, '401: Unauthorized');
      // The time the limiter counts is the request's time, so windows can be checked exactly.
      record.at = Date.now();
      const limited = this.globalLimit(record.at);
      if (limited) {
        record.fault = 'global';
        return limited;
      }
    }
    const fault = this.takeFault(method, path);
    if (fault && !(fault.kind === 'serverError' && fault.afterCommit)) {
      record.fault = fault.kind;
      return faultAnswer(fault);
    }
    const answer = this.handle(method, path, url, body);
    if (fault) {
      record.fault = `${fault.kind} after commit`;
      return faultAnswer(fault);
    }
    return answer;
  }

  private globalLimit(now: number): HttpAnswer | null {
    const limit = this.opts.globalRateLimit;
    if (!limit) return null;
    while (this.recent.length && this.recent[0]! <= now - 1000) this.recent.shift();
    if (this.recent.length >= limit) {
      const retryAfter = Math.max(0.001, (this.recent[0]! + 1000 - now) / 1000);
      return new HttpAnswer(429, { message: 'You are being rate limited.', retry_after: retryAfter, global: true, code: 0 }, { 'retry-after': String(retryAfter), 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' });
    }
    this.recent.push(now);
    return null;
  }

  private takeFault(method: string, path: string): Fault | null {
    const f = this.faults.find((x) => x.left > 0 && (!x.method || x.method.toUpperCase() === method) && matchPath(x.path, path));
    if (f) {
      f.left--;
      return f;
    }
    const r = this.rateFault;
    if (r && (!r.fault.method || r.fault.method.toUpperCase() === method) && matchPath(r.fault.path, path) && r.random() < r.fraction) return r.fault;
    return null;
  }

  private rateFault: { fault: Fault; fraction: number; random: () => number } | null = null;

  /**
   * From now on, each matching request meets `fault` with probability `fraction` (after
   * the one-off faults), drawn from a seeded generator so a run can be repeated.
   */
  faultRate(fault: Fault, fraction: number, seed = 1): void {
    this.rateFault = { fault, fraction, random: mulberry32(seed) };
  }

  private handle(method: string, path: string, url: URL, body: ParsedBody): HttpAnswer {
    const routes: [string, RegExp, (m: RegExpExecArray) => HttpAnswer][] = [
      ['GET', /^\/gateway\/bot$/, () => new HttpAnswer(200, { url: this.gatewayUrl, shards: this.opts.shards, session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: this.opts.maxConcurrency } })],
      ['GET', /^\/gateway$/, () => new HttpAnswer(200, { url: this.gatewayUrl })],
      ['GET', /^\/users\/(?:@|%40)me$/, () => new HttpAnswer(200, apiUser(this.bot))],
      ['GET', /^\/applications\/@me$/, () => new HttpAnswer(200, { id: this.appId, name: this.bot.username, bot: apiUser(this.bot), flags: 0 })],
      ['GET', /^\/applications\/(\d+)\/commands$/, (m) => this.listCommands(m[1]!, null)],
      ['PUT', /^\/applications\/(\d+)\/commands$/, (m) => this.putCommands(m[1]!, null, body.json)],
      ['GET', /^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/, (m) => this.listCommands(m[1]!, m[2]!)],
      ['PUT', /^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/, (m) => this.putCommands(m[1]!, m[2]!, body.json)],
      ['POST', /^\/users\/(?:@|%40)me\/channels$/, () => this.openDm(body.json)],
      ['GET', /^\/channels\/(\d+)$/, (m) => this.withChannel(m[1]!, (c) => new HttpAnswer(200, c.guildId ? apiChannel(c, c.guildId) : apiDmChannel(c.id, this.dmOf(c.id)!.userId)))],
      ['POST', /^\/channels\/(\d+)\/messages$/, (m) => this.createChannelMessage(m[1]!, body)],
      ['POST', /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/, (m) => this.startThread(m[1]!, m[2]!, body.json)],
      ['POST', /^\/channels\/(\d+)\/threads$/, (m) => this.startForumPost(m[1]!, body)],
      ['GET', /^\/guilds\/(\d+)\/threads\/active$/, (m) => this.activeThreads(m[1]!)],
      ['GET', /^\/channels\/(\d+)\/messages$/, (m) => this.listChannelMessages(m[1]!, url)],
      ['GET', /^\/channels\/(\d+)\/messages\/(\d+)$/, (m) => this.withMessage(m[1]!, m[2]!, (msg) => new HttpAnswer(200, apiMessage(msg, this.appId)))],
      ['PATCH', /^\/channels\/(\d+)\/messages\/(\d+)$/, (m) => this.withMessage(m[1]!, m[2]!, (msg) => this.editMessage(msg, body))],
      ['DELETE', /^\/channels\/(\d+)\/messages\/(\d+)$/, (m) => this.withMessage(m[1]!, m[2]!, (msg) => ((msg.deleted = true), new HttpAnswer(204)))],
      ['PUT', /^\/channels\/(\d+)\/messages\/(\d+)\/reactions\/([^/]+)\/@me$/, (m) => this.ownReaction(m[1]!, m[2]!, decodeURIComponent(m[3]!), true)],
      ['DELETE', /^\/channels\/(\d+)\/messages\/(\d+)\/reactions\/([^/]+)\/@me$/, (m) => this.ownReaction(m[1]!, m[2]!, decodeURIComponent(m[3]!), false)],
      ['POST', /^\/interactions\/(\d+)\/([^/]+)\/callback$/, (m) => this.callback(m[1]!, m[2]!, url, body)],
      ['POST', /^\/webhooks\/(\d+)\/([^/]+)$/, (m) => this.withToken(m[1]!, m[2]!, (rec) => this.followUp(rec, body))],
      ['GET', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/([^/]+)$/, (m) => this.withWebhookMessage(m[1]!, m[2]!, m[3]!, (msg) => new HttpAnswer(200, apiMessage(msg, this.appId)))],
      ['PATCH', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/([^/]+)$/, (m) => this.withWebhookMessage(m[1]!, m[2]!, m[3]!, (msg, rec) => this.editMessage(msg, body, rec))],
      ['DELETE', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/([^/]+)$/, (m) => this.withWebhookMessage(m[1]!, m[2]!, m[3]!, (msg) => ((msg.deleted = true), new HttpAnswer(204)))],
    ];
    for (const [verb, re, fn] of routes) {
      const m = re.exec(path);
      if (m && verb === method) return fn(m);
    }
    return err(404, 0, '404: Not Found');
  }

  // ─── Commands ───────────────────────────────────────────────────────────────────────

  private listCommands(appId: string, guildId: string | null): HttpAnswer {
    if (appId !== this.appId) return err(403, 50001, 'Missing Access');
    return new HttpAnswer(200, guildId ? (this.commands.guild.get(guildId) ?? []) : this.commands.global);
  }

  private putCommands(appId: string, guildId: string | null, body: Json): HttpAnswer {
    if (appId !== this.appId) return err(403, 50001, 'Missing Access');
    if (guildId && !this.guilds.some((g) => g.id === guildId)) return err(404, 10004, 'Unknown Guild');
    if (!Array.isArray(body)) return invalidForm(['body: expected an array of commands']);
    const problems = body.flatMap((c: Json, i: number) => validateCommand(c).map((p) => `[${i}] ${p}`));
    if (problems.length) return invalidForm(problems);
    const before = guildId ? (this.commands.guild.get(guildId) ?? []) : this.commands.global;
    const saved = body.map((c: Json) => ({
      ...c,
      id: before.find((b: Json) => b.name === c.name)?.id ?? nextId(),
      application_id: this.appId,
      version: nextId(),
      type: c.type ?? 1,
      default_member_permissions: c.default_member_permissions ?? null,
      ...(guildId ? { guild_id: guildId } : {}),
    }));
    if (guildId) this.commands.guild.set(guildId, saved);
    else this.commands.global = saved;
    return new HttpAnswer(200, saved);
  }

  // ─── Channel messages ───────────────────────────────────────────────────────────────

  private withChannel(channelId: string, fn: (c: StandinChannel & { guildId: string | null }) => HttpAnswer): HttpAnswer {
    const dm = this.dmById.get(channelId);
    if (dm) return fn({ ...dm, guildId: null });
    let c = this.channel(channelId);
    if (!c && this.opts.acceptUnknownChannels) {
      const guild = this.guilds[0]!;
      guild.channels.push({ id: channelId, name: `channel-${channelId}`, type: 0 });
      c = this.channel(channelId);
    }
    return c ? fn(c) : err(404, 10003, 'Unknown Channel');
  }

  private withMessage(channelId: string, messageId: string, fn: (m: StoredMessage) => HttpAnswer): HttpAnswer {
    return this.withChannel(channelId, () => {
      const m = this.messagesById.get(messageId);
      return m && m.channelId === channelId && !m.deleted ? fn(m) : err(404, 10008, 'Unknown Message');
    });
  }

  /**
   * GET /channels/:id/messages: newest first, `limit` (1–100, default 50) before the
   * message `before`. Like Discord, a fetched message does not show its nonce.
   */
  private listChannelMessages(channelId: string, url: URL): HttpAnswer {
    return this.withChannel(channelId, () => {
      const limit = Math.min(100, Math.max(1, Number(url.searchParams.get('limit') ?? 50) || 50));
      const before = url.searchParams.get('before');
      let list = this.messages(channelId).slice().reverse();
      if (before) list = list.filter((m) => BigInt(m.id) < BigInt(before));
      return new HttpAnswer(200, list.slice(0, limit).map((m) => ({ ...apiMessage(m, this.appId), nonce: undefined })));
    });
  }

  /** POST /users/@me/channels: the DM channel with `recipient_id` (type 1), the same one every time. */
  private openDm(body: Json): HttpAnswer {
    const user = body?.recipient_id;
    if (typeof user !== 'string' || !/^\d{15,21}$/.test(user)) return invalidForm(['recipient_id: a user id (snowflake) is required']);
    if (this.unknownUsers.has(user)) return err(404, 10013, 'Unknown User');
    return new HttpAnswer(200, apiDmChannel(this.dmChannel(user).id, user));
  }

  private createChannelMessage(channelId: string, body: ParsedBody): HttpAnswer {
    return this.withChannel(channelId, (c) => {
      const dm = this.dmById.get(channelId);
      if (dm && this.unreachableUsers.has(dm.userId)) return err(403, 50007, 'Cannot send messages to this user');
      // A forum (or media) channel holds posts, not messages.
      if (c.type === 15 || c.type === 16) return err(400, 50008, 'Cannot send messages in a non-text channel');
      const problems = validateMessage(body.json, { context: 'channel', fileCount: body.files.length, fileNames: body.files.map((f) => f.filename) });
      if (problems.length) return invalidForm(problems);
      if (body.files.length && this.noAttachFiles.has(channelId)) return err(403, 50013, 'Missing Permissions');
      // Bots may upload 10 MiB per file (25 MiB on boosted servers; the stand-in's servers are not).
      if (body.files.some((f) => f.data.length > 10 * 1024 * 1024)) return err(413, 40005, 'Request entity too large');
      const { nonce, enforce_nonce } = body.json;
      const key = nonce !== undefined && nonce !== null ? `${channelId}:${this.bot.id}:${String(nonce)}` : null;
      if (key && enforce_nonce === true) {
        const seen = this.nonces.get(key);
        if (seen && Date.now() - seen.at < this.opts.nonceWindowMs) {
          this.deduplicated++;
          return new HttpAnswer(200, apiMessage(seen.message, this.appId));
        }
      }
      const m = this.store(channelId, c.guildId, body, { interactionId: null });
      if (key) this.nonces.set(key, { message: m, at: Date.now() });
      return new HttpAnswer(200, apiMessage(m, this.appId));
    });
  }

  // ─── Threads and forum posts ────────────────────────────────────────────────────────

  /** A member opens a post in a forum (as in Discord's client, where commands are run inside posts); returns its id. */
  userForumPost(forumId: string, o: { name?: string; user?: StandinUser } = {}): string {
    const c = this.channel(forumId);
    if (!c || (c.type !== 15 && c.type !== 16)) throw new Error(`stand-in: ${forumId} is not a forum`);
    const user = o.user ?? DEFAULT_USER;
    const id = nextId();
    this.addThread(c.guildId, { id, name: o.name ?? 'a question', type: 11, parentId: forumId, ownerId: user.id });
    this.store(id, c.guildId, { json: { content: 'first message of the post' }, files: [] }, { interactionId: null, id });
    this.messagesById.get(id)!.author = user;
    return id;
  }

  /** Threads of a channel (a text channel's threads on messages, a forum's posts), oldest first. */
  threads(parentId: string): StandinChannel[] {
    return this.guilds.flatMap((g) => g.channels.filter((c) => isThreadType(c.type) && c.parentId === parentId));
  }

  private addThread(guildId: string, thread: StandinChannel): void {
    this.guilds.find((g) => g.id === guildId)!.channels.push(thread);
    // As Discord: the thread's creator (the bot, a member of it) is told at once.
    this.dispatch('THREAD_CREATE', { ...apiChannel(thread, guildId), newly_created: true });
  }

  /**
   * POST /channels/:id/messages/:message/threads: a public thread on the message, whose id
   * is the message's. One per message (160004 after that); none in a thread or a forum
   * (50024), none without Create Public Threads (`noCreateThreads`, 50013).
   */
  private startThread(channelId: string, messageId: string, json: Json): HttpAnswer {
    return this.withChannel(channelId, (c) => {
      if (!c.guildId || isThreadType(c.type) || c.type === 15 || c.type === 16) return err(400, 50024, 'Cannot execute action on this channel type');
      if (this.noCreateThreads.has(channelId)) return err(403, 50013, 'Missing Permissions');
      const m = this.messagesById.get(messageId);
      if (!m || m.channelId !== channelId || m.deleted) return err(404, 10008, 'Unknown Message');
      if (this.channel(messageId)) return err(400, 160004, 'A thread has already been created for this message');
      const name = typeof json?.name === 'string' ? json.name : '';
      if (!name || name.length > 100) return invalidForm(['name: must be 1 to 100 characters']);
      const thread: StandinChannel = { id: messageId, name, type: 11, parentId: channelId, ownerId: this.bot.id };
      this.addThread(c.guildId, thread);
      return new HttpAnswer(201, apiChannel(thread, c.guildId));
    });
  }

  /** POST /channels/:forum/threads: a forum post whose first message (same id as the post) is `message`. */
  private startForumPost(channelId: string, body: ParsedBody): HttpAnswer {
    return this.withChannel(channelId, (c) => {
      if (!c.guildId || (c.type !== 15 && c.type !== 16)) return invalidForm(['message: only forum and media channels take a forum post (stand-in)']);
      const { name, message } = body.json ?? {};
      if (typeof name !== 'string' || !name || name.length > 100) return invalidForm(['name: must be 1 to 100 characters']);
      if (!message || typeof message !== 'object') return invalidForm(['message: required in a forum channel']);
      if ('nonce' in message) return invalidForm(['message.nonce: not a forum thread message field']);
      const problems = validateMessage(message, { context: 'channel', fileCount: body.files.length, fileNames: body.files.map((f) => f.filename) });
      if (problems.length) return invalidForm(problems);
      const id = nextId();
      const thread: StandinChannel = { id, name, type: 11, parentId: channelId, ownerId: this.bot.id };
      this.addThread(c.guildId, thread);
      const first = this.store(id, c.guildId, { json: message, files: body.files }, { interactionId: null, id });
      return new HttpAnswer(201, { ...apiChannel(thread, c.guildId), message: apiMessage(first, this.appId) });
    });
  }

  /** GET /guilds/:id/threads/active: every thread of the guild (none archives in the stand-in). */
  private activeThreads(guildId: string): HttpAnswer {
    const g = this.guilds.find((x) => x.id === guildId);
    if (!g) return err(404, 10004, 'Unknown Guild');
    return new HttpAnswer(200, { threads: g.channels.filter((c) => isThreadType(c.type)).map((c) => apiChannel(c, g.id)), members: [] });
  }

  private store(channelId: string, guildId: string | null, body: ParsedBody, o: { interactionId: string | null; flags?: number; id?: string }): StoredMessage {
    const j = body.json ?? {};
    const m: StoredMessage = {
      id: o.id ?? nextId(),
      channelId,
      guildId,
      author: this.bot,
      content: typeof j.content === 'string' ? j.content : '',
      embeds: j.embeds ?? [],
      components: j.components ?? [],
      flags: Number(o.flags ?? j.flags ?? 0),
      nonce: j.nonce ?? null,
      allowedMentions: j.allowed_mentions,
      attachments: attachmentsOf(body),
      reactions: new Map(),
      interactionId: o.interactionId,
      createdAt: Date.now(),
      editedAt: null,
      edits: 0,
      deleted: false,
    };
    this.messagesById.set(m.id, m);
    const list = this.byChannel.get(channelId) ?? [];
    list.push(m);
    this.byChannel.set(channelId, list);
    return m;
  }

  private editMessage(m: StoredMessage, body: ParsedBody, rec?: InteractionRecord): HttpAnswer {
    // As Discord does: a bot edits only its own messages.
    if (m.author.id !== this.bot.id) return err(403, 50005, 'Cannot edit a message authored by another user');
    const problems = validateMessage(body.json ?? {}, { context: 'edit', fileCount: body.files.length, fileNames: body.files.map((f) => f.filename) });
    if (problems.length) return invalidForm(problems);
    applyEdit(m, body);
    if (rec && m === rec.original) rec.edits++;
    return new HttpAnswer(200, apiMessage(m, this.appId));
  }

  private ownReaction(channelId: string, messageId: string, emoji: string, add: boolean): HttpAnswer {
    return this.withMessage(channelId, messageId, (m) => {
      const users = m.reactions.get(emoji) ?? new Set<string>();
      if (add) users.add(this.bot.id);
      else users.delete(this.bot.id);
      m.reactions.set(emoji, users);
      if (this.opts.dispatchOwnReactions) this.dispatchReaction(channelId, messageId, emoji, this.bot, add, m.author.id);
      return new HttpAnswer(204);
    });
  }

  // ─── Interactions ───────────────────────────────────────────────────────────────────

  private callback(id: string, token: string, url: URL, body: ParsedBody): HttpAnswer {
    const rec = this.interactions.get(id);
    if (!rec || rec.token !== token) return err(404, 10062, 'Unknown interaction');
    const deadline = this.opts.ackDeadlineMs;
    if (deadline > 0 && Date.now() - rec.dispatchedAt > deadline) {
      rec.late++;
      return err(404, 10062, 'Unknown interaction');
    }
    if (rec.callbacks.length) return err(400, 40060, 'Interaction has already been acknowledged.');
    const { type, data } = body.json ?? {};
    const channelId = rec.payload.channel_id as string;
    const guildId = (rec.payload.guild_id as string | undefined) ?? null;
    switch (type) {
      case 4: {
        const problems = validateMessage(data ?? {}, { context: 'interaction', fileCount: body.files.length, fileNames: body.files.map((f) => f.filename) });
        if (problems.length) return invalidForm(problems);
        rec.original = this.store(channelId, guildId, { json: data, files: body.files }, { interactionId: rec.id });
        break;
      }
      case 5:
        rec.original = this.store(channelId, guildId, { json: { content: '' }, files: [] }, { interactionId: rec.id, flags: Number(data?.flags ?? 0) });
        break;
      case 6:
        if (rec.type !== 3) return err(400, 40062, 'Invalid interaction response type for this interaction');
        break;
      case 7: {
        if (rec.type !== 3 || !rec.original) return err(400, 40062, 'Invalid interaction response type for this interaction');
        const problems = validateMessage(data ?? {}, { context: 'edit', fileCount: body.files.length, fileNames: body.files.map((f) => f.filename) });
        if (problems.length) return invalidForm(problems);
        applyEdit(rec.original, { json: data ?? {}, files: body.files });
        break;
      }
      case 8: {
        if (rec.type !== 4) return err(400, 40062, 'Invalid interaction response type for this interaction');
        const problems = validateChoices(data?.choices);
        if (problems.length) return invalidForm(problems);
        rec.choices = data.choices;
        break;
      }
      default:
        return invalidForm([`type: ${type} is not supported by the stand-in`]);
    }
    rec.callbacks.push({ type, data, at: Date.now() });
    if (url.searchParams.get('with_response') === 'true') {
      return new HttpAnswer(200, {
        interaction: { id: rec.id, type: rec.type, response_message_id: rec.original?.id, response_message_loading: type === 5, response_message_ephemeral: Boolean((rec.original?.flags ?? 0) & 64) },
        ...(rec.original && type !== 8 ? { resource: { type, message: apiMessage(rec.original, this.appId) } } : {}),
      });
    }
    return new HttpAnswer(204);
  }

  private withToken(appId: string, token: string, fn: (rec: InteractionRecord) => HttpAnswer): HttpAnswer {
    const rec = this.tokens.get(token);
    if (appId !== this.appId || !rec) return err(404, 10015, 'Unknown Webhook');
    if (!rec.callbacks.length) return err(404, 10015, 'Unknown Webhook'); // not acknowledged yet
    return fn(rec);
  }

  private withWebhookMessage(appId: string, token: string, messageId: string, fn: (m: StoredMessage, rec: InteractionRecord) => HttpAnswer): HttpAnswer {
    return this.withToken(appId, token, (rec) => {
      const id = decodeURIComponent(messageId);
      const m = id === '@original' ? rec.original : [rec.original, ...rec.followups].find((x) => x?.id === id);
      return m && !m.deleted ? fn(m, rec) : err(404, 10008, 'Unknown Message');
    });
  }

  private followUp(rec: InteractionRecord, body: ParsedBody): HttpAnswer {
    const problems = validateMessage(body.json ?? {}, { context: 'interaction', fileCount: body.files.length, fileNames: body.files.map((f) => f.filename) });
    if (problems.length) return invalidForm(problems);
    const m = this.store(rec.payload.channel_id, rec.payload.guild_id ?? null, body, { interactionId: rec.id });
    rec.followups.push(m);
    return new HttpAnswer(200, apiMessage(m, this.appId));
  }
}

function answerOf(rec: InteractionRecord): Answer | null {
  const cb = rec.callbacks[0];
  if (!cb) return null;
  const lastFollowup = rec.followups[rec.followups.length - 1];
  switch (cb.type) {
    case 4:
      return { kind: 'message', deferred: false, message: rec.original! };
    case 5:
      if (lastFollowup && (rec.original?.deleted || rec.edits === 0)) return { kind: 'message', deferred: true, message: lastFollowup };
      return rec.edits > 0 ? { kind: 'message', deferred: true, message: rec.original! } : null;
    case 6:
      if (rec.edits > 0) return { kind: 'update', deferred: true, message: rec.original! };
      return lastFollowup ? { kind: 'message', deferred: true, message: lastFollowup } : null;
    case 7:
      return { kind: 'update', deferred: false, message: rec.original! };
    case 8:
      return { kind: 'choices', deferred: false, choices: rec.choices ?? [] };
    default:
      return null;
  }
}

function matchPath(want: string | RegExp | undefined, path: string): boolean {
  if (want === undefined) return true;
  if (typeof want === 'string') return path === want || (want.endsWith('/') && path.startsWith(want));
  return want.test(path);
}

function faultAnswer(f: Fault): HttpAnswer {
  if (f.kind === 'rateLimit') {
    const retryAfter = f.retryAfter ?? 0.2;
    const headers: Record<string, string> = {
      'retry-after': String(retryAfter),
      'x-ratelimit-scope': f.global ? 'global' : 'user',
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset-after': String(retryAfter),
      'x-ratelimit-bucket': 'standin-bucket',
    };
    if (f.global) headers['x-ratelimit-global'] = 'true';
    return new HttpAnswer(429, { message: 'You are being rate limited.', retry_after: retryAfter, global: f.global === true, code: 0 }, headers);
  }
  if (f.kind === 'serverError') {
    const status = f.status ?? 500;
    return new HttpAnswer(status, { message: `${status}: Internal Server Error`, code: 0 });
  }
  const a = FAULT_ANSWERS[f.kind];
  return err(a.status, a.code, a.message);
}

async function parseBody(raw: Buffer, contentType: string | undefined): Promise<ParsedBody> {
  if (!raw.length) return { json: undefined, files: [] };
  if (contentType?.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    let json: Json = {};
    const files: ParsedBody['files'] = [];
    for (const [field, value] of form) {
      if (typeof value === 'string') {
        if (field === 'payload_json') json = JSON.parse(value);
      } else {
        files.push({ field, filename: value.name, contentType: value.type, data: Buffer.from(await value.arrayBuffer()) });
      }
    }
    return { json, files };
  }
  return { json: JSON.parse(raw.toString('utf8')), files: [] };
}

function attachmentsOf(body: ParsedBody): StoredAttachment[] {
  return body.files.map((f) => ({ id: nextId(), filename: f.filename, contentType: f.contentType, data: f.data }));
}

function applyEdit(m: StoredMessage, body: ParsedBody): void {
  const j = body.json ?? {};
  if ('content' in j) m.content = j.content ?? '';
  if ('embeds' in j) m.embeds = j.embeds ?? [];
  if ('components' in j) m.components = j.components ?? [];
  if ('allowed_mentions' in j) m.allowedMentions = j.allowed_mentions;
  if (Array.isArray(j.attachments)) {
    const keep = new Set(j.attachments.map((a: Json) => String(a.id)));
    m.attachments = m.attachments.filter((a) => keep.has(a.id));
  }
  m.attachments.push(...attachmentsOf(body));
  m.editedAt = Date.now();
  m.edits++;
}

export async function startDiscordStandin(options: StandinOptions = {}): Promise<DiscordStandin> {
  return new DiscordStandin(options).listen();
}
