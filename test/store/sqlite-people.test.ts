/**
 * SQLite's side of the people tables (schema version 4): a version-3 database upgrades in
 * place (its subscriptions become daily), and forgetting a person is one transaction.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { inboxRef, DEFAULT_INBOX } from '../../src/core/people.js';
import { migrate, MIGRATIONS } from '../../src/store/sqlite/sqlite-migrations.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../support/tmp.js';

const dir = tempDir('papers-sqlite-people-');
let n = 0;
const freshFile = (): string => path.join(dir, `people-${n++}.db`);
const AT = '2026-03-02T08:00:00.000Z';

describe('SQLite migration 4: inboxes and weekly digests', () => {
  it('upgrades a version-3 database: its subscriptions are daily, weekly ones can be stored, people tables work', async () => {
    const file = freshFile();
    const db = new Database(file);
    migrate(db, file, MIGRATIONS.slice(0, 3));
    db.prepare(
      `INSERT INTO subscriptions (platform, workspace_id, channel_id, hour, minute, timezone, weekdays, top_n, min_upvotes, created_by, created_at, updated_at)
       VALUES ('discord', 'g1', 'c1', 9, 0, 'UTC', '1,2,3,4,5', 5, 0, 'u1', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
    ).run();
    db.close();

    const store = SqliteStore.open(file);
    try {
      const [old] = await store.listSubscriptions();
      expect(old).toMatchObject({ channelId: 'c1', every: 'day', weekdays: [1, 2, 3, 4, 5] });
      expect(await store.saveSubscription({ ...old!, every: 'week', weekdays: [1] })).toMatchObject({ every: 'week', weekdays: [1] });
      expect(await store.people.addFollow({ platform: 'discord', userId: 'u1', topic: 'diffusion', createdAt: AT })).toBe(true);
      const inbox = { ...DEFAULT_INBOX, platform: 'discord', userId: 'u1', workspaceId: 'g1', enabled: true, pausedReason: null, pauseNoticeShown: false, createdAt: AT, updatedAt: AT };
      expect(await store.people.saveInbox(inbox)).toEqual(inbox);
    } finally {
      await store.close();
    }

    const after = new Database(file);
    try {
      // The cadence is checked by the schema too.
      expect(() => after.prepare("UPDATE subscriptions SET every = 'month'").run()).toThrow(/CHECK/);
      expect(() => after.prepare("UPDATE inboxes SET every = 'month'").run()).toThrow(/CHECK/);
    } finally {
      after.close();
    }
  });
});

describe('SqliteStore: forgetting a person', () => {
  it('is one transaction: a failure part way deletes nothing', async () => {
    const file = freshFile();
    const store = SqliteStore.open(file);
    const ref = inboxRef({ platform: 'discord', workspaceId: 'g1', userId: 'u1' });
    try {
      await store.addBookmark({ platform: 'discord', userId: 'u1', paperId: 'p1', createdAt: AT });
      await store.people.addFollow({ platform: 'discord', userId: 'u1', topic: 'diffusion', createdAt: AT });
      await store.recordPosted({ ...ref, date: '2026-03-02', kind: 'paper', paperId: 'p1', messageId: 'm1', postedAt: AT });
      await store.deliveries.markSlot(ref, '2026-03-02', AT);
      // The last delete (handled slots) fails, after every other table's delete ran.
      const side = new Database(file);
      side.exec("CREATE TRIGGER refuse BEFORE DELETE ON digest_slots BEGIN SELECT RAISE(ABORT, 'refused by test'); END");
      side.close();
      await expect(store.people.forget('discord', 'u1')).rejects.toThrow(/refused by test/);
      expect(await store.listBookmarks('discord', 'u1')).toHaveLength(1);
      expect(await store.people.listFollows('discord', 'u1')).toHaveLength(1);
      expect(await store.listPosted(ref, '2026-03-02')).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});
