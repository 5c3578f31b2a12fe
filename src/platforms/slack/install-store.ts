/**
 * Bolt's InstallationStore over our Store: one install per workspace (the team, or the
 * enterprise for an org-wide install), the SDK's Installation object kept whole as the
 * install's `data`, sealed with TOKEN_ENCRYPTION_KEY when it is set (install-cipher.ts).
 * Every read of an installation (Bolt's authorisation, SlackWeb's token lookup) comes
 * through here, so nothing else sees a sealed row.
 *
 * Rows stored before the key was set still read. With a key, such a plain row is sealed
 * on its first read, so turning encryption on needs no migration step; the row is read
 * again just before and rewritten only if unchanged, so a reinstall landing meanwhile is
 * not overwritten with the older installation.
 */
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { Clock, Logger, Store } from '../../core/ports.js';
import { systemClock } from '../../core/ports.js';
import { isSealed, openInstall, sealInstall } from './install-cipher.js';

export function workspaceIdOf(q: { teamId?: string | undefined; enterpriseId?: string | undefined; isEnterpriseInstall?: boolean | undefined }): string | undefined {
  return q.isEnterpriseInstall ? q.enterpriseId : (q.teamId ?? q.enterpriseId);
}

export interface InstallStoreOptions {
  /** TOKEN_ENCRYPTION_KEY (32 bytes); unset: installations are stored as they are. */
  key?: Buffer | undefined;
  log?: Logger;
  clock?: Clock;
}

export class StoreInstallationStore implements InstallationStore {
  private readonly clock: Clock;

  constructor(
    private readonly store: Store,
    private readonly opts: InstallStoreOptions = {},
  ) {
    this.clock = opts.clock ?? systemClock;
  }

  async storeInstallation(installation: Installation): Promise<void> {
    const workspaceId = workspaceIdOf({ teamId: installation.team?.id, enterpriseId: installation.enterprise?.id, isEnterpriseInstall: installation.isEnterpriseInstall });
    if (!workspaceId) throw new Error('Slack installation without a team or enterprise id');
    await this.save(workspaceId, installation, this.clock.now().toISOString());
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
    const workspaceId = workspaceIdOf(query);
    const install = workspaceId ? await this.installation(workspaceId) : null;
    // Bolt turns this into an AuthorizationError: the request is acknowledged and ignored.
    if (!install) throw new Error(`no Slack installation for ${workspaceId ?? 'an unknown workspace'}`);
    return install;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const workspaceId = workspaceIdOf(query);
    if (workspaceId) await this.store.deleteInstall('slack', workspaceId);
  }

  /** The workspace's installation, opened; null when it never installed. */
  async installation(workspaceId: string): Promise<Installation | null> {
    const row = await this.store.getInstall('slack', workspaceId);
    if (!row) return null;
    if (isSealed(row.data)) return openInstall(this.opts.key, row.data, workspaceId) as Installation;
    if (this.opts.key) await this.sealOldRow(workspaceId, row.data, row.installedAt);
    return row.data as Installation;
  }

  private async save(workspaceId: string, installation: unknown, installedAt: string): Promise<void> {
    const data = this.opts.key ? sealInstall(this.opts.key, installation, workspaceId) : installation;
    await this.store.saveInstall({ platform: 'slack', workspaceId, data, installedAt });
  }

  private async sealOldRow(workspaceId: string, data: unknown, installedAt: string): Promise<void> {
    try {
      const now = await this.store.getInstall('slack', workspaceId);
      if (!now || JSON.stringify(now.data) !== JSON.stringify(data)) return;
      await this.save(workspaceId, data, installedAt);
      this.opts.log?.info({ workspaceId }, 'Slack installation stored before TOKEN_ENCRYPTION_KEY was set: now encrypted');
    } catch (err) {
      // The read itself succeeded; sealing is retried on the next one.
      this.opts.log?.warn({ workspaceId, err: (err as Error).message }, 'could not encrypt a Slack installation stored in plain');
    }
  }
}
