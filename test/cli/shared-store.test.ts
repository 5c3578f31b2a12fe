/**
 * DATABASE_URL: the CLI (and the bot and workers, which open the store the same way)
 * on PostgreSQL instead of the SQLite file, so processes on several machines share one store.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { SAMPLE_DIR } from '../../src/paths.js';
import { dropSchema, freshSchema, postgresUrl } from '../support/postgres.js';
import { papers } from '../support/spawn.js';
import { tempDir } from '../support/tmp.js';

const schema = freshSchema('papers_cli');
afterAll(() => dropSchema(schema));

describe('papers CLI on a shared PostgreSQL store', () => {
  it('imports into PostgreSQL, and a second process (another DATA_DIR) sees the same papers', async () => {
    const env = { DATABASE_URL: await postgresUrl(), DATABASE_SCHEMA: schema };
    const imported = await papers(['import', SAMPLE_DIR, '--json'], { env: { ...env, DATA_DIR: tempDir() } });
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ files: 10, inserted: 212, total: 212 });
    // Elsewhere: no SQLite file, its own index snapshot, the same store.
    const other = { ...env, DATA_DIR: tempDir() };
    expect(JSON.parse((await papers(['stats', '--json'], { env: other })).stdout)).toMatchObject({ papers: 212, featuredDays: 10 });
    const hits = JSON.parse((await papers(['search', 'EnvHarness', '--json'], { env: other })).stdout) as { id: string }[];
    expect(hits[0]!.id).toBe('2608.19880');
  });

  it('refuses a DATABASE_URL that is not a PostgreSQL URL, naming the variable', async () => {
    const r = await papers(['stats'], { env: { DATABASE_URL: 'mysql://localhost/x', DATA_DIR: tempDir() } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/DATABASE_URL: must be a postgres/);
  });
});
