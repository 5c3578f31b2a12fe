/**
 * What command handlers and the bot's event handlers may use. Built once in a
 * wiring place (src/app/build.ts) and passed down; tests build it from fakes.
 */
import type { DigestService } from './digest/digest-service.js';
import type { Metrics } from './metrics.js';
import type { Clock, DigestDispatcher, Logger, PaperIndex, Store } from './ports.js';
import type { SearchService } from './search-service.js';
import type { Throttle } from './throttle.js';
import type { Inbox } from './people.js';
import type { ChannelRef, PlatformName, Subscription } from './subscription.js';

/** Keeps the job schedulers in step with subscriptions (BullMQ in the worker issue). */
export interface ScheduleSync {
  upsert(sub: Subscription): Promise<void>;
  remove(ref: ChannelRef): Promise<void>;
  /** One scheduler per inbox, at its hour in the person's timezone; a disabled inbox has none. */
  upsertInbox(inbox: Inbox): Promise<void>;
  removeInbox(platform: PlatformName, userId: string): Promise<void>;
}

export interface BotServices {
  store: Store;
  index: PaperIndex;
  search: SearchService;
  digests: DigestService;
  dispatcher: DigestDispatcher;
  clock: Clock;
  log: Logger;
  /** Optional: absent where nothing schedules digests (the CLI). */
  schedules?: ScheduleSync;
  defaults: { timezone: string };
  /** Optional: counts commands (absent: nothing counted). */
  metrics?: Metrics;
  /** Per-user and per-channel limits, shared through Redis (absent: createHandlers keeps them in process). */
  throttle?: Throttle;
}
