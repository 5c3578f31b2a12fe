/**
 * Link cards: the papers a chat message links to, and the cards the bot answers with.
 *
 * A link counts when it is an https (or http) URL on arxiv.org (`/abs/…`, `/pdf/…`,
 * `/html/…`) or huggingface.co / hf.co (`/papers/…`), or an explicit `arXiv:<id>`. The
 * host is compared whole, after URL parsing, so `arxiv.org.evil.example`, `evilarxiv.org`
 * and `https://arxiv.org@evil.example/abs/…` are not arXiv. Versions are dropped (the
 * bot keys papers by the id alone), repeats kept once, in the order they appear, and at
 * most LINK_CARDS_MAX are taken: a message pasted full of links answers with ten cards,
 * not a wall.
 *
 * Slack unfurls (link_shared) and Discord's "Paper cards" message command both end in
 * `linkCardsReply`: the papers the bot knows as a list, the rest named in a notice;
 * nothing known is a short text ("I don't know that paper"), which Slack does not show.
 */
import { parseArxivId } from './arxiv-id.js';
import type { PaperId } from './paper.js';
import type { ChannelRef, InvokerPermissions, Store } from './ports.js';
import { text, type Reply } from './reply.js';
import { toPaperView } from './views.js';

/** Papers one message may answer with. */
export const LINK_CARDS_MAX = 10;
/** Text read from one message: Slack's 40,000 and Discord's 2,000 + embeds fit well inside. */
const MAX_SCAN = 50_000;
const MAX_URL = 2_000;

const ARXIV_HOSTS = new Set(['arxiv.org', 'www.arxiv.org', 'export.arxiv.org']);
const HF_HOSTS = new Set(['huggingface.co', 'www.huggingface.co', 'hf.co']);

/** A paper link asked about: who asked, where, and the text the links are in. */
export interface LinkCardsRequest extends ChannelRef {
  /** Interaction or event id, for logs. */
  id: string;
  userId: string;
  /** Everything the message shows that can hold a link (content, embed URLs, Slack's link list). */
  text: string;
  /** A card everyone in the channel sees (Discord "Paper cards (public)", Slack unfurls). */
  public: boolean;
  /** 'command': someone asked (a throttled command); 'unfurl': a link posted by anyone. */
  via: 'command' | 'unfurl';
  permissions: InvokerPermissions;
}

/** The paper one URL points to, or null (another site, another page, no id). */
export function paperIdInUrl(raw: string): PaperId | null {
  if (raw.length > MAX_URL) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password || url.port) return null;
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  let rest: string | undefined;
  if (ARXIV_HOSTS.has(host)) rest = /^\/(?:abs|pdf|html)\/(.+)$/.exec(path)?.[1];
  else if (HF_HOSTS.has(host)) rest = /^\/papers\/(.+)$/.exec(path)?.[1];
  if (!rest) return null;
  const id = rest.replace(/\/+$/, '').replace(/\.pdf$/i, '');
  // A bare id, old or new style, with its version: nothing else may follow it.
  return /^[\w.\-/]{1,60}$/.test(id) ? parseArxivId(id) : null;
}

/** URL-ish runs: stop at whitespace, Slack's `<url|label>` marks, quotes and brackets. */
const URL_RUN = /https?:\/\/[^\s<>|"'`()[\]{}]+/gi;
const ARXIV_PREFIX = /\barxiv:\s?((?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?)\b/gi;

/** The papers `text` links to, once each, in order, at most `max`. */
export function papersLinkedIn(text: string, max = LINK_CARDS_MAX): PaperId[] {
  const scan = text.slice(0, MAX_SCAN);
  const found: { at: number; id: PaperId }[] = [];
  for (const m of scan.matchAll(URL_RUN)) {
    // Sentence punctuation after a pasted link is not part of it.
    const id = paperIdInUrl(m[0].replace(/[.,;:!?*_~]+$/, ''));
    if (id) found.push({ at: m.index, id });
  }
  for (const m of scan.matchAll(ARXIV_PREFIX)) {
    const id = parseArxivId(m[1]!);
    if (id) found.push({ at: m.index, id });
  }
  const out: PaperId[] = [];
  for (const { id } of found.sort((a, b) => a.at - b.at)) {
    if (out.includes(id)) continue;
    out.push(id);
    if (out.length >= max) break;
  }
  return out;
}

/** `2405.15738`, `2405.15738 and 2406.00001`, `2405.15738, 2406.00001 and 3 more`. */
function nameIds(ids: readonly string[]): string {
  if (ids.length <= 3) return ids.length === 1 ? ids[0]! : `${ids.slice(0, -1).join(', ')} and ${ids.at(-1)!}`;
  return `${ids.slice(0, 2).join(', ')} and ${ids.length - 2} more`;
}

/**
 * The cards for the papers `text` links to: a paper list of the ones in the store (the
 * rest named in its notice), or a short text when there is none or none is known.
 */
export async function linkCardsReply(store: Store, req: Pick<LinkCardsRequest, 'text' | 'public'>): Promise<Reply> {
  const ids = papersLinkedIn(req.text);
  if (!ids.length) return text('I found no arXiv or Hugging Face paper link in that message.', 'info');
  const byId = new Map((await store.getPapers(ids)).map((p) => [p.id, p]));
  const known = ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  const unknown = ids.filter((id) => !byId.has(id));
  if (!known.length) {
    return text(
      ids.length === 1
        ? `I don't know that paper (${ids[0]}): it has not been on Hugging Face Daily Papers since I started keeping track.`
        : `I don't know any of those papers (${nameIds(ids)}): none has been on Hugging Face Daily Papers since I started keeping track.`,
      'info',
    );
  }
  return {
    kind: 'papers',
    heading: known.length === 1 ? 'The paper linked in that message' : `The ${known.length} papers linked in that message`,
    papers: known.map((p) => toPaperView(p)),
    ...(unknown.length ? { notice: `I don't know ${nameIds(unknown)}.` } : {}),
    ephemeral: !req.public,
  };
}
