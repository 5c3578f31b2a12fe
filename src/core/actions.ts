/**
 * Button ids. Discord allows 100 characters in a custom_id, Slack 255 in an action_id,
 * and both come back verbatim when a button is pressed — after a restart too, so the
 * state a button needs lives in its id, not in memory. Paging state that does not fit
 * (a long query) is parked in the store under a content hash and the id carries the hash.
 */
import { createHash } from 'node:crypto';
import { UserInputError } from './errors.js';
import type { Store } from './ports.js';
import type { Pager } from './reply.js';

export const MAX_ACTION_ID = 100;
/** How long parked paging state (a long query) keeps its Next/Prev buttons working. */
export const PAGER_TTL_MS = 7 * 24 * 3600_000;

export type Action =
  | { type: 'page'; command: Pager['command']; page: number; args: Pager['args'] }
  | { type: 'save'; paperId: string }
  | { type: 'unsave'; paperId: string }
  | { type: 'forget'; userId: string };

export const saveAction = (paperId: string): string => `bm:${paperId}`;
export const unsaveAction = (paperId: string): string => `ub:${paperId}`;
/** forget-me's confirmation: names the person whose press it takes. */
export const forgetAction = (userId: string): string => `fm:${userId}`;

const PAGER_COMMANDS: readonly Pager['command'][] = ['search', 'trending', 'similar', 'bookmarks'];

export async function pageAction(store: Store, command: Pager['command'], page: number, args: Pager['args']): Promise<string> {
  const json = JSON.stringify(args);
  const inline = `pg:${command}:${page}:${json}`;
  if (inline.length <= MAX_ACTION_ID) return inline;
  const hash = createHash('sha256').update(`${command}\n${json}`).digest('base64url').slice(0, 16);
  // Parked for a week from its last use, then pruned by the sweep (jobs/sweep.ts): a button
  // older than that says "no longer works". The wall clock is enough for housekeeping.
  await store.setMeta(`pager:${hash}`, json, { expiresAt: new Date(Date.now() + PAGER_TTL_MS).toISOString() });
  return `pg:${command}:${page}:@${hash}`;
}

/** Fills in the pager's prev/next ids. */
export async function withPagerActions(store: Store, pager: Pager): Promise<Pager> {
  const out: Pager = { ...pager };
  if (pager.page > 1) out.prevAction = await pageAction(store, pager.command, pager.page - 1, pager.args);
  if (pager.page < pager.pageCount) out.nextAction = await pageAction(store, pager.command, pager.page + 1, pager.args);
  return out;
}

export async function decodeAction(store: Store, id: string): Promise<Action> {
  const stale = new UserInputError('This button no longer works. Run the command again.');
  if (id.startsWith('bm:') || id.startsWith('ub:')) {
    const paperId = id.slice(3);
    if (!paperId || paperId.length > 40) throw stale;
    return { type: id.startsWith('bm:') ? 'save' : 'unsave', paperId };
  }
  if (id.startsWith('fm:')) {
    const userId = id.slice(3);
    if (!userId || userId.length > 90) throw stale;
    return { type: 'forget', userId };
  }
  const m = /^pg:([a-z]+):(\d{1,4}):(.*)$/s.exec(id);
  if (!m || !PAGER_COMMANDS.includes(m[1] as Pager['command'])) throw stale;
  let json = m[3]!;
  if (json.startsWith('@')) {
    const parked = await store.getMeta(`pager:${json.slice(1)}`);
    if (parked === null) throw stale;
    json = parked;
  }
  let args: unknown;
  try {
    args = JSON.parse(json);
  } catch {
    throw stale;
  }
  if (!args || typeof args !== 'object' || Array.isArray(args)) throw stale;
  const clean: Pager['args'] = {};
  for (const [k, v] of Object.entries(args as Record<string, unknown>)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') clean[k] = v;
  }
  return { type: 'page', command: m[1] as Pager['command'], page: Number(m[2]), args: clean };
}

/** Emoji that mean "bookmark this" on any platform (Unicode, Slack and Discord names). */
export function isBookmarkEmoji(emoji: string): boolean {
  const e = emoji.trim().toLowerCase().replace(/^:|:$/g, '');
  return e === '🔖' || e === 'bookmark';
}
