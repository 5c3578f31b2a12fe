/**
 * Who may subscribe a channel (change or stop its digest, or post it with `digest now`)
 * on Slack. Slack has no per-channel "manage" permission a bot can read, so each
 * workspace picks one of two policies: workspace admins, owners and whoever installed the
 * app (the default, from SLACK_SUBSCRIBE_POLICY: the safe one, since otherwise any member
 * of any public channel could make the bot join and post there), or everyone in the
 * channel. The choice lives in store meta `slack:subscribePolicy:<teamId>`; admins change
 * it from the App Home.
 *
 * Admin status comes from users.info (is_admin / is_owner / is_primary_owner), cached
 * for a minute, and is looked up only when a decision needs it, so ordinary commands
 * cost no extra API call.
 */
import type { InvokerPermissions, Logger, Store } from '../../core/ports.js';

export type SubscribePolicy = 'everyone' | 'admins';

export const policyKey = (teamId: string): string => `slack:subscribePolicy:${teamId}`;

export function isPolicy(v: unknown): v is SubscribePolicy {
  return v === 'everyone' || v === 'admins';
}

export interface PolicyDeps {
  store: Store;
  defaultPolicy: SubscribePolicy;
  /** users.info → admin or owner; throws on API failure. */
  lookupAdmin: (teamId: string, userId: string) => Promise<boolean>;
  /** The user who installed the app in this workspace (OAuth installs), if known. */
  installerOf?: (teamId: string) => Promise<string | undefined>;
  log: Logger;
  ttlMs?: number;
  now?: () => number;
}

export class SubscribePolicyService {
  private readonly cache = new Map<string, { admin: boolean; until: number }>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(private readonly deps: PolicyDeps) {
    this.ttlMs = deps.ttlMs ?? 60_000;
    this.now = deps.now ?? Date.now;
  }

  async get(teamId: string): Promise<SubscribePolicy> {
    const v = await this.deps.store.getMeta(policyKey(teamId));
    return isPolicy(v) ? v : this.deps.defaultPolicy;
  }

  async set(teamId: string, policy: SubscribePolicy): Promise<void> {
    await this.deps.store.setMeta(policyKey(teamId), policy);
  }

  /** Admin, owner or installer of the app. A failed lookup counts as "no" (fail closed) and is logged. */
  async isAdmin(teamId: string, userId: string): Promise<boolean> {
    const key = `${teamId}:${userId}`;
    const hit = this.cache.get(key);
    const now = this.now();
    if (hit && hit.until > now) return hit.admin;
    let admin = false;
    try {
      admin = (await this.deps.installerOf?.(teamId)) === userId || (await this.deps.lookupAdmin(teamId, userId));
    } catch (err) {
      this.deps.log.warn({ err, team: teamId, user: userId }, 'users.info failed; treating the user as a non-admin');
      return false;
    }
    if (this.cache.size > 5_000) this.cache.clear();
    this.cache.set(key, { admin, until: now + this.ttlMs });
    return admin;
  }

  /**
   * The invoker's permissions. `decides` says whether anything will check them (a command
   * with a permission): only then is admin status looked up; otherwise `workspaceAdmin` is
   * false, which fails closed should a check ever be added without updating this.
   */
  async permissions(teamId: string, userId: string, decides: boolean): Promise<InvokerPermissions & { policy: SubscribePolicy }> {
    const policy = await this.get(teamId);
    const admin = decides && policy === 'admins' ? await this.isAdmin(teamId, userId) : false;
    return { policy, manageChannel: policy === 'everyone' || admin, workspaceAdmin: admin };
  }
}
