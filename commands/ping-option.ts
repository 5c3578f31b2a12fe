/**
 * `--ping`: the role (Discord) or user group (Slack) the digest header pings, or none.
 * Checked here, before anything is saved: the invoker's permission, and whether the
 * target can be pinged (core/ping.ts), from what the adapter resolved.
 */
import type { CommandContext, OptionValues } from '../src/core/command-spec/spec.js';
import { resolvePingSetting, type DigestPing } from '../src/core/ping.js';

export const PING_OPTIONS = [
  { name: 'ping', description: 'Role to ping on the digest header (Slack: @user-group; typed: none to stop)', type: 'role' },
  { name: 'no_ping', description: 'yes: stop pinging a role on the digest header', type: 'boolean' },
] as const;

/** The ping after these options: unchanged (undefined) when neither is given, null for none. */
export async function applyPing(ctx: CommandContext, o: OptionValues): Promise<DigestPing | null | undefined> {
  if (o.no_ping === true) return null;
  if (o.ping === undefined) return undefined;
  return resolvePingSetting(String(o.ping), {
    manageRoles: ctx.inv.permissions.manageRoles === true,
    resolver: ctx.inv.pings,
    workspaceId: ctx.inv.workspaceId,
  });
}
