/**
 * Runs once before the suite. End-to-end tests spawn the built bot and CLI (what users
 * run), so dist/ is brought up to date first; tsc is incremental, so this costs about a
 * second when nothing changed. Type errors are reported by `npm test`'s typecheck step;
 * here tsc still emits, so a run of one folder is not blocked by a half-edited file.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * redis-server processes working under `root`. redis-server rewrites its command line to
 * "host:port" but chdirs to its --dir, so the working directory says whose it is.
 */
function redisServersUnder(root: string): { pid: number; cmd: string }[] {
  const found: { pid: number; cmd: string }[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let cmd: string;
    let cwd: string;
    try {
      cmd = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim();
      cwd = fs.readlinkSync(`/proc/${name}/cwd`);
    } catch {
      continue; // exited meanwhile, or not ours to read
    }
    if (cmd.includes('redis-server') && cwd.startsWith(root)) found.push({ pid: Number(name), cmd: `${cmd} in ${cwd}` });
  }
  return found;
}

export default async function setup(): Promise<() => void> {
  // Every temp dir of this run (test Redis data, the bots' private Redis) goes under one
  // root, inherited by the test workers and the processes they spawn. The teardown then
  // finds what this run left behind by that root alone: the system Redis and other runs'
  // servers are never counted or killed.
  const runRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'papers-run-'));
  process.env['TMPDIR'] = runRoot;
  const root = path.resolve(import.meta.dirname, '../..');
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) process.stderr.write(`global setup: tsc reported problems (the build still emitted):\n${r.stdout}${r.stderr}`);
  if (r.error) throw r.error;
  return () => {
    const left = redisServersUnder(runRoot);
    for (const p of left) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    fs.rmSync(runRoot, { recursive: true, force: true });
    if (left.length) {
      throw new Error(`the suite left ${left.length} redis-server process(es) running (now killed):\n${left.map((p) => `  ${p.pid} ${p.cmd}`).join('\n')}`);
    }
  };
}
