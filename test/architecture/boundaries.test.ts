/**
 * The design's rules of thumb, enforced by reading the sources:
 * core, commands and jobs never import a chat SDK; only src/config.ts reads process.env;
 * only the composition roots construct concrete stores, clients and queues.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  const abs = path.join(ROOT, dir);
  if (!fs.existsSync(abs)) return [];
  return fs
    .readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|js|mjs|cjs)$/.test(e.name))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

const read = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf8');

describe('architecture boundaries', () => {
  it('core, commands and jobs import no chat SDK', () => {
    const offenders = [...sources('src/core'), ...sources('commands'), ...sources('jobs')].filter((f) =>
      /from\s+['"](discord\.js|@discordjs\/[^'"]+|@slack\/[^'"]+)['"]|require\(['"](discord\.js|@slack\/)/.test(read(f)),
    );
    expect(offenders).toEqual([]);
  });

  it('core and commands import no platform adapter', () => {
    const offenders = [...sources('src/core'), ...sources('commands'), ...sources('jobs')].filter((f) =>
      /from\s+['"][./]*\/?(?:src\/)?platforms\//.test(read(f)),
    );
    expect(offenders).toEqual([]);
  });

  it('only src/config.ts reads process.env', () => {
    const all = [...sources('src'), ...sources('commands'), ...sources('jobs'), ...sources('bin')];
    const offenders = all.filter((f) => f !== path.join('src', 'config.ts') && /process\.env\b/.test(read(f)));
    expect(offenders).toEqual([]);
  });

  it('the boundary check sees the sources it guards', () => {
    expect(sources('src/core').length).toBeGreaterThan(5);
  });
});
