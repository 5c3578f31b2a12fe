/**
 * Deliveries already seen, so a retried or replayed request is acknowledged but not
 * handled twice.
 *
 * Slack retries an event (same `event_id`, header `X-Slack-Retry-Num`) when it got no
 * 2xx within 3 s, up to three times over about five minutes; a replayed request carries
 * the same `event_id` or `trigger_id`. Ten minutes of memory covers both. Bolt does not
 * dedupe by itself.
 *
 * The set lives in this process. That is enough here: one bot process receives Slack's
 * requests (the worker only posts), Slack retries to the same URL, and what the handlers
 * do is idempotent anyway (a bookmark is a set member; App Home is re-published whole),
 * so the rare retry after a restart repeats an effect harmlessly rather than doubling it.
 * Several receiving processes behind a load balancer would need a shared set (Redis
 * `SET key 1 NX EX 600`).
 */
export class SeenDeliveries {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs = 10 * 60_000,
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
