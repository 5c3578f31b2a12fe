/**
 * Discord events → core types. Written against the few fields it reads (which discord.js
 * structures have), so it is tested without a client. It decides nothing: unknown
 * subcommands and options are passed on for the core to answer or ignore.
 */
import { ApplicationCommandOptionType, ApplicationIntegrationType, PermissionFlagsBits } from 'discord.js';
import { inboxRef } from '../../core/people.js';
import type { LinkCardsRequest } from '../../core/linked-papers.js';
import type { ActionEvent, CommandInvocation, InvokerPermissions, ReactionEvent } from '../../core/ports.js';
import { withoutKey } from './message-key.js';
import { rolePings, type RoleLike } from './ping-roles.js';

/** The workspace of an interaction outside a guild: a DM with the bot, a group DM (user installs). */
export const NO_GUILD = '@me';

const NO_PERMISSIONS: InvokerPermissions = { manageChannel: false, workspaceAdmin: false, manageRoles: false };

/** What discord.js gives for an option (CommandInteractionOption). */
export interface OptionLike {
  name: string;
  type: number;
  value?: string | number | boolean | undefined;
  focused?: boolean | undefined;
  options?: readonly OptionLike[] | undefined;
  /** A role option's role, from data.resolved.roles (ping-roles.ts). */
  role?: RoleLike | null | undefined;
}

export interface PermissionsLike {
  has(permission: bigint): boolean;
}

/** The fields of a discord.js interaction this module reads. */
export interface InteractionLike {
  id: string;
  guildId: string | null;
  channelId: string | null;
  user: { id: string; username: string };
  /** The member's permissions in the channel, overwrites applied (Discord computes them). */
  memberPermissions: PermissionsLike | null;
  /**
   * Which installs authorised it: the guild's id under GuildInstall (0) when the bot is in
   * the server, the user's id under UserInstall (1) when they installed the app themselves.
   * Absent: treated as a guild install (interactions from before user installs).
   */
  authorizingIntegrationOwners?: Partial<Record<ApplicationIntegrationType, string>>;
  /** The bot's permissions in the channel (app_permissions). */
  appPermissions?: PermissionsLike | null;
}

/**
 * True when the bot itself is in the interaction's server (installed there), so it can
 * post in its channels. A user-installed app used in a server without the bot, or in a DM
 * or group DM, has no channel it can subscribe: no one gets channel permissions there.
 */
export function botInGuild(i: Pick<InteractionLike, 'guildId' | 'authorizingIntegrationOwners'>): boolean {
  if (i.guildId === null) return false;
  const owners = i.authorizingIntegrationOwners;
  return owners === undefined || owners[ApplicationIntegrationType.GuildInstall] !== undefined;
}

/** Manage Channels and Administrator, as resolved by Discord for this channel (null outside a guild). */
export function permissionsOf(perms: PermissionsLike | null): InvokerPermissions {
  if (!perms) return { ...NO_PERMISSIONS };
  // PermissionsBitField#has counts Administrator as every permission, as Discord does.
  return {
    manageChannel: perms.has(PermissionFlagsBits.ManageChannels),
    workspaceAdmin: perms.has(PermissionFlagsBits.Administrator),
    manageRoles: perms.has(PermissionFlagsBits.ManageRoles),
  };
}

/** The subcommand and its options (a subcommand group's name counts as the command). */
export function subcommandOf(data: readonly OptionLike[]): { command: string | null; options: readonly OptionLike[] } {
  const first = data[0];
  if (first?.type === ApplicationCommandOptionType.SubcommandGroup) {
    const sub = first.options?.[0];
    return { command: first.name, options: sub?.options ?? [] };
  }
  if (first?.type === ApplicationCommandOptionType.Subcommand) return { command: first.name, options: first.options ?? [] };
  // `/papers` with bare options (never registered that way): let the core answer with help.
  return { command: null, options: data };
}

/** What every interaction event carries: where, who, and their permissions there. */
function originOf(i: InteractionLike) {
  return {
    platform: 'discord' as const,
    workspaceId: i.guildId ?? NO_GUILD,
    channelId: i.channelId ?? '',
    id: i.id,
    userId: i.user.id,
    permissions: botInGuild(i) ? permissionsOf(i.memberPermissions) : NO_PERMISSIONS,
  };
}

export function toInvocation(i: InteractionLike & { commandName: string }, data: readonly OptionLike[], root: string): CommandInvocation {
  const { command, options } = subcommandOf(data);
  const values: CommandInvocation['options'] = {};
  for (const o of options) {
    if (o.value !== undefined && (typeof o.value === 'string' || typeof o.value === 'number' || typeof o.value === 'boolean')) values[o.name] = o.value;
  }
  return {
    ...originOf(i),
    userName: i.user.username,
    // Another root command (never registered by us) is shown as an unknown command.
    command: i.commandName === root ? (command ?? 'help') : i.commandName,
    options: values,
    pings: rolePings(options, i.appPermissions ?? null),
  };
}

/** The fields of a message a message command targets (data.resolved.messages[target_id]) that can hold a link. */
export interface TargetMessageLike {
  content: string;
  embeds: readonly { url?: string | null; title?: string | null; description?: string | null; fields?: readonly { value: string }[] }[];
}

/** Everything a message shows that can hold a paper link: its text, then each embed's URL, title, description and fields. */
export function linkTextOf(m: TargetMessageLike): string {
  const parts = [m.content];
  for (const e of m.embeds.slice(0, 10)) parts.push(e.url ?? '', e.title ?? '', e.description ?? '', ...(e.fields ?? []).slice(0, 25).map((f) => f.value));
  return parts.filter(Boolean).join('\n');
}

/** A message command ("Paper cards") on a message, as a link cards request. */
export function toLinkCardsRequest(i: InteractionLike, target: TargetMessageLike, asPublic: boolean): LinkCardsRequest {
  return { ...originOf(i), text: linkTextOf(target), public: asPublic, via: 'command' };
}

/** The subcommand and focused option of an autocomplete request. */
export function focusedOf(data: readonly OptionLike[]): { command: string | null; option: string; text: string } | null {
  const { command, options } = subcommandOf(data);
  const focused = options.find((o) => o.focused);
  if (!focused) return null;
  return { command, option: focused.name, text: String(focused.value ?? '') };
}

export function toActionEvent(i: InteractionLike & { customId: string }): ActionEvent {
  return { ...originOf(i), actionId: withoutKey(i.customId) };
}

/** What a (possibly partial) reaction and user give; every field is there even for uncached messages. */
export interface ReactionLike {
  messageId: string;
  channelId: string;
  guildId: string | null;
  emoji: { name: string | null; id: string | null };
  userId: string;
  /** Null when the user is partial (a removal by someone never seen). */
  userIsBot: boolean | null;
}

/**
 * A reaction outside a guild is in the bot's DM with the person reacting (the bot is in no
 * other DMs): it is on their inbox, the `dm:<user>` ref its messages were posted to and
 * logged under, so a 🔖 there bookmarks like one in a channel.
 */
export function toReactionEvent(r: ReactionLike, added: boolean, botUserId: string | null): ReactionEvent {
  return {
    platform: 'discord',
    workspaceId: r.guildId ?? NO_GUILD,
    channelId: r.guildId ? r.channelId : inboxRef({ platform: 'discord', workspaceId: NO_GUILD, userId: r.userId }).channelId,
    messageId: r.messageId,
    userId: r.userId,
    emoji: r.emoji.name ?? r.emoji.id ?? '',
    added,
    byBot: r.userId === botUserId || r.userIsBot === true,
  };
}

/**
 * A gateway packet that is a reaction in a DM (no guild), as a ReactionEvent; else null.
 * Read from the raw packet because discord.js drops reactions in DM channels it has not
 * cached, and it caches none it did not see opened.
 */
export function dmReactionOf(packet: { t?: string | null; d?: unknown }, botUserId: string | null): ReactionEvent | null {
  if (packet.t !== 'MESSAGE_REACTION_ADD' && packet.t !== 'MESSAGE_REACTION_REMOVE') return null;
  const d = packet.d as { guild_id?: string; channel_id?: string; message_id?: string; user_id?: string; emoji?: { name?: string | null; id?: string | null }; member?: { user?: { bot?: boolean } } } | undefined;
  if (!d || d.guild_id !== undefined || !d.channel_id || !d.message_id || !d.user_id || !d.emoji) return null;
  return toReactionEvent(
    { messageId: d.message_id, channelId: d.channel_id, guildId: null, emoji: { name: d.emoji.name ?? null, id: d.emoji.id ?? null }, userId: d.user_id, userIsBot: null },
    packet.t === 'MESSAGE_REACTION_ADD',
    botUserId,
  );
}
