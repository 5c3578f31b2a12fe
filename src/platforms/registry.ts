/**
 * Which chat platforms a process runs, from config. The bot gets full platforms
 * (gateway, receivers); a worker gets posters only (REST / Web API), enough to deliver
 * digests without receiving events.
 */
import type { Config } from '../config.js';
import type { ChatPlatform, Logger, PlatformName, Store } from '../core/ports.js';

export interface PlatformDeps {
  store: Store;
  log: Logger;
}

/** Posting-only platforms for worker processes. */
export function createPosters(_config: Config, _deps: PlatformDeps): Map<PlatformName, ChatPlatform> {
  const out = new Map<PlatformName, ChatPlatform>();
  return out;
}
