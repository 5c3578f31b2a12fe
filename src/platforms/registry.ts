/**
 * Which chat platforms a process runs, from config and the platform list. The bot gets
 * full platforms (gateway, receivers); a worker gets posters only (REST / Web API),
 * enough to deliver digests without receiving events. The list defaults to
 * src/platforms/index.ts; tests pass their own.
 */
import { registerPlatformNames } from '../../jobs/index.js';
import type { Config } from '../config.js';
import type { ChatPlatform, PlatformName } from '../core/ports.js';
import type { AnyPlatformDescriptor, PlatformDeps } from './descriptor.js';
import { PLATFORMS } from './index.js';

export type { PlatformDeps } from './descriptor.js';

/** The platforms whose sections turn them on (tokens set). None: the bot runs in the console. */
export function enabledPlatforms(config: Pick<Config, 'platforms'>, platforms: readonly AnyPlatformDescriptor[] = PLATFORMS): AnyPlatformDescriptor[] {
  return platforms.filter((p) => p.enabled(config.platforms[p.name]));
}

/** The enabled platforms, ready to start with the bot's handlers. */
export async function createBotPlatforms(config: Pick<Config, 'platforms'>, deps: PlatformDeps, platforms: readonly AnyPlatformDescriptor[] = PLATFORMS): Promise<Map<PlatformName, ChatPlatform>> {
  return build(config, platforms, (p, section) => p.createBot?.(section, deps));
}

/** Posting-only platforms for worker processes. */
export async function createPosters(config: Pick<Config, 'platforms'>, deps: PlatformDeps, platforms: readonly AnyPlatformDescriptor[] = PLATFORMS): Promise<Map<PlatformName, ChatPlatform>> {
  return build(config, platforms, (p, section) => p.createPoster?.(section, deps));
}

async function build(
  config: Pick<Config, 'platforms'>,
  platforms: readonly AnyPlatformDescriptor[],
  make: (p: AnyPlatformDescriptor, section: unknown) => Promise<ChatPlatform> | undefined,
): Promise<Map<PlatformName, ChatPlatform>> {
  // Job payloads are checked against the platforms the app knows (jobs cannot import this folder).
  registerPlatformNames(platforms.map((p) => p.name));
  const out = new Map<PlatformName, ChatPlatform>();
  for (const p of enabledPlatforms(config, platforms)) {
    const made = await make(p, config.platforms[p.name]);
    if (made) out.set(p.name, made);
  }
  return out;
}

/** The platform list's CLI subcommands, by platform name (`papers discord …`). */
export function platformCli(platforms: readonly AnyPlatformDescriptor[] = PLATFORMS): Map<string, { usage: string; run(args: string[], config: Pick<Config, 'platforms'>): Promise<void> }> {
  const out = new Map<string, { usage: string; run(args: string[], config: Pick<Config, 'platforms'>): Promise<void> }>();
  for (const p of platforms) {
    const cli = p.cli;
    if (cli) out.set(p.name, { usage: cli.usage, run: (args, config) => cli.run(args, config.platforms[p.name]) });
  }
  return out;
}
