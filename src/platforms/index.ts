/**
 * The chat platforms this app knows. Adding one is a folder src/platforms/<name>/ whose
 * index.ts exports a PlatformDescriptor, plus one entry here: config, the registry, the
 * limiter's rates, the CLI and the core's permission wording all read this list.
 */
import { consolePlatform } from './console/index.js';
import type { AnyPlatformDescriptor } from './descriptor.js';
import { discordPlatform } from './discord/index.js';
import { slackPlatform } from './slack/index.js';

export const PLATFORMS = [consolePlatform, discordPlatform, slackPlatform] as const satisfies readonly AnyPlatformDescriptor[];

/** The names of the platforms above: what `PlatformName` holds at run time. */
export type KnownPlatformName = (typeof PLATFORMS)[number]['name'];
export const PLATFORM_NAMES: readonly KnownPlatformName[] = PLATFORMS.map((p) => p.name);
