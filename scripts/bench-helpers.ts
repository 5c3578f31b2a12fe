/** Small measuring helpers shared by the search bench's parent and child processes. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

/** The bench's entry point, which every child process runs with `--child <name>`. */
const BENCH = fileURLToPath(new URL(`./bench-search${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url));

export const pct = (xs: number[], p: number) => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
export const r1 = (x: number) => Math.round(x * 10) / 10;
export const mb = (bytes: number) => r1(bytes / 1e6);
export const gc = () => (globalThis as { gc?: () => void }).gc?.();
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function dirBytes(dir: string): number {
  return fs.readdirSync(dir).reduce((s, f) => s + fs.statSync(path.join(dir, f)).size, 0);
}

/** Runs `fn` with the event-loop delay of this thread recorded; returns p99 and max in ms. */
export async function withDelay<T>(fn: () => Promise<T>): Promise<{ value: T; p99: number; max: number }> {
  const h = monitorEventLoopDelay({ resolution: 2 });
  h.enable();
  try {
    const value = await fn();
    await sleep(20); // lets the timer record a delay caused by the last synchronous stretch
    return { value, p99: r1(h.percentile(99) / 1e6), max: r1(h.max / 1e6) };
  } finally {
    h.disable();
  }
}

/**
 * What the bot's environment sets for the process (npm start, the Dockerfile's ENV;
 * test/architecture/node-flags.test.ts keeps the three equal): glibc hands allocations of
 * 1 MiB and more straight to mmap (a fixed threshold: glibc's own rises with the first big free), so a rebuild's big buffers go back to the system when
 * freed instead of staying in an arena (docs/deploy.md, "Node flags").
 */
export const BOT_ENV: Readonly<Record<string, string>> = { MALLOC_MMAP_THRESHOLD_: '1048576' };

/** Runs a bench child under the bot's environment (through env(1), which adds BOT_ENV to what this process has). */
export function runChild(args: string[], nodeArgs: string[] = []): Promise<{ code: number; stdout: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const vars = Object.entries(BOT_ENV).map(([k, v]) => `${k}=${v}`);
    const child = spawn('env', [...vars, process.execPath, ...nodeArgs, BENCH, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, ms: performance.now() - started }));
  });
}

/** Start of a fresh process to its first answer, as that process measured it (performance.now() counts from its start). */
export async function firstAnswerOf(args: string[], nodeArgs: string[] = []): Promise<number> {
  const r = await runChild(args, nodeArgs);
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.code !== 0 || !line.startsWith('{')) throw new Error(`first-answer child failed (${r.code})`);
  return (JSON.parse(line) as { ms: number }).ms;
}
