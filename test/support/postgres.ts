/**
 * PostgreSQL for tests: makes sure a server answers (the machine's cluster on
 * 127.0.0.1:5432, started with pg_ctlcluster when it is down) and hands out a fresh
 * schema per store, dropped after the file's tests, so parallel files and repeated runs
 * never see each other's data. TEST_DATABASE_URL points the tests at another server.
 * Tests never skip themselves: no server is a failure that says how to get one.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { afterAll } from 'vitest';

const HOW_TO_GET_ONE =
  'The PostgreSQL tests need a server. Start the machine\'s cluster with ' +
  '`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` ' +
  '(install it with `apt-get install -y postgresql`), or point TEST_DATABASE_URL at one, ' +
  'e.g. postgres://postgres@127.0.0.1:5432/test.';

/** Tried in order when TEST_DATABASE_URL is unset; trust auth on the machine's cluster. */
const CANDIDATES = ['postgres://postgres@127.0.0.1:5432/test', 'postgres://root@127.0.0.1:5432/test'];
const START_WAIT_MS = 30_000;

let serverUrl: Promise<string> | undefined;

/** A URL of a server that answers (memoised per test process). */
export function postgresUrl(): Promise<string> {
  serverUrl ??= findServer();
  return serverUrl;
}

async function findServer(): Promise<string> {
  const fromEnv = process.env.TEST_DATABASE_URL;
  const candidates = fromEnv ? [fromEnv] : CANDIDATES;
  const first = await firstAnswering(candidates);
  if (first.url) return first.url;
  const why = (r: { errors: Error[] }) => r.errors.map((e) => e.message || String(e)).join('; ');
  if (fromEnv) throw new Error(`TEST_DATABASE_URL ${redact(fromEnv)} does not answer (${why(first)}).\n${HOW_TO_GET_ONE}`);
  // Only a server that is down is worth starting; a refused login or a missing database is reported as is.
  if (!first.errors.every(isDown)) {
    throw new Error(`PostgreSQL on 127.0.0.1:5432 refused every login tried (${why(first)}).\n${HOW_TO_GET_ONE}`);
  }
  const started = startCluster();
  const deadline = Date.now() + START_WAIT_MS;
  let last = first;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    last = await firstAnswering(candidates);
    if (last.url) return last.url;
  }
  throw new Error(`PostgreSQL does not answer on 127.0.0.1:5432 (${why(last)}), even after starting it (${started}).\n${HOW_TO_GET_ONE}`);
}

const redact = (url: string): string => url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/?#]*):[^@/?#]*@/i, '$1:***@');

async function firstAnswering(urls: readonly string[]): Promise<{ url?: string; errors: Error[] }> {
  const errors: Error[] = [];
  for (const url of urls) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return { url, errors };
    } catch (err) {
      errors.push(err as Error);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return { errors };
}

function isDown(err: Error): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  // 57P03: the server is starting up (or shutting down).
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === '57P03' || /timeout/i.test(err.message);
}

/** Starts every cluster version installed on the machine (there is usually one); returns what happened, for the error. */
function startCluster(): string {
  const dir = '/etc/postgresql';
  if (!fs.existsSync(dir)) return `${dir} does not exist (PostgreSQL is not installed)`;
  const outcomes = fs.readdirSync(dir).map((version) => {
    const r = spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { encoding: 'utf8', timeout: 20_000 });
    if (r.error) return `pg_ctlcluster ${version} main start: ${r.error.message}`;
    return `pg_ctlcluster ${version} main start exited ${r.status}${r.stderr.trim() ? `: ${r.stderr.trim()}` : ''}`;
  });
  return outcomes.join('; ') || `no cluster in ${dir}`;
}

const made = new Set<string>();

/** A new, unused schema name; the schema itself is created by whoever opens a store on it. */
export function freshSchema(prefix = 'papers_test'): string {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  made.add(name);
  return name;
}

/** Drops a schema made by freshSchema (and whatever is in it). */
export async function dropSchema(schema: string): Promise<void> {
  made.delete(schema);
  await withClient((c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
}

/** Runs `fn` on a short-lived connection to the test server (search_path untouched). */
export async function withClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: await postgresUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

// Registered when a test file imports this module: whatever a test left behind goes too.
afterAll(async () => {
  const left = [...made];
  if (!left.length) return;
  await Promise.all(left.map(dropSchema));
});
