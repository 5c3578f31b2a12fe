/**
 * What the job processors may use. Built by the composition roots (src/worker.ts, or
 * src/main.ts when the bot runs its workers in-process) from the concrete store, index,
 * source, platforms and queues.
 */
import type { DigestService } from '../src/core/digest/digest-service.js';
import type { ChatPlatform, Clock, Logger, PaperIndex, PaperSource, PlatformName, Store } from '../src/core/ports.js';
import type { ScheduleSync } from '../src/core/services.js';
import type { DigestDeliverPayload, HintsPayload } from './queues.js';

export interface JobContext {
  store: Store;
  index: PaperIndex;
  source: PaperSource;
  digests: DigestService;
  clock: Clock;
  log: Logger;
  schedules: ScheduleSync;
  /** The platform this process can post to, or undefined. */
  platformFor(name: PlatformName): ChatPlatform | undefined;
  /** Adds a delivery job; a job id that exists already is a no-op. */
  enqueueDeliver(payload: DigestDeliverPayload, jobId: string): Promise<void>;
  /** Adds the 🔖 hints of a delivery as a low-priority job. */
  enqueueHints(payload: HintsPayload, jobId: string): Promise<void>;
  /** Refreshes stored upvotes if the last ingest is older than 30 minutes (once per process at a time). */
  ensureFreshUpvotes(): Promise<void>;
  /** Tells every bot process that papers changed (their indexes catch up). */
  papersChanged(ids: readonly string[]): Promise<void>;
}

/** The part of a BullMQ Job the processors read; a real Job satisfies it. */
export interface JobLike<T = unknown> {
  id?: string | undefined;
  name: string;
  data: T;
  /** How many times the job became active (a stalled job counts again). */
  attemptsStarted: number;
  /** What the job reported as its progress, kept across attempts. */
  progress?: unknown;
  updateProgress?(progress: object): Promise<void>;
}
