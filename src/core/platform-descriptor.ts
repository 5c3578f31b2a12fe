/**
 * What the core knows about a chat platform: the pure facts every platform plug-in
 * declares (src/platforms/<name>/index.ts), handed to the core by whoever builds it.
 * The core never imports src/platforms; it learns platform names, permission wording
 * and rate rules from these records, so adding a platform changes nothing here.
 */
import type { ChannelRef } from './subscription.js';

/** Platform names are lower-case words (they appear in queue names, job ids and store keys). */
export const PLATFORM_NAME_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;

/** The calls a rate rule is asked about: a digest message, a 🔖 hint reaction, a posted-message lookup. */
/** `open`: the one request that opens a person's DM before the first post to their inbox. */
/** `edit`: a posted paper's counts brought up to date (live counts); like a hint, only in spare capacity. */
export type PlatformCall = 'post' | 'hint' | 'lookup' | 'open' | 'edit';

/** One limiter bucket: calls sharing a key share `perSecond` (sustained) and `burst`. */
export interface RateRule {
  key: string;
  rate: { perSecond: number; burst: number };
}

/** Which bucket a call on a channel draws from; null when the platform needs no pacing. */
export type RateRules = (channel: ChannelRef, call: PlatformCall) => RateRule | null;

export interface PlatformTraits {
  /** The platform's name as stored with subscriptions, bookmarks and posted messages. */
  readonly name: string;
  /** Why a user without the platform's permission may not change a channel's digest. */
  readonly permissionRefusal: string;
}

/** Used when a platform that is not registered asks (it never should). */
export const GENERIC_PERMISSION_REFUSAL = "You cannot change this channel's digest.";

export function permissionRefusalFor(platforms: readonly PlatformTraits[], name: string): string {
  return platforms.find((p) => p.name === name)?.permissionRefusal ?? GENERIC_PERMISSION_REFUSAL;
}
