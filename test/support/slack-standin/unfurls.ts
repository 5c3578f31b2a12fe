/**
 * App unfurling in the Slack stand-in: links posted by someone (or typed in the composer)
 * become `link_shared` events for the app's unfurl domains, and `chat.unfurl` is checked
 * the way Slack checks it: a target that names one of those events (`channel` + `ts`, or
 * `unfurl_id` + `source`), `unfurls` keyed by exactly the URLs that event carried, each
 * with Block Kit blocks Slack would accept. Unfurling the same target again replaces
 * what it showed, as on Slack.
 */
import { randomUUID } from 'node:crypto';
import { MESSAGE_LIMITS, validateBlocks } from './block-kit.js';

export const DEFAULT_UNFURL_DOMAINS = ['arxiv.org', 'huggingface.co'];

export interface SharedLinks {
  teamId: string;
  channel: string;
  messageTs: string;
  unfurlId: string;
  source: 'conversations_history' | 'composer';
  urls: string[];
}

export interface StandinUnfurl {
  teamId: string;
  /** The shared event it unfurled. */
  shared: SharedLinks;
  url: string;
  blocks: unknown[];
}

export interface ShareInput {
  teamId: string;
  channel?: string;
  user?: string;
  /** Every URL in the message; only those on the unfurl domains reach the app. */
  urls: string[];
  /** 'composer': still being typed (no message ts yet). Default: posted. */
  source?: 'conversations_history' | 'composer';
}

let seq = 0;

/** The registered domain a URL falls under (subdomains included), or null. */
function domainOf(url: string, domains: readonly string[]): string | null {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
  return domains.find((d) => host === d || host.endsWith(`.${d}`)) ?? null;
}

export class UnfurlBook {
  readonly shared: SharedLinks[] = [];
  /** Every unfurl that stands, latest first replacing an earlier one of the same target and URL. */
  readonly unfurls: StandinUnfurl[] = [];

  constructor(readonly domains: string[] = [...DEFAULT_UNFURL_DOMAINS]) {}

  /** A link_shared event for the links on the app's domains, or null when there is none (Slack sends nothing). */
  share(i: ShareInput): Record<string, unknown> | null {
    const links = i.urls.flatMap((url) => {
      const domain = domainOf(url, this.domains);
      return domain ? [{ domain, url }] : [];
    });
    if (!links.length) return null;
    const composer = i.source === 'composer';
    const user = i.user ?? 'U0ALICE';
    const channel = composer ? 'COMPOSER' : (i.channel ?? 'C0GENERAL');
    const messageTs = composer ? `${user}-${randomUUID()}` : `${Math.floor(Date.now() / 1000)}.${String(++seq).padStart(6, '0')}`;
    const unfurlId = composer ? `${user}-${randomUUID()}` : `${channel}.${messageTs}.${randomUUID().replace(/-/g, '')}`;
    const entry: SharedLinks = { teamId: i.teamId, channel, messageTs, unfurlId, source: composer ? 'composer' : 'conversations_history', urls: links.map((l) => l.url) };
    this.shared.push(entry);
    return { type: 'link_shared', channel, is_bot_user_member: true, user, message_ts: messageTs, unfurl_id: unfurlId, source: entry.source, links };
  }

  /** chat.unfurl: the Slack error code it answers, or null when it unfurled. */
  unfurl(teamId: string, a: Record<string, unknown>): { error: string; messages?: string[] } | null {
    const byTs = typeof a.channel === 'string' && typeof a.ts === 'string';
    const byId = typeof a.unfurl_id === 'string' && typeof a.source === 'string';
    if (!byTs && !byId) return { error: 'invalid_arguments', messages: ['[ERROR] channel and ts, or unfurl_id and source, are required'] };
    if (byId && a.source !== 'composer' && a.source !== 'conversations_history') return { error: 'invalid_source' };
    const shared = this.shared.find((s) => s.teamId === teamId && (byId ? s.unfurlId === a.unfurl_id && s.source === a.source : s.channel === a.channel && s.messageTs === a.ts));
    // A composer unfurl has no message: its ts is not one, and Slack only takes its unfurl id.
    if (!shared || (byTs && !byId && shared.source === 'composer')) return { error: 'cannot_find_message' };
    const unfurls = a.unfurls;
    if (unfurls === undefined) return { error: 'missing_unfurls' };
    if (typeof unfurls !== 'object' || unfurls === null || Array.isArray(unfurls) || !Object.keys(unfurls).length) return { error: 'invalid_unfurls_format' };
    const problems: string[] = [];
    for (const [url, u] of Object.entries(unfurls as Record<string, unknown>)) {
      if (!shared.urls.includes(url)) return { error: 'cannot_unfurl_url', messages: [`[ERROR] ${url} is not a link of that message`] };
      const blocks = (u as { blocks?: unknown } | null)?.blocks;
      if (!Array.isArray(blocks) || !blocks.length) return { error: 'invalid_unfurls_format', messages: [`[ERROR] ${url}: blocks are required`] };
      problems.push(...validateBlocks(blocks, MESSAGE_LIMITS).map((p) => `${url}: ${p}`));
    }
    if (problems.length) return { error: 'invalid_blocks', messages: problems };
    for (const [url, u] of Object.entries(unfurls as Record<string, { blocks: unknown[] }>)) {
      const at = this.unfurls.findIndex((x) => x.shared === shared && x.url === url);
      if (at >= 0) this.unfurls.splice(at, 1);
      this.unfurls.push({ teamId, shared, url, blocks: u.blocks });
    }
    return null;
  }
}
