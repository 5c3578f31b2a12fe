/**
 * What every job contract shares: the channel a payload names, how ids are spelled, and
 * the default retry policy. Job ids carry the idempotency: adding a job whose id exists
 * is a no-op in BullMQ, so a repeated tick or a double-clicked `/papers digest now`
 * cannot produce a second delivery.
 */
import { z } from 'zod';
import { PLATFORM_NAME_PATTERN } from '../src/core/platform-descriptor.js';

/**
 * The platforms this process runs, registered by the app from the platform list
 * (src/platforms/registry.ts): jobs cannot import src/platforms, so the names are handed
 * in. Until a process registers any (unit tests of a processor), a well-formed name passes.
 */
const registeredPlatforms = new Set<string>();
export function registerPlatformNames(names: Iterable<string>): void {
  for (const n of names) registeredPlatforms.add(n);
}

export const platformName = z
  .string()
  .regex(PLATFORM_NAME_PATTERN, 'is not a platform name')
  .refine((p) => registeredPlatforms.size === 0 || registeredPlatforms.has(p), 'is not a registered platform');

export const channelPayload = z.object({ platform: platformName, workspaceId: z.string().min(1).max(100), channelId: z.string().min(1).max(100) });
export type ChannelIds = z.infer<typeof channelPayload>;

export const dayString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** BullMQ ids may not contain ':' in some operations' keys, so ids use '|' as the separator. */
export const jobKey = (...parts: string[]): string => parts.map((p) => p.replace(/[|:]/g, '_')).join('|');

/** Defaults for every job: retries with exponential backoff; failures kept for inspection. */
export const JOB_DEFAULTS = {
  attempts: 6,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 3 * 24 * 3600, count: 100_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
} as const;
