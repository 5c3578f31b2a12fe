/** The UpvoteHistory port (samples for the trending order) in memory; see src/core/momentum.ts. */
import type { UpvoteHistory, UpvoteSample } from '../core/momentum.js';
import type { PaperId } from '../core/paper.js';

export class MemoryUpvoteHistory implements UpvoteHistory {
  /** Paper id → its samples, oldest first. */
  private readonly samples = new Map<PaperId, UpvoteSample[]>();

  /** `live` throws once the store is closed. */
  constructor(private readonly live: () => void) {}

  async record(samples: readonly UpvoteSample[]): Promise<number> {
    this.live();
    let added = 0;
    for (const s of samples) {
      const list = this.samples.get(s.paperId) ?? [];
      if (list.some((x) => x.observedAt === s.observedAt)) continue;
      list.push({ paperId: s.paperId, observedAt: s.observedAt, upvotes: s.upvotes });
      list.sort((a, b) => cmp(a.observedAt, b.observedAt));
      this.samples.set(s.paperId, list);
      added++;
    }
    return added;
  }

  async history(paperIds: readonly PaperId[], since: string): Promise<UpvoteSample[]> {
    this.live();
    const out: UpvoteSample[] = [];
    for (const id of [...new Set(paperIds)].sort(cmp)) {
      const list = this.samples.get(id) ?? [];
      const before = list.filter((s) => s.observedAt < since).at(-1);
      out.push(...(before ? [before] : []), ...list.filter((s) => s.observedAt >= since));
    }
    return out.map((s) => ({ ...s }));
  }

  async prune(before: string): Promise<number> {
    this.live();
    let removed = 0;
    for (const [id, list] of this.samples) {
      const kept = list.filter((s) => s.observedAt >= before);
      removed += list.length - kept.length;
      if (kept.length) this.samples.set(id, kept);
      else this.samples.delete(id);
    }
    return removed;
  }
}

/** Code-unit order, SQLite's BINARY and PostgreSQL's "C" collation for ids and ISO instants. */
const cmp = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
