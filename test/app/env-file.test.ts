/** `.env` in the working directory, as `npx papers` and `npm start` read it: the environment wins, a broken line is refused. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { readEnvFile } from '../../src/env-file.js';
import { ROOT } from '../support/spawn.js';
import { tempDir } from '../support/tmp.js';

function cliIn(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const { DATA_DIR: _d, ...base } = process.env;
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/papers.js'), ...args], { cwd, env: { ...base, SEED_SAMPLE: 'false', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('.env', () => {
  it('is read from the working directory, and the environment wins over it', async () => {
    const cwd = tempDir();
    const fromFile = path.join(cwd, 'from-file');
    fs.writeFileSync(path.join(cwd, '.env'), `# a comment\nexport DATA_DIR="${fromFile}"\nLOG_LEVEL=warn\n\nHF_RETRIES='0'\n`);
    const r = await cliIn(cwd, ['stats', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { dataDir: string }).dataDir).toBe(fromFile);
    const fromEnv = path.join(cwd, 'from-env');
    const over = await cliIn(cwd, ['stats', '--json'], { DATA_DIR: fromEnv });
    expect((JSON.parse(over.stdout) as { dataDir: string }).dataDir).toBe(fromEnv);
  });

  it('refuses a malformed line by its number, without echoing what may be a secret', async () => {
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, '.env'), 'LOG_LEVEL=warn\nDISCORD TOKEN=supersecretvalue\n');
    const r = await cliIn(cwd, ['stats']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\.env, line 2: expected NAME=value \(the line starts "DISCORD…"\)/);
    expect(r.stderr).not.toContain('supersecret');
  });

  it('refuses a quoted value that is never closed, and reads multi-line quoted values', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, '.env'), 'A="one\ntwo"\nB=3\n');
    expect(readEnvFile(dir)?.values).toEqual({ A: 'one\ntwo', B: '3' });
    fs.writeFileSync(path.join(dir, '.env'), 'A="never closed\nB=3\n');
    expect(() => readEnvFile(dir)).toThrow(ConfigError);
    expect(readEnvFile(tempDir())).toBeNull();
  });
});
