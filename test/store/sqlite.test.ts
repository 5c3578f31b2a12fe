import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Paper } from '../../src/core/paper.js';
import { LATEST_VERSION, migrate, MIGRATIONS } from '../../src/store/sqlite/sqlite-migrations.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { makePaper, syntheticPapers } from '../support/papers.js';
import { tempDir } from '../support/tmp.js';
import { storeContract } from './contract.js';

const dir = tempDir('papers-store-');
let n = 0;
const freshFile = (): string => path.join(dir, `store-${n++}.db`);

storeContract('SqliteStore', async () => {
  const file = freshFile();
  return { store: SqliteStore.open(file), reopen: async () => SqliteStore.open(file) };
}, { persistent: true });

/** Looks at the file the way another tool would, without going through the store. */
function inspect<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

describe('SqliteStore on a real file', () => {
  it('creates missing parent directories and runs in WAL mode', async () => {
    const file = path.join(dir, 'nested', 'deeper', 'papers.db');
    const store = SqliteStore.open(file);
    await store.close();
    expect(inspect(file, (db) => db.pragma('journal_mode', { simple: true }))).toBe('wal');
  });

  it('records migrations once and does not re-run them on reopen', async () => {
    const file = freshFile();
    await SqliteStore.open(file).close();
    const read = () => inspect(file, (db) => ({
      version: db.pragma('user_version', { simple: true }),
      rows: db.prepare('SELECT version, name, applied_at FROM schema_migrations').all(),
    }));
    const first = read();
    expect(first.version).toBe(LATEST_VERSION);
    expect(first.rows).toHaveLength(MIGRATIONS.length);
    await SqliteStore.open(file).close();
    expect(read()).toEqual(first);
  });

  it('rolls a failing migration back whole', () => {
    const file = freshFile();
    const db = new Database(file);
    try {
      expect(migrate(db, file)).toEqual(MIGRATIONS.map((m) => m.version));
      const broken = [...MIGRATIONS, { version: LATEST_VERSION + 1, name: 'broken', up: 'CREATE TABLE half_done (x); SELECT * FROM missing_table;' }];
      expect(() => migrate(db, file, broken)).toThrow(/missing_table/);
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
      expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").pluck().get()).toBe(0);
      expect(db.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(LATEST_VERSION);
    } finally {
      db.close();
    }
  });

  it('migration 6: a version-5 file upgrades, its papers without a thumbnail until the next ingest gives one', async () => {
    const file = path.join(tempDir(), 'v5.db');
    const db = new Database(file);
    migrate(db, file, MIGRATIONS.slice(0, 5));
    db.prepare(`INSERT INTO papers (id, title, abstract, authors_json, keywords_json, categories_json, sources_json, created_at, updated_at)
      VALUES ('2608.00001', 'Old', '', '[]', '[]', '[]', '["hf"]', 'now', 'now')`).run();
    db.close();
    const store = SqliteStore.open(file);
    try {
      const old = (await store.getPaper('2608.00001'))!;
      expect(old.thumbnail).toBeNull();
      const thumb = 'https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2608.00001.png';
      expect(await store.upsertPapers([{ ...old, thumbnail: thumb }])).toMatchObject({ updated: 1 });
      expect((await store.getPaper('2608.00001'))?.thumbnail).toBe(thumb);
    } finally {
      await store.close();
    }
  });

  it('refuses a database written by a newer version, naming the file and both versions', async () => {
    const file = freshFile();
    await SqliteStore.open(file).close();
    const db = new Database(file);
    db.pragma(`user_version = ${LATEST_VERSION + 1}`);
    db.close();
    expect(() => SqliteStore.open(file)).toThrow(
      `Database ${file} has schema version ${LATEST_VERSION + 1}, but this version of the bot only knows up to ${LATEST_VERSION}`,
    );
    expect(() => SqliteStore.open(file, { readonly: true })).toThrow(/only knows up to/);
  });

  it('opens read-only: reads work, writes reject, a missing file is named', async () => {
    const file = freshFile();
    const writer = SqliteStore.open(file);
    await writer.upsertPapers([makePaper({ id: '1' })]);
    await writer.close();
    const reader = SqliteStore.open(file, { readonly: true });
    expect(await reader.countPapers()).toBe(1);
    await expect(reader.setMeta('k', 'v')).rejects.toThrow(/readonly/);
    await reader.close();
    const missing = path.join(dir, 'missing.db');
    expect(() => SqliteStore.open(missing, { readonly: true })).toThrow(missing);
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('two instances on one file see each other\'s writes (bot and CLI)', async () => {
    const file = freshFile();
    const bot = SqliteStore.open(file);
    const cli = SqliteStore.open(file);
    try {
      const { revision } = await cli.upsertPapers([makePaper({ id: '1' })]);
      expect(await bot.getPaper('1')).not.toBeNull();
      expect(await bot.revision()).toBe(revision);
      // Counts are computed inside the write transaction, so they reflect the other writer.
      expect(await bot.upsertPapers([makePaper({ id: '1' }), makePaper({ id: '2' })])).toMatchObject({ inserted: 1, unchanged: 1, revision: revision + 1 });
      await bot.setMeta('k', 'from bot');
      expect(await cli.getMeta('k')).toBe('from bot');
      expect(await cli.countPapers()).toBe(2);
    } finally {
      await bot.close();
      await cli.close();
    }
  });

  it('upserts 80,000 papers in one call, then re-imports them unchanged', async () => {
    const store = SqliteStore.open(freshFile());
    try {
      const papers = syntheticPapers(80_000);
      let t = performance.now();
      const first = await store.upsertPapers(papers);
      const insertMs = performance.now() - t;
      expect(first).toEqual({ inserted: 80_000, updated: 0, unchanged: 0, revision: 1 });
      t = performance.now();
      const again = await store.upsertPapers(papers);
      const reimportMs = performance.now() - t;
      expect(again).toEqual({ inserted: 0, updated: 0, unchanged: 80_000, revision: 1 });
      expect(await store.countPapers()).toBe(80_000);
      expect((await store.stats()).featuredDays).toBe(500);
      console.info(`80k upsert: insert ${insertMs.toFixed(0)} ms, unchanged re-import ${reimportMs.toFixed(0)} ms`);
    } finally {
      await store.close();
    }
  }, 120_000);
});
