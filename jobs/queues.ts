/**
 * Every queue, job name, payload schema and job id in one place. Job ids carry the
 * idempotency: adding a job whose id exists is a no-op in BullMQ, so a repeated tick or
 * a double-clicked `/papers digest now` cannot produce a second delivery.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { PLATFORM_NAME_PATTERN } from '../src/core/platform-descriptor.js';
import type { PlatformName } from '../src/core/subscription.js';

export const INGEST_QUEUE = 'papers-ingest';
/**
 * Planning (the ticks the subscriptions' schedulers fire) has a queue of its own with a
 * small concurrency: a tick costs a few milliseconds of CPU, and a thousand of them run
 * side by side would all finish together, seconds later, before the first digest posts.
 * Taken one after the other, the first digests post while the rest are being planned.
 */
export const PLAN_QUEUE = 'papers-plan';
/** One delivery queue per platform: a process only consumes the platforms it can post to. */
export const digestQueue = (platform: PlatformName): string => `papers-digest-${platform}`;
/** The 🔖 hints, apart: they wait for spare rate-limit capacity and must never hold up a digest. */
export const hintQueue = (platform: PlatformName): string => `papers-hints-${platform}`;

export const JOB = {
  ingest: 'ingest',
  /** Decides what a channel gets (plans), then enqueues the delivery. */
  digestTick: 'digest-tick',
  /** Posts a planned digest, message by message, exactly once. */
  digestDeliver: 'digest-deliver',
  /** Adds the 🔖 reaction under a delivered digest's paper messages. */
  hints: 'hints',
} as const;

/**
 * The platforms this process runs, registered by the app from the platform list
 * (src/platforms/registry.ts): jobs cannot import src/platforms, so the names are handed
 * in. Until a process registers any (unit tests of a processor), a well-formed name passes.
 */
const registeredPlatforms = new Set<string>();
export function registerPlatformNames(names: Iterable<string>): void {
  for (const n of names) registeredPlatforms.add(n);
}
const platform = z
  .string()
  .regex(PLATFORM_NAME_PATTERN, 'is not a platform name')
  .refine((p) => registeredPlatforms.size === 0 || registeredPlatforms.has(p), 'is not a registered platform');
const channel = z.object({ platform, workspaceId: z.string().min(1).max(100), channelId: z.string().min(1).max(100) });

export const ingestPayload = z.object({
  /** Days to fetch (YYYY-MM-DD); empty means today and the previous day (UTC). */
  dates: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)).max(31).default([]),
  reason: z.enum(['schedule', 'start', 'stale-upvotes', 'manual']).default('manual'),
});
export type IngestPayload = z.infer<typeof ingestPayload>;

export const digestTickPayload = channel.extend({
  mode: z.enum(['scheduled', 'now']),
  requestedBy: z.string().max(100).optional(),
});
export type DigestTickPayload = z.infer<typeof digestTickPayload>;

/** The plan travels with the delivery job, so every retry posts exactly the same messages. */
export const digestDeliverPayload = channel.extend({
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  mode: z.enum(['scheduled', 'now']),
  messages: z.array(z.record(z.string(), z.unknown())).min(1).max(20),
});
export type DigestDeliverPayload = z.infer<typeof digestDeliverPayload>;

export const hintsPayload = channel.extend({
  messageIds: z.array(z.string().min(1).max(100)).min(1).max(20),
});
export type HintsPayload = z.infer<typeof hintsPayload>;

type ChannelIds = z.infer<typeof channel>;

/** BullMQ ids may not contain ':' in some operations' keys, so ids use '|' as the separator. */
const id = (...parts: string[]) => parts.map((p) => p.replace(/[|:]/g, '_')).join('|');

/** The job scheduler of a subscription: one per channel. */
export const schedulerId = (c: ChannelIds): string => id('digest', c.platform, c.workspaceId, c.channelId);

/** The platform a scheduler id belongs to (see schedulerId). */
export const schedulerPlatform = (schedulerKey: string): string | undefined => schedulerKey.split('|')[1];

export const INGEST_SCHEDULER_ID = 'ingest|today';

/** A scheduled delivery: one per channel and featured day, whatever fires it. */
export function deliverJobId(c: ChannelIds, day: string, mode: 'scheduled' | 'now', paperIds: readonly string[]): string {
  if (mode === 'scheduled') return id('deliver', c.platform, c.workspaceId, c.channelId, day);
  // `now` may deliver leftovers of an already delivered day: its id names the papers.
  const digest = createHash('sha256').update(paperIds.join(',')).digest('base64url').slice(0, 12);
  return id('deliver', c.platform, c.workspaceId, c.channelId, day, 'now', digest);
}

/** `/papers digest now`: repeated within the same minute, it is the same job. */
export const nowTickJobId = (c: ChannelIds, at: Date): string => id('now', c.platform, c.workspaceId, c.channelId, at.toISOString().slice(0, 16));

/** The hints of one delivery: the delivery's id says which digest they belong to. */
export const hintsJobId = (deliverJobId: string): string => `hints${deliverJobId.slice('deliver'.length)}`;

export const ingestJobId = (reason: IngestPayload['reason'], at: Date): string => id('ingest', reason, at.toISOString().slice(0, 16));

/** Defaults for every job: retries with exponential backoff; failures kept for inspection. */
export const JOB_DEFAULTS = {
  attempts: 6,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 3 * 24 * 3600, count: 100_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
} as const;
