/**
 * The App Home tab: the user's bookmarks (the core `bookmarks` list, with Remove buttons
 * and paging), buttons that send the export files by direct message, and the workspace's
 * subscribe policy (changeable by admins and owners). Pure, like render.ts.
 */
import type { Reply } from '../../core/reply.js';
import type { SubscribePolicy } from './policy.js';
import { type Block, fitMrkdwn, LIMITS, renderReply } from './render.js';

export const HOME_ACTION_PREFIX = 'home:';
export const HOME_ACTIONS = {
  exportBibtex: 'home:export:bibtex',
  exportMarkdown: 'home:export:markdown',
  policyEveryone: 'home:policy:everyone',
  policyAdmins: 'home:policy:admins',
} as const;

export interface HomeViewInput {
  /** What `/papers bookmarks` answers this user: a list (with pager) or a short text. */
  bookmarks: Reply;
  /** True when the user has anything to export. */
  canExport: boolean;
  policy: SubscribePolicy;
  /** Workspace admin or owner: may change the policy. */
  isAdmin: boolean;
  /** A one-line note at the top (e.g. "Sent bookmarks.bib to you in a direct message."). */
  notice?: string;
}

export interface HomeView {
  type: 'home';
  blocks: Block[];
}

export const POLICY_LABEL: Record<SubscribePolicy, string> = {
  everyone: 'Everyone in the channel',
  admins: 'Workspace admins, owners and whoever installed the app',
};

export function homeView(input: HomeViewInput): HomeView {
  const top: Block[] = [];
  if (input.notice) top.push({ type: 'context', elements: [{ type: 'mrkdwn', text: fitMrkdwn(input.notice, 1000), verbatim: true }] });

  const exportBlocks: Block[] = input.canExport
    ? [
        {
          type: 'actions',
          elements: [
            { type: 'button', text: { type: 'plain_text', text: '⬇️ Export BibTeX', emoji: true }, action_id: HOME_ACTIONS.exportBibtex },
            { type: 'button', text: { type: 'plain_text', text: '⬇️ Export Markdown', emoji: true }, action_id: HOME_ACTIONS.exportMarkdown },
          ],
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Exports arrive as a file in your direct messages with this app.', verbatim: true }] },
      ]
    : [];

  const policyBlocks: Block[] = [
    { type: 'divider' },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `*Who may subscribe channels to the daily digest:* ${POLICY_LABEL[input.policy]}`, verbatim: true },
    },
  ];
  if (input.isAdmin) {
    policyBlocks.push({
      type: 'actions',
      elements: (['everyone', 'admins'] as const).map((p) => ({
        type: 'button' as const,
        text: { type: 'plain_text' as const, text: p === 'everyone' ? 'Allow everyone' : 'Admins, owners, installer', emoji: true as const },
        action_id: p === 'everyone' ? HOME_ACTIONS.policyEveryone : HOME_ACTIONS.policyAdmins,
        ...(p === input.policy ? { style: 'primary' as const } : {}),
      })),
    });
  } else {
    policyBlocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Workspace admins, owners and the installer can change this here.', verbatim: true }] });
  }

  const fixed = top.length + exportBlocks.length + policyBlocks.length;
  const list = renderReply(input.bookmarks, { surface: 'home' }).blocks.slice(0, LIMITS.viewBlocks - fixed);
  return { type: 'home', blocks: [...top, ...list, ...exportBlocks, ...policyBlocks] };
}
