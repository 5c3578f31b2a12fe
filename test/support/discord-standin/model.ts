/**
 * What the stand-in remembers (guilds, channels, messages, interactions, requests), and
 * the API objects built from it, shaped as Discord sends them (enough for discord.js to
 * build its structures from).
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Json = any;

export interface StandinUser {
  id: string;
  username: string;
  bot?: boolean;
}

export interface StandinChannel {
  id: string;
  name: string;
  /** 0 = GUILD_TEXT, 11 = PUBLIC_THREAD, 15 = GUILD_FORUM. */
  type: number;
  /** A thread's channel (a text or forum channel). */
  parentId?: string;
  /** Who started a thread. */
  ownerId?: string;
}

/** Thread channel types (public, private, announcement thread). */
export const isThreadType = (type: number): boolean => type === 10 || type === 11 || type === 12;

export interface StandinGuild {
  id: string;
  name: string;
  ownerId: string;
  channels: StandinChannel[];
}

export interface StoredAttachment {
  id: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface StoredMessage {
  id: string;
  channelId: string;
  guildId: string | null;
  author: StandinUser;
  content: string;
  embeds: Json[];
  components: Json[];
  flags: number;
  nonce: string | number | null;
  /** As sent; undefined when the request had none (then Discord's defaults would ping). */
  allowedMentions: Json;
  attachments: StoredAttachment[];
  /** Emoji → ids of the users who reacted. */
  reactions: Map<string, Set<string>>;
  /** Set for interaction responses and follow-ups. */
  interactionId: string | null;
  createdAt: number;
  editedAt: number | null;
  /** How many times it was edited. */
  edits: number;
  deleted: boolean;
}

export interface CallbackRecord {
  /** 4 reply, 5 deferred reply, 6 deferred update, 7 update, 8 autocomplete result. */
  type: number;
  data: Json;
  at: number;
}

export interface InteractionRecord {
  id: string;
  token: string;
  /** 2 application command, 3 message component, 4 autocomplete. */
  type: number;
  payload: Json;
  dispatchedAt: number;
  /** [id, count] of each gateway session it was delivered to (one, when the bot shards right). */
  shards: [number, number][];
  /** Accepted callbacks (at most one: a second one is refused with 40060). */
  callbacks: CallbackRecord[];
  /** Callbacks refused because they came after the acknowledgement deadline. */
  late: number;
  /** The response message (4/5), or the message a component sits on (6/7). */
  original: StoredMessage | null;
  followups: StoredMessage[];
  /** Edits of the original through the webhook (PATCH …/messages/@original). */
  edits: number;
  choices: Json[] | null;
}

export interface RecordedRequest {
  method: string;
  /** Path after /api/v10, without the query. */
  path: string;
  query: string;
  status: number;
  /** JSON body, or payload_json of a multipart body. */
  body: Json;
  files: { name: string; filename: string; contentType: string; size: number }[];
  /** True when the request carried the bot token. */
  auth: boolean;
  at: number;
  /** Set when a fault was injected into this request. */
  fault?: string;
}

let snowflake = 1_300_000_000_000_000_000n;
/** Increasing ids shaped like snowflakes. */
export function nextId(): string {
  snowflake += 1n;
  return snowflake.toString();
}

export function apiUser(u: StandinUser): Json {
  return { id: u.id, username: u.username, discriminator: '0', global_name: null, avatar: null, bot: u.bot === true, public_flags: 0 };
}

export function apiMember(u: StandinUser, permissions?: string): Json {
  return {
    user: apiUser(u),
    roles: [],
    joined_at: '2026-01-01T00:00:00.000Z',
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    nick: null,
    avatar: null,
    premium_since: null,
    communication_disabled_until: null,
    ...(permissions !== undefined ? { permissions } : {}),
  };
}

export function apiChannel(c: StandinChannel, guildId: string): Json {
  return {
    id: c.id,
    type: c.type,
    guild_id: guildId,
    name: c.name,
    position: 0,
    permission_overwrites: [],
    parent_id: c.parentId ?? null,
    ...(isThreadType(c.type)
      ? { owner_id: c.ownerId, message_count: 0, member_count: 1, thread_metadata: { archived: false, auto_archive_duration: 4320, archive_timestamp: '2026-01-01T00:00:00.000Z', locked: false } }
      : {}),
    topic: null,
    nsfw: false,
    last_message_id: null,
    rate_limit_per_user: 0,
    flags: 0,
  };
}

/** A DM channel (type 1) between the bot and a user, as POST /users/@me/channels answers. */
export function apiDmChannel(id: string, userId: string, username = `user-${userId.slice(-4)}`): Json {
  return { id, type: 1, last_message_id: null, flags: 0, recipients: [apiUser({ id: userId, username })] };
}

export function apiGuild(g: StandinGuild, bot: StandinUser): Json {
  return {
    id: g.id,
    name: g.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: g.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: [{ id: g.id, name: '@everyone', color: 0, hoist: false, position: 0, permissions: '1071698660929', managed: false, mentionable: false, flags: 0 }],
    emojis: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    preferred_locale: 'en-US',
    public_updates_channel_id: null,
    nsfw_level: 0,
    stickers: [],
    premium_progress_bar_enabled: false,
    // GUILD_CREATE extras
    joined_at: '2026-01-01T00:00:00.000Z',
    large: false,
    unavailable: false,
    member_count: 2,
    voice_states: [],
    members: [apiMember(bot)],
    channels: g.channels.filter((c) => !isThreadType(c.type)).map((c) => apiChannel(c, g.id)),
    threads: g.channels.filter((c) => isThreadType(c.type)).map((c) => apiChannel(c, g.id)),
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export function apiMessage(m: StoredMessage, appId: string): Json {
  return {
    id: m.id,
    type: m.interactionId ? 20 : 0,
    channel_id: m.channelId,
    ...(m.guildId ? { guild_id: m.guildId } : {}),
    author: apiUser(m.author),
    content: m.content,
    timestamp: new Date(m.createdAt).toISOString(),
    edited_timestamp: m.editedAt ? new Date(m.editedAt).toISOString() : null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: m.attachments.map((a) => ({
      id: a.id,
      filename: a.filename,
      size: a.data.length,
      url: `https://cdn.discordapp.invalid/attachments/${m.channelId}/${a.id}/${a.filename}`,
      proxy_url: `https://media.discordapp.invalid/attachments/${m.channelId}/${a.id}/${a.filename}`,
      content_type: a.contentType,
    })),
    embeds: m.embeds,
    pinned: false,
    flags: m.flags,
    components: m.components,
    ...(m.nonce !== null ? { nonce: m.nonce } : {}),
    ...(m.interactionId ? { application_id: appId, webhook_id: appId } : {}),
    reactions: [...m.reactions].filter(([, users]) => users.size > 0).map(([emoji, users]) => ({
      count: users.size,
      count_details: { burst: 0, normal: users.size },
      me: users.has(appId),
      me_burst: false,
      burst_colors: [],
      emoji: { id: null, name: emoji },
    })),
  };
}

/** A role a test offers in a role option (data.resolved.roles); the rest of APIRole is filled in. */
export interface StandinRole {
  id: string;
  name: string;
  mentionable: boolean;
}

export function apiRole(r: StandinRole): Json {
  return { id: r.id, name: r.name, color: 0, colors: { primary_color: 0, secondary_color: null, tertiary_color: null }, hoist: false, icon: null, unicode_emoji: null, position: 1, permissions: '0', managed: false, mentionable: r.mentionable, flags: 0 };
}

/**
 * Whom a message pings, as Discord decides it: the role mentions (`<@&id>`) and @everyone /
 * @here in its content that its allowed_mentions permits (none sent: Discord parses all).
 * Embeds never ping.
 */
export function pingsOf(m: Pick<StoredMessage, 'content' | 'allowedMentions'>): { roles: string[]; users: string[]; everyone: boolean } {
  const am = m.allowedMentions as { parse?: string[]; roles?: string[]; users?: string[] } | undefined | null;
  const parse = am ? (am.parse ?? []) : ['roles', 'users', 'everyone'];
  const inContent = (re: RegExp) => [...new Set([...m.content.matchAll(re)].map((x) => x[1]!))];
  const roles = inContent(/<@&(\d+)>/g).filter((id) => parse.includes('roles') || (am?.roles ?? []).includes(id));
  const users = inContent(/<@!?(\d+)>/g).filter((id) => parse.includes('users') || (am?.users ?? []).includes(id));
  return { roles, users, everyone: parse.includes('everyone') && /@(everyone|here)\b/.test(m.content) };
}
