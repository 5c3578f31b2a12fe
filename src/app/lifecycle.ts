/**
 * How every entry point starts and stops, written once. Stop steps run in reverse order
 * of registration (what started last stops first), each even if an earlier one failed,
 * on SIGINT/SIGTERM, on the console's `quit`, and on a failed start, so a private
 * redis-server never outlives the process. A failed start is one clear line and exit 1;
 * a stop that hangs is cut short so SIGTERM always exits within 10 s.
 */
import { BotError } from '../core/errors.js';
import type { ChatPlatform, PlatformHandlers } from '../core/ports.js';
import { privateFileModes } from './private-data-dir.js';

interface LifecycleLog {
  flush(): void;
  warn(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/** SIGTERM to exit, at most: orchestrators kill at 10 s (Docker's default). */
const STOP_DEADLINE_MS = 9_500;

export class Lifecycle {
  private readonly steps: { name: string; run: () => Promise<unknown> }[] = [];
  private stopping: Promise<void> | null = null;
  log: LifecycleLog | null = null;

  useLog(log: LifecycleLog): void {
    this.log = log;
  }

  /** Registers a stop step; the last registered runs first. */
  onStop(name: string, run: () => Promise<unknown>): void {
    this.steps.unshift({ name, run });
  }

  /** Stops everything once, then exits; later calls wait for the first. */
  shutdown(code = 0): Promise<void> {
    this.stopping ??= (async () => {
      setTimeout(() => {
        process.stderr.write(`Stopping took longer than ${STOP_DEADLINE_MS / 1000} s; exiting anyway.\n`);
        process.exit(code);
      }, STOP_DEADLINE_MS).unref();
      for (const step of this.steps.splice(0)) {
        try {
          await step.run();
        } catch (err) {
          this.log?.warn({ step: step.name, err: err instanceof Error ? err.message : String(err) }, 'stop step failed');
        }
      }
      this.log?.flush();
      process.exit(code);
    })();
    return this.stopping;
  }

  handleSignals(): void {
    process.once('SIGINT', () => void this.shutdown(0));
    process.once('SIGTERM', () => void this.shutdown(0));
  }
}

/**
 * What a failed start says: a BotError's user message; anything else in one line (its
 * first line), since a start-up failure is almost always the environment, not a bug. The
 * stack goes to the log at debug level.
 */
export function describeFatal(err: unknown): string {
  if (err instanceof BotError) return err.userMessage;
  const message = err instanceof Error ? err.message : String(err);
  return `Cannot start: ${message.split('\n')[0]}`;
}

/** Starts a platform; a failure (no network, a refused token) becomes one line naming the platform. */
export async function startPlatform(p: ChatPlatform, handlers: PlatformHandlers): Promise<void> {
  try {
    await p.start(handlers);
  } catch (err) {
    if (err instanceof BotError) throw err;
    const why = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    throw new BotError('unavailable', `Cannot start ${p.name[0]!.toUpperCase()}${p.name.slice(1)}: ${why}`, { cause: err });
  }
}

/** `papers search … | head`: a reader that went away is a normal end, not a crash. */
export function quietOnClosedPipe(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

/** Runs an entry point; a failure to start stops what had started, says one line, exits 1. */
export function runEntry(main: (life: Lifecycle) => Promise<void>): void {
  privateFileModes();
  const life = new Lifecycle();
  // The handlers are on from the first moment: a SIGTERM during start still stops what started.
  life.handleSignals();
  quietOnClosedPipe();
  main(life).catch((err: unknown) => {
    process.stderr.write(`${describeFatal(err)}\n`);
    life.log?.debug?.({ err }, 'start failed');
    void life.shutdown(1);
  });
}
