/**
 * A whole bot minus the chat platform: the real in-memory store seeded from the
 * committed sample, a real Lunr index (built on this thread), the real digest service
 * and handlers, a recording platform, and a clock the test controls.
 */
import type { PingResolver } from '../../src/core/ping.js';
import type { Throttle } from '../../src/core/throttle.js';
import { commands } from '../../commands/index.js';
import { createHandlers } from '../../src/core/bot.js';
import { PLATFORMS } from '../../src/platforms/index.js';
import { parseCommandLine } from '../../src/core/command-spec/parse-text.js';
import type { ChartRenderer } from '../../src/core/chart.js';
import { DigestService } from '../../src/core/digest/digest-service.js';
import { InlineDigestDispatcher } from '../../src/core/digest/inline-dispatcher.js';
import type { ChannelRef, ChatPlatform, CommandInvocation, InvokerPermissions, Logger, PlatformHandlers, PlatformName, ReactionEvent } from '../../src/core/ports.js';
import type { Reply } from '../../src/core/reply.js';
import { SearchService } from '../../src/core/search-service.js';
import { storeDocFeed } from '../../src/search/doc-feed.js';
import { LunrPaperIndex } from '../../src/search/lunr-paper-index.js';
import { makeSnippet } from '../../src/search/snippet.js';
import type { BotServices, ScheduleSync } from '../../src/core/services.js';
import { silentLogger } from '../../src/log.js';
import { SAMPLE_DIR } from '../../src/paths.js';
import { readPaperFiles } from '../../src/sources/files.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { FakePlatform } from './fakes/index.js';

export const CHANNEL: ChannelRef = { platform: 'console', workspaceId: 'w1', channelId: 'c1' };

/** The harness's platform: the shared fake, named console (kept under its old name for the tests using it). */
export { FakePlatform as RecordingPlatform } from './fakes/index.js';

export interface Harness {
  services: BotServices;
  handlers: PlatformHandlers;
  platform: FakePlatform;
  store: MemoryStore;
  clock: { now: () => Date; set(iso: string): void };
  /** Runs a text command as typed after /papers. */
  run(text: string, opts?: { user?: string; permissions?: Partial<InvokerPermissions>; channel?: ChannelRef; pings?: PingResolver }): Promise<Reply>;
  react(messageId: string, opts?: Partial<ReactionEvent>): Promise<void>;
}

const ALL: InvokerPermissions = { manageChannel: true, workspaceAdmin: false };
let seq = 0;

let sample: Awaited<ReturnType<typeof readPaperFiles>>['papers'] | undefined;

/** A MemoryStore holding the committed sample (read once per test file). */
export async function seededStore(): Promise<MemoryStore> {
  sample ??= (await readPaperFiles([SAMPLE_DIR])).papers;
  const store = new MemoryStore();
  await store.upsertPapers(sample);
  return store;
}

export interface TestServices {
  services: BotServices;
  store: MemoryStore;
  index: LunrPaperIndex;
  clock: { now: () => Date; set(iso: string): void };
}

/**
 * The core every platform test runs on: the seeded store, a real Lunr index (built on
 * this thread), the real digest service with an in-process dispatcher to `platformFor`,
 * and a clock the test sets.
 */
/**
 * Suites that drive many commands from one user in a second are about other things; the
 * limits themselves are tested in test/core/abuse.test.ts with the real throttle.
 */
export const NO_THROTTLE: Throttle = { tryTake: async () => 0 };

export async function makeTestServices(opts: { nowIso?: string; log?: Logger; throttle?: Throttle; schedules?: ScheduleSync; charts?: ChartRenderer; platformFor: (name: PlatformName) => ChatPlatform | undefined }): Promise<TestServices> {
  const store = await seededStore();
  let now = new Date(opts.nowIso ?? '2026-08-21T10:00:00Z');
  const clock = { now: () => now, set: (iso: string) => void (now = new Date(iso)) };
  const log = opts.log ?? silentLogger();
  const index = new LunrPaperIndex({ feed: storeDocFeed(store), log, useWorker: false });
  const digests = new DigestService({ store, index, clock, log, ...(opts.charts ? { charts: opts.charts } : {}) });
  const services: BotServices = {
    store,
    index,
    search: new SearchService({ index, store, snippet: makeSnippet }),
    digests,
    dispatcher: new InlineDigestDispatcher(digests, opts.platformFor),
    clock,
    log,
    defaults: { timezone: 'UTC' },
    throttle: opts.throttle ?? NO_THROTTLE,
    ...(opts.schedules ? { schedules: opts.schedules } : {}),
  };
  return { services, store, index, clock };
}

export async function makeHarness(nowIso = '2026-08-21T10:00:00Z'): Promise<Harness> {
  const platform = new FakePlatform();
  const { services, store, clock } = await makeTestServices({ nowIso, platformFor: () => platform });
  const handlers = createHandlers(services, commands, PLATFORMS);
  return {
    services,
    handlers,
    platform,
    store,
    clock,
    async run(text, opts = {}) {
      const { spec, options } = parseCommandLine(text, commands);
      const inv: CommandInvocation = {
        ...(opts.channel ?? CHANNEL),
        id: `inv-${++seq}`,
        userId: opts.user ?? 'u1',
        command: spec.name,
        options,
        permissions: { ...ALL, ...opts.permissions },
        ...(opts.pings ? { pings: opts.pings } : {}),
      };
      return handlers.command(inv);
    },
    async react(messageId, ev = {}) {
      await handlers.reaction({ ...CHANNEL, messageId, userId: 'u1', emoji: '🔖', added: true, ...ev });
    },
  };
}
