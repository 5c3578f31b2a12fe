/**
 * Opt-in pings: a channel's digest header may mention one Discord role or one Slack user
 * group, set with `settings --ping`. Only the header carries it (renderers put it there
 * and allow exactly that mention); every other message still pings no one.
 *
 * The core decides who may set it and whether the target can be pinged, from facts the
 * adapter resolves (PingResolver): which role or group the typed value names, whether it
 * is mentionable, whether the bot may mention any role.
 */
import { PermissionError, UserInputError } from './errors.js';
import type { OutboundMessage } from './reply.js';
import { clip } from './text.js';

/** What a subscription pings on its digest header. */
export interface DigestPing {
  kind: 'role' | 'usergroup';
  id: string;
  /** Its name when it was set (for the settings line; the mention itself uses the id). */
  name: string;
}

/** A role or group an adapter found for a typed `--ping` value. */
export interface PingTarget extends DigestPing {
  /** Discord: the role's "allow anyone to @mention" flag; a Slack user group: always true. */
  mentionable: boolean;
}

/** Adapter-side facts for `--ping`, on the CommandInvocation of platforms that can ping. */
export interface PingResolver {
  /** The role or group `text` names (an id, a `<@&…>` or `<!subteam^…>` mention, a handle), or null. */
  resolve(text: string): Promise<PingTarget | null>;
  /** Discord: the bot has Mention Everyone in this channel, so it may mention any role. */
  botCanMentionAll: boolean;
}

export const PING_OFF = /^(none|off|clear|no|-)$/i;

/**
 * The ping a `--ping` value sets: null for none/off, else the resolved target, after the
 * checks (permission, known target, mentionable). Throws a short user error otherwise.
 */
export async function resolvePingSetting(
  value: string,
  facts: { manageRoles: boolean; resolver: PingResolver | undefined; workspaceId: string },
): Promise<DigestPing | null> {
  const typed = value.trim();
  if (!typed || PING_OFF.test(typed)) return null;
  if (!facts.manageRoles) throw new PermissionError('Setting a ping needs Manage Roles on Discord (a workspace admin on Slack).');
  if (!facts.resolver) throw new UserInputError('This platform cannot ping a role or group on the digest.');
  const target = await facts.resolver.resolve(typed);
  if (!target) throw new UserInputError(`I can't find the role or group "${clip(typed, 40)}". Pick one from the list (Discord) or type its @handle (Slack).`);
  // @everyone's role id is the guild's: pinging the whole server is not an opt-in ping.
  if (target.id === facts.workspaceId || /^@?(everyone|here|channel)$/i.test(target.name)) {
    throw new UserInputError('Pick a role for the ping: @everyone, @here and @channel are not offered.');
  }
  if (!target.mentionable && !facts.resolver.botCanMentionAll) {
    throw new UserInputError(`I can't mention @${clip(target.name, 60)}: make it mentionable or give me Mention Everyone.`);
  }
  return { kind: target.kind, id: target.id, name: target.name };
}

/** The settings line's words for a ping, e.g. `pings @papers`. */
export function describePing(ping: DigestPing | null | undefined): string | null {
  return ping ? `pings @${ping.name}` : null;
}

/** The plan's messages with the ping on the (first) header only; continued headers and papers stay quiet. */
export function withPing(messages: OutboundMessage[], ping: DigestPing | null | undefined): OutboundMessage[] {
  if (!ping) return messages;
  return messages.map((m) => (m.kind === 'digestHeader' && !m.continuedFrom ? { ...m, ping: { kind: ping.kind, id: ping.id } } : m));
}
