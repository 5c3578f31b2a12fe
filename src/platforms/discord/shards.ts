/**
 * Which gateway shards a bot process runs: DISCORD_SHARDS (the total, or `auto` for the
 * count Discord recommends in GET /gateway/bot) and DISCORD_SHARD_IDS (the ids this
 * process owns, e.g. `0-3` or `0,2`; all of them by default). Pure, so config can check
 * what it can before start and the platform checks the rest once the count is known.
 */
import { ConfigError } from '../../core/errors.js';

export interface ShardPlan {
  /** The total number of shards across every process, or `auto` (from GET /gateway/bot). */
  count: number | 'auto';
  /** The shard ids this process owns, ascending; undefined: all of them. */
  ids: number[] | undefined;
}

/** Above this, a typo is likelier than a bot (Discord's largest bots run a few thousand). */
export const MAX_SHARDS = 100_000;

/** `auto` or a positive integer; a message naming the problem otherwise. */
export function parseShardCount(raw: string): number | 'auto' | { problem: string } {
  const s = raw.trim().toLowerCase();
  if (s === '' || s === 'auto') return 'auto';
  if (!/^\d+$/.test(s) || Number(s) < 1 || Number(s) > MAX_SHARDS) return { problem: `must be auto or a whole number from 1 to ${MAX_SHARDS}, got "${raw.trim()}"` };
  return Number(s);
}

/** `0-3`, `0,2`, `0-1,4` → ascending unique ids; empty → undefined (all); a message otherwise. */
export function parseShardIds(raw: string): number[] | undefined | { problem: string } {
  const s = raw.trim();
  if (s === '') return undefined;
  const ids = new Set<number>();
  for (const part of s.split(',').map((p) => p.trim())) {
    const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part);
    if (!m) return { problem: `"${part}" is not a shard id or a range like 0-3 (write e.g. 0-3 or 0,2)` };
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) return { problem: `the range ${part} runs backwards (write ${to}-${from})` };
    if (to >= MAX_SHARDS) return { problem: `shard id ${to} is above ${MAX_SHARDS - 1}` };
    for (let id = from; id <= to; id++) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}

/** Ids outside 0…count-1, as a problem; null when every id fits. */
export function shardIdsProblem(ids: readonly number[] | undefined, count: number): string | null {
  const outside = (ids ?? []).filter((id) => id >= count);
  if (!outside.length) return null;
  return `shard ${outside.join(', ')} does not exist: with ${count} shard${count === 1 ? '' : 's'} the ids are 0–${count - 1}`;
}

/** The ids to run once the total is known: the configured ones, or every shard. */
export function ownedShards(ids: readonly number[] | undefined, count: number): number[] {
  return ids ? [...ids] : Array.from({ length: count }, (_, i) => i);
}

/** `0-3`, `0, 2, 5-7`: ids as a person would write them, for logs and the start-up line. */
export function describeShardIds(ids: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < ids.length; ) {
    let j = i;
    while (j + 1 < ids.length && ids[j + 1] === ids[j]! + 1) j++;
    parts.push(j > i ? `${ids[i]}-${ids[j]}` : String(ids[i]));
    i = j + 1;
  }
  return parts.join(', ');
}

/**
 * The total and this process's ids, asking Discord for the total when it is `auto`. An id
 * beyond that total is a configuration error, said like config.ts says its own.
 */
export async function resolveShards(plan: ShardPlan, recommended: () => Promise<number>): Promise<{ count: number; ids: number[] }> {
  const count = plan.count === 'auto' ? await recommended() : plan.count;
  const outside = shardIdsProblem(plan.ids, count);
  if (outside) {
    const why = plan.count === 'auto' ? `DISCORD_SHARDS=auto and Discord recommends ${count}` : `DISCORD_SHARDS=${count}`;
    throw new ConfigError(`Invalid configuration:\n  DISCORD_SHARD_IDS: ${outside} (${why}).\nSet DISCORD_SHARDS to the total every process uses.`);
  }
  return { count, ids: ownedShards(plan.ids, count) };
}

/**
 * The gateway's refusals of our shard settings (@discordjs/ws gives close codes 4010 and
 * 4011 as these plain errors), said in terms of the variables to change; null otherwise.
 */
export function shardRefusal(err: unknown): ConfigError | null {
  const message = err instanceof Error ? err.message : '';
  if (message === 'Sharding is required') {
    return new ConfigError('Discord refused the login: the bot is in too many servers for this many shards (close code 4011). Set DISCORD_SHARDS=auto or a larger total (see "When to shard, and how" in the README).');
  }
  if (message === 'Invalid shard') {
    return new ConfigError('Discord refused a shard (close code 4010): check that DISCORD_SHARD_IDS are below DISCORD_SHARDS and that every process uses the same DISCORD_SHARDS.');
  }
  return null;
}
