/**
 * The idempotency key a digest message carries inside itself, so a retry hours later can
 * still find the first post. Discord honours a message nonce for a few minutes only and
 * never returns it when messages are fetched, so the key (the nonce's hash, 25 characters)
 * also travels in what Discord keeps verbatim:
 *
 * - the first action button's custom_id gets a `|k:<tag>` suffix (a Save button on every
 *   paper message); toActionEvent strips it again, so the core never sees it;
 * - else the first embed's link gets a `#k=<tag>` fragment (the digest header's title
 *   links to the day on Hugging Face; a fragment changes nothing for the reader).
 *
 * A message with neither (a plain notice) carries no key; notices are not in the posted
 * log, so nothing looks for them.
 */
import type { APIEmbed, APIMessage, RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import { LIMITS } from './limits.js';

const ID_MARK = '|k:';
const URL_MARK = '#k=';

type Component = { type?: number; custom_id?: string; components?: Component[] };

function firstActionButton(components: readonly Component[] | undefined): Component | undefined {
  for (const c of components ?? []) {
    if (typeof c.custom_id === 'string') return c;
    const inner = firstActionButton(c.components);
    if (inner) return inner;
  }
  return undefined;
}

/** A copy of the body that carries `tag`; unchanged when nothing in it can. */
export function stampKey(body: RESTPostAPIChannelMessageJSONBody, tag: string): RESTPostAPIChannelMessageJSONBody {
  const out = structuredClone(body) as RESTPostAPIChannelMessageJSONBody & { components?: Component[] };
  const button = firstActionButton(out.components);
  if (button && button.custom_id!.length + ID_MARK.length + tag.length <= LIMITS.customId) {
    button.custom_id = `${button.custom_id}${ID_MARK}${tag}`;
    return out;
  }
  const embed = out.embeds?.find((e: APIEmbed) => typeof e.url === 'string');
  if (embed) embed.url = `${embed.url!.split('#')[0]}${URL_MARK}${tag}`;
  return out;
}

/** True when a fetched message carries `tag` where stampKey puts it. */
export function carriesKey(m: Pick<APIMessage, 'components' | 'embeds'>, tag: string): boolean {
  const button = firstActionButton(m.components as Component[] | undefined);
  if (button?.custom_id?.endsWith(`${ID_MARK}${tag}`)) return true;
  return (m.embeds ?? []).some((e) => typeof e.url === 'string' && e.url.endsWith(`${URL_MARK}${tag}`));
}

/** A pressed button's id as the core made it. */
export function withoutKey(customId: string): string {
  const at = customId.lastIndexOf(ID_MARK);
  return at < 0 ? customId : customId.slice(0, at);
}
