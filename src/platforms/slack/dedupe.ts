/**
 * Deliveries already seen, so a retried or replayed request is acknowledged but not
 * handled twice.
 *
 * Slack retries an event (same `event_id`, header `X-Slack-Retry-Num`) when it got no
 * 2xx within 3 s, up to three times over about five minutes; a replayed request carries
 * the same `event_id` or `trigger_id`. Ten minutes of memory covers both. Bolt does not
 * dedupe by itself.
 *
 * The memory is shared through Redis (a SeenStore, from the process's queue side) when
 * the process has one, so several receiving processes behind a load balancer, or a bot
 * restarted between an event and its retry, still handle it once. Without Redis, and
 * for a request while Redis does not answer, it is the set in this process: a retry
 * landing elsewhere then repeats an effect that is idempotent anyway (a bookmark is a
 * set member; App Home is re-published whole) rather than doubling it.
 */
import type { Logger, SeenStore } from '../../core/ports.js';

export const SEEN_TTL_MS = 10 * 60_000;

export class SeenDeliveries {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs = SEEN_TTL_MS,
    private readonly max = 20_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True the first time `key` is seen within the TTL; false for a repeat. */
  firstTime(key: string): boolean {
    const now = this.now();
    const until = this.seen.get(key);
    if (until !== undefined && until > now) return false;
    this.seen.set(key, now + this.ttlMs);
    if (this.seen.size > this.max) this.prune(now);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  private prune(now: number): void {
    for (const [k, until] of this.seen) if (until <= now) this.seen.delete(k);
    // Still full of live keys (a flood): forget the oldest, which Slack no longer retries.
    for (const k of this.seen.keys()) {
      if (this.seen.size <= this.max) break;
      this.seen.delete(k);
    }
  }
}

/** The shared SeenStore when there is one, else (and while it fails) the in-process set. */
export class SlackDeliveries {
  private readonly local: SeenDeliveries;

  constructor(
    /** Read per delivery: the process's Redis side starts after its platforms are built. */
    private readonly shared: (() => SeenStore | undefined) | undefined,
    private readonly log: Logger,
    private readonly ttlMs = SEEN_TTL_MS,
  ) {
    this.local = new SeenDeliveries(ttlMs);
  }

  async firstTime(key: string): Promise<boolean> {
    const shared = this.shared?.();
    if (!shared) return this.local.firstTime(key);
    try {
      return await shared.firstTime(`slack:${key}`, this.ttlMs);
    } catch (err) {
      this.log.warn({ key, err: (err as Error).message }, 'shared dedupe unavailable: this delivery is remembered in this process only');
      return this.local.firstTime(key);
    }
  }
}

/**
 * The identity of one delivery: the event id of an Events API callback, else the
 * trigger id of a slash command or an interaction (unique per user action), scoped by
 * team. Null for payloads that carry neither (nothing to dedupe on).
 */
export function deliveryKey(body: unknown): string | null {
  if (!body || typeof body !== 'object') return null;
  const b = body as Record<string, unknown>;
  const team = typeof b.team_id === 'string' ? b.team_id : typeof (b.team as { id?: unknown } | undefined)?.id === 'string' ? (b.team as { id: string }).id : '';
  if (typeof b.event_id === 'string' && b.event_id) return `${team}:event:${b.event_id}`;
  if (typeof b.trigger_id === 'string' && b.trigger_id) {
    // Two buttons pressed in one message share nothing but the trigger; the action id keeps them apart.
    const actions = Array.isArray(b.actions) ? (b.actions as { action_id?: unknown; action_ts?: unknown }[]) : [];
    const first = actions[0];
    const suffix = first ? `:${String(first.action_id ?? '')}:${String(first.action_ts ?? '')}` : '';
    return `${team}:trigger:${b.trigger_id}${suffix}`;
  }
  return null;
}
