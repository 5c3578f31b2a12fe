/** Runs the built bot or CLI (what users run) as a child process and collects its output. */
import { spawn } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runNode(args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      // HTTP_PORT 0: a free port each, so bots started side by side never collide on 3000.
      env: { ...process.env, LOG_LEVEL: 'warn', FETCH_ON_START: 'false', ...(opts.env?.PORT ? {} : { HTTP_PORT: '0' }), ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out: node ${args.join(' ')}\nstdout: ${stdout.slice(-2000)}\nstderr: ${stderr.slice(-2000)}`));
    }, opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** `npx papers …` as installed: the package's bin script. */
export function papers(args: string[], opts: Parameters<typeof runNode>[1] = {}): Promise<RunResult> {
  return runNode([path.join(ROOT, 'bin/papers.js'), ...args], opts);
}

/** A long-running child driven line by line: type a line, wait for output to match. */
export interface Session {
  /** Everything printed so far. */
  readonly stdout: string;
  readonly stderr: string;
  type(line: string): void;
  /** Resolves with the output after `since` once it matches; rejects after the timeout. */
  waitFor(pattern: RegExp, opts?: { since?: number; timeoutMs?: number }): Promise<string>;
  /** Output length now, to wait only for what comes next. */
  mark(): number;
  end(): Promise<number | null>;
}

export function startSession(args: string[], env: NodeJS.ProcessEnv): Session {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    for (const w of waiters) w();
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    type(line) {
      child.stdin.write(`${line}\n`);
    },
    mark: () => stdout.length,
    waitFor(pattern, opts = {}) {
      const since = opts.since ?? 0;
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(stdout.slice(since))) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(stdout.slice(since));
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${pattern}\n--- stdout since mark:\n${stdout.slice(since).slice(-3000)}\n--- stderr:\n${stderr.slice(-2000)}`));
        }, opts.timeoutMs ?? 30_000);
        waiters.add(check);
        check();
      });
    },
    async end() {
      child.stdin.end();
      return exited;
    },
  };
}

export interface BuiltBot {
  child: import('node:child_process').ChildProcess;
  /** http://127.0.0.1:PORT of its HTTP surface. */
  base: string;
  stderr(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/**
 * The built bot with no terminal (stdin /dev/null, as a container runs it) on a free HTTP
 * port, resolved once its start-up line names the port.
 */
export async function startBuiltBot(env: NodeJS.ProcessEnv): Promise<BuiltBot> {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/src/app/main.js')], {
    cwd: ROOT,
    env: { ...process.env, HTTP_PORT: '0', HTTP_HOST: '127.0.0.1', FETCH_ON_START: 'false', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout!.resume();
  for (let i = 0; i < 300 && !/HTTP :(\d+)/.test(stderr) && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
  const port = /HTTP :(\d+)/.exec(stderr)?.[1];
  if (!port) {
    child.kill('SIGKILL');
    throw new Error(`the bot did not start: ${stderr.slice(-1000)}`);
  }
  return {
    child,
    base: `http://127.0.0.1:${port}`,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((r) => child.once('close', r));
      child.kill('SIGTERM');
      return exited;
    },
  };
}
