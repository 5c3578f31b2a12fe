/**
 * `npx papers chart` as a user runs it: the built bin on a temp DATA_DIR holding the
 * committed sample (the store seededStore() holds), writing the same chart the renderer
 * test compares with the golden image.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_DIR } from '../../src/paths.js';
import { papers, ROOT } from '../support/spawn.js';
import { tempDir } from '../support/tmp.js';
import { comparePng, decodePng, GOLDEN_DIR } from './png-compare.js';

const dataDir = tempDir();
const outDir = tempDir('papers-chart-');
const env = { DATA_DIR: dataDir };
const json = (s: string) => JSON.parse(s) as Record<string, unknown>;

beforeAll(async () => {
  const r = await papers(['import', SAMPLE_DIR, '--json'], { env, timeoutMs: 120_000 });
  expect(r.code, r.stderr).toBe(0);
}, 150_000);

describe('papers chart', () => {
  it('--week 2026-W34 --out writes the golden chart, 0644 whatever the umask', async () => {
    const out = path.join(outDir, 'week.png');
    const r = await papers(['chart', '--week', '2026-W34', '--out', out], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Wrote .*week\.png \(1200×712 px, \d+ KiB\): 17–23 Aug 2026 · top 10 of \d+ featured papers, by upvotes\.\n$/);
    expect(fs.statSync(out).mode & 0o777).toBe(0o644);
    const img = decodePng(fs.readFileSync(out));
    const golden = decodePng(fs.readFileSync(path.join(GOLDEN_DIR, 'week-2026-W34.png')));
    expect(comparePng(img, golden).fraction).toBeLessThan(0.005);
    // An existing file is replaced; nothing is left beside it.
    const again = await papers(['chart', '--week', '2026-W34', '--out', out], { env });
    expect(again.code, again.stderr).toBe(0);
    expect(fs.readdirSync(outDir)).toEqual(['week.png']);
  });

  it('--json says what it wrote; the default week is that of the latest featured day', async () => {
    const out = path.join(outDir, 'latest.png');
    const r = await papers(['chart', '--out', out, '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    const j = json(r.stdout);
    expect(j).toMatchObject({ week: '2026-W34', from: '2026-08-17', to: '2026-08-23', out, width: 1200, height: 712, bytes: fs.statSync(out).size });
    expect(j['bars']).toHaveLength(10);
    expect(typeof j['renderMs']).toBe('number');
  });

  it('the default file is week-<YYYY-Www>.png in the current directory', async () => {
    // spawn.ts runs in the project root; this one runs where a user stands.
    const cwd = tempDir('papers-chart-cwd-');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/papers.js'), 'chart', '--week', '2026-W33', '--json'], { cwd, env: { ...process.env, ...env, LOG_LEVEL: 'warn' }, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(json(r.stdout)['out']).toBe(path.join(fs.realpathSync(cwd), 'week-2026-W33.png'));
    expect(fs.readdirSync(cwd)).toEqual(['week-2026-W33.png']);
  });

  it.each([
    [['chart', '--week', '2026-W54'], /2026 has weeks 01 to 53/],
    [['chart', '--week', '2026-34'], /not a week/],
    [['chart', '--week', 'W34'], /not a week/],
    [['chart', '--week', ''], /Which week\?/],
    [['chart', '--week', '2026-W30'], /No papers featured in 2026-W30 \(2026-07-20 … 2026-07-26\)/],
    [['chart', '--week', '2026-W34', '--out', '.'], /is a directory/],
    [['chart', '--week', '2026-W34', '--out', '/nonexistent-dir/x.png'], /does not exist/],
    [['chart', '--date', '2026-08-21'], /chart does not take --date/],
  ])('%j exits 2 with a clear message', async (args, message) => {
    const r = await papers(args, { env });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('an empty store says so', async () => {
    const r = await papers(['chart', '--json'], { env: { DATA_DIR: tempDir() } });
    expect(r.code).toBe(2);
    expect(json(r.stdout)).toMatchObject({ error: { code: 'not_found', message: expect.stringMatching(/No featured days/) } });
  });
});
