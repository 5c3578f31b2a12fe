import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { Paper } from '../../src/core/paper.js';
import { LATEST_VERSION, migrate, MIGRATIONS } from '../../src/store/postgres/postgres-migrations.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { makePaper, syntheticPapers } from '../support/papers.js';
import { dropSchema, freshSchema, postgresUrl, withClient } from '../support/postgres.js';
import { allDays, loadDays } from '../support/real-data.js';
import { tempDir } from '../support/tmp.js';
import { storeContract } from './contract.js';

/** Small pools: the contract opens a store per test, and other suites may share the server. */
const open = async (schema: string, max = 4): Promise<PostgresStore> => PostgresStore.open(await postgresUrl(), { schema, max });

storeContract('PostgresStore', async () => {
  const schema = freshSchema();
  return { store: await open(schema), reopen: () => open(schema), cleanup: () => dropSchema(schema) };
}, { persistent: true });

/** Runs `fn` with `count` stores on one schema (as on `count` machines), closed afterwards whatever happens. */
async function withStores<T>(schema: string, count: number, fn: (stores: PostgresStore[]) => Promise<T>): Promise<T> {
  const stores = await Promise.all(Array.from({ length: count }, () => open(schema)));
  try {
    return await fn(stores);
  } finally {
    await Promise.all(stores.map((s) => s.close()));
  }
}

const migrationRows = (schema: string) =>
  withClient(async (c) => (await c.query(`SELECT version, name, applied_at FROM "${schema}".schema_migrations ORDER BY version`)).rows);

describe('PostgresStore on a real server', () => {
  it('creates its schema and tables there only, and records migrations once', async () => {
    const schema = freshSchema();
    await (await open(schema)).close();
    const tables = await withClient(async (c) =>
      (await c.query<{ t: string }>('SELECT table_name AS t FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1', [schema])).rows.map((r) => r.t));
    expect(tables).toEqual([
      'bookmarks', 'deliveries', 'digest_slots', 'follows', 'inboxes', 'installs', 'live_messages', 'meta', 'paper_features', 'papers', 'pending_alerts', 'posted',
      'schema_migrations', 'subscriptions', 'upvote_samples',
    ]);
    const first = await migrationRows(schema);
    expect(first.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(first.at(-1)?.version).toBe(LATEST_VERSION);
    await (await open(schema)).close();
    expect(await migrationRows(schema)).toEqual(first);
  });

  it('works with a URL that carries its own session options', async () => {
    const schema = freshSchema();
    const store = await PostgresStore.open(`${await postgresUrl()}?options=${encodeURIComponent('-c statement_timeout=60000')}`, { schema, max: 1 });
    try {
      await store.upsertPapers([makePaper({ id: '1' })]);
      expect(await store.countPapers()).toBe(1);
      expect((await withClient((c) => c.query(`SELECT count(*)::int AS n FROM "${schema}".papers`))).rows[0].n).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('stores opened concurrently on an empty schema migrate it once', async () => {
    const schema = freshSchema();
    await withStores(schema, 4, async (stores) => {
      await stores[0]!.upsertPapers([makePaper({ id: '1' })]);
      for (const s of stores) expect(await s.countPapers()).toBe(1);
    });
    expect((await migrationRows(schema)).map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));

    // The same race one level down, where each caller reports what it applied.
    const other = freshSchema();
    const url = await postgresUrl();
    const clients = Array.from({ length: 4 }, () => new pg.Client({ connectionString: url }));
    try {
      await Promise.all(clients.map((c) => c.connect()));
      const applied = await Promise.all(clients.map((c) => migrate(c, other, 'test')));
      expect(applied.flat().sort((a, b) => a - b)).toEqual(MIGRATIONS.map((m) => m.version));
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });

  it('migration 2: a version-1 schema upgrades, then takes any well-formed platform name and refuses a malformed one', async () => {
    const schema = freshSchema();
    await withClient(async (c) => {
      expect(await migrate(c, schema, 'test', MIGRATIONS.slice(0, 1))).toEqual([1]);
      await c.query(`INSERT INTO "${schema}".bookmarks (platform, user_id, paper_id, created_at) VALUES ('slack', 'U1', '2401.00001', 'x')`);
      await expect(c.query(`INSERT INTO "${schema}".bookmarks (platform, user_id, paper_id, created_at) VALUES ('matrix', 'U1', '2401.00001', 'x')`)).rejects.toThrow(/check constraint/);
      expect(await migrate(c, schema, 'test')).toEqual(MIGRATIONS.slice(1).map((m) => m.version));
      await c.query(`INSERT INTO "${schema}".bookmarks (platform, user_id, paper_id, created_at) VALUES ('matrix', 'U1', '2401.00001', 'x')`);
      await expect(c.query(`INSERT INTO "${schema}".bookmarks (platform, user_id, paper_id, created_at) VALUES ('Not A Name', 'U1', '2401.00001', 'x')`)).rejects.toThrow(/check constraint/);
      expect((await c.query(`SELECT platform FROM "${schema}".bookmarks ORDER BY platform`)).rows.map((r) => r.platform)).toEqual(['matrix', 'slack']);
    });
  });

  it('migration 4: a version-3 schema upgrades, its subscriptions daily, and the cadence is checked', async () => {
    const schema = freshSchema();
    await withClient(async (c) => {
      expect(await migrate(c, schema, 'test', MIGRATIONS.slice(0, 3))).toEqual([1, 2, 3]);
      await c.query(`INSERT INTO "${schema}".subscriptions (platform, workspace_id, channel_id, hour, minute, timezone, weekdays, top_n, min_upvotes, created_by, created_at, updated_at)
        VALUES ('discord', 'g1', 'c1', 9, 0, 'UTC', '{1,2,3,4,5}', 5, 0, 'u1', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`);
    });
    const store = await open(schema);
    try {
      const [old] = await store.listSubscriptions();
      expect(old).toMatchObject({ channelId: 'c1', every: 'day', weekdays: [1, 2, 3, 4, 5] });
      expect(await store.saveSubscription({ ...old!, every: 'week', weekdays: [1] })).toMatchObject({ every: 'week', weekdays: [1] });
      expect(await store.people.addFollow({ platform: 'discord', userId: 'u1', topic: 'diffusion', createdAt: 'x' })).toBe(true);
    } finally {
      await store.close();
    }
    await withClient(async (c) => {
      await expect(c.query(`UPDATE "${schema}".subscriptions SET every = 'month'`)).rejects.toThrow(/check constraint/);
    });
  });

  it('migration 5: a version-4 schema upgrades, its subscriptions trending, and the order is checked', async () => {
    const schema = freshSchema();
    await withClient(async (c) => {
      expect(await migrate(c, schema, 'test', MIGRATIONS.slice(0, 4))).toEqual([1, 2, 3, 4]);
      await c.query(`INSERT INTO "${schema}".subscriptions (platform, workspace_id, channel_id, hour, minute, timezone, weekdays, every, top_n, min_upvotes, created_by, created_at, updated_at)
        VALUES ('discord', 'g1', 'c1', 9, 0, 'UTC', '{1,2,3,4,5}', 'day', 5, 0, 'u1', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`);
    });
    const store = await open(schema);
    try {
      const [old] = await store.listSubscriptions();
      expect(old).toMatchObject({ channelId: 'c1', order: 'trending' });
      expect((await store.saveSubscription({ ...old!, order: 'upvotes' })).order).toBe('upvotes');
      expect(await store.upvotes.record([{ paperId: '2608.1', observedAt: '2026-08-21T01:00:00.000Z', upvotes: 3 }])).toBe(1);
    } finally {
      await store.close();
    }
    await withClient(async (c) => {
      await expect(c.query(`UPDATE "${schema}".subscriptions SET digest_order = 'random'`)).rejects.toThrow(/check constraint/);
    });
    await dropSchema(schema);
  });

  it('migration 6: a version-5 schema upgrades, its papers without a thumbnail until the next ingest gives one', async () => {
    const schema = freshSchema();
    await withClient(async (c) => {
      expect(await migrate(c, schema, 'test', MIGRATIONS.slice(0, 5))).toEqual([1, 2, 3, 4, 5]);
      await c.query(`INSERT INTO "${schema}".papers (id, title, abstract, authors, keywords, categories, sources)
        VALUES ('2608.00001', 'Old', '', '{}', '{}', '{}', '{hf}')`);
    });
    const store = await open(schema);
    try {
      expect((await store.getPaper('2608.00001'))?.thumbnail).toBeNull();
      const thumb = 'https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2608.00001.png';
      const old = (await store.getPaper('2608.00001'))!;
      expect(await store.upsertPapers([{ ...old, thumbnail: thumb }])).toMatchObject({ updated: 1 });
      expect((await store.getPaper('2608.00001'))?.thumbnail).toBe(thumb);
    } finally {
      await store.close();
    }
    await dropSchema(schema);
  });

  it('forgetting a person is one transaction: a failure part way deletes nothing', async () => {
    const schema = freshSchema();
    await withStores(schema, 1, async ([store]) => {
      const ref = { platform: 'discord', workspaceId: 'g1', channelId: 'dm:u1' };
      await store!.addBookmark({ platform: 'discord', userId: 'u1', paperId: 'p1', createdAt: 'x' });
      await store!.people.addFollow({ platform: 'discord', userId: 'u1', topic: 'diffusion', createdAt: 'x' });
      await store!.recordPosted({ ...ref, date: '2026-03-02', kind: 'paper', paperId: 'p1', messageId: 'm1', postedAt: 'x' });
      await store!.deliveries.markSlot(ref, '2026-03-02', 'x');
      // The last delete (handled slots) fails, after every other table's delete ran.
      await withClient(async (c) => {
        await c.query(`CREATE FUNCTION "${schema}".refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by test'; END $$`);
        await c.query(`CREATE TRIGGER refuse BEFORE DELETE ON "${schema}".digest_slots FOR EACH ROW EXECUTE FUNCTION "${schema}".refuse()`);
      });
      await expect(store!.people.forget('discord', 'u1')).rejects.toThrow(/refused by test/);
      expect(await store!.listBookmarks('discord', 'u1')).toHaveLength(1);
      expect(await store!.people.listFollows('discord', 'u1')).toHaveLength(1);
      expect(await store!.listPosted(ref, '2026-03-02')).toHaveLength(1);
    });
  });

  it('rolls a failing migration back whole', async () => {
    const schema = freshSchema();
    await withClient(async (c) => {
      expect(await migrate(c, schema, 'test')).toEqual(MIGRATIONS.map((m) => m.version));
      const broken = [...MIGRATIONS, { version: LATEST_VERSION + 1, name: 'broken', up: 'CREATE TABLE half_done (x int); SELECT * FROM missing_table;' }];
      await expect(migrate(c, schema, 'test', broken)).rejects.toThrow(/missing_table/);
      expect((await c.query('SELECT to_regclass($1) AS t', [`"${schema}".half_done`])).rows[0].t).toBeNull();
      expect((await c.query(`SELECT max(version) AS v FROM "${schema}".schema_migrations`)).rows[0].v).toBe(LATEST_VERSION);
    });
  });

  it('refuses a database written by a newer version, naming the schema and both versions', async () => {
    const schema = freshSchema();
    await (await open(schema)).close();
    await withClient((c) => c.query(`INSERT INTO "${schema}".schema_migrations (version, name) VALUES ($1, 'from the future')`, [LATEST_VERSION + 1]));
    await expect(open(schema)).rejects.toThrow(
      `PostgreSQL schema "${schema}" at ${await postgresUrl()} has schema version ${LATEST_VERSION + 1}, but this version of the bot only knows up to ${LATEST_VERSION}`,
    );
  });

  it('opens a schema an administrator prepared, without needing CREATE on the database', async () => {
    const schema = freshSchema();
    await (await open(schema)).close();
    const role = `${schema}_bot`;
    await withClient(async (c) => {
      await c.query(`CREATE ROLE "${role}" LOGIN`);
      await c.query(`GRANT USAGE ON SCHEMA "${schema}" TO "${role}"`);
      await c.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "${schema}" TO "${role}"`);
      await c.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA "${schema}" TO "${role}"`);
    });
    try {
      const url = new URL(await postgresUrl());
      url.username = role;
      const store = await PostgresStore.open(url.toString(), { schema, max: 2 });
      try {
        expect(await store.upsertPapers([makePaper({ id: '1' })])).toMatchObject({ inserted: 1, revision: 1 });
        await store.recordPosted({ platform: 'slack', workspaceId: 'T', channelId: 'C', date: '2025-03-03', kind: 'header', paperId: null, messageId: 'm', postedAt: 'now' });
        expect(await store.stats()).toMatchObject({ papers: 1, posted: 1 });
      } finally {
        await store.close();
      }
    } finally {
      await withClient(async (c) => {
        await c.query(`DROP OWNED BY "${role}"`);
        await c.query(`DROP ROLE "${role}"`);
      });
    }
  });

  it('rejects a schema name it would have to quote, and names the server (without its password) when it cannot connect', async () => {
    await expect(PostgresStore.open(await postgresUrl(), { schema: 'Robert"); DROP TABLE x; --' })).rejects.toThrow(/schema name/);
    const err: unknown = await PostgresStore.open('postgres://bot:s3cret@127.0.0.1:1/papers').then(() => null, (e: unknown) => e);
    if (!(err instanceof Error)) throw new Error('expected the open to fail');
    expect(err.message).toContain('Cannot connect to PostgreSQL at postgres://bot:***@127.0.0.1:1/papers');
    expect(err.message).not.toContain('s3cret');
  });

  it('two stores on one schema (two machines) see each other\'s writes', async () => {
    await withStores(freshSchema(), 2, async ([bot, worker]) => {
      const { revision } = await worker!.upsertPapers([makePaper({ id: '1' })]);
      expect(await bot!.getPaper('1')).not.toBeNull();
      expect(await bot!.revision()).toBe(revision);
      expect(await bot!.upsertPapers([makePaper({ id: '1' }), makePaper({ id: '2' })])).toMatchObject({ inserted: 1, unchanged: 1, revision: revision + 1 });
      await bot!.setMeta('k', 'from bot');
      expect(await worker!.getMeta('k')).toBe('from bot');
      expect(await worker!.countPapers()).toBe(2);
    });
  });

  it('concurrent upserts of the same papers on different featured days lose no merge', async () => {
    await withStores(freshSchema(), 2, async ([a, b]) => {
      const ids = Array.from({ length: 300 }, (_, i) => `2503.${String(i).padStart(5, '0')}`);
      // a: day 1 with many upvotes; b: day 2 with few upvotes and a summary (b outranks by its later day).
      const fromA = ids.map((id) => makePaper({ id, featuredDates: ['2025-03-03'], upvotes: 50 }));
      const fromB = ids.map((id) => makePaper({ id, featuredDates: ['2025-03-04'], upvotes: 5, aiSummary: `summary of ${id}` }));
      const [ra, rb] = await Promise.all([a!.upsertPapers(fromA), b!.upsertPapers(fromB)]);
      expect(ra.inserted + rb.inserted).toBe(ids.length);
      expect(ra.updated + rb.updated).toBe(ids.length);
      for (const p of await a!.getPapers(ids)) {
        expect(p).toMatchObject({ featuredDates: ['2025-03-03', '2025-03-04'], upvotes: 50, aiSummary: `summary of ${p.id}` });
      }
      expect((await b!.stats()).featuredDays).toBe(2);
    });
  });

  it('concurrent upserts of new papers never lose a revision bump', async () => {
    await withStores(freshSchema(), 3, async (stores) => {
      const results = await Promise.all(stores.map((s, i) => s.upsertPapers([makePaper({ id: `p${i}` })])));
      expect(results.map((r) => r.revision).sort()).toEqual([1, 2, 3]);
      expect(await stores[0]!.revision()).toBe(3);
    });
  });

  it('orders ids by code point whatever the database\'s locale, as SQLite does', async () => {
    await withStores(freshSchema(), 1, async ([store]) => {
      const ids = ['b', 'B', 'a-1', 'a_1', 'a1', 'é', 'Z', '10', '9'];
      await store!.upsertPapers(ids.map((id) => makePaper({ id })));
      const sorted = [...ids].sort();
      expect((await store!.listPapers({ limit: 100 })).map((p) => p.id)).toEqual(sorted);
      expect((await store!.listPapers({ afterId: 'Z', limit: 3 })).map((p) => p.id)).toEqual(sorted.slice(sorted.indexOf('Z') + 1, sorted.indexOf('Z') + 4));
    });
  });

  it('cleans text PostgreSQL cannot hold (NUL, lone surrogates) instead of failing the batch', async () => {
    await withStores(freshSchema(), 1, async ([store]) => {
      const dirty = makePaper({ id: '1', title: 'Null\u0000 byte', abstract: 'half \uD83D pair, whole 😀', authors: ['A\u0000da'] });
      const input = structuredClone(dirty);
      expect(await store!.upsertPapers([dirty])).toMatchObject({ inserted: 1 });
      expect(dirty).toEqual(input);
      expect(await store!.getPaper('1')).toMatchObject({ title: 'Null byte', abstract: 'half \uFFFD pair, whole 😀', authors: ['Ada'] });
      expect(await store!.upsertPapers([dirty])).toMatchObject({ unchanged: 1 });
    });
  });

  it('agrees with SqliteStore, paper for paper, on the real archive', async () => {
    const papers = loadDays(allDays());
    const sqlite = SqliteStore.open(path.join(tempDir('papers-pg-parity-'), 'papers.db'));
    try {
      await withStores(freshSchema(), 1, async ([store]) => {
        let t = performance.now();
        const first = await store!.upsertPapers(papers);
        const insertMs = performance.now() - t;
        expect(first).toEqual(await sqlite.upsertPapers(papers));
        t = performance.now();
        expect(await store!.upsertPapers(papers)).toEqual({ inserted: 0, updated: 0, unchanged: papers.length, revision: first.revision });
        const reimportMs = performance.now() - t;
        expect(await store!.stats()).toEqual(await sqlite.stats());
        expect(await store!.featuredDays()).toEqual(await sqlite.featuredDays());
        // A stretch of days from inside the archive (days 100-130 of the full 558).
        const days = allDays();
        const [from, to] = [days[Math.floor(days.length * 0.18)]!, days[Math.floor(days.length * 0.23)]!];
        expect(await store!.papersFeaturedBetween(from, to)).toEqual(await sqlite.papersFeaturedBetween(from, to));
        for (let afterId: string | undefined; ;) {
          const page = await store!.listPapers({ afterId, limit: 2_500 });
          expect(page).toEqual(await sqlite.listPapers({ afterId, limit: 2_500 }));
          if (!page.length) break;
          afterId = page.at(-1)!.id;
        }
        console.info(`real archive (${papers.length} papers): insert ${insertMs.toFixed(0)} ms, unchanged re-import ${reimportMs.toFixed(0)} ms`);
      });
    } finally {
      await sqlite.close();
    }
  }, 60_000);

  it('upserts 80,000 papers in one call, then re-imports them unchanged', async () => {
    await withStores(freshSchema(), 1, async ([store]) => {
      const papers = syntheticPapers(80_000);
      let t = performance.now();
      const first = await store!.upsertPapers(papers);
      const insertMs = performance.now() - t;
      expect(first).toEqual({ inserted: 80_000, updated: 0, unchanged: 0, revision: 1 });
      t = performance.now();
      const again = await store!.upsertPapers(papers);
      const reimportMs = performance.now() - t;
      expect(again).toEqual({ inserted: 0, updated: 0, unchanged: 80_000, revision: 1 });
      expect(await store!.countPapers()).toBe(80_000);
      expect(await store!.stats()).toMatchObject({ papers: 80_000, featuredPapers: 80_000, featuredDays: 500 });
      console.info(`80k upsert: insert ${insertMs.toFixed(0)} ms, unchanged re-import ${reimportMs.toFixed(0)} ms`);
    });
  }, 120_000);
});
