/** The UpvoteHistory port (samples for the trending order) on the SQLite store's file; see src/core/momentum.ts. */
import type Database from 'better-sqlite3';
import type { UpvoteHistory, UpvoteSample } from '../../core/momentum.js';
import type { PaperId } from '../../core/paper.js';

/** Ids per statement, as for paper lookups: a huge list does not build a huge JSON argument. */
const CHUNK = 500;

interface Row {
  paper_id: string;
  observed_at: string;
  upvotes: number;
}

export class SqliteUpvoteHistory implements UpvoteHistory {
  private readonly recordTx: Database.Transaction<(samples: readonly UpvoteSample[]) => number>;

  constructor(private readonly db: Database.Database) {
    this.recordTx = db.transaction((samples: readonly UpvoteSample[]) => {
      const insert = db.prepare('INSERT INTO upvote_samples (paper_id, observed_at, upvotes) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
      let n = 0;
      for (const s of samples) n += insert.run(s.paperId, s.observedAt, s.upvotes).changes;
      return n;
    });
  }

  async record(samples: readonly UpvoteSample[]): Promise<number> {
    return samples.length ? this.recordTx.immediate(samples) : 0;
  }

  async history(paperIds: readonly PaperId[], since: string): Promise<UpvoteSample[]> {
    // Sorted before chunking, so the chunks' results concatenate in paper id order.
    const ids = [...new Set(paperIds)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const stmt = this.db.prepare(`
      SELECT s.paper_id, s.observed_at, s.upvotes FROM upvote_samples s
      WHERE s.paper_id IN (SELECT value FROM json_each(@ids))
        AND (s.observed_at >= @since OR s.observed_at = (
          SELECT max(t.observed_at) FROM upvote_samples t WHERE t.paper_id = s.paper_id AND t.observed_at < @since))
      ORDER BY s.paper_id, s.observed_at`);
    const out: UpvoteSample[] = [];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = stmt.all({ ids: JSON.stringify(ids.slice(i, i + CHUNK)), since }) as Row[];
      for (const r of rows) out.push({ paperId: r.paper_id, observedAt: r.observed_at, upvotes: r.upvotes });
    }
    return out;
  }

  async prune(before: string): Promise<number> {
    return this.db.prepare('DELETE FROM upvote_samples WHERE observed_at < ?').run(before).changes;
  }
}
