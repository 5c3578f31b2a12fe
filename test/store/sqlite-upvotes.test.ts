/**
 * SQLite migration 5 (trending by momentum): a version-4 database upgrades in place, its
 * subscriptions taking the default order, and the schema checks the order and the samples.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS } from '../../src/store/sqlite/sqlite-migrations.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../support/tmp.js';

const dir = tempDir('papers-sqlite-upvotes-');

describe('SQLite migration 5: digest order and upvote history', () => {
  it('upgrades a version-4 database: its subscriptions rank by momentum, samples can be stored', async () => {
    const file = path.join(dir, 'v4.db');
    const db = new Database(file);
    migrate(db, file, MIGRATIONS.slice(0, 4));
    db.prepare(
      `INSERT INTO subscriptions (platform, workspace_id, channel_id, hour, minute, timezone, weekdays, every, top_n, min_upvotes, created_by, created_at, updated_at)
       VALUES ('discord', 'g1', 'c1', 9, 0, 'UTC', '1,2,3,4,5', 'day', 5, 0, 'u1', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
    ).run();
    db.close();

    const store = SqliteStore.open(file);
    try {
      const [old] = await store.listSubscriptions();
      expect(old).toMatchObject({ channelId: 'c1', order: 'trending' });
      expect((await store.saveSubscription({ ...old!, order: 'upvotes' })).order).toBe('upvotes');
      expect(await store.upvotes.record([{ paperId: '2608.1', observedAt: '2026-08-21T01:00:00.000Z', upvotes: 3 }])).toBe(1);
    } finally {
      await store.close();
    }

    const after = new Database(file);
    try {
      expect(() => after.prepare("UPDATE subscriptions SET digest_order = 'random'").run()).toThrow(/CHECK/);
      expect(() => after.prepare("INSERT INTO upvote_samples (paper_id, observed_at, upvotes) VALUES ('', 'x', 1)").run()).toThrow(/CHECK/);
    } finally {
      after.close();
    }
  });
});
