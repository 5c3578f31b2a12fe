/**
 * How every entry point starts and stops, written once: a fatal error at start is one
 * clear line and exit 1; SIGINT/SIGTERM (or the console's `quit`) run the registered stop
 * steps in reverse order of registration, each even if an earlier one failed, then flush
 * the log and exit.
 */
import { BotError } from '../core/errors.js';

interface Flushable {
  flush(): void;
  warn(obj: object, msg?: string): void;
}

export class Lifecycle {
  private readonly steps: { name: string; run: () => Promise<unknown> }[] = [];
  private stopping: Promise<void> | null = null;

  constructor(private readonly log: Flushable) {}

  /** Registers a stop step; the last registered runs first (what was started last stops first). */
  onStop(name: string, run: () => Promise<unknown>): void {
    this.steps.unshift({ name, run });
  }

  /** Stops everything once; later calls wait for the first. */
  shutdown(code = 0): Promise<void> {
    this.stopping ??= (async () => {
      for (const step of this.steps.splice(0)) {
        try {
          await step.run();
        } catch (err) {
          this.log.warn({ step: step.name, err: err instanceof Error ? err.message : String(err) }, 'stop step failed');
        }
      }
      this.log.flush();
      process.exit(code);
    })();
    return this.stopping;
  }

  handleSignals(): void {
    process.once('SIGINT', () => void this.shutdown(0));
    process.once('SIGTERM', () => void this.shutdown(0));
  }
}

/** What a fatal error says: a BotError's user message, else the stack for a bug. */
export function describeFatal(err: unknown): string {
  if (err instanceof BotError) return err.userMessage;
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/** Runs an entry point; a failure to start is reported once and exits 1. */
export function runEntry(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    process.stderr.write(`${describeFatal(err)}\n`);
    process.exit(1);
  });
}
