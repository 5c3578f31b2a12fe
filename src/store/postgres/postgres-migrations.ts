/**
 * Versioned schema migrations for the PostgreSQL store.
 *
 * `schema_migrations` is the source of truth (its highest version is the schema's
 * version). Every migration runs in its own transaction that first takes a
 * transaction-level advisory lock for the schema and re-reads the version, so bots and
 * workers on several machines starting at the same moment apply each migration once;
 * DDL is transactional in PostgreSQL, so a failing migration leaves nothing behind.
 * Append new migrations; never edit one that has shipped.
 */
import type pg from 'pg';

export interface Migration {
  version: number;
  name: string;
  up: string | ((client: pg.ClientBase) => Promise<void>);
}

const DAY_PATTERN = `'^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`;
/** Version 1 listed the platforms; version 2 dropped the list (see below). Kept so version 1 still means what it shipped as. */
const PLATFORMS = `('discord', 'slack', 'console')`;
/**
 * Since version 2 the schema checks only that a platform name is well-formed
 * (PLATFORM_NAME_PATTERN in src/core/platform-descriptor.ts): which names exist is the
 * platform list's business (src/platforms/index.ts), so adding a platform needs no migration.
 */
const PLATFORM_NAME = `'^[a-z][a-z0-9-]{0,31}$'`;
const PLATFORM_TABLES = ['subscriptions', 'bookmarks', 'posted', 'installs'] as const;

/*
 * Keys, days and timestamps that are sorted are `COLLATE "C"` (byte order, i.e. code
 * point order): the order SQLite's BINARY collation and the memory store give, whatever
 * the database's default locale, so keyset paging and every ORDER BY agree across stores.
 * Timestamps the port hands back verbatim stay text, as in SQLite; `seq` columns stand in
 * for SQLite's rowid as the tie-breaker "in record order".
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    up: `
      CREATE TABLE papers (
        id           text COLLATE "C" PRIMARY KEY CHECK (id <> ''),
        title        text NOT NULL CHECK (title <> ''),
        abstract     text NOT NULL,
        authors      text[] NOT NULL,
        published_at text,
        upvotes      integer,
        comments     integer,
        ai_summary   text,
        keywords     text[] NOT NULL,
        github_repo  text,
        github_stars integer,
        project_page text,
        organization text,
        categories   text[] NOT NULL,
        sources      text[] NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now()
      );

      -- A paper can be featured on several days; digests query by day.
      CREATE TABLE paper_features (
        paper_id text COLLATE "C" NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
        day      text COLLATE "C" NOT NULL CHECK (day ~ ${DAY_PATTERN}),
        PRIMARY KEY (paper_id, day)
      );
      -- (day, paper_id) rather than (day): "papers featured between" is then an index-only scan.
      CREATE INDEX paper_features_day ON paper_features(day, paper_id);

      CREATE TABLE subscriptions (
        platform      text COLLATE "C" NOT NULL CHECK (platform IN ${PLATFORMS}),
        workspace_id  text COLLATE "C" NOT NULL,
        channel_id    text COLLATE "C" NOT NULL,
        hour          smallint NOT NULL CHECK (hour BETWEEN 0 AND 23),
        minute        smallint NOT NULL CHECK (minute BETWEEN 0 AND 59),
        timezone      text NOT NULL,
        weekdays      smallint[] NOT NULL,  -- 0 = Sunday
        top_n         integer NOT NULL CHECK (top_n >= 1),
        min_upvotes   integer NOT NULL CHECK (min_upvotes >= 0),
        topic         text,
        paused        boolean NOT NULL DEFAULT false,
        paused_reason text,
        created_by    text NOT NULL,
        created_at    text NOT NULL,
        updated_at    text NOT NULL,
        PRIMARY KEY (platform, workspace_id, channel_id)
      );

      -- No foreign key to papers: a bookmark must survive a paper being re-imported or pruned.
      CREATE TABLE bookmarks (
        platform   text COLLATE "C" NOT NULL CHECK (platform IN ${PLATFORMS}),
        user_id    text COLLATE "C" NOT NULL,
        paper_id   text COLLATE "C" NOT NULL,
        created_at text COLLATE "C" NOT NULL,
        seq        bigint GENERATED ALWAYS AS IDENTITY,
        PRIMARY KEY (platform, user_id, paper_id)
      );

      CREATE TABLE posted (
        platform     text COLLATE "C" NOT NULL CHECK (platform IN ${PLATFORMS}),
        workspace_id text COLLATE "C" NOT NULL,
        channel_id   text COLLATE "C" NOT NULL,
        day          text COLLATE "C" NOT NULL CHECK (day ~ ${DAY_PATTERN}),
        kind         text NOT NULL CHECK (kind IN ('header', 'paper')),
        paper_id     text COLLATE "C",
        message_id   text COLLATE "C" NOT NULL,
        posted_at    text COLLATE "C" NOT NULL,
        seq          bigint GENERATED ALWAYS AS IDENTITY,
        CHECK ((kind = 'header') = (paper_id IS NULL))
      );
      -- Exactly-once delivery: one header per channel and day, one post per paper and channel
      -- (a paper featured again on a later day is not posted again).
      CREATE UNIQUE INDEX posted_header_once ON posted(platform, workspace_id, channel_id, day) WHERE kind = 'header';
      CREATE UNIQUE INDEX posted_paper_once ON posted(platform, workspace_id, channel_id, paper_id) WHERE kind = 'paper';
      CREATE INDEX posted_by_message ON posted(platform, channel_id, message_id);
      CREATE INDEX posted_by_day ON posted(platform, workspace_id, channel_id, day);

      -- json, not jsonb: kept verbatim (key order, any string), as SQLite's data_json is.
      CREATE TABLE installs (
        platform     text COLLATE "C" NOT NULL CHECK (platform IN ${PLATFORMS}),
        workspace_id text COLLATE "C" NOT NULL,
        data         json NOT NULL,
        installed_at text NOT NULL,
        PRIMARY KEY (platform, workspace_id)
      );

      CREATE TABLE meta (
        key   text COLLATE "C" PRIMARY KEY,
        value text NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'platform names from the platform list, not a CHECK list',
    // Version 1's column CHECKs got PostgreSQL's default names (<table>_platform_check).
    up: PLATFORM_TABLES.map(
      (t) => `ALTER TABLE ${t} DROP CONSTRAINT ${t}_platform_check, ADD CONSTRAINT ${t}_platform_name CHECK (platform ~ ${PLATFORM_NAME});`,
    ).join('\n'),
  },
  {
    version: 3,
    name: 'outbox of planned deliveries, handled schedule slots, expiring meta',
    // The outbox makes the store the truth about planned work: Redis may lose its jobs,
    // and a sweep rebuilds them from here (jobs/sweep.ts). jsonb: only read back whole.
    up: `
      CREATE TABLE deliveries (
        id           text COLLATE "C" PRIMARY KEY,
        platform     text COLLATE "C" NOT NULL CHECK (platform ~ ${PLATFORM_NAME}),
        workspace_id text COLLATE "C" NOT NULL,
        channel_id   text COLLATE "C" NOT NULL,
        day          text COLLATE "C" NOT NULL CHECK (day ~ ${DAY_PATTERN}),
        mode         text NOT NULL CHECK (mode IN ('scheduled', 'now')),
        messages     jsonb NOT NULL,
        planned_at   text COLLATE "C" NOT NULL,
        finished_at  text COLLATE "C",
        outcome      text
      );
      CREATE INDEX deliveries_unfinished ON deliveries(planned_at) WHERE finished_at IS NULL;
      CREATE INDEX deliveries_finished ON deliveries(finished_at) WHERE finished_at IS NOT NULL;

      CREATE TABLE digest_slots (
        platform     text COLLATE "C" NOT NULL CHECK (platform ~ ${PLATFORM_NAME}),
        workspace_id text COLLATE "C" NOT NULL,
        channel_id   text COLLATE "C" NOT NULL,
        local_day    text COLLATE "C" NOT NULL CHECK (local_day ~ ${DAY_PATTERN}),
        handled_at   text NOT NULL,
        PRIMARY KEY (platform, workspace_id, channel_id, local_day)
      );
      CREATE INDEX digest_slots_by_day ON digest_slots(local_day);

      ALTER TABLE meta ADD COLUMN expires_at text COLLATE "C";
      CREATE INDEX meta_expiry ON meta(expires_at) WHERE expires_at IS NOT NULL;
    `,
  },
  {
    version: 4,
    name: 'personal inboxes: followed topics, inbox settings, pending alerts; weekly digests',
    // A person is (platform, user_id), as for bookmarks. An inbox is delivered to the channel
    // id dm:<user_id> (core/people.ts inboxRef), so its posted log and outbox are the channels'
    // tables; forgetting a person deletes those rows by (platform, channel_id), hence the index.
    up: `
      ALTER TABLE subscriptions ADD COLUMN every text NOT NULL DEFAULT 'day' CHECK (every IN ('day', 'week'));

      -- topic as typed; topic_key trimmed, spaces collapsed, lower case (people-rows.ts topicKey).
      CREATE TABLE follows (
        platform   text COLLATE "C" NOT NULL CHECK (platform ~ ${PLATFORM_NAME}),
        user_id    text COLLATE "C" NOT NULL,
        topic      text NOT NULL CHECK (topic <> ''),
        topic_key  text COLLATE "C" NOT NULL CHECK (topic_key <> ''),
        created_at text COLLATE "C" NOT NULL,
        seq        bigint GENERATED ALWAYS AS IDENTITY,
        UNIQUE (platform, user_id, topic_key)
      );

      CREATE TABLE inboxes (
        platform           text COLLATE "C" NOT NULL CHECK (platform ~ ${PLATFORM_NAME}),
        user_id            text COLLATE "C" NOT NULL,
        workspace_id       text COLLATE "C" NOT NULL,
        hour               smallint NOT NULL CHECK (hour BETWEEN 0 AND 23),
        minute             smallint NOT NULL CHECK (minute BETWEEN 0 AND 59),
        timezone           text NOT NULL,
        weekdays           smallint[] NOT NULL,  -- 0 = Sunday
        every              text NOT NULL CHECK (every IN ('day', 'week')),
        top_n              integer NOT NULL CHECK (top_n >= 1),
        min_upvotes        integer NOT NULL CHECK (min_upvotes >= 0),
        instant            boolean NOT NULL,
        enabled            boolean NOT NULL,
        paused_reason      text,
        pause_notice_shown boolean NOT NULL DEFAULT false,
        created_at         text NOT NULL,
        updated_at         text NOT NULL,
        PRIMARY KEY (platform, user_id)
      );

      CREATE TABLE pending_alerts (
        platform     text COLLATE "C" NOT NULL CHECK (platform ~ ${PLATFORM_NAME}),
        user_id      text COLLATE "C" NOT NULL,
        paper_id     text COLLATE "C" NOT NULL,
        workspace_id text COLLATE "C" NOT NULL,
        topic        text NOT NULL,
        added_at     text COLLATE "C" NOT NULL,
        seq          bigint GENERATED ALWAYS AS IDENTITY,
        PRIMARY KEY (platform, user_id, paper_id)
      );

      CREATE INDEX deliveries_by_channel ON deliveries(platform, channel_id);
    `,
  },
  {
    version: 5,
    name: 'trending by momentum: the digest order and the upvote history',
    // Samples are written on change only (core/momentum.ts) and pruned by observed_at, hence
    // its index. A subscription from before this version takes the new default order.
    up: `
      ALTER TABLE subscriptions ADD COLUMN digest_order text NOT NULL DEFAULT 'trending' CHECK (digest_order IN ('trending', 'upvotes'));

      CREATE TABLE upvote_samples (
        paper_id    text COLLATE "C" NOT NULL CHECK (paper_id <> ''),
        observed_at text COLLATE "C" NOT NULL,
        upvotes     integer NOT NULL,
        PRIMARY KEY (paper_id, observed_at)
      );
      CREATE INDEX upvote_samples_by_time ON upvote_samples(observed_at);
    `,
  },
  {
    version: 6,
    name: "pictures: the paper's Hugging Face thumbnail",
    // Papers stored before this version have none until the next ingest refreshes them.
    up: `ALTER TABLE papers ADD COLUMN thumbnail text;`,
  },
  {
    version: 7,
    name: 'live counts: posted paper messages edited for 48 hours as their counts change',
    // The message as posted and the counts it shows (core/live-messages.ts); the sweep reads
    // a platform's messages by posting time, forgetting a person deletes by channel.
    up: `
      CREATE TABLE live_messages (
        platform        text COLLATE "C" NOT NULL CHECK (platform ~ ${PLATFORM_NAME}),
        workspace_id    text COLLATE "C" NOT NULL,
        channel_id      text COLLATE "C" NOT NULL,
        message_id      text COLLATE "C" NOT NULL CHECK (message_id <> ''),
        paper_id        text COLLATE "C" NOT NULL CHECK (paper_id <> ''),
        message         jsonb NOT NULL,
        idempotency_key text NOT NULL,
        posted_at       text COLLATE "C" NOT NULL,
        shown_upvotes   integer,
        shown_comments  integer,
        seq             bigint GENERATED ALWAYS AS IDENTITY,
        PRIMARY KEY (platform, workspace_id, channel_id, message_id)
      );
      CREATE INDEX live_messages_by_time ON live_messages(platform, posted_at);
      CREATE INDEX live_messages_by_channel ON live_messages(platform, channel_id);
    `,
  },
  {
    version: 8,
    name: 'opt-in pings: the role or user group a digest header mentions',
    // All three set or all three null (core/ping.ts); a subscription from before this version pings no one.
    up: `
      ALTER TABLE subscriptions ADD COLUMN ping_kind text CHECK (ping_kind IN ('role', 'usergroup'));
      ALTER TABLE subscriptions ADD COLUMN ping_id text;
      ALTER TABLE subscriptions ADD COLUMN ping_name text;
    `,
  },
  {
    version: 9,
    name: 'thread mode: the papers of a digest in a thread under its header',
    // Off for every subscription from before this version: it posts as it did.
    up: `
      ALTER TABLE subscriptions ADD COLUMN threads boolean NOT NULL DEFAULT false;
    `,
  },
];

/** The schema version this code writes. */
export const LATEST_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

/** Schema names are interpolated into SQL and into the connection's startup options, so only plain identifiers pass. */
export function assertSchemaName(schema: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`PostgreSQL schema name ${JSON.stringify(schema)} is not allowed: use 1–63 lower-case letters, digits and underscores, not starting with a digit.`);
  }
}

/** An advisory-lock key of its own per schema and purpose, so stores on other schemas never wait for each other. */
export function lockKeySql(purpose: 'migrate' | 'upsert', schema: string): { sql: string; param: string } {
  return { sql: 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', param: `papers-bot:${purpose}:${schema}` };
}

/** The schema's version: 0 when it has no migrations table yet. */
export async function schemaVersion(client: pg.ClientBase, schema: string): Promise<number> {
  const { rows } = await client.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [`"${schema}".schema_migrations`]);
  if (!rows[0]!.exists) return 0;
  const res = await client.query<{ version: number }>(`SELECT coalesce(max(version), 0)::int AS version FROM "${schema}".schema_migrations`);
  return res.rows[0]!.version;
}

/** Refuses schemas written by newer code: an old binary must not scribble on a schema it does not know. */
export function assertNotFromFuture(version: number, where: string, latest = LATEST_VERSION): void {
  if (version > latest) {
    throw new Error(
      `${where} has schema version ${version}, but this version of the bot only knows up to ${latest}. ` +
        'Upgrade the bot (or point it at another schema); refusing to open it.',
    );
  }
}

/**
 * Creates the schema if missing and applies every pending migration, each in its own
 * transaction under the schema's advisory lock. Returns the versions this call applied
 * (empty when another process got there first). `where` names the database in errors.
 */
export async function migrate(
  client: pg.ClientBase,
  schema: string,
  where: string,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  assertSchemaName(schema);
  assertOrdered(migrations);
  const latest = migrations.length;
  const lock = lockKeySql('migrate', schema);
  // The schema and the history table, when missing, are created under the lock too (two
  // concurrent CREATE SCHEMA IF NOT EXISTS can still collide on the catalog's unique index).
  let version = await inTransaction(client, async () => {
    await client.query(lock.sql, [lock.param]);
    // Looked up first: CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even when the
    // schema exists, which a bot given a ready-made schema may not have.
    const { rows } = await client.query<{ schema: boolean; table: boolean }>(
      'SELECT to_regnamespace($1) IS NOT NULL AS schema, to_regclass($2) IS NOT NULL AS table',
      [`"${schema}"`, `"${schema}".schema_migrations`],
    );
    if (!rows[0]!.schema) await client.query(`CREATE SCHEMA "${schema}"`);
    if (!rows[0]!.table) {
      await client.query(`CREATE TABLE "${schema}".schema_migrations (
        version    integer PRIMARY KEY,
        name       text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    }
    return schemaVersion(client, schema);
  });
  assertNotFromFuture(version, where, latest);
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= version) continue;
    const done = await inTransaction(client, async () => {
      await client.query(lock.sql, [lock.param]);
      // Re-read under the lock: another process may have migrated while we waited.
      version = await schemaVersion(client, schema);
      assertNotFromFuture(version, where, latest);
      if (m.version <= version) return false;
      await client.query(`SET LOCAL search_path TO "${schema}"`);
      if (typeof m.up === 'string') await client.query(m.up);
      else await m.up(client);
      await client.query(`INSERT INTO "${schema}".schema_migrations (version, name) VALUES ($1, $2)`, [m.version, m.name]);
      return true;
    });
    if (done) applied.push(m.version);
  }
  return applied;
}

async function inTransaction<T>(client: pg.ClientBase, fn: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const out = await fn();
    await client.query('COMMIT');
    return out;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (!Number.isInteger(m.version) || m.version !== i + 1) {
      throw new Error(`Migration "${m.name}" has version ${m.version}; versions must be 1, 2, 3 … in order.`);
    }
  });
}
