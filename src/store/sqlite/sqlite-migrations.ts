/**
 * Versioned schema migrations for the SQLite store.
 *
 * `PRAGMA user_version` is the source of truth (it lives in the file header, so it is
 * read without touching any table); `schema_migrations` is the human-readable history.
 * Each migration runs in its own IMMEDIATE transaction that re-reads the version first,
 * so a bot and a CLI opening a fresh file at the same moment cannot apply one twice.
 * Append new migrations; never edit one that has shipped.
 */
import type { Database } from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  up: string | ((db: Database) => void);
}

const DAY_GLOB = `'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'`;
/** Version 1 listed the platforms; version 2 dropped the list (see below). Kept so version 1 still means what it shipped as. */
const PLATFORMS = `('discord', 'slack', 'console')`;
/**
 * Since version 2 the schema checks only that a platform name is well-formed (the shape
 * of PLATFORM_NAME_PATTERN in src/core/platform-descriptor.ts): which names exist is the
 * platform list's business (src/platforms/index.ts), checked at the edges, so adding a
 * platform needs no migration.
 */
const PLATFORM_NAME = `platform GLOB '[a-z]*' AND platform NOT GLOB '*[^a-z0-9-]*' AND length(platform) <= 32`;

/** Version 2's four tables, as version 1 had them but without the platform list. */
const V2_TABLES = `
      CREATE TABLE subscriptions_v2 (
        platform      TEXT NOT NULL CHECK (${PLATFORM_NAME}),
        workspace_id  TEXT NOT NULL,
        channel_id    TEXT NOT NULL,
        hour          INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
        minute        INTEGER NOT NULL CHECK (minute BETWEEN 0 AND 59),
        timezone      TEXT NOT NULL,
        weekdays      TEXT NOT NULL,  -- "1,2,3,4,5", 0 = Sunday
        top_n         INTEGER NOT NULL CHECK (top_n >= 1),
        min_upvotes   INTEGER NOT NULL CHECK (min_upvotes >= 0),
        topic         TEXT,
        paused        INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
        paused_reason TEXT,
        created_by    TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL,
        PRIMARY KEY (platform, workspace_id, channel_id)
      );
      CREATE TABLE bookmarks_v2 (
        platform   TEXT NOT NULL CHECK (${PLATFORM_NAME}),
        user_id    TEXT NOT NULL,
        paper_id   TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (platform, user_id, paper_id)
      );
      CREATE TABLE posted_v2 (
        platform     TEXT NOT NULL CHECK (${PLATFORM_NAME}),
        workspace_id TEXT NOT NULL,
        channel_id   TEXT NOT NULL,
        day          TEXT NOT NULL CHECK (day GLOB ${DAY_GLOB}),
        kind         TEXT NOT NULL CHECK (kind IN ('header', 'paper')),
        paper_id     TEXT,
        message_id   TEXT NOT NULL,
        posted_at    TEXT NOT NULL,
        CHECK ((kind = 'header') = (paper_id IS NULL))
      );
      CREATE TABLE installs_v2 (
        platform     TEXT NOT NULL CHECK (${PLATFORM_NAME}),
        workspace_id TEXT NOT NULL,
        data_json    TEXT NOT NULL CHECK (json_valid(data_json)),
        installed_at TEXT NOT NULL,
        PRIMARY KEY (platform, workspace_id)
      );
`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    up: `
      CREATE TABLE papers (
        id              TEXT PRIMARY KEY CHECK (id <> ''),
        title           TEXT NOT NULL CHECK (title <> ''),
        abstract        TEXT NOT NULL,
        authors_json    TEXT NOT NULL CHECK (json_valid(authors_json)),
        published_at    TEXT,
        upvotes         INTEGER,
        comments        INTEGER,
        ai_summary      TEXT,
        keywords_json   TEXT NOT NULL CHECK (json_valid(keywords_json)),
        github_repo     TEXT,
        github_stars    INTEGER,
        project_page    TEXT,
        organization    TEXT,
        categories_json TEXT NOT NULL CHECK (json_valid(categories_json)),
        sources_json    TEXT NOT NULL CHECK (json_valid(sources_json)),
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL
      );

      -- A paper can be featured on several days; digests query by day.
      CREATE TABLE paper_features (
        paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
        day      TEXT NOT NULL CHECK (day GLOB ${DAY_GLOB}),
        PRIMARY KEY (paper_id, day)
      ) WITHOUT ROWID;
      CREATE INDEX paper_features_day ON paper_features(day);

      CREATE TABLE subscriptions (
        platform      TEXT NOT NULL CHECK (platform IN ${PLATFORMS}),
        workspace_id  TEXT NOT NULL,
        channel_id    TEXT NOT NULL,
        hour          INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
        minute        INTEGER NOT NULL CHECK (minute BETWEEN 0 AND 59),
        timezone      TEXT NOT NULL,
        weekdays      TEXT NOT NULL,  -- "1,2,3,4,5", 0 = Sunday
        top_n         INTEGER NOT NULL CHECK (top_n >= 1),
        min_upvotes   INTEGER NOT NULL CHECK (min_upvotes >= 0),
        topic         TEXT,
        paused        INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
        paused_reason TEXT,
        created_by    TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL,
        PRIMARY KEY (platform, workspace_id, channel_id)
      );

      -- No foreign key to papers: a bookmark must survive a paper being re-imported or pruned.
      CREATE TABLE bookmarks (
        platform   TEXT NOT NULL CHECK (platform IN ${PLATFORMS}),
        user_id    TEXT NOT NULL,
        paper_id   TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (platform, user_id, paper_id)
      );

      CREATE TABLE posted (
        platform     TEXT NOT NULL CHECK (platform IN ${PLATFORMS}),
        workspace_id TEXT NOT NULL,
        channel_id   TEXT NOT NULL,
        day          TEXT NOT NULL CHECK (day GLOB ${DAY_GLOB}),
        kind         TEXT NOT NULL CHECK (kind IN ('header', 'paper')),
        paper_id     TEXT,
        message_id   TEXT NOT NULL,
        posted_at    TEXT NOT NULL,
        CHECK ((kind = 'header') = (paper_id IS NULL))
      );
      -- Exactly-once delivery: one header per channel and day, one post per paper and channel
      -- (a paper featured again on a later day is not posted again).
      CREATE UNIQUE INDEX posted_header_once ON posted(platform, workspace_id, channel_id, day) WHERE kind = 'header';
      CREATE UNIQUE INDEX posted_paper_once ON posted(platform, workspace_id, channel_id, paper_id) WHERE kind = 'paper';
      CREATE INDEX posted_by_message ON posted(platform, channel_id, message_id);
      CREATE INDEX posted_by_day ON posted(platform, workspace_id, channel_id, day);

      CREATE TABLE installs (
        platform     TEXT NOT NULL CHECK (platform IN ${PLATFORMS}),
        workspace_id TEXT NOT NULL,
        data_json    TEXT NOT NULL CHECK (json_valid(data_json)),
        installed_at TEXT NOT NULL,
        PRIMARY KEY (platform, workspace_id)
      );

      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'platform names from the platform list, not a CHECK list',
    // SQLite cannot alter a CHECK: each table is rebuilt (SQLite's documented 12-step way,
    // within the migration's transaction; no foreign key points at these tables).
    // posted keeps its rowid order: rows are copied in rowid order with their rowids.
    up: `${V2_TABLES}
      INSERT INTO subscriptions_v2 SELECT * FROM subscriptions;
      INSERT INTO bookmarks_v2 SELECT * FROM bookmarks;
      INSERT INTO posted_v2 (rowid, platform, workspace_id, channel_id, day, kind, paper_id, message_id, posted_at)
        SELECT rowid, platform, workspace_id, channel_id, day, kind, paper_id, message_id, posted_at FROM posted ORDER BY rowid;
      INSERT INTO installs_v2 SELECT * FROM installs;
      DROP TABLE subscriptions;
      DROP TABLE bookmarks;
      DROP TABLE posted;
      DROP TABLE installs;
      ALTER TABLE subscriptions_v2 RENAME TO subscriptions;
      ALTER TABLE bookmarks_v2 RENAME TO bookmarks;
      ALTER TABLE posted_v2 RENAME TO posted;
      ALTER TABLE installs_v2 RENAME TO installs;
      CREATE UNIQUE INDEX posted_header_once ON posted(platform, workspace_id, channel_id, day) WHERE kind = 'header';
      CREATE UNIQUE INDEX posted_paper_once ON posted(platform, workspace_id, channel_id, paper_id) WHERE kind = 'paper';
      CREATE INDEX posted_by_message ON posted(platform, channel_id, message_id);
      CREATE INDEX posted_by_day ON posted(platform, workspace_id, channel_id, day);
    `,
  },
  {
    version: 3,
    name: 'outbox of planned deliveries, handled schedule slots, expiring meta',
    // The outbox makes the store the truth about planned work: Redis may lose its jobs,
    // and a sweep rebuilds them from here (jobs/sweep.ts).
    up: `
      CREATE TABLE deliveries (
        id            TEXT PRIMARY KEY,
        platform      TEXT NOT NULL CHECK (${PLATFORM_NAME}),
        workspace_id  TEXT NOT NULL,
        channel_id    TEXT NOT NULL,
        day           TEXT NOT NULL CHECK (day GLOB ${DAY_GLOB}),
        mode          TEXT NOT NULL CHECK (mode IN ('scheduled', 'now')),
        messages_json TEXT NOT NULL CHECK (json_valid(messages_json)),
        planned_at    TEXT NOT NULL,
        finished_at   TEXT,
        outcome       TEXT
      );
      CREATE INDEX deliveries_unfinished ON deliveries(planned_at) WHERE finished_at IS NULL;
      CREATE INDEX deliveries_finished ON deliveries(finished_at) WHERE finished_at IS NOT NULL;

      CREATE TABLE digest_slots (
        platform     TEXT NOT NULL CHECK (${PLATFORM_NAME}),
        workspace_id TEXT NOT NULL,
        channel_id   TEXT NOT NULL,
        local_day    TEXT NOT NULL CHECK (local_day GLOB ${DAY_GLOB}),
        handled_at   TEXT NOT NULL,
        PRIMARY KEY (platform, workspace_id, channel_id, local_day)
      );
      CREATE INDEX digest_slots_by_day ON digest_slots(local_day);

      ALTER TABLE meta ADD COLUMN expires_at TEXT;
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
      ALTER TABLE subscriptions ADD COLUMN every TEXT NOT NULL DEFAULT 'day' CHECK (every IN ('day', 'week'));

      -- topic as typed; topic_key trimmed, spaces collapsed, lower case (people-rows.ts topicKey).
      CREATE TABLE follows (
        platform   TEXT NOT NULL CHECK (${PLATFORM_NAME}),
        user_id    TEXT NOT NULL,
        topic      TEXT NOT NULL CHECK (topic <> ''),
        topic_key  TEXT NOT NULL CHECK (topic_key <> ''),
        created_at TEXT NOT NULL,
        UNIQUE (platform, user_id, topic_key)
      );

      CREATE TABLE inboxes (
        platform           TEXT NOT NULL CHECK (${PLATFORM_NAME}),
        user_id            TEXT NOT NULL,
        workspace_id       TEXT NOT NULL,
        hour               INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
        minute             INTEGER NOT NULL CHECK (minute BETWEEN 0 AND 59),
        timezone           TEXT NOT NULL,
        weekdays           TEXT NOT NULL,  -- "1,2,3,4,5", 0 = Sunday
        every              TEXT NOT NULL CHECK (every IN ('day', 'week')),
        top_n              INTEGER NOT NULL CHECK (top_n >= 1),
        min_upvotes        INTEGER NOT NULL CHECK (min_upvotes >= 0),
        instant            INTEGER NOT NULL CHECK (instant IN (0, 1)),
        enabled            INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        paused_reason      TEXT,
        pause_notice_shown INTEGER NOT NULL DEFAULT 0 CHECK (pause_notice_shown IN (0, 1)),
        created_at         TEXT NOT NULL,
        updated_at         TEXT NOT NULL,
        PRIMARY KEY (platform, user_id)
      );

      CREATE TABLE pending_alerts (
        platform     TEXT NOT NULL CHECK (${PLATFORM_NAME}),
        user_id      TEXT NOT NULL,
        paper_id     TEXT NOT NULL,
        workspace_id TEXT NOT NULL,
        topic        TEXT NOT NULL,
        added_at     TEXT NOT NULL,
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
      ALTER TABLE subscriptions ADD COLUMN digest_order TEXT NOT NULL DEFAULT 'trending' CHECK (digest_order IN ('trending', 'upvotes'));

      CREATE TABLE upvote_samples (
        paper_id    TEXT NOT NULL CHECK (paper_id <> ''),
        observed_at TEXT NOT NULL,
        upvotes     INTEGER NOT NULL,
        PRIMARY KEY (paper_id, observed_at)
      ) WITHOUT ROWID;
      CREATE INDEX upvote_samples_by_time ON upvote_samples(observed_at);
    `,
  },
  {
    version: 6,
    name: "pictures: the paper's Hugging Face thumbnail",
    // Papers stored before this version have none until the next ingest refreshes them.
    up: `ALTER TABLE papers ADD COLUMN thumbnail TEXT;`,
  },
  {
    version: 7,
    name: 'live counts: posted paper messages edited for 48 hours as their counts change',
    // The message as posted and the counts it shows (core/live-messages.ts); the sweep reads
    // a platform's messages by posting time, forgetting a person deletes by channel.
    up: `
      CREATE TABLE live_messages (
        platform        TEXT NOT NULL CHECK (${PLATFORM_NAME}),
        workspace_id    TEXT NOT NULL,
        channel_id      TEXT NOT NULL,
        message_id      TEXT NOT NULL CHECK (message_id <> ''),
        paper_id        TEXT NOT NULL CHECK (paper_id <> ''),
        message_json    TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        posted_at       TEXT NOT NULL,
        shown_upvotes   INTEGER,
        shown_comments  INTEGER,
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
      ALTER TABLE subscriptions ADD COLUMN ping_kind TEXT CHECK (ping_kind IN ('role', 'usergroup'));
      ALTER TABLE subscriptions ADD COLUMN ping_id TEXT;
      ALTER TABLE subscriptions ADD COLUMN ping_name TEXT;
    `,
  },
  {
    version: 9,
    name: 'thread mode: the papers of a digest in a thread under its header',
    // Off for every subscription from before this version: it posts as it did.
    up: `
      ALTER TABLE subscriptions ADD COLUMN threads INTEGER NOT NULL DEFAULT 0 CHECK (threads IN (0, 1));
    `,
  },
];

/** The schema version this code writes. */
export const LATEST_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Refuses files written by newer code: an old binary must not scribble on a schema it does not know. */
export function assertNotFromFuture(db: Database, file: string): void {
  const version = schemaVersion(db);
  if (version > LATEST_VERSION) {
    throw new Error(
      `Database ${file} has schema version ${version}, but this version of the bot only knows up to ${LATEST_VERSION}. ` +
        'Upgrade the bot (or point it at another file); refusing to open it.',
    );
  }
}

/** Applies every pending migration, each in its own transaction. Returns the versions applied. */
export function migrate(db: Database, file: string, migrations: readonly Migration[] = MIGRATIONS): number[] {
  assertNotFromFuture(db, file);
  assertOrdered(migrations);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= schemaVersion(db)) continue;
    const run = db.transaction(() => {
      // Another process may have applied it while we waited for the write lock.
      if (m.version <= schemaVersion(db)) return false;
      if (typeof m.up === 'string') db.exec(m.up);
      else m.up(db);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
      // user_version is part of the file header, so it commits or rolls back with the rest.
      db.pragma(`user_version = ${m.version}`);
      return true;
    });
    if (run.immediate()) applied.push(m.version);
  }
  return applied;
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (!Number.isInteger(m.version) || m.version !== i + 1) {
      throw new Error(`Migration "${m.name}" has version ${m.version}; versions must be 1, 2, 3 … in order.`);
    }
  });
}
