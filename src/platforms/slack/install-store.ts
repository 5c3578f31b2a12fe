/**
 * Bolt's InstallationStore over our Store: one install per workspace (the team, or the
 * enterprise for an org-wide install), the SDK's Installation object kept whole as the
 * install's `data`. The bot token lives there, so the store file is as secret as the
 * tokens it holds.
 */
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { Clock, Store } from '../../core/ports.js';
import { systemClock } from '../../core/ports.js';

export function workspaceIdOf(q: { teamId?: string | undefined; enterpriseId?: string | undefined; isEnterpriseInstall?: boolean | undefined }): string | undefined {
  return q.isEnterpriseInstall ? q.enterpriseId : (q.teamId ?? q.enterpriseId);
}

export class StoreInstallationStore implements InstallationStore {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock = systemClock,
  ) {}

  async storeInstallation(installation: Installation): Promise<void> {
    const workspaceId = workspaceIdOf({ teamId: installation.team?.id, enterpriseId: installation.enterprise?.id, isEnterpriseInstall: installation.isEnterpriseInstall });
    if (!workspaceId) throw new Error('Slack installation without a team or enterprise id');
    await this.store.saveInstall({ platform: 'slack', workspaceId, data: installation, installedAt: this.clock.now().toISOString() });
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
    const workspaceId = workspaceIdOf(query);
    const install = workspaceId ? await this.store.getInstall('slack', workspaceId) : null;
    // Bolt turns this into an AuthorizationError: the request is acknowledged and ignored.
    if (!install) throw new Error(`no Slack installation for ${workspaceId ?? 'an unknown workspace'}`);
    return install.data as Installation;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const workspaceId = workspaceIdOf(query);
    if (workspaceId) await this.store.deleteInstall('slack', workspaceId);
  }
}
