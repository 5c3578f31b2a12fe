/**
 * Link cards on Slack: a link to arxiv.org or huggingface.co posted by anyone (the app's
 * `unfurl_domains`, scope links:read) arrives as a `link_shared` event; the papers the
 * bot knows are unfurled with their paper card (chat.unfurl, scope links:write), the
 * others are left to Slack's own preview.
 *
 * - The same unfurl (its `unfurl_id`, else channel + message ts) is handled once, in
 *   every process sharing the SeenStore: Slack's retries and replays carry a new
 *   envelope now and then, and a second chat.unfurl would only redo the first.
 * - A link typed in the composer (`source: composer`, no real message ts yet) is unfurled
 *   by `unfurl_id` + `source`, as Slack asks; a posted one the same way when Slack gives
 *   them, by `channel` + `ts` otherwise.
 * - Two links to one paper (its abs page and its PDF) unfurl once, on the first.
 * - The card is the digest's paper card (render.ts `paperBlocks`): escaped, within Block
 *   Kit's limits, its 🔖 Save button bookmarking for whoever presses it.
 */
import type { LinkCardsRequest } from '../../core/linked-papers.js';
import { LINK_CARDS_MAX, paperIdInUrl } from '../../core/linked-papers.js';
import type { Logger, PlatformHandlers } from '../../core/ports.js';
import type { Reply } from '../../core/reply.js';
import type { SlackDeliveries } from './dedupe.js';
import { paperBlocks, type Block } from './render.js';

/** The fields of a link_shared event we read (@slack/types LinkSharedEvent). */
export interface LinkSharedBody {
  type: 'link_shared';
  channel: string;
  user: string;
  message_ts: string;
  unfurl_id?: string;
  source?: string;
  links: { domain?: string; url: string }[];
}

export interface ChatUnfurlArgs {
  channel?: string;
  ts?: string;
  unfurl_id?: string;
  source?: string;
  unfurls: Record<string, { blocks: Block[] }>;
}

/** Links read from one event: Slack sends a handful; a forged flood is cut here. */
const MAX_LINKS = 50;

/** The identity of one unfurl for the dedupe memory. */
export function unfurlKey(teamId: string, ev: Pick<LinkSharedBody, 'unfurl_id' | 'channel' | 'message_ts'>): string {
  return `${teamId}:unfurl:${ev.unfurl_id ?? `${ev.channel}:${ev.message_ts}`}`;
}

function linksOf(ev: LinkSharedBody): { url: string }[] {
  return (Array.isArray(ev.links) ? ev.links : []).filter((l) => typeof l?.url === 'string').slice(0, MAX_LINKS);
}

export function toLinkCardsRequest(teamId: string, ev: LinkSharedBody): LinkCardsRequest {
  return {
    platform: 'slack',
    workspaceId: teamId,
    channelId: ev.channel,
    id: ev.unfurl_id ?? ev.message_ts,
    userId: ev.user,
    text: linksOf(ev)
      .map((l) => l.url)
      .join('\n'),
    public: true,
    via: 'unfurl',
    permissions: { manageChannel: false, workspaceAdmin: false },
  };
}

/** chat.unfurl's arguments for the papers the reply shows, or null when there is nothing to unfurl. */
export function unfurlArgs(ev: LinkSharedBody, reply: Reply): ChatUnfurlArgs | null {
  if (reply.kind !== 'papers') return null;
  const views = new Map(reply.papers.map((p) => [p.id, p]));
  const unfurls: ChatUnfurlArgs['unfurls'] = {};
  const done = new Set<string>();
  for (const link of linksOf(ev)) {
    const id = paperIdInUrl(link.url);
    const view = id ? views.get(id) : undefined;
    if (!view || done.has(view.id) || done.size >= LINK_CARDS_MAX) continue;
    done.add(view.id);
    unfurls[link.url] = { blocks: paperBlocks(view) };
  }
  if (!done.size) return null;
  const target = ev.unfurl_id && ev.source ? { unfurl_id: ev.unfurl_id, source: ev.source } : { channel: ev.channel, ts: ev.message_ts };
  return { ...target, unfurls };
}

export interface UnfurlDeps {
  handlers: () => PlatformHandlers | undefined;
  seen: SlackDeliveries;
  call: (teamId: string, method: string, args: Record<string, unknown>) => Promise<unknown>;
  log: Logger;
}

/** Handles one link_shared event: cards for the known papers, nothing for the rest. Never throws. */
export async function onLinkShared(deps: UnfurlDeps, teamId: string, ev: LinkSharedBody): Promise<void> {
  const linkCards = deps.handlers()?.linkCards;
  // Nothing to unfurl into: no links, or neither an unfurl id nor a message to name.
  if (!linkCards || !linksOf(ev).length || !(ev.unfurl_id || (ev.channel && ev.message_ts))) return;
  const log = deps.log.child({ team: teamId, channel: ev.channel, unfurl: (ev.unfurl_id ?? ev.message_ts ?? '').slice(0, 80) });
  try {
    if (!(await deps.seen.firstTime(unfurlKey(teamId, ev)))) {
      log.info({}, 'Slack unfurl handled before: not unfurled again');
      return;
    }
    const args = unfurlArgs(ev, await linkCards(toLinkCardsRequest(teamId, ev)));
    if (!args) {
      log.debug({ links: linksOf(ev).length }, 'no known paper in the shared links: left to Slack');
      return;
    }
    await deps.call(teamId, 'chat.unfurl', { ...args });
    log.info({ papers: Object.keys(args.unfurls).length }, 'unfurled paper links');
  } catch (err) {
    log.warn({ err }, 'could not unfurl paper links');
  }
}
