/**
 * Schema version 2 dropped version 1's hard-coded platform list: a database written by
 * version 1 upgrades in place (rows, indexes and rowid order kept), and afterwards any
 * well-formed platform name is stored while a malformed one is still refused.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LATEST_VERSION, migrate, MIGRATIONS } from '../../src/store/sqlite/sqlite-migrations.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../support/tmp.js';

const dir = tempDir('papers-platform-names-');

describe('SQLite migration 2: platform names', () => {
  it('upgrades a version-1 database, keeping its rows, and then accepts a new platform', async () => {
    const file = path.join(dir, 'v1.db');
    const db = new Database(file);
    migrate(db, file, MIGRATIONS.slice(0, 1));
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    db.prepare(
      `INSERT INTO subscriptions (platform, workspace_id, channel_id, hour, minute, timezone, weekdays, top_n, min_upvotes, created_by, created_at, updated_at)
       VALUES ('discord', 'g1', 'c1', 9, 0, 'UTC', '1,2,3,4,5', 5, 0, 'u1', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
    ).run();
    db.prepare(`INSERT INTO bookmarks VALUES ('slack', 'U1', '2401.00001', '2026-01-01T00:00:00Z')`).run();
    const post = db.prepare(`INSERT INTO posted VALUES (?, 'g1', 'c1', '2026-01-02', 'paper', ?, ?, '2026-01-02T09:00:00Z')`);
    post.run('discord', '2401.00002', 'm2');
    post.run('discord', '2401.00001', 'm1');
    db.prepare(`INSERT INTO installs VALUES ('slack', 'T1', '{"a":1}', '2026-01-01T00:00:00Z')`).run();
    // Version 1 refused any platform outside its list.
    expect(() => db.prepare(`INSERT INTO bookmarks VALUES ('matrix', 'U1', '2401.00001', 'x')`).run()).toThrow(/CHECK/);
    db.close();

    const store = SqliteStore.open(file);
    try {
      expect((await store.listSubscriptions()).map((s) => [s.platform, s.channelId])).toEqual([['discord', 'c1']]);
      expect((await store.listBookmarks('slack', 'U1')).map((b) => b.paperId)).toEqual(['2401.00001']);
      expect((await store.findPostedByMessage('discord', 'c1', 'm1'))?.paperId).toBe('2401.00001');
      expect(await store.getInstall('slack', 'T1')).not.toBeNull();
      expect(await store.addBookmark({ platform: 'matrix', userId: 'U1', paperId: '2401.00001', createdAt: '2026-01-03T00:00:00Z' })).toBe(true);
      expect((await store.listBookmarks('matrix', 'U1')).map((b) => b.paperId)).toEqual(['2401.00001']);
    } finally {
      await store.close();
    }

    const after = new Database(file);
    try {
      expect(after.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
      // rowid order (record order) survived the rebuild, and the exactly-once indexes are back.
      expect(after.prepare('SELECT message_id FROM posted ORDER BY rowid').pluck().all()).toEqual(['m2', 'm1']);
      expect(after.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'posted' AND name LIKE 'posted_%' ORDER BY name").pluck().all()).toEqual([
        'posted_by_day',
        'posted_by_message',
        'posted_header_once',
        'posted_paper_once',
      ]);
      expect(() => after.prepare(`INSERT INTO posted VALUES ('discord', 'g1', 'c1', '2026-01-02', 'paper', '2401.00002', 'm3', 'x')`).run()).toThrow(/UNIQUE/);
      // Still only well-formed names.
      expect(() => after.prepare(`INSERT INTO bookmarks VALUES ('Not A Name', 'U1', '2401.00001', 'x')`).run()).toThrow(/CHECK/);
      expect(() => after.prepare(`INSERT INTO bookmarks VALUES ('', 'U1', '2401.00001', 'x')`).run()).toThrow(/CHECK/);
    } finally {
      after.close();
    }
  });
});
