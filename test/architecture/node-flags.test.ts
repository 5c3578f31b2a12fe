/**
 * The bot runs with the same V8 flags wherever it starts (npm start, the container) and
 * the search bench measures it with them (scripts/bench-ours.ts BOT_NODE_FLAGS).
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BOT_ENV } from '../../scripts/bench-helpers.js';
import { BOT_NODE_FLAGS } from '../../scripts/bench-ours.js';

const read = (f: string) => fs.readFileSync(new URL(`../../${f}`, import.meta.url), 'utf8');

describe('node flags of the bot', () => {
  it('npm start, the Dockerfile and the bench agree', () => {
    const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start!;
    const startFlags = /node ((?:--[\w-]+ )*)dist\/src\/app\/main\.js/.exec(start)?.[1]?.trim().split(' ') ?? [];
    const cmd = /^CMD (\[.*\])$/m.exec(read('Dockerfile'))?.[1];
    const cmdArgs = JSON.parse(cmd ?? '[]') as string[];
    expect(cmdArgs.at(-1)).toBe('dist/src/app/main.js');
    expect(startFlags).toEqual(BOT_NODE_FLAGS);
    expect(cmdArgs.slice(1, -1)).toEqual(BOT_NODE_FLAGS);
    expect(BOT_NODE_FLAGS).toContain('--single-threaded-gc');
  });

  it('npm start, the Dockerfile and the bench set the same environment for it', () => {
    const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start!;
    const docker = read('Dockerfile');
    expect(Object.keys(BOT_ENV)).toContain('MALLOC_MMAP_THRESHOLD_');
    for (const [k, v] of Object.entries(BOT_ENV)) {
      expect(start).toContain(`&& ${k}=${v} node `);
      expect(docker).toMatch(new RegExp(`^ENV ${k}=${v}$`, 'm'));
    }
  });
});
