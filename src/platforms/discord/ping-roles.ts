/**
 * `--ping` on Discord: a role option (type 8), whose role the interaction carries in
 * data.resolved.roles (discord.js puts it on the option as `role`). The core decides from
 * these facts (core/ping.ts): the role's mentionable flag, and whether the bot may mention
 * any role (Mention Everyone in app_permissions, 1 << 17).
 */
import { PermissionFlagsBits } from 'discord.js';
import type { PingResolver } from '../../core/ping.js';
import type { OptionLike, PermissionsLike } from './translate.js';

/** The fields of a resolved role (discord.js Role or APIRole) this reads. */
export interface RoleLike {
  id: string;
  name: string;
  mentionable: boolean;
}

/** What a typed role id (or `<@&id>`) names among the roles this interaction resolved. */
export function rolePings(options: readonly OptionLike[], appPermissions: PermissionsLike | null): PingResolver {
  const roles = new Map<string, RoleLike>();
  for (const o of options) if (o.role) roles.set(o.role.id, o.role);
  return {
    botCanMentionAll: appPermissions?.has(PermissionFlagsBits.MentionEveryone) === true,
    async resolve(text) {
      const id = /^<@&(\d+)>$/.exec(text.trim())?.[1] ?? text.trim();
      const role = roles.get(id);
      return role ? { kind: 'role', id: role.id, name: role.name, mentionable: role.mentionable === true } : null;
    },
  };
}
