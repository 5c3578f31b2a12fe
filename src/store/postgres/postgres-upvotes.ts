/** The UpvoteHistory port (samples for the trending order) on PostgreSQL; see src/core/momentum.ts. */
import type pg from 'pg';
import type { UpvoteHistory, UpvoteSample } from '../../core/momentum.js';
import type { PaperId } from '../../core/paper.js';

interface Row {
  paper_id: string;
  observed_at: string;
  upvotes: number;
}

export class PostgresUpvoteHistory implements UpvoteHistory {
  constructor(private readonly pool: pg.Pool) {}

  async record(samples: readonly UpvoteSample[]): Promise<number> {
    if (!samples.length) return 0;
    // One statement, so the batch is stored whole or not at all.
    const res = await this.pool.query(
      `INSERT INTO upvote_samples (paper_id, observed_at, upvotes)
       SELECT * FROM unnest($1::text[], $2::text[], $3::integer[])
       ON CONFLICT (paper_id, observed_at) DO NOTHING`,
      [samples.map((s) => s.paperId), samples.map((s) => s.observedAt), samples.map((s) => s.upvotes)],
    );
    return res.rowCount ?? 0;
  }

  async history(paperIds: readonly PaperId[], since: string): Promise<UpvoteSample[]> {
    if (!paperIds.length) return [];
    const { rows } = await this.pool.query<Row>(
      `SELECT s.paper_id, s.observed_at, s.upvotes FROM upvote_samples s
       WHERE s.paper_id = ANY($1::text[])
         AND (s.observed_at >= $2 OR s.observed_at = (
           SELECT max(t.observed_at) FROM upvote_samples t WHERE t.paper_id = s.paper_id AND t.observed_at < $2))
       ORDER BY s.paper_id, s.observed_at`,
      [[...new Set(paperIds)], since],
    );
    return rows.map((r) => ({ paperId: r.paper_id, observedAt: r.observed_at, upvotes: r.upvotes }));
  }

  async prune(before: string): Promise<number> {
    return (await this.pool.query('DELETE FROM upvote_samples WHERE observed_at < $1', [before])).rowCount ?? 0;
  }
}
