/**
 * Slack payloads → core events. Pure: no API calls here; the platform supplies what needs
 * one (the invoker's permissions, the bot's own user id).
 */
import { parseCommandLine } from '../../core/command-spec/parse-text.js';
import type { CommandSpec } from '../../core/command-spec/spec.js';
import { userMessageOf } from '../../core/errors.js';
import { inboxRef } from '../../core/people.js';
import type { ActionEvent, ChannelRef, CommandInvocation, InvokerPermissions, ReactionEvent } from '../../core/ports.js';
import { errorReply, type Reply } from '../../core/reply.js';

/** The fields of a slash command payload we read (Bolt's SlashCommand has them all). */
export interface SlashCommandBody {
  text?: string;
  team_id: string;
  channel_id: string;
  user_id: string;
  user_name?: string;
  trigger_id: string;
  command?: string;
}

/** The fields of a block_actions payload we read. */
export interface BlockActionsBody {
  type: 'block_actions';
  trigger_id?: string;
  user: { id: string; team_id?: string; name?: string };
  team?: { id: string } | null;
  channel?: { id: string } | null;
  container?: { type?: string; channel_id?: string; message_ts?: string; view_id?: string; is_ephemeral?: boolean };
  view?: { id?: string; type?: string } | null;
  response_url?: string;
  actions: { action_id: string; value?: string; action_ts?: string; type?: string }[];
}

export interface ReactionEventBody {
  type: 'reaction_added' | 'reaction_removed';
  user: string;
  reaction: string;
  item: { type: string; channel?: string; ts?: string };
}

/** The channel id used for events that have none (App Home). */
export const APP_HOME_CHANNEL = 'app_home';

export function commandChannel(body: SlashCommandBody): ChannelRef {
  return { platform: 'slack', workspaceId: body.team_id, channelId: body.channel_id };
}

export type ParsedSlash = { ok: true; spec: CommandSpec; options: CommandInvocation['options'] } | { ok: false; reply: Reply };

/**
 * `/papers <subcommand> <args>`: quotes, `--flags`, `help` on an empty or unknown
 * subcommand (parse-text.ts). A parse error (unknown flag, bad number) is a short reply.
 */
export function parseSlash(body: SlashCommandBody, specs: readonly CommandSpec[]): ParsedSlash {
  try {
    const { spec, options } = parseCommandLine(body.text ?? '', specs);
    return { ok: true, spec, options };
  } catch (err) {
    return { ok: false, reply: errorReply(userMessageOf(err)) };
  }
}

export function toInvocation(body: SlashCommandBody, parsed: { spec: CommandSpec; options: CommandInvocation['options'] }, permissions: InvokerPermissions): CommandInvocation {
  const inv: CommandInvocation = {
    ...commandChannel(body),
    id: body.trigger_id,
    userId: body.user_id,
    command: parsed.spec.name,
    options: parsed.options,
    permissions,
  };
  if (body.user_name) inv.userName = body.user_name;
  return inv;
}

/** A reaction on a message, or null for reactions on files and the like. */
/**
 * A reaction in a DM conversation (a `D…` id) is in the app's DM with the person reacting
 * (no one else is in it): it is on their inbox, the `dm:<user>` ref its messages were
 * posted to and logged under, so a 🔖 there bookmarks like one in a channel.
 */
export function toReactionEvent(teamId: string, ev: ReactionEventBody, botUserId: string | undefined): ReactionEvent | null {
  if (ev.item.type !== 'message' || !ev.item.channel || !ev.item.ts) return null;
  const inDm = ev.item.channel.startsWith('D');
  return {
    platform: 'slack',
    workspaceId: teamId,
    channelId: inDm ? inboxRef({ platform: 'slack', workspaceId: teamId, userId: ev.user }).channelId : ev.item.channel,
    messageId: ev.item.ts,
    userId: ev.user,
    emoji: ev.reaction,
    added: ev.type === 'reaction_added',
    byBot: botUserId !== undefined && ev.user === botUserId,
  };
}

export function actionTeam(body: BlockActionsBody): string {
  return body.team?.id ?? body.user.team_id ?? '';
}

/** Where the button sits: a message (in a channel or DM) or the App Home view. */
export function actionSurface(body: BlockActionsBody): 'message' | 'home' {
  return body.container?.type === 'view' || body.view?.type === 'home' ? 'home' : 'message';
}

export function toActionEvent(body: BlockActionsBody, permissions: InvokerPermissions): ActionEvent {
  const action = body.actions[0];
  return {
    platform: 'slack',
    workspaceId: actionTeam(body),
    channelId: body.channel?.id ?? body.container?.channel_id ?? APP_HOME_CHANNEL,
    id: body.trigger_id ?? action?.action_ts ?? 'action',
    userId: body.user.id,
    actionId: action?.action_id ?? '',
    permissions,
  };
}
