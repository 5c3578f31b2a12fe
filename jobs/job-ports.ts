/**
 * What the job processors may use: narrow ports, built by the wiring (src/app/) from the
 * concrete store, index, source, platforms and queues of the process.
 */
import type { DigestService } from '../src/core/digest/digest-service.js';
import type { ChatPlatform, Clock, Logger, PaperIndex, PaperSource, PlatformName, Store } from '../src/core/ports.js';
import type { Metrics } from '../src/core/metrics.js';
import type { ScheduleSync } from '../src/core/services.js';

/**
 * Adds jobs; a job id that exists already is a no-op (that is the idempotency). With
 * `revive`, a job of that id that already finished (completed or failed) is replaced by a
 * new one: the store says the work is not done (see jobs/sweep.ts), whatever Redis recalls.
 */
export interface JobQueue {
  /** True when a job was added; with `revive`, false when one of that id is still pending or running. */
  add(queue: string, name: string, payload: object, opts: { jobId: string; attempts?: number; revive?: boolean; /** Milliseconds before the job may run. */ delay?: number }): Promise<boolean | void>;
}

export interface JobContext {
  store: Store;
  index: PaperIndex;
  source: PaperSource;
  digests: DigestService;
  clock: Clock;
  log: Logger;
  schedules: ScheduleSync;
  queue: JobQueue;
  /** The platform this process can post to, or undefined. */
  platformFor(name: PlatformName): ChatPlatform | undefined;
  /** Refreshes stored upvotes if the last ingest is older than 30 minutes (once per process at a time). */
  ensureFreshUpvotes(): Promise<void>;
  /** Tells every bot process that papers changed (their indexes catch up). */
  papersChanged(ids: readonly string[]): Promise<void>;
  /** Optional: counts ingest runs. */
  metrics?: Metrics;
  /**
   * Deliveries this process is running now, by id. A sweep leaves them alone: after Redis
   * forgot its jobs, the attempt still running here must stop before another one starts.
   */
  inFlight: Set<string>;
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
