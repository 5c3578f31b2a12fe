/**
 * Discord's message limits, and the text helpers that keep a payload inside them.
 * Everything is cut cleanly (at a word when one is near, never inside a surrogate pair
 * or after a lone escaping backslash) and marked with an ellipsis, so a long title or a
 * pasted essay shortens instead of making Discord answer 400.
 */
import type { APIEmbed } from 'discord.js';

export const LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  /** Title, description, field names and values, footer and author text of all embeds of a message. */
  embedTotal: 6000,
  actionRows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
  url: 512,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
  /** A message nonce. */
  nonce: 25,
} as const;

const ELLIPSIS = '…';

/**
 * Shortens `s` to at most `max` UTF-16 units (Discord counts characters; UTF-16 units are
 * never fewer, so this errs on the safe side), ending in "…" when cut.
 */
export function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  if (max <= 0) return '';
  if (max === 1) return ELLIPSIS;
  let head = s.slice(0, max - 1);
  // Never leave half a surrogate pair.
  if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
  // Prefer a word boundary when it does not waste much.
  const space = head.search(/\s\S*$/);
  if (space > max * 0.7) head = head.slice(0, space);
  head = head.trimEnd();
  // An odd run of trailing backslashes would escape the ellipsis.
  const slashes = /\\+$/.exec(head)?.[0].length ?? 0;
  if (slashes % 2 === 1) head = head.slice(0, -1);
  return head + ELLIPSIS;
}

/**
 * Paper or user text made inert for Discord markdown. Discord lets a backslash escape any
 * punctuation, so every character that can start formatting is escaped (emphasis, code,
 * spoilers, strikethrough, masked links, mentions), line-start syntax is neutralised
 * (headings, subtext, lists, quotes), and @everyone/@here and mention brackets get a
 * zero-width space. allowed_mentions already stops pings; this also stops a title from
 * rendering as a mention, a channel link, a timestamp or a heading.
 *
 * (discord.js's escapeMarkdown escapes formatting pairs only and leaves some lone
 * asterisks, e.g. in "*****"; escaping every such character is simpler and total.)
 */
export function escapeText(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
      .replace(/[\\*_~|`[\]<>]/g, '\\$&')
      .replace(/^([ \t]*)(#{1,6}|-#|[-+])(?=[ \t])/gm, '$1\\$2')
      .replace(/^([ \t]*\d+)\.(?=[ \t])/gm, '$1\\.')
      .replace(/@(everyone|here)\b/gi, '@\u200b$1')
      .replace(/<(?=[@#:/]|a:|t:)/g, '<\u200b')
  );
}

/** Escapes, then fits: cuts the raw text so the escaped result stays within `max`. */
export function escapeFit(raw: string, max: number): string {
  // Escaping only adds characters, so the raw text never needs more than `max` of them;
  // escaping less also keeps a pasted essay cheap.
  let budget = max;
  let escaped = escapeText(cut(raw, budget));
  for (let i = 0; i < 8 && escaped.length > max; i++) {
    // Proportional first (a text of asterisks doubles), always at least one less.
    budget = Math.max(1, Math.min(budget - 1, Math.floor((budget * max) / escaped.length)));
    escaped = escapeText(cut(raw, budget));
  }
  return escaped.length <= max ? escaped : cut(escaped, max);
}

/** Characters of an embed that count towards the 6,000 limit. */
export function embedLength(e: APIEmbed): number {
  let n = (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0);
  for (const f of e.fields ?? []) n += f.name.length + f.value.length;
  return n;
}

/**
 * Every embed within its own limits, at most ten of them, and together within 6,000
 * characters: the longest descriptions shrink first, then trailing fields go, then
 * trailing embeds (always keeping one).
 */
export function fitEmbeds(input: readonly APIEmbed[]): APIEmbed[] {
  const embeds = input.slice(0, LIMITS.embeds).map((e) => {
    const out: APIEmbed = { ...e };
    if (out.title !== undefined) out.title = cut(out.title, LIMITS.embedTitle);
    if (out.description !== undefined) out.description = cut(out.description, LIMITS.embedDescription);
    if (out.footer) out.footer = { ...out.footer, text: cut(out.footer.text, LIMITS.footerText) };
    if (out.author) out.author = { ...out.author, name: cut(out.author.name, LIMITS.authorName) };
    if (out.fields) {
      out.fields = out.fields
        .slice(0, LIMITS.embedFields)
        .map((f) => ({ ...f, name: cut(f.name, LIMITS.fieldName) || '\u200b', value: cut(f.value, LIMITS.fieldValue) || '\u200b' }));
    }
    return out;
  });
  const total = () => embeds.reduce((n, e) => n + embedLength(e), 0);
  const MIN_DESCRIPTION = 80;
  for (let guard = 0; guard < 500 && total() > LIMITS.embedTotal; guard++) {
    const excess = total() - LIMITS.embedTotal;
    const longest = embeds.reduce<APIEmbed | undefined>((a, e) => ((e.description?.length ?? 0) > (a?.description?.length ?? 0) ? e : a), undefined);
    if (longest?.description && longest.description.length > MIN_DESCRIPTION) {
      longest.description = cut(longest.description, Math.max(MIN_DESCRIPTION, longest.description.length - excess));
      continue;
    }
    const withFields = [...embeds].reverse().find((e) => e.fields && e.fields.length > 0);
    if (withFields) {
      withFields.fields = withFields.fields!.slice(0, -1);
      continue;
    }
    if (embeds.length > 1) {
      embeds.pop();
      continue;
    }
    const only = embeds[0]!;
    if (only.title) only.title = cut(only.title, 100);
    if (only.description) only.description = cut(only.description, 1000);
    if (only.footer) only.footer = { ...only.footer, text: cut(only.footer.text, 200) };
  }
  return embeds;
}

/** An http(s) URL Discord will accept in a link button or an embed, or null. */
export function safeUrl(u: string | null | undefined): string | null {
  if (!u || u.length > LIMITS.url) return null;
  try {
    const parsed = new URL(u);
    const out = parsed.toString();
    return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && out.length <= LIMITS.url ? out : null;
  } catch {
    return null;
  }
}
