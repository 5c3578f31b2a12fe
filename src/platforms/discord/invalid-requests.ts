/**
 * Discord bans an IP for a while after 10,000 invalid requests (401, 403, 429) in ten
 * minutes. This counts them over a sliding ten minutes and, at `openAt` (half the ban
 * threshold by default), stops sending: every request is refused here with a
 * RateLimitedError until enough of the counted ones have aged out. The shared limiter
 * and the job retries then wait, rather than this process walking into the ban.
 *
 * Per process: each process holds its own count, so N processes behind one IP should
 * each get ban/N (DISCORD_INVALID_REQUESTS_OPEN_AT). @discordjs/rest keeps a similar
 * counter, but only as a fixed-window warning, with nothing that stops sending.
 */
import { RateLimitedError } from '../../core/errors.js';

export const INVALID_WINDOW_MS = 10 * 60_000;
const INVALID_STATUSES: ReadonlySet<number> = new Set([401, 403, 429]);

export interface BreakerEvents {
  invalid?(status: number): void;
  /** The breaker opened (true) or closed (false). */
  changed?(open: boolean, count: number): void;
}

export class InvalidRequestBreaker {
  /** Times of the invalid answers still inside the window, oldest first. */
  private readonly times: number[] = [];
  private open = false;

  constructor(
    private readonly openAt = 5_000,
    private readonly events: BreakerEvents = {},
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws RateLimitedError while open; call before each request. */
  check(): void {
    const wait = this.waitMs();
    if (wait > 0) throw new RateLimitedError(wait, `Discord circuit open: ${this.times.length} invalid requests in 10 min (limit ${this.openAt}); waiting ${wait} ms`);
  }

  /** Counts one answer. */
  record(status: number): void {
    if (!INVALID_STATUSES.has(status)) return;
    this.times.push(this.now());
    this.events.invalid?.(status);
    this.waitMs();
  }

  get isOpen(): boolean {
    return this.waitMs() > 0;
  }

  get count(): number {
    this.prune();
    return this.times.length;
  }

  /** How long until fewer than `openAt` are counted; 0 when closed. Reports transitions. */
  private waitMs(): number {
    this.prune();
    const over = this.times.length - this.openAt;
    const wait = over < 0 ? 0 : Math.max(1, this.times[over]! + INVALID_WINDOW_MS - this.now());
    if ((wait > 0) !== this.open) {
      this.open = wait > 0;
      this.events.changed?.(this.open, this.times.length);
    }
    return wait;
  }

  private prune(): void {
    const cutoff = this.now() - INVALID_WINDOW_MS;
    let drop = 0;
    while (drop < this.times.length && this.times[drop]! <= cutoff) drop++;
    if (drop) this.times.splice(0, drop);
  }
}
