/**
 * The plug-in contract of a chat platform: everything the app needs to know about one,
 * declared once in src/platforms/<name>/index.ts and listed in src/platforms/index.ts.
 * Config, the registry (bot and poster factories), the limiter's rate table, the CLI's
 * subcommands and the core's permission wording all read it; nothing else names a
 * platform. The pure part (name, refusal wording, rate rules) is the core's
 * PlatformTraits, so the core can be handed the list without importing this folder.
 */
import type { RequestListener } from 'node:http';
import type { z } from 'zod';
import type { CommandSpec } from '../core/command-spec/spec.js';
import type { PlatformTraits, RateRules } from '../core/platform-descriptor.js';
import type { Metrics } from '../core/metrics.js';
import type { ChatPlatform, Logger, SeenStore, Store, TurnGate } from '../core/ports.js';

/** What a platform's factories are given by the app. */
export interface PlatformDeps {
  store: Store;
  log: Logger;
  commands: readonly CommandSpec[];
  /**
   * The process's HTTP server (src/http/), for a platform that receives HTTP requests:
   * it mounts its listener there instead of opening a port of its own, so one HTTP_PORT
   * serves health, metrics and the platform.
   */
  mountHttp?: (listener: RequestListener) => void;
  /** Where a platform counts what only it sees (invalid requests, its breaker). */
  metrics?: Metrics;
  /**
   * Deliveries seen by any process of this install (Redis), for a platform whose sender
   * retries. A function, read per delivery: the process's Redis side starts after the
   * platforms are built (and before they start). Unset or undefined: in-process memory.
   */
  seen?: () => SeenStore | undefined;
  /**
   * Turns shared by every process of this install (Redis), for limits counted per bot
   * (Discord's gateway identify). A function, like `seen`; undefined: paced per process.
   */
  turns?: () => TurnGate | undefined;
}

/**
 * A platform's configuration: the environment variables it reads (a zod fragment merged
 * into config.ts's one schema, so a bad value is reported like any other) and how its
 * section is built from them. Pure: config.ts hands it the parsed record; only config.ts
 * reads the environment.
 */
export interface PlatformConfig<S> {
  env: z.ZodRawShape;
  /** The section from the parsed variables, and problems as "  VARIABLE: what is wrong" lines. */
  read(vars: Readonly<Record<string, unknown>>): { section: S; problems: string[] };
}

/** `papers <name> …`: a platform's chores from the command line. */
export interface PlatformCli<S> {
  /** Lines for the CLI's usage text. */
  usage: string;
  run(args: string[], section: S): Promise<void>;
}

export interface PlatformDescriptor<S = unknown> extends PlatformTraits {
  readonly config: PlatformConfig<S>;
  /** The section turns the platform on (its tokens are set). */
  enabled(section: S): boolean;
  /** How the start-up line names it, e.g. "Slack Socket Mode". */
  describe?(section: S): string;
  /** The platform's own limits, as the shared limiter's buckets. */
  rates(section: S): RateRules;
  /** The full platform a bot process starts (gateway, receivers). */
  createBot?(section: S, deps: PlatformDeps): Promise<ChatPlatform>;
  /** Posting only (REST / Web API), for worker processes delivering digests. */
  createPoster?(section: S, deps: PlatformDeps): Promise<ChatPlatform>;
  readonly cli?: PlatformCli<S>;
}

/** Any descriptor, as the list holds them (each one's section type is its own business). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyPlatformDescriptor = PlatformDescriptor<any>;

/** Identity with the section type inferred: `definePlatform({ ... })`. */
export function definePlatform<S>(d: PlatformDescriptor<S>): PlatformDescriptor<S> {
  return d;
}
