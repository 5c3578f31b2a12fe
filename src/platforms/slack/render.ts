/**
 * Core replies and digest messages as Block Kit. Pure: the same input always gives the
 * same blocks, so it is snapshot-tested.
 *
 * Two rules hold for every string that came from a paper or a user:
 *
 * - It is escaped (`&`, `<`, `>`) and put in a `mrkdwn` object with `verbatim: true`, so
 *   Slack neither reads `<!channel>` / `<@U…>` / `<http…|…>` control sequences in it nor
 *   auto-links `@here`, `#channel` or bare URLs. Only links we build ourselves are links.
 * - It is cut to fit Slack's limits (50 blocks in a message, 100 in a view, 3,000
 *   characters in a section, 150 in a header, 75 in a button) at a word boundary, never
 *   inside an escape or a link, so Slack never answers `invalid_blocks`.
 */
import { unsaveAction } from '../../core/actions.js';
import type { HelpReply, OutboundMessage, Pager, PaperDetailReply, PaperListReply, PaperView, Reply, ReplyButton, Tone } from '../../core/reply.js';
import { collapseWhitespace, truncateWords } from '../../core/text.js';
import { pictureOf } from '../../core/views.js';

/** Slack's documented limits (Block Kit reference), and the few of our own. */
export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  url: 3000,
  altText: 2000,
  /** Slack accepts 40,000 in `text` but truncates notifications far earlier. */
  fallbackText: 3000,
} as const;

export type Surface = 'message' | 'home';

export interface MrkdwnText {
  type: 'mrkdwn';
  text: string;
  verbatim: true;
}
export interface PlainText {
  type: 'plain_text';
  text: string;
  emoji: true;
}
export interface Button {
  type: 'button';
  text: PlainText;
  action_id: string;
  value?: string;
  url?: string;
  style?: 'primary' | 'danger';
}
/** A section's picture (Block Kit image element): Slack fetches it, and shows nothing when it 404s. */
export interface ImageElement {
  type: 'image';
  image_url: string;
  alt_text: string;
}
export type Block =
  | { type: 'header'; text: PlainText }
  | { type: 'section'; text: MrkdwnText; accessory?: Button | ImageElement }
  | { type: 'context'; elements: MrkdwnText[] }
  | { type: 'actions'; elements: Button[] }
  | { type: 'divider' };

/** A message body: `text` is the notification / screen-reader fallback of `blocks`. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** Message metadata (Slack "message metadata") carried by every digest message. */
export const METADATA_EVENT_TYPE = 'papers_bot_post';
export interface PostMetadata {
  event_type: typeof METADATA_EVENT_TYPE;
  /** `date`: the featured day of a digest message, or an alert's batch. */
  event_payload: { key: string; date: string; paper_id?: string };
}

export interface PostMessageArgs extends SlackMessage {
  channel: string;
  metadata?: PostMetadata;
  /** Slack parses nothing in `text` (no @names, no channel names) … */
  parse: 'none';
  link_names: false;
  /** … and previews no link: a digest with five arXiv previews would drown the channel. */
  unfurl_links: false;
  unfurl_media: false;
}

/** Action ids of link buttons: Slack sends an interaction for them too, which we only acknowledge. */
export const LINK_ACTION_PREFIX = 'link:';

// ─── Text ────────────────────────────────────────────────────────────────────────────

/** Slack's three control characters, as Slack asks them to be escaped. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escaped `raw`, shortened at a word boundary so the escaped form is at most `max` characters. */
export function fitMrkdwn(raw: string, max: number): string {
  let out = escapeMrkdwn(raw);
  let n = raw.length;
  while (out.length > max && n > 1) {
    n = Math.max(1, n - Math.max(1, out.length - max));
    out = escapeMrkdwn(truncateWords(raw, n));
  }
  return out.length > max ? '…' : out;
}

/**
 * Last guard for assembled mrkdwn (already escaped, may hold our links): cut to `max`
 * without leaving half an entity (`&am`) or half a link (`<https://…`).
 */
export function clipMrkdwn(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = s.slice(0, max - 1);
  cut = cut.replace(/&[a-z]*$/, '').replace(/<[^>]*$/, '');
  // Formatting opened and not closed would render its marker literally: drop a dangling `*` or `_`.
  return `${cut.replace(/[\s*_~`]+$/, '')}…`;
}

/**
 * Plain text is shown as typed, but a zero-width space after `<` in front of `!`, `@`,
 * `#` or a URL keeps it from ever reading as a control sequence, whatever Slack does
 * with the surface it lands on.
 */
function plain(raw: string, max: number): PlainText {
  const t = truncateWords(collapseWhitespace(raw).replace(/<(?=[!@#]|https?:|mailto:)/gi, '<\u200b'), max);
  return { type: 'plain_text', text: t || '…', emoji: true };
}

function mrkdwn(text: string, max: number = LIMITS.sectionText): MrkdwnText {
  return { type: 'mrkdwn', text: clipMrkdwn(text, max) || '…', verbatim: true };
}

/** http(s) URLs only, at most 3,000 characters, with `|` (our link separator) encoded; else null. */
export function safeUrl(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const href = url.href.replace(/\|/g, '%7C').replace(/</g, '%3C').replace(/>/g, '%3E');
  return href.length <= LIMITS.url ? href : null;
}

/** `<url|label>` with the label escaped; just the label when the URL is unusable. */
function link(url: string | null, label: string, max: number): string {
  const href = safeUrl(url);
  const text = fitMrkdwn(collapseWhitespace(label), max);
  return href ? `<${href}|${text}>` : text;
}

// ─── Blocks ──────────────────────────────────────────────────────────────────────────

const header = (raw: string): Block => ({ type: 'header', text: plain(raw, LIMITS.headerText) });
const section = (text: string, accessory?: Button | ImageElement): Block => (accessory ? { type: 'section', text: mrkdwn(text), accessory } : { type: 'section', text: mrkdwn(text) });
const context = (...texts: string[]): Block => ({ type: 'context', elements: texts.slice(0, LIMITS.contextElements).map((t) => mrkdwn(t)) });
const divider: Block = { type: 'divider' };

function button(label: string, actionId: string, extra: { value?: string; url?: string | null; style?: 'primary' | 'danger' } = {}): Button | null {
  if (actionId.length > LIMITS.actionId) return null;
  const b: Button = { type: 'button', text: plain(label, LIMITS.buttonText), action_id: actionId };
  if (extra.value !== undefined) b.value = extra.value.slice(0, LIMITS.buttonValue);
  if (extra.url !== undefined) {
    const href = safeUrl(extra.url);
    if (!href) return null;
    b.url = href;
  }
  if (extra.style) b.style = extra.style;
  return b;
}

/** The paper's HF thumbnail as a section accessory, when it has an http(s) one. */
function picture(p: PaperView): ImageElement | undefined {
  const url = safeUrl(pictureOf(p));
  return url ? { type: 'image', image_url: url, alt_text: plain(`Thumbnail: ${p.title}`, LIMITS.altText).text } : undefined;
}

function actions(buttons: (Button | null)[]): Block | null {
  const elements = buttons.filter((b): b is Button => b !== null).slice(0, LIMITS.actionsElements);
  return elements.length ? { type: 'actions', elements } : null;
}

const TONE_ICON: Record<Tone, string> = { info: '', success: '✅ ', warning: '⚠️ ', error: '❌ ' };

function stats(p: PaperView): string {
  const parts: string[] = [];
  if (p.upvotes !== null) parts.push(`▲ ${p.upvotes.toLocaleString('en-US')}`);
  if (p.comments) parts.push(`💬 ${p.comments.toLocaleString('en-US')}`);
  if (p.featuredDate) parts.push(`featured ${p.featuredDate}`);
  else if (p.publishedAt) parts.push(`arXiv ${p.publishedAt}`);
  if (p.githubStars) parts.push(`★ ${p.githubStars.toLocaleString('en-US')}`);
  if (p.organization) parts.push(fitMrkdwn(p.organization, 80));
  return parts.join(' · ');
}

function paperButtons(p: PaperView, surface: Surface, detail = false): (Button | null)[] {
  const own =
    surface === 'home'
      ? button('Remove', unsaveAction(p.id), { value: p.id, style: 'danger' })
      : button('🔖 Save', p.saveAction, { value: p.id, style: 'primary' });
  const links = [
    button('arXiv', `${LINK_ACTION_PREFIX}arxiv:${p.id}`, { url: p.links.arxiv }),
    button('PDF', `${LINK_ACTION_PREFIX}pdf:${p.id}`, { url: p.links.pdf }),
    p.links.code ? button('Code', `${LINK_ACTION_PREFIX}code:${p.id}`, { url: p.links.code }) : null,
  ];
  if (detail) {
    links.push(button('Hugging Face', `${LINK_ACTION_PREFIX}hf:${p.id}`, { url: p.links.hf }));
    if (p.links.project) links.push(button('Project page', `${LINK_ACTION_PREFIX}project:${p.id}`, { url: p.links.project }));
  }
  return [own, ...links];
}

/** One paper: linked title and TL;DR, a context line, then Save (or Remove) and link buttons. */
export function paperBlocks(p: PaperView, opts: { number?: number; surface?: Surface; topic?: string } = {}): Block[] {
  const surface = opts.surface ?? 'message';
  const num = opts.number !== undefined ? `${opts.number}. ` : '';
  const lines = [`*${num}${link(p.links.arxiv, p.title, 600)}*`];
  if (p.tldr) lines.push(fitMrkdwn(collapseWhitespace(p.tldr), 1600));
  if (p.snippet && p.snippet !== p.tldr) lines.push(`_“${fitMrkdwn(collapseWhitespace(p.snippet), 500)}”_`);
  const out: Block[] = [section(lines.join('\n'), picture(p)), context([fitMrkdwn(p.authorsLine, 1000), stats(p)].filter(Boolean).join(' · '))];
  if (opts.topic) out.push(context(matched(opts.topic)));
  const row = actions(paperButtons(p, surface));
  if (row) out.push(row);
  return out;
}

/**
 * Keeps `head` and `tail` and as many whole groups as fit in `max` blocks; when some are
 * left out, a context line says how many.
 */
export function fitGroups(head: Block[], groups: Block[][], tail: Block[], max: number, leftOut: (n: number) => string): Block[] {
  const body: Block[] = [];
  let i = 0;
  for (; i < groups.length; i++) {
    const g = groups[i]!;
    const remainingAfter = groups.length - i - 1;
    const room = max - head.length - tail.length - body.length - (remainingAfter > 0 ? 1 : 0);
    if (g.length > room) break;
    body.push(...g);
  }
  const note = i < groups.length ? [context(fitMrkdwn(leftOut(groups.length - i), 500))] : [];
  return [...head, ...body, ...note, ...tail].slice(0, max);
}

function pagerBlocks(pager: Pager | undefined): Block[] {
  if (!pager || pager.pageCount <= 1) return [];
  const out: Block[] = [context(`Page ${pager.page} of ${pager.pageCount} · ${pager.total.toLocaleString('en-US')} in all`)];
  const row = actions([
    pager.prevAction ? button('◀ Previous', pager.prevAction) : null,
    pager.nextAction ? button('Next ▶', pager.nextAction) : null,
  ]);
  if (row) out.push(row);
  return out;
}

/**
 * The top-level `text` (notifications, screen readers) is not a verbatim text object, so
 * a bare `@here` / `@channel` / `@everyone` in it gets a zero-width space after the `@`:
 * it reads the same and can never be parsed as a mention.
 */
function fallback(raw: string): string {
  const defused = collapseWhitespace(raw).replace(/@(channel|here|everyone)\b/gi, '@\u200b$1');
  return fitMrkdwn(defused, LIMITS.fallbackText) || '…';
}

/** "matched: <topic>", the followed topic an inbox paper was picked for. */
function matched(topic: string): string {
  return `_matched: ${fitMrkdwn(collapseWhitespace(topic), 400)}_`;
}

/** A reply's own buttons (a confirmation); Slack has no "secondary" style, that is the default look. */
function replyButtons(buttons: readonly ReplyButton[]): Block | null {
  return actions(buttons.map((b) => button(b.label, b.actionId, b.style === 'secondary' ? {} : { style: b.style === 'danger' ? 'danger' : 'primary' })));
}

/**
 * An instant alert: a header, then per paper its linked title and one line with a Save
 * button beside it, and a context line (upvotes, links, the topic it matched). As many
 * papers as fit in 50 blocks; the rest are counted.
 */
function renderAlert(msg: Extract<OutboundMessage, { kind: 'alert' }>): SlackMessage {
  const groups = msg.items.map(({ paper: p, topic }, i) => {
    const lines = [`*${i + 1}. ${link(p.links.hf ?? p.links.arxiv, p.title, 600)}*`];
    if (p.tldr) lines.push(fitMrkdwn(truncateWords(collapseWhitespace(p.tldr), 280), 1200));
    const save = button('🔖 Save', p.saveAction, { value: p.id, style: 'primary' });
    const links = [p.links.arxiv ? link(p.links.arxiv, 'arXiv', 20) : '', p.links.pdf ? link(p.links.pdf, 'PDF', 20) : '', p.links.code ? link(p.links.code, 'Code', 20) : ''].filter(Boolean);
    const meta = [p.upvotes !== null ? `▲ ${p.upvotes.toLocaleString('en-US')}` : '', ...links, matched(topic)].filter(Boolean).join(' · ');
    return [section(lines.join('\n'), save ?? undefined), context(meta)];
  });
  const blocks = fitGroups([header(msg.title)], groups, [], LIMITS.messageBlocks, (n) => `…and ${n} more: \`/papers following\` shows your topics, \`/papers search\` finds the rest.`);
  const titles = msg.items.map((it, i) => `${i + 1}. ${it.paper.title}`).join('; ');
  return { text: fallback(`${msg.title}: ${titles}`), blocks };
}

// ─── Replies ─────────────────────────────────────────────────────────────────────────

function renderList(reply: PaperListReply, surface: Surface): SlackMessage {
  const max = surface === 'home' ? LIMITS.viewBlocks : LIMITS.messageBlocks;
  const head: Block[] = [header(reply.heading)];
  if (reply.subheading) head.push(context(fitMrkdwn(reply.subheading, 1000)));
  if (reply.notice) head.push(context(`ℹ️ ${fitMrkdwn(reply.notice, 1000)}`));
  const groups = reply.papers.map((p, i) => [...(i > 0 ? [divider] : []), ...paperBlocks(p, { ...(p.rank !== undefined ? { number: p.rank } : {}), surface })]);
  const blocks = fitGroups(head, groups, pagerBlocks(reply.pager), max, (n) => `…and ${n} more not shown here.`);
  const titles = reply.papers.map((p) => `${p.rank ?? '•'}. ${p.title}`).join('; ');
  return { text: fallback(`${reply.heading}: ${titles}`), blocks };
}

function renderDetail(reply: PaperDetailReply, surface: Surface): SlackMessage {
  const p = reply.paper;
  const blocks: Block[] = [
    section([`*${link(p.links.arxiv, p.title, 600)}*`, fitMrkdwn(collapseWhitespace(p.tldr), 1600)].filter(Boolean).join('\n'), picture(p)),
    context([fitMrkdwn(p.authorsLine, 1000), stats(p)].filter(Boolean).join(' · ')),
  ];
  if (reply.abstract) blocks.push(section(fitMrkdwn(collapseWhitespace(reply.abstract), LIMITS.sectionText)));
  if (p.keywords.length) blocks.push(context(`Keywords: ${fitMrkdwn(p.keywords.join(', '), 1000)}`));
  const row = actions(paperButtons(p, surface, true));
  if (row) blocks.push(row);
  return { text: fallback(`${p.title} — ${p.tldr}`), blocks };
}

/** Help lines grouped into as few sections as fit 3,000 characters each. */
function renderHelp(reply: HelpReply, surface: Surface): SlackMessage {
  const max = surface === 'home' ? LIMITS.viewBlocks : LIMITS.messageBlocks;
  const chunks: string[] = [];
  let current = '';
  for (const c of reply.commands) {
    const line = `\`${fitMrkdwn(c.usage, 400)}\` — ${fitMrkdwn(c.description, 400)}`;
    if (current && current.length + 1 + line.length > LIMITS.sectionText) {
      chunks.push(current);
      current = line;
    } else current = current ? `${current}\n${line}` : line;
  }
  if (current) chunks.push(current);
  const head = [section(fitMrkdwn(reply.intro, LIMITS.sectionText))];
  const tail = reply.footer ? [context(fitMrkdwn(reply.footer, 2000))] : [];
  const blocks = fitGroups(head, chunks.map((c) => [section(c)]), tail, max, (n) => `…and ${n} more sections; try /papers help <command>.`);
  return { text: fallback(reply.intro), blocks };
}

/** Any reply as a message body (or the blocks of an App Home section when `surface` is 'home'). */
export function renderReply(reply: Reply, opts: { surface?: Surface } = {}): SlackMessage {
  const surface = opts.surface ?? 'message';
  switch (reply.kind) {
    case 'text': {
      const blocks = [section(TONE_ICON[reply.tone] + fitMrkdwn(reply.text, 2900))];
      const row = replyButtons(reply.buttons ?? []);
      if (row) blocks.push(row);
      return { text: fallback(TONE_ICON[reply.tone] + reply.text), blocks };
    }
    case 'papers':
      return renderList(reply, surface);
    case 'paper':
      return renderDetail(reply, surface);
    case 'help':
      return renderHelp(reply, surface);
    case 'file':
      // The file itself goes out separately (see SlackPlatform); this is what is said with it.
      return { text: fallback(reply.text), blocks: [section(`📎 ${fitMrkdwn(reply.text, 2900)}`)] };
  }
}

/** A digest message as a body; see `postArgs` for the whole chat.postMessage call. */
export function renderOutbound(msg: OutboundMessage): SlackMessage {
  switch (msg.kind) {
    case 'digestHeader': {
      // The opted-in user group, and only it: Slack pings a group only through <!subteam^ID>.
      const group = msg.ping?.kind === 'usergroup' && /^S[A-Z0-9]{1,30}$/.test(msg.ping.id) ? `<!subteam^${msg.ping.id}>` : null;
      const blocks: Block[] = [...(group ? [section(group)] : []), header(msg.title)];
      if (msg.themesLine) blocks.push(section(fitMrkdwn(msg.themesLine, LIMITS.sectionText)));
      blocks.push(context(`${msg.count} paper${msg.count === 1 ? '' : 's'} ${msg.threads ? 'in the thread' : 'below'} · react with 🔖 to save one to your bookmarks · \`/papers bookmarks\` lists them`));
      return { text: `${group ? `${group} ` : ''}${fallback(`${msg.title}. ${msg.themesLine}`)}`, blocks };
    }
    case 'digestPaper':
      return { text: fallback(`${msg.position}/${msg.of} ${msg.paper.title} — ${msg.paper.tldr}`), blocks: paperBlocks(msg.paper, { number: msg.position, ...(msg.topic ? { topic: msg.topic } : {}) }) };
    case 'alert':
      return renderAlert(msg);
    case 'notice':
      return { text: fallback(msg.text), blocks: [section(fitMrkdwn(msg.text, LIMITS.sectionText))] };
  }
}

/**
 * Everything chat.postMessage needs for a digest message. The idempotency key and the
 * paper id travel in message metadata, so `findPosted` can recognise the message later.
 */
export function postArgs(channelId: string, msg: OutboundMessage, idempotencyKey?: string): PostMessageArgs {
  const args: PostMessageArgs = { channel: channelId, ...renderOutbound(msg), parse: 'none', link_names: false, unfurl_links: false, unfurl_media: false };
  if (idempotencyKey && msg.kind !== 'notice') {
    const payload: PostMetadata['event_payload'] = { key: idempotencyKey, date: msg.kind === 'alert' ? msg.batch : msg.date };
    if (msg.kind === 'digestPaper') payload.paper_id = msg.paper.id;
    args.metadata = { event_type: METADATA_EVENT_TYPE, event_payload: payload };
  }
  return args;
}

/** chat.update of a posted digest message (live counts): the same blocks and metadata as posted; chat.update has no unfurl options. */
export function updateArgs(channelId: string, ts: string, msg: OutboundMessage, idempotencyKey?: string): Record<string, unknown> {
  const { unfurl_links: _links, unfurl_media: _media, ...args } = postArgs(channelId, msg, idempotencyKey);
  return { ...args, ts };
}
