/**
 * Discord events → core types. Written against the few fields it reads (which discord.js
 * structures have), so it is tested without a client. It decides nothing: unknown
 * subcommands and options are passed on for the core to answer or ignore.
 */
import { ApplicationCommandOptionType, PermissionFlagsBits } from 'discord.js';
import type { ActionEvent, CommandInvocation, InvokerPermissions, ReactionEvent } from '../../core/ports.js';
import { withoutKey } from './message-key.js';

/** The workspace of an interaction outside a guild (commands are registered guild-only). */
export const NO_GUILD = '@me';

/** What discord.js gives for an option (CommandInteractionOption). */
export interface OptionLike {
  name: string;
  type: number;
  value?: string | number | boolean | undefined;
  focused?: boolean | undefined;
  options?: readonly OptionLike[] | undefined;
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
}

/** Manage Channels and Administrator, as resolved by Discord for this channel (null outside a guild). */
export function permissionsOf(perms: PermissionsLike | null): InvokerPermissions {
  if (!perms) return { manageChannel: false, workspaceAdmin: false };
  // PermissionsBitField#has counts Administrator as every permission, as Discord does.
  return { manageChannel: perms.has(PermissionFlagsBits.ManageChannels), workspaceAdmin: perms.has(PermissionFlagsBits.Administrator) };
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
    permissions: permissionsOf(i.memberPermissions),
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
  };
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

export function toReactionEvent(r: ReactionLike, added: boolean, botUserId: string | null): ReactionEvent {
  return {
    platform: 'discord',
    workspaceId: r.guildId ?? NO_GUILD,
    channelId: r.channelId,
    messageId: r.messageId,
    userId: r.userId,
    emoji: r.emoji.name ?? r.emoji.id ?? '',
    added,
    byBot: r.userId === botUserId || r.userIsBot === true,
  };
}
