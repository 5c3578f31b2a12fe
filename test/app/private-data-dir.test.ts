/**
 * DATA_DIR and the SQLite file holding Slack tokens are readable by the bot's user only:
 * a new DATA_DIR is made 0700 with 0600 files (the built CLI, as users run it, so the
 * umask set at start counts), and one left 755/644 by an older version is tightened.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { privateDataDir } from '../../src/app/private-data-dir.js';
import { papers } from '../support/spawn.js';
import { tempDir } from '../support/tmp.js';

const modeOf = (p: string) => fs.statSync(p).mode & 0o777;

describe('private DATA_DIR', () => {
  it('a fresh DATA_DIR is 0700 and everything the CLI wrote in it is 0600 (dirs 0700)', async () => {
    const dir = path.join(tempDir(), 'fresh', 'data');
    const r = await papers(['stats'], { env: { DATA_DIR: dir, SEED_SAMPLE: 'false' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(modeOf(dir)).toBe(0o700);
    const entries = fs.readdirSync(dir, { recursive: true, withFileTypes: true });
    expect(entries.map((e) => e.name)).toContain('papers.sqlite');
    for (const e of entries) {
      const p = path.join(e.parentPath, e.name);
      expect([p, modeOf(p)]).toEqual([p, e.isDirectory() ? 0o700 : 0o600]);
    }
  });

  it('tightens a DATA_DIR and store left world-readable, and leaves a private one alone', () => {
    const dir = path.join(tempDir(), 'old');
    fs.mkdirSync(dir, { mode: 0o755 });
    fs.chmodSync(dir, 0o755);
    for (const f of ['papers.sqlite', 'papers.sqlite-wal', 'bot.log']) {
      fs.writeFileSync(path.join(dir, f), 'x');
      fs.chmodSync(path.join(dir, f), 0o644);
    }
    fs.writeFileSync(path.join(dir, 'papers.sqlite-shm'), 'x');
    fs.chmodSync(path.join(dir, 'papers.sqlite-shm'), 0o400);
    privateDataDir(dir);
    expect(modeOf(dir)).toBe(0o700);
    for (const f of ['papers.sqlite', 'papers.sqlite-wal', 'bot.log']) expect([f, modeOf(path.join(dir, f))]).toEqual([f, 0o600]);
    // Already private but stricter: the owner's choice stays.
    expect(modeOf(path.join(dir, 'papers.sqlite-shm'))).toBe(0o400);
  });
});
