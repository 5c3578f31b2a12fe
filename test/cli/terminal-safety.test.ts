/**
 * Nothing from the data drives the terminal: a paper stored before text was cleaned at
 * the door (written straight to the store here) goes through `papers show`, `papers
 * digest` and `--json` without an escape sequence, bidi or zero-width character.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { EVIL_TITLE, EVIL_TITLE_CLEAN } from '../support/attacks.js';
import { makePaper } from '../support/papers.js';
import { papers } from '../support/spawn.js';
import { tempDir } from '../support/tmp.js';

const dataDir = tempDir();
const env = { DATA_DIR: dataDir, NO_COLOR: '1' };
// ESC, BEL, any other C0 but newline, DEL, C1, bidi controls, zero-width characters.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/;

beforeAll(async () => {
  const store = SqliteStore.open(path.join(dataDir, 'papers.sqlite'));
  await store.upsertPapers([
    makePaper({
      id: '2608.00001',
      title: EVIL_TITLE,
      abstract: 'Abstract \u001b]52;c;cHduZWQ=\u0007with a clipboard write and \u009b31m an 8-bit CSI.',
      authors: ['Eve\u202e Hacker', 'B', 'C', 'D\u001b[2J'],
      keywords: ['kw\u200b'],
      githubRepo: 'https://gitlab.com/x\u001b[5m',
      projectPage: 'https://example.org/\u0007',
      organization: 'Org\u001b[31m',
      featuredDates: ['2026-08-21'],
    }),
  ]);
  await store.close();
});

describe('papers CLI output of hostile stored text', () => {
  it('show prints the cleaned text and no control character', async () => {
    const r = await papers(['show', '2608.00001'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(EVIL_TITLE_CLEAN);
    expect(r.stdout).toContain('Eve Hacker');
    expect(r.stdout).not.toMatch(UNSAFE);
    expect(r.stdout).not.toContain('pwned');
  });

  it('digest prints the cleaned title', async () => {
    const r = await papers(['digest', '--date', '2026-08-21'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(EVIL_TITLE_CLEAN);
    expect(r.stdout).not.toMatch(UNSAFE);
  });

  it('--json escapes what JSON.stringify leaves raw, and stays the same value', async () => {
    const r = await papers(['show', '2608.00001', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(UNSAFE);
    expect((JSON.parse(r.stdout) as { title: string }).title).toBe(EVIL_TITLE);
  });
});
