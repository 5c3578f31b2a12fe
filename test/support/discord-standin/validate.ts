/**
 * Discord's documented limits, checked the way Discord answers them: a list of problems
 * that becomes a 400 with code 50035 (Invalid Form Body). Written from the API docs,
 * independently of src/, so a renderer bug cannot hide behind a shared constant.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

const EPHEMERAL = 1 << 6;
const ALLOWED_MESSAGE_FLAGS = (1 << 2) | (1 << 12) | (1 << 15); // SUPPRESS_EMBEDS, SUPPRESS_NOTIFICATIONS, IS_COMPONENTS_V2

function len(s: unknown): number {
  return typeof s === 'string' ? s.length : 0;
}

function isHttpUrl(u: unknown): boolean {
  if (typeof u !== 'string' || u.length > 2048) return false;
  try {
    const p = new URL(u);
    return p.protocol === 'http:' || p.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * An embed's image or thumbnail: Discord takes http(s) URLs (it fetches them through its
 * media proxy later, and shows nothing when they fail) and `attachment://<filename>` of a
 * file uploaded with the same request; anything else is refused with a 400.
 */
function validateMedia(media: unknown, at: string, problems: string[], fileNames: readonly string[]): void {
  if (media === undefined || media === null) return;
  const url = (media as Json)?.url;
  if (typeof url === 'string' && url.startsWith('attachment://')) {
    if (!fileNames.includes(url.slice('attachment://'.length))) problems.push(`${at}.url: no uploaded file named ${url.slice(13, 60)}`);
    return;
  }
  if (!isHttpUrl(url)) problems.push(`${at}.url: Scheme "${String(url).split(':')[0]?.slice(0, 20)}" is not supported. Scheme must be one of ('http', 'https', 'attachment').`);
}

export function validateEmbeds(embeds: unknown, problems: string[], fileNames: readonly string[] = []): void {
  if (embeds === undefined || embeds === null) return;
  if (!Array.isArray(embeds)) return void problems.push('embeds: must be an array');
  if (embeds.length > 10) problems.push(`embeds: ${embeds.length} embeds, at most 10`);
  let total = 0;
  embeds.forEach((e: Json, i: number) => {
    const p = `embeds[${i}]`;
    if (len(e.title) > 256) problems.push(`${p}.title: ${len(e.title)} > 256`);
    if (len(e.description) > 4096) problems.push(`${p}.description: ${len(e.description)} > 4096`);
    if (e.url !== undefined && !isHttpUrl(e.url)) problems.push(`${p}.url: not a valid URL`);
    if (e.color !== undefined && (!Number.isInteger(e.color) || e.color < 0 || e.color > 0xffffff)) problems.push(`${p}.color: out of range`);
    if (e.footer && len(e.footer.text) > 2048) problems.push(`${p}.footer.text: > 2048`);
    if (e.author && len(e.author.name) > 256) problems.push(`${p}.author.name: > 256`);
    validateMedia(e.image, `${p}.image`, problems, fileNames);
    validateMedia(e.thumbnail, `${p}.thumbnail`, problems, fileNames);
    const fields: Json[] = e.fields ?? [];
    if (fields.length > 25) problems.push(`${p}.fields: ${fields.length} fields, at most 25`);
    fields.forEach((f, j) => {
      if (len(f.name) < 1 || len(f.name) > 256) problems.push(`${p}.fields[${j}].name: length ${len(f.name)}, must be 1–256`);
      if (len(f.value) < 1 || len(f.value) > 1024) problems.push(`${p}.fields[${j}].value: length ${len(f.value)}, must be 1–1024`);
      total += len(f.name) + len(f.value);
    });
    total += len(e.title) + len(e.description) + len(e.footer?.text) + len(e.author?.name);
  });
  if (total > 6000) problems.push(`embeds: ${total} characters in all, at most 6000`);
}

export function validateComponents(components: unknown, problems: string[]): void {
  if (components === undefined || components === null) return;
  if (!Array.isArray(components)) return void problems.push('components: must be an array');
  if (components.length > 5) problems.push(`components: ${components.length} rows, at most 5`);
  const ids = new Set<string>();
  components.forEach((row: Json, i: number) => {
    const p = `components[${i}]`;
    if (row.type !== 1) return void problems.push(`${p}.type: expected an action row (1)`);
    const items: Json[] = row.components ?? [];
    if (items.length < 1 || items.length > 5) problems.push(`${p}.components: ${items.length} items, must be 1–5`);
    items.forEach((b, j) => {
      const q = `${p}.components[${j}]`;
      if (b.type !== 2) return; // only buttons are checked in depth
      if (len(b.label) > 80) problems.push(`${q}.label: > 80`);
      if (!b.label && !b.emoji) problems.push(`${q}: a button needs a label or an emoji`);
      if (b.style === 5) {
        if (!isHttpUrl(b.url) || len(b.url) > 512) problems.push(`${q}.url: a link button needs a valid URL of at most 512 characters`);
        if (b.custom_id !== undefined) problems.push(`${q}: a link button cannot have a custom_id`);
      } else if (b.style >= 1 && b.style <= 4) {
        if (len(b.custom_id) < 1 || len(b.custom_id) > 100) problems.push(`${q}.custom_id: length ${len(b.custom_id)}, must be 1–100`);
        if (ids.has(b.custom_id)) problems.push(`${q}.custom_id: duplicate "${b.custom_id}"`);
        ids.add(b.custom_id);
      } else if (b.style !== 6) problems.push(`${q}.style: unknown style ${b.style}`);
    });
  });
}

export function validateAllowedMentions(am: unknown, problems: string[]): void {
  if (am === undefined || am === null) return;
  const a = am as Json;
  for (const p of a.parse ?? []) if (!['roles', 'users', 'everyone'].includes(p)) problems.push(`allowed_mentions.parse: unknown "${p}"`);
  if (a.parse?.includes('users') && a.users?.length) problems.push('allowed_mentions: parse users and users are mutually exclusive');
  if (a.parse?.includes('roles') && a.roles?.length) problems.push('allowed_mentions: parse roles and roles are mutually exclusive');
  for (const k of ['roles', 'users'] as const) {
    const ids = a[k];
    if (ids === undefined) continue;
    if (!Array.isArray(ids)) problems.push(`allowed_mentions.${k}: must be an array`);
    else {
      if (ids.length > 100) problems.push(`allowed_mentions.${k}: at most 100`);
      for (const id of ids) if (typeof id !== 'string' || !/^\d{15,21}$/.test(id)) problems.push(`allowed_mentions.${k}: ${JSON.stringify(id)} is not a snowflake`);
    }
  }
}

/**
 * A message body (create or edit). `context` decides which flags may be set: ephemeral
 * only in interaction responses. `fileCount` counts uploaded files (multipart).
 */
export function validateMessage(body: Json, opts: { context: 'channel' | 'interaction' | 'edit'; fileCount: number; fileNames?: readonly string[] }): string[] {
  const problems: string[] = [];
  if (body === null || typeof body !== 'object') return ['body: expected a JSON object'];
  if (body.content !== undefined && body.content !== null && typeof body.content !== 'string') problems.push('content: must be a string');
  if (len(body.content) > 2000) problems.push(`content: ${len(body.content)} > 2000`);
  validateEmbeds(body.embeds, problems, opts.fileNames ?? []);
  validateComponents(body.components, problems);
  validateAllowedMentions(body.allowed_mentions, problems);
  if (body.nonce !== undefined && body.nonce !== null) {
    if (typeof body.nonce === 'string' ? body.nonce.length > 25 : !Number.isInteger(body.nonce)) problems.push('nonce: a string of at most 25 characters or an integer');
  }
  if (body.enforce_nonce === true && (body.nonce === undefined || body.nonce === null)) problems.push('enforce_nonce: needs a nonce');
  if (body.flags !== undefined && body.flags !== null) {
    const allowed = opts.context === 'interaction' ? ALLOWED_MESSAGE_FLAGS | EPHEMERAL : ALLOWED_MESSAGE_FLAGS;
    if ((Number(body.flags) & ~allowed) !== 0) problems.push(`flags: ${body.flags} has flags that cannot be set here`);
  }
  if (opts.context !== 'edit') {
    const empty = !len(body.content) && !(body.embeds?.length > 0) && !(body.components?.length > 0) && opts.fileCount === 0 && !body.sticker_ids?.length && !body.poll;
    if (empty) problems.push('Cannot send an empty message');
  }
  return problems;
}

export function validateChoices(choices: unknown): string[] {
  const problems: string[] = [];
  if (!Array.isArray(choices)) return ['choices: must be an array'];
  if (choices.length > 25) problems.push(`choices: ${choices.length}, at most 25`);
  choices.forEach((c: Json, i: number) => {
    if (len(c.name) < 1 || len(c.name) > 100) problems.push(`choices[${i}].name: length ${len(c.name)}, must be 1–100`);
    if (typeof c.value === 'string' && len(c.value) > 100) problems.push(`choices[${i}].value: > 100`);
  });
  return problems;
}

const NAME = /^[-_\p{Ll}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** One application command as PUT by a bulk overwrite. */
export function validateCommand(cmd: Json): string[] {
  const problems: string[] = [];
  const type = cmd.type ?? 1;
  if (type !== 1 && type !== 2 && type !== 3) problems.push(`type: ${JSON.stringify(type)} is not 1, 2 or 3`);
  if (type === 2 || type === 3) {
    // User and message commands: any case, spaces allowed, 1–32 characters; no description, no options.
    if (typeof cmd.name !== 'string' || [...cmd.name].length < 1 || [...cmd.name].length > 32 || cmd.name.trim() !== cmd.name) problems.push(`name: "${cmd.name}" is invalid`);
    if (cmd.description !== undefined && cmd.description !== '') problems.push('description: must be empty for user and message commands');
    if (cmd.options !== undefined) problems.push('options: only chat input commands take options');
  } else if (typeof cmd.name !== 'string' || !NAME.test(cmd.name)) problems.push(`name: "${cmd.name}" is invalid`);
  if (type === 1 && (len(cmd.description) < 1 || len(cmd.description) > 100)) problems.push('description: must be 1–100 characters');
  let chars = len(cmd.name) + len(cmd.description);
  const walk = (opts: Json[] | undefined, path: string, depth: number) => {
    if (!opts) return;
    if (opts.length > 25) problems.push(`${path}: ${opts.length} options, at most 25`);
    let optional = false;
    opts.forEach((o, i) => {
      const p = `${path}[${i}]`;
      chars += len(o.name) + len(o.description);
      if (typeof o.name !== 'string' || !NAME.test(o.name)) problems.push(`${p}.name: "${o.name}" is invalid`);
      if (len(o.description) < 1 || len(o.description) > 100) problems.push(`${p}.description: must be 1–100 characters`);
      if (o.type === 1 || o.type === 2) {
        if (depth >= 2) problems.push(`${p}: nested too deep`);
        walk(o.options, `${p}.options`, depth + 1);
        return;
      }
      if (o.required && optional) problems.push(`${p}: required options must come first`);
      if (!o.required) optional = true;
      if (o.choices && o.autocomplete) problems.push(`${p}: choices and autocomplete are exclusive`);
      for (const c of o.choices ?? []) chars += len(c.name) + len(String(c.value));
      if (o.choices?.length > 25) problems.push(`${p}.choices: at most 25`);
      if (o.max_length !== undefined && (o.max_length < 1 || o.max_length > 6000)) problems.push(`${p}.max_length: must be 1–6000`);
    });
  };
  walk(cmd.options, 'options', 0);
  // Installation types (0 guild, 1 user) and contexts (0 guild, 1 bot DM, 2 private channel).
  const enumList = (field: string, allowed: number[]) => {
    const v = cmd[field];
    if (v === undefined || v === null) return;
    if (!Array.isArray(v) || v.length === 0) return void problems.push(`${field}: must be a non-empty array`);
    if (new Set(v).size !== v.length) problems.push(`${field}: duplicate values`);
    for (const x of v) if (!allowed.includes(x)) problems.push(`${field}: ${JSON.stringify(x)} is not one of ${allowed.join(', ')}`);
  };
  enumList('integration_types', [0, 1]);
  enumList('contexts', [0, 1, 2]);
  if (chars > 8000) problems.push(`command: ${chars} characters, at most 8000`);
  return problems;
}
