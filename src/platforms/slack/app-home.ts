/**
 * The App Home tab's behaviour: what it shows a user (home.ts lays it out) and what its
 * buttons do. Everything it shows comes from the core, by running the user's own
 * commands as if typed in the App Home: `inbox` (their inbox settings), `following`
 * (their numbered topics), `bookmarks` (their list). Its buttons run commands too, then
 * the view is published again:
 *
 *   home:inbox:on / home:inbox:off   → /papers inbox on | off
 *   home:unfollow:<n>                → /papers unfollow <n>
 *   home:export:bibtex | markdown    → /papers bookmarks export …, the file sent by DM
 *   home:policy:everyone | admins    → the workspace's subscribe policy (admins only)
 *   anything else (Remove, paging)   → the core's own buttons
 *
 * The inbox sections appear once the command list has those commands.
 */
import type { CommandSpec } from '../../core/command-spec/spec.js';
import type { CommandInvocation, InvokerPermissions, Logger, PlatformHandlers } from '../../core/ports.js';
import type { FileReply, Reply, TextReply } from '../../core/reply.js';
import { HOME_ACTION_PREFIX, HOME_ACTIONS, homeView, POLICY_LABEL } from './home.js';
import type { SubscribePolicy, SubscribePolicyService } from './policy.js';
import { APP_HOME_CHANNEL } from './translate.js';

const NO_PERMISSIONS: InvokerPermissions = { manageChannel: false, workspaceAdmin: false };

export interface AppHomeDeps {
  commands: readonly CommandSpec[];
  handlers: () => PlatformHandlers;
  policy: Pick<SubscribePolicyService, 'get' | 'set' | 'isAdmin'>;
  /** views.publish and the like, with the workspace's token. */
  call: (teamId: string, method: string, args: Record<string, unknown>) => Promise<unknown>;
  /** Sends an export file by DM; returns what to tell the user. */
  sendFile: (teamId: string, userId: string, reply: FileReply) => Promise<TextReply>;
  log: Logger;
}

export class AppHome {
  constructor(private readonly deps: AppHomeDeps) {}

  private has(command: string): boolean {
    return this.deps.commands.some((c) => c.name === command);
  }

  private invocation(teamId: string, userId: string, id: string, command: string, options: CommandInvocation['options']): CommandInvocation {
    return { platform: 'slack', workspaceId: teamId, channelId: APP_HOME_CHANNEL, id, userId, command, options, permissions: NO_PERMISSIONS };
  }

  private run(teamId: string, userId: string, id: string, command: string, options: CommandInvocation['options']): Promise<Reply> {
    return this.deps.handlers().command(this.invocation(teamId, userId, id, command, options));
  }

  /** A button pressed in the App Home: do it, then show the home again with what it said. */
  async onAction(teamId: string, userId: string, actionId: string, id: string): Promise<void> {
    let notice: string | undefined;
    let list: Reply | undefined;
    const said = (r: Reply | null) => (r?.kind === 'text' ? r.text : undefined);
    if (actionId === HOME_ACTIONS.exportBibtex || actionId === HOME_ACTIONS.exportMarkdown) {
      const format = actionId === HOME_ACTIONS.exportMarkdown ? 'markdown' : 'bibtex';
      const reply = await this.run(teamId, userId, id, 'bookmarks', { action: 'export', format });
      notice = reply.kind === 'file' ? (await this.deps.sendFile(teamId, userId, reply)).text : said(reply);
    } else if (actionId === HOME_ACTIONS.policyEveryone || actionId === HOME_ACTIONS.policyAdmins) {
      const next: SubscribePolicy = actionId === HOME_ACTIONS.policyEveryone ? 'everyone' : 'admins';
      if (await this.deps.policy.isAdmin(teamId, userId)) {
        await this.deps.policy.set(teamId, next);
        this.deps.log.info({ team: teamId, user: userId, policy: next }, 'Slack subscribe policy changed');
        notice = `Saved: who may subscribe channels is now “${POLICY_LABEL[next]}”.`;
      } else notice = 'Only workspace admins, owners and the installer can change who may subscribe channels.';
    } else if (actionId === HOME_ACTIONS.inboxOn || actionId === HOME_ACTIONS.inboxOff) {
      notice = said(await this.run(teamId, userId, id, 'inbox', { state: actionId === HOME_ACTIONS.inboxOn ? 'on' : 'off' }));
    } else if (actionId.startsWith(HOME_ACTIONS.unfollowPrefix)) {
      const n = Number(actionId.slice(HOME_ACTIONS.unfollowPrefix.length));
      notice = Number.isInteger(n) && n > 0 ? said(await this.run(teamId, userId, id, 'unfollow', { topic: n })) : 'This button no longer works.';
    } else if (!actionId.startsWith(HOME_ACTION_PREFIX)) {
      // Remove buttons and the pages of the bookmark list: the core's own buttons.
      const reply = await this.deps.handlers().action({ ...this.invocation(teamId, userId, id, '', {}), actionId });
      if (reply?.kind === 'papers') list = reply;
      else notice = said(reply);
    }
    await this.publish(teamId, userId, { ...(notice ? { notice } : {}), ...(list ? { list } : {}) });
  }

  /** (Re)publishes a user's App Home: inbox, followed topics, bookmarks, exports, the subscribe policy. */
  async publish(teamId: string, userId: string, extra: { notice?: string; list?: Reply } = {}): Promise<void> {
    const id = `home:${userId}`;
    const [bookmarks, inbox, following, policy, isAdmin] = await Promise.all([
      extra.list ?? this.run(teamId, userId, id, 'bookmarks', { action: 'list' }),
      this.has('inbox') ? this.run(teamId, userId, id, 'inbox', {}) : undefined,
      this.has('following') ? this.run(teamId, userId, id, 'following', {}) : undefined,
      this.deps.policy.get(teamId),
      this.deps.policy.isAdmin(teamId, userId),
    ]);
    const view = homeView({
      bookmarks,
      canExport: bookmarks.kind === 'papers',
      policy,
      isAdmin,
      ...(inbox ? { inbox } : {}),
      ...(following ? { following, canUnfollow: this.has('unfollow') } : {}),
      ...(extra.notice ? { notice: extra.notice } : {}),
    });
    await this.deps.call(teamId, 'views.publish', { user_id: userId, view });
  }
}
