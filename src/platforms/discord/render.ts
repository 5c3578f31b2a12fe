/**
 * Core replies and digest messages as Discord payloads. Pure: the same input always gives
 * the same JSON, so it is snapshot-tested, and nothing here touches the network.
 *
 * - Every string from a paper or a user is markdown-escaped and mention syntax is broken
 *   (limits.ts); every payload carries `allowed_mentions: { parse: [] }`, so nothing can
 *   ping anyone whatever slips through.
 * - Every payload is within Discord's limits by construction and then by a final fit
 *   (fitEmbeds), so Discord never answers 400 because a title or a query was long.
 * - Buttons carry their whole state in their custom_id (core/actions.ts), so they still
 *   work after a restart.
 */
import {
  ButtonStyle,
  ComponentType,
  MessageFlags,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type APIEmbedField,
  type APIApplicationCommandOptionChoice,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  type InteractionUpdateOptions,
  type RESTPostAPIChannelMessageJSONBody,
} from 'discord.js';
import { unsaveAction } from '../../core/actions.js';
import { pictureOf } from '../../core/views.js';
import type { OutboundMessage, PaperView, Pager, Reply, ReplyButton, Tone } from '../../core/reply.js';
import { cut, escapeFit, fitEmbeds, LIMITS, safeUrl } from './limits.js';
import { stampKey } from './message-key.js';

export interface DiscordFile {
  name: string;
  contentType: string;
  content: string;
}

type ButtonRow = APIActionRowComponent<APIButtonComponent>;

/** A message before it is sent: what every renderer returns, whichever endpoint sends it. */
export interface DiscordPayload {
  content: string;
  embeds: APIEmbed[];
  components: ButtonRow[];
  /**
   * Nothing parsed: no title, abstract or query may ping anyone. Only a digest header with
   * an opted-in ping (settings --ping) names exactly that one role.
   */
  allowed_mentions: { parse: []; roles?: string[] };
  /** Only the invoking user sees it (interaction replies only). */
  ephemeral: boolean;
  files: DiscordFile[];
}

export const COLORS = {
  paper: 0xffd21e, // Hugging Face yellow
  info: 0x5865f2,
  success: 0x57f287,
  warning: 0xfee75c,
  error: 0xed4245,
} as const satisfies Record<Tone | 'paper', number>;

const TONE_ICON: Record<Tone, string> = { info: '', success: '✅ ', warning: '⚠️ ', error: '❌ ' };

/** Custom ids of buttons that only show state; pressing them (they are disabled) does nothing. */
export const NOOP_PREFIX = 'noop:';

// ─── Building blocks ─────────────────────────────────────────────────────────────────

function payload(p: Partial<DiscordPayload> & { ephemeral: boolean }): DiscordPayload {
  const components = (p.components ?? [])
    .filter((r) => r.components.length > 0)
    .slice(0, LIMITS.actionRows)
    .map((r) => ({ ...r, components: r.components.slice(0, LIMITS.buttonsPerRow) }));
  return {
    content: cut(p.content ?? '', LIMITS.content),
    embeds: fitEmbeds(p.embeds ?? []),
    components,
    allowed_mentions: p.allowed_mentions?.roles?.length ? { parse: [], roles: [...p.allowed_mentions.roles] } : { parse: [] },
    ephemeral: p.ephemeral,
    files: p.files ?? [],
  };
}

function row(buttons: APIButtonComponent[]): ButtonRow {
  return { type: ComponentType.ActionRow, components: buttons };
}

function linkButton(label: string, url: string | null): APIButtonComponent[] {
  const safe = safeUrl(url);
  return safe ? [{ type: ComponentType.Button, style: ButtonStyle.Link, label: cut(label, LIMITS.buttonLabel), url: safe }] : [];
}

function actionButton(label: string, customId: string, opts: { emoji?: string; disabled?: boolean; style?: ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Danger } = {}): APIButtonComponent {
  return {
    type: ComponentType.Button,
    style: opts.style ?? ButtonStyle.Secondary,
    label: cut(label, LIMITS.buttonLabel),
    custom_id: customId.slice(0, LIMITS.customId),
    ...(opts.emoji ? { emoji: { name: opts.emoji } } : {}),
    ...(opts.disabled ? { disabled: true } : {}),
  };
}

/** `[label](url)` for embed text; parentheses encoded so a URL cannot end the link early. */
function mdLink(label: string, url: string | null): string | null {
  const safe = safeUrl(url);
  return safe ? `[${label}](${safe.replace(/\(/g, '%28').replace(/\)/g, '%29')})` : null;
}

function statFields(p: PaperView, comments = false): APIEmbedField[] {
  const fields: APIEmbedField[] = [{ name: 'Authors', value: escapeFit(p.authorsLine || 'Unknown', LIMITS.fieldValue), inline: true }];
  // A digest paper shows its comments beside the upvotes: both are kept current (core/live-messages.ts).
  if (p.upvotes !== null) fields.push({ name: 'Upvotes', value: comments && p.comments ? `▲ ${p.upvotes} · 💬 ${p.comments}` : `▲ ${p.upvotes}`, inline: true });
  if (p.featuredDate) fields.push({ name: 'Featured', value: p.featuredDate, inline: true });
  else if (p.publishedAt) fields.push({ name: 'arXiv', value: p.publishedAt, inline: true });
  return fields;
}

/** One paper in a list or a digest: title linked to its HF page, TL;DR, authors, upvotes, day, links. */
export function paperEmbed(p: PaperView, opts: { number?: number; footer?: string; linksField?: boolean; comments?: boolean } = {}): APIEmbed {
  const prefix = opts.number !== undefined ? `${opts.number}. ` : '';
  const lines = [escapeFit(p.tldr, 700)];
  if (p.snippet && p.snippet !== p.tldr) lines.push(`> ${escapeFit(p.snippet.replace(/\s+/g, ' '), 300)}`);
  const fields = statFields(p, opts.comments);
  if (opts.linksField !== false) {
    const links = [mdLink('arXiv', p.links.arxiv), mdLink('PDF', p.links.pdf), mdLink('Code', p.links.code)].filter(Boolean);
    fields.push({ name: 'Links', value: [p.id, ...links].join(' · ') });
  }
  const embed: APIEmbed = {
    title: prefix + escapeFit(p.title, LIMITS.embedTitle - prefix.length),
    description: lines.join('\n'),
    color: COLORS.paper,
    fields,
  };
  const url = safeUrl(p.links.hf);
  if (url) embed.url = url;
  // The HF thumbnail, small on the card's right; none (or not http(s)) → the card as before.
  // Discord fetches it through its media proxy and shows nothing when it 404s.
  const picture = safeUrl(pictureOf(p));
  if (picture) embed.thumbnail = { url: picture };
  if (opts.footer) embed.footer = { text: opts.footer };
  return embed;
}

/** arXiv, PDF, code and project links, then "🔖 Save": one row, at most five buttons. */
function paperButtons(p: PaperView): ButtonRow {
  return row([
    ...linkButton('arXiv', p.links.arxiv),
    ...linkButton('PDF', p.links.pdf),
    ...linkButton('Code', p.links.code),
    ...linkButton('Project page', p.links.project),
  ].slice(0, LIMITS.buttonsPerRow - 1).concat(actionButton('Save', p.saveAction, { emoji: '🔖' })));
}

function pagerRow(pager: Pager): ButtonRow | null {
  if (pager.pageCount <= 1) return null;
  return row([
    actionButton('Prev', pager.prevAction ?? `${NOOP_PREFIX}prev`, { emoji: '◀️', disabled: !pager.prevAction }),
    actionButton(`Page ${pager.page} of ${pager.pageCount}`, `${NOOP_PREFIX}page`, { disabled: true }),
    actionButton('Next', pager.nextAction ?? `${NOOP_PREFIX}next`, { emoji: '▶️', disabled: !pager.nextAction, style: ButtonStyle.Primary }),
  ]);
}

/** Text as `inline code`: shown verbatim, so only backticks need replacing. */
function codeSpan(s: string, max: number): string {
  return `\`${cut(s.replace(/`/g, "'").replace(/\s+/g, ' '), max - 2)}\``;
}

/** A file name Discord shows as-is: no path, no odd characters. */
function fileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? 'file.txt';
  return base.replace(/[^\w.-]+/g, '_').slice(-80) || 'file.txt';
}

const BUTTON_STYLE = { primary: ButtonStyle.Primary, secondary: ButtonStyle.Secondary, danger: ButtonStyle.Danger } as const;

/** A reply's own buttons (a confirmation): rows of five, ids longer than Discord takes left out. */
function replyButtonRows(buttons: readonly ReplyButton[]): ButtonRow[] {
  const usable = buttons.filter((b) => b.actionId.length > 0 && b.actionId.length <= LIMITS.customId).map((b) => actionButton(b.label, b.actionId, { style: BUTTON_STYLE[b.style] }));
  const rows: ButtonRow[] = [];
  for (let i = 0; i < usable.length && rows.length < LIMITS.actionRows; i += LIMITS.buttonsPerRow) rows.push(row(usable.slice(i, i + LIMITS.buttonsPerRow)));
  return rows;
}

/** "matched: <topic>", the followed topic an inbox paper was picked for. */
function matchedLine(topic: string): string {
  return `*matched: ${escapeFit(topic, 200)}*`;
}

/**
 * An instant alert: one compact embed per paper (title linked, one line, upvotes, links,
 * the topic it matched) and a Save button for each, numbered alike. Ten embeds at most;
 * any more are counted in the text ("…and 3 more").
 */
function alertPayload(msg: Extract<OutboundMessage, { kind: 'alert' }>): DiscordPayload {
  const embeds = fitEmbeds(
    msg.items.slice(0, LIMITS.embeds).map(({ paper: p, topic }, i) => {
      const links = [mdLink('arXiv', p.links.arxiv), mdLink('PDF', p.links.pdf), mdLink('Code', p.links.code)].filter(Boolean);
      const stats = [p.upvotes !== null ? `▲ ${p.upvotes}` : null, ...links].filter(Boolean).join(' · ');
      const embed: APIEmbed = {
        title: `${i + 1}. ${escapeFit(p.title, 200)}`,
        description: [escapeFit(p.tldr, 280), stats, matchedLine(topic)].filter(Boolean).join('\n'),
        color: COLORS.paper,
      };
      const url = safeUrl(p.links.hf);
      if (url) embed.url = url;
      const picture = safeUrl(pictureOf(p));
      if (picture) embed.thumbnail = { url: picture };
      return embed;
    }),
  );
  // A Save button for each paper shown (an embed fitEmbeds dropped takes its button along).
  const saves = msg.items.slice(0, embeds.length).map(({ paper }, i) => actionButton(`Save ${i + 1}`, paper.saveAction, { emoji: '🔖' }));
  const rows: ButtonRow[] = [];
  for (let i = 0; i < saves.length; i += LIMITS.buttonsPerRow) rows.push(row(saves.slice(i, i + LIMITS.buttonsPerRow)));
  const more = msg.items.length - embeds.length;
  const head = [`**${escapeFit(msg.title, 300)}**`, 'Press Save to bookmark one.'];
  if (more > 0) head.push(`…and ${more} more: \`/papers following\` shows your topics, \`/papers search\` finds the rest.`);
  return payload({ content: head.join('\n'), embeds, components: rows, ephemeral: false });
}

// ─── Replies ─────────────────────────────────────────────────────────────────────────

export function renderReply(reply: Reply): DiscordPayload {
  switch (reply.kind) {
    case 'text':
      return payload({ content: TONE_ICON[reply.tone] + escapeFit(reply.text, LIMITS.content - 4), components: replyButtonRows(reply.buttons ?? []), ephemeral: reply.ephemeral });

    case 'papers': {
      const head = [`**${escapeFit(reply.heading, 300)}**`];
      if (reply.subheading) head.push(escapeFit(reply.subheading, 500));
      if (reply.notice) head.push(`*${escapeFit(reply.notice, 500)}*`);
      if (!reply.papers.length) head.push('No papers.');
      // Ten embeds at most (pages hold five; a digest preview up to ten).
      const shown = reply.papers.slice(0, LIMITS.embeds);
      if (reply.papers.length > shown.length) head.push(`Showing the first ${shown.length} of ${reply.papers.length}.`);
      const bookmarks = reply.pager?.command === 'bookmarks';
      const perPaper = shown.map((p, i) => {
        const n = p.rank ?? i + 1;
        return bookmarks ? actionButton(`Remove ${n}`, unsaveAction(p.id), { emoji: '🗑️' }) : actionButton(`Save ${n}`, p.saveAction, { emoji: '🔖' });
      });
      const rows: ButtonRow[] = [];
      for (let i = 0; i < perPaper.length; i += LIMITS.buttonsPerRow) rows.push(row(perPaper.slice(i, i + LIMITS.buttonsPerRow)));
      const pager = reply.pager && pagerRow(reply.pager);
      if (pager) rows.push(pager);
      return payload({
        content: head.join('\n'),
        embeds: shown.map((p, i) => paperEmbed(p, { number: p.rank ?? i + 1 })),
        components: rows,
        ephemeral: reply.ephemeral,
      });
    }

    case 'paper': {
      const p = reply.paper;
      const embed = paperEmbed(p, { linksField: false, footer: `arXiv ${p.id}${p.organization ? ` · ${p.organization}` : ''}` });
      embed.description = [`**TL;DR** ${escapeFit(p.tldr, 700)}`, '', escapeFit(reply.abstract, 3200)].join('\n');
      const extra: APIEmbedField[] = [];
      if (p.comments) extra.push({ name: 'Comments', value: String(p.comments), inline: true });
      if (p.githubStars !== null && p.links.code) extra.push({ name: 'GitHub stars', value: `★ ${p.githubStars}`, inline: true });
      if (p.publishedAt && p.featuredDate) extra.push({ name: 'arXiv', value: p.publishedAt, inline: true });
      if (p.keywords.length) extra.push({ name: 'Keywords', value: escapeFit(p.keywords.join(', '), LIMITS.fieldValue) });
      embed.fields = [...(embed.fields ?? []), ...extra];
      // One paper on its own: its picture full width under the text rather than in the corner.
      if (embed.thumbnail) {
        embed.image = embed.thumbnail;
        delete embed.thumbnail;
      }
      return payload({ embeds: [embed], components: [paperButtons(p)], ephemeral: reply.ephemeral });
    }

    case 'file':
      return payload({
        content: escapeFit(reply.text, LIMITS.content),
        files: [{ name: fileName(reply.filename), contentType: reply.mimeType, content: reply.content }],
        ephemeral: reply.ephemeral,
      });

    case 'help': {
      // Usages as inline code (rendered verbatim, no escaping needed), descriptions escaped.
      const lines = reply.commands.map((c) => `${codeSpan(c.usage, 300)}\n${escapeFit(c.description, 300)}`);
      const embed: APIEmbed = {
        title: 'Papers bot',
        description: [escapeFit(reply.intro, 1500), '', ...lines].join('\n'),
        color: COLORS.info,
      };
      if (reply.footer) embed.footer = { text: reply.footer };
      return payload({ embeds: [embed], ephemeral: reply.ephemeral });
    }
  }
}

// ─── Messages the bot posts on its own ────────────────────────────────────────────────

export function renderOutbound(msg: OutboundMessage): DiscordPayload {
  switch (msg.kind) {
    case 'digestHeader': {
      const noun = msg.threads ? (msg.count === 1 ? 'paper in the thread below' : 'papers in the thread below') : msg.count === 1 ? 'paper follows' : 'papers follow';
      // The opted-in role, and only it: a snowflake, or no ping at all.
      const role = msg.ping?.kind === 'role' && /^\d{15,21}$/.test(msg.ping.id) ? msg.ping.id : null;
      return payload({
        ...(role ? { content: `<@&${role}>`, allowed_mentions: { parse: [], roles: [role] } } : {}),
        embeds: [
          {
            title: escapeFit(msg.title, LIMITS.embedTitle),
            // The day on Hugging Face; the link also carries a delivery's key (message-key.ts).
            url: `https://huggingface.co/papers/date/${encodeURIComponent(msg.date)}`,
            description: `${escapeFit(msg.themesLine, 3000)}\n\n${msg.count} ${noun}: react with 🔖 (or press Save) to bookmark one.`,
            color: COLORS.info,
          },
        ],
        ephemeral: false,
      });
    }
    case 'digestPaper': {
      const embed = paperEmbed(msg.paper, { number: msg.position, linksField: false, comments: true, footer: `${msg.position} of ${msg.of} · arXiv ${msg.paper.id} · react with 🔖 to bookmark` });
      if (msg.topic) embed.description = `${embed.description}\n${matchedLine(msg.topic)}`;
      return payload({ embeds: [embed], components: [paperButtons(msg.paper)], ephemeral: false });
    }
    case 'alert':
      return alertPayload(msg);
    case 'notice':
      return payload({ content: escapeFit(msg.text, LIMITS.content), ephemeral: false });
  }
}

// ─── Payload → what each endpoint takes ───────────────────────────────────────────────

/** discord.js options for interaction.reply and followUp. */
export function replyOptions(p: DiscordPayload): InteractionReplyOptions {
  return {
    ...(p.content ? { content: p.content } : {}),
    embeds: p.embeds,
    components: p.components,
    allowedMentions: { parse: [] },
    files: files(p),
    ...(p.ephemeral ? { flags: MessageFlags.Ephemeral as const } : {}),
  };
}

/** discord.js options for editReply and update: the whole message is replaced (flags cannot change). */
export function editOptions(p: DiscordPayload): InteractionEditReplyOptions & InteractionUpdateOptions {
  return { content: p.content, embeds: p.embeds, components: p.components, allowedMentions: { parse: [] }, files: files(p), attachments: [] };
}

function files(p: DiscordPayload) {
  return p.files.map((f) => ({ attachment: Buffer.from(f.content, 'utf8'), name: f.name }));
}

/**
 * The JSON body of POST /channels/:id/messages, with the idempotency nonce when given: as
 * the nonce, and carried in the message itself for findPosted (message-key.ts).
 */
export function messageBody(p: DiscordPayload, nonce?: string): RESTPostAPIChannelMessageJSONBody {
  const body: RESTPostAPIChannelMessageJSONBody = {
    embeds: p.embeds,
    components: p.components,
    allowed_mentions: p.allowed_mentions.roles?.length ? { parse: [], roles: [...p.allowed_mentions.roles] } : { parse: [] },
  };
  if (p.content) body.content = p.content;
  if (nonce) {
    body.nonce = nonce.slice(0, LIMITS.nonce);
    body.enforce_nonce = true;
    return stampKey(body, body.nonce);
  }
  return body;
}

/** Autocomplete suggestions within Discord's limits (25 choices, 100 characters each). */
export function autocompleteChoices(list: readonly { name: string; value: string }[]): APIApplicationCommandOptionChoice<string>[] {
  return list
    .filter((c) => c.value.length > 0 && c.value.length <= LIMITS.choiceValue)
    .slice(0, LIMITS.autocompleteChoices)
    .map((c) => ({ name: cut(c.name.replace(/\s+/g, ' ').trim() || c.value, LIMITS.choiceName), value: c.value }));
}
