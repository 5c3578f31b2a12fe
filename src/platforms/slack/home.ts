/**
 * The App Home tab: the user's inbox settings (the core `inbox` answer) with buttons to
 * turn it on or off, their followed topics (`following`) with an Unfollow button per
 * numbered topic, their bookmarks (the core `bookmarks` list, with Remove buttons and
 * paging), buttons that send the export files by direct message, and the workspace's
 * subscribe policy (changeable by admins and owners). Pure, like render.ts; what the
 * buttons do is app-home.ts.
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
  inboxOn: 'home:inbox:on',
  inboxOff: 'home:inbox:off',
  /** Followed by the topic's number in `/papers following`. */
  unfollowPrefix: 'home:unfollow:',
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
  /** What `/papers inbox` answers this user (settings, next delivery); no section when absent. */
  inbox?: Reply;
  /** What `/papers following` answers: topics as numbered lines ("1. speculative decoding …"). */
  following?: Reply;
  /** Offer an Unfollow button per numbered topic. */
  canUnfollow?: boolean;
}

export interface HomeView {
  type: 'home';
  blocks: Block[];
}

export const POLICY_LABEL: Record<SubscribePolicy, string> = {
  everyone: 'Everyone in the channel',
  admins: 'Workspace admins, owners and whoever installed the app',
};

/** Blocks of a core reply shown in a home section, at most `max` of them. */
function replyBlocks(reply: Reply, max: number): Block[] {
  return renderReply(reply, { surface: 'home' }).blocks.slice(0, max);
}

/** The numbers of the topics a `following` answer lists, one per line as "1. topic". */
export function numberedTopics(reply: Reply): number[] {
  if (reply.kind !== 'text') return [];
  const seen = new Set<number>();
  for (const line of reply.text.split('\n')) {
    const m = /^\s*(\d{1,2})[.)]\s+\S/.exec(line);
    if (m) seen.add(Number(m[1]));
  }
  return [...seen].filter((n) => n >= 1).sort((a, b) => a - b).slice(0, LIMITS.actionsElements);
}

const plainButton = (text: string, actionId: string, style?: 'primary' | 'danger') => ({
  type: 'button' as const,
  text: { type: 'plain_text' as const, text, emoji: true as const },
  action_id: actionId,
  ...(style ? { style } : {}),
});

function inboxSection(input: HomeViewInput): Block[] {
  const out: Block[] = [];
  if (input.inbox) {
    out.push({ type: 'header', text: { type: 'plain_text', text: '📬 Your inbox', emoji: true } });
    out.push(...replyBlocks(input.inbox, 6));
    out.push({ type: 'actions', elements: [plainButton('Turn inbox on', HOME_ACTIONS.inboxOn, 'primary'), plainButton('Turn inbox off', HOME_ACTIONS.inboxOff)] });
  }
  if (input.following) {
    out.push({ type: 'header', text: { type: 'plain_text', text: 'Followed topics', emoji: true } });
    out.push(...replyBlocks(input.following, 6));
    const numbers = input.canUnfollow ? numberedTopics(input.following) : [];
    if (numbers.length) out.push({ type: 'actions', elements: numbers.map((n) => plainButton(`Unfollow ${n}`, `${HOME_ACTIONS.unfollowPrefix}${n}`, 'danger')) });
  }
  if (out.length) out.push({ type: 'divider' });
  return out;
}

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

  const inbox = inboxSection(input);
  const fixed = top.length + inbox.length + exportBlocks.length + policyBlocks.length;
  const list = renderReply(input.bookmarks, { surface: 'home' }).blocks.slice(0, LIMITS.viewBlocks - fixed);
  return { type: 'home', blocks: [...top, ...inbox, ...list, ...exportBlocks, ...policyBlocks] };
}
