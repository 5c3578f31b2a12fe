/**
 * `--ping` on Slack: a user group, typed as `@handle` (the manifest sets should_escape
 * false, so Slack sends the text as typed) or, from a client that escapes it, as
 * `<!subteam^S123|@handle>`. Either way the group must exist in the workspace
 * (usergroups.list, scope usergroups:read). Only workspace admins may set it: their status
 * is looked up (users.info, cached by the policy) only when a ping is being set.
 */
import { BotError } from '../../core/errors.js';
import { PING_OFF, type PingResolver } from '../../core/ping.js';
import type { CommandInvocation } from '../../core/ports.js';

interface UsergroupsList {
  usergroups?: { id?: string; handle?: string; name?: string; date_delete?: number }[];
}

export interface UsergroupDeps {
  /** usergroups.list in the invoker's workspace (its answer, read as UsergroupsList). */
  list: () => Promise<object>;
  /** Workspace admin, owner or installer (policy.ts). */
  isAdmin: () => Promise<boolean>;
}

/** `<!subteam^S123|@handle>` → S123; `@handle` or `handle` → the handle. */
export function parseGroupMention(text: string): { id: string } | { handle: string } | null {
  const t = text.trim();
  const m = /^<!subteam\^([A-Z0-9]{2,30})(?:\|[^>]*)?>$/.exec(t);
  if (m) return { id: m[1]! };
  const h = /^@?([a-z0-9][a-z0-9._-]{0,79})$/i.exec(t);
  return h ? { handle: h[1]!.toLowerCase() } : null;
}

export function usergroupPings(deps: UsergroupDeps): PingResolver {
  return {
    // A group is mentionable by anyone, the app included, through <!subteam^ID>.
    botCanMentionAll: true,
    async resolve(text) {
      const wanted = parseGroupMention(text);
      if (!wanted) return null;
      let res: UsergroupsList;
      try {
        res = (await deps.list()) as UsergroupsList;
      } catch (err) {
        throw new BotError('upstream', "I couldn't read this workspace's user groups (the app needs the usergroups:read scope). Try again later.", { cause: err });
      }
      const g = (res.usergroups ?? []).find((u) => !u.date_delete && u.id && u.handle && ('id' in wanted ? u.id === wanted.id : u.handle.toLowerCase() === wanted.handle));
      return g ? { kind: 'usergroup', id: g.id!, name: g.handle!, mentionable: true } : null;
    },
  };
}

/** The invocation with `pings` and, when a ping is being set, `manageRoles` (a workspace admin). */
export async function withUsergroupPings(inv: CommandInvocation, deps: UsergroupDeps): Promise<CommandInvocation> {
  const ping = inv.options.ping;
  const setting = typeof ping === 'string' && ping.trim() !== '' && !PING_OFF.test(ping.trim());
  const manageRoles = setting ? await deps.isAdmin() : false;
  return { ...inv, permissions: { ...inv.permissions, manageRoles }, pings: usergroupPings(deps) };
}
