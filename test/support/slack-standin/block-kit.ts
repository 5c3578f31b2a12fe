/**
 * What Slack checks in Block Kit before accepting a message or a view, reduced to the
 * rules the bot's blocks can break (Block Kit reference: blocks, elements, composition
 * objects). The stand-in answers `invalid_blocks` with Slack's `[ERROR] … [json-pointer:…]`
 * messages when one fails, so a test that passes here would not be refused by Slack for
 * these reasons. Also: `mentionsIn`, which finds what would ping someone.
 */

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface BlockKitLimits {
  maxBlocks: number;
}

export const MESSAGE_LIMITS: BlockKitLimits = { maxBlocks: 50 };
export const VIEW_LIMITS: BlockKitLimits = { maxBlocks: 100 };

/** Problems with `blocks`, as Slack words them; empty when Slack would accept them. */
export function validateBlocks(blocks: unknown, limits: BlockKitLimits = MESSAGE_LIMITS): string[] {
  const errors: string[] = [];
  const err = (msg: string, ptr: string) => errors.push(`[ERROR] ${msg} [json-pointer:${ptr}]`);
  if (!Array.isArray(blocks)) {
    err('must be an array', '/blocks');
    return errors;
  }
  if (blocks.length > limits.maxBlocks) err(`no more than ${limits.maxBlocks} items allowed`, '/blocks');
  const blockIds = new Set<string>();
  blocks.forEach((b, i) => {
    const at = `/blocks/${i}`;
    if (!isObj(b)) return err('must be an object', at);
    if (b.block_id !== undefined) {
      if (typeof b.block_id !== 'string' || b.block_id.length > 255) err('must be a string of at most 255 characters', `${at}/block_id`);
      else if (blockIds.has(b.block_id)) err('duplicate block_id', `${at}/block_id`);
      else blockIds.add(b.block_id);
    }
    switch (b.type) {
      case 'section': {
        if (b.text === undefined && b.fields === undefined) err('must provide text or fields', at);
        if (b.text !== undefined) textObject(b.text, 3000, `${at}/text`, err);
        if (b.fields !== undefined) {
          if (!Array.isArray(b.fields) || b.fields.length > 10) err('no more than 10 items allowed', `${at}/fields`);
          else b.fields.forEach((f, j) => textObject(f, 2000, `${at}/fields/${j}`, err));
        }
        if (b.accessory !== undefined) element(b.accessory, `${at}/accessory`, err, true);
        break;
      }
      case 'header':
        textObject(b.text, 150, `${at}/text`, err, 'plain_text');
        break;
      case 'context': {
        if (!Array.isArray(b.elements) || b.elements.length < 1 || b.elements.length > 10) {
          err('must have 1 to 10 elements', `${at}/elements`);
          break;
        }
        b.elements.forEach((e, j) => textObject(e, 3000, `${at}/elements/${j}`, err));
        break;
      }
      case 'actions': {
        if (!Array.isArray(b.elements) || b.elements.length < 1 || b.elements.length > 25) {
          err('must have 1 to 25 elements', `${at}/elements`);
          break;
        }
        const ids = new Set<string>();
        b.elements.forEach((e, j) => {
          element(e, `${at}/elements/${j}`, err);
          const id = isObj(e) ? e.action_id : undefined;
          if (typeof id === 'string') {
            if (ids.has(id)) err('duplicate action_id', `${at}/elements/${j}/action_id`);
            ids.add(id);
          }
        });
        break;
      }
      case 'divider':
        break;
      default:
        err(`unsupported block type ${String(b.type).slice(0, 40)}`, `${at}/type`);
    }
  });
  return errors;
}

function textObject(t: unknown, max: number, at: string, err: (m: string, p: string) => void, only?: 'plain_text' | 'mrkdwn'): void {
  if (!isObj(t)) return err('must be a text object', at);
  if (t.type !== 'plain_text' && t.type !== 'mrkdwn') return err('must be plain_text or mrkdwn', `${at}/type`);
  if (only && t.type !== only) return err(`must be ${only}`, `${at}/type`);
  if (typeof t.text !== 'string' || t.text.length < 1) return err('must be at least 1 character', `${at}/text`);
  if (t.text.length > max) err(`must be less than ${max + 1} characters`, `${at}/text`);
  if (t.type === 'plain_text' && t.verbatim !== undefined) err('verbatim is only for mrkdwn', `${at}/verbatim`);
  if (t.type === 'mrkdwn' && t.emoji !== undefined) err('emoji is only for plain_text', `${at}/emoji`);
}

/**
 * A section accessory may also be an image element (image_url http(s), at most 3000
 * characters; alt_text a plain string of 1 to 2000); an actions block cannot hold one.
 */
function imageElement(e: Json, at: string, err: (m: string, p: string) => void): void {
  if (typeof e.image_url !== 'string' || e.image_url.length > 3000 || !/^https?:\/\/\S+$/.test(e.image_url)) err('must be a valid URL of at most 3000 characters', `${at}/image_url`);
  if (typeof e.alt_text !== 'string' || e.alt_text.length < 1 || e.alt_text.length > 2000) err('must be 1 to 2000 characters', `${at}/alt_text`);
  for (const k of Object.keys(e)) if (!['type', 'image_url', 'alt_text', 'block_id'].includes(k)) err(`unsupported property ${k.slice(0, 40)}`, `${at}/${k}`);
}

function element(e: unknown, at: string, err: (m: string, p: string) => void, accessory = false): void {
  if (!isObj(e)) return err('must be an object', at);
  if (accessory && e.type === 'image') return imageElement(e, at, err);
  if (e.type !== 'button') return err(`unsupported element type ${String(e.type).slice(0, 40)}`, `${at}/type`);
  textObject(e.text, 75, `${at}/text`, err, 'plain_text');
  if (typeof e.action_id !== 'string' || e.action_id.length < 1 || e.action_id.length > 255) err('must be 1 to 255 characters', `${at}/action_id`);
  if (e.value !== undefined && (typeof e.value !== 'string' || e.value.length > 2000)) err('must be at most 2000 characters', `${at}/value`);
  if (e.url !== undefined) {
    if (typeof e.url !== 'string' || e.url.length > 3000 || !/^https?:\/\/\S+$/.test(e.url)) err('must be a valid URL of at most 3000 characters', `${at}/url`);
  }
  if (e.style !== undefined && e.style !== 'primary' && e.style !== 'danger') err('must be primary or danger', `${at}/style`);
}

/** Problems with message `metadata` ({event_type, event_payload}); empty when valid. */
export function validateMetadata(m: unknown): string[] {
  if (m === undefined) return [];
  if (!isObj(m) || typeof m.event_type !== 'string' || !/^[a-zA-Z0-9_]{1,255}$/.test(m.event_type) || !isObj(m.event_payload)) {
    return ['[ERROR] metadata must be {event_type: [a-zA-Z0-9_]+, event_payload: object}'];
  }
  return [];
}

/**
 * Everything in a message or view that would notify people or link somewhere Slack
 * itself did not: `<!channel>`, `<!here>`, `<!everyone>`, `<!subteam^…>`, `<@U…>`,
 * `<#C…>`, and — in mrkdwn objects without `verbatim: true` and in `text` — the bare
 * `@channel` / `@here` / `@everyone` Slack would auto-parse.
 */
export function mentionsIn(value: unknown): string[] {
  const found: string[] = [];
  const scanString = (s: string, autoParsed: boolean) => {
    for (const m of s.matchAll(/<(!channel|!here|!everyone|!subteam\^[^>|]*|@[UW][A-Z0-9]*|#C[A-Z0-9]*)[^>]*>/g)) found.push(m[0]);
    if (autoParsed) for (const m of s.matchAll(/(^|[^\w])@(channel|here|everyone)\b/g)) found.push(`@${m[2]}`);
  };
  const walk = (v: unknown, autoParsed: boolean) => {
    if (typeof v === 'string') return scanString(v, autoParsed);
    if (Array.isArray(v)) return v.forEach((x) => walk(x, autoParsed));
    if (!isObj(v)) return;
    if (v.type === 'mrkdwn' && typeof v.text === 'string') return scanString(v.text, v.verbatim !== true);
    // Plain text is never mrkdwn; control sequences in it are still reported, to be safe.
    if (v.type === 'plain_text' && typeof v.text === 'string') return scanString(v.text, false);
    for (const [k, x] of Object.entries(v)) {
      if (k === 'url' || k === 'action_id' || k === 'value') continue;
      walk(x, k === 'text');
    }
  };
  walk(value, true);
  return found;
}

/** Every link target in mrkdwn strings (`<https://…|label>` or `<https://…>`). */
export function linksIn(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') for (const m of v.matchAll(/<(https?:\/\/[^|>]+)(?:\|[^>]*)?>/g)) out.push(m[1]!);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (isObj(v)) for (const [k, x] of Object.entries(v)) if (k !== 'url') walk(x);
  };
  walk(value);
  return out;
}
