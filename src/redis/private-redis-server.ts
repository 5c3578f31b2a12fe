/**
 * A private redis-server for `npm start` on a machine where nothing answers on the
 * default port: started from the PATH with its data under DATA_DIR (append-only file on,
 * so scheduled jobs survive a restart) and stopped when the bot exits.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ConfigError } from '../core/errors.js';

export const NO_REDIS_HELP =
  'No Redis server answers at 127.0.0.1:6379 and no redis-server is installed.\n' +
  'Either start one with Docker:   docker compose up -d redis\n' +
  'or install the system package:  sudo apt-get install redis-server   (macOS: brew install redis)\n' +
  'or point REDIS_URL at a Redis you already run.';

export interface RunningRedis {
  url: string;
  /** Stops the server (SHUTDOWN, then SIGKILL if it lingers). */
  stop(): Promise<void>;
}

export function findRedisServer(): string | null {
  const r = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const bin = r.stdout.trim();
  return r.status === 0 && bin ? bin : null;
}

/** A free TCP port on 127.0.0.1, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** True when something speaking Redis answers PING at host:port within the timeout. */
export function pingRedis(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.on('error', () => done(false));
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

export interface StartRedisOptions {
  dir: string;
  port?: number;
  /** Append-only file: jobs survive a restart of the server. */
  appendOnly?: boolean;
  /** fsync the append-only file on every write (tests that restart Redis mid-run), not every second. */
  fsyncAlways?: boolean;
  /** The binary; found on the PATH when omitted, none at all when null. */
  bin?: string | null;
}

export async function startRedisServer(opts: StartRedisOptions): Promise<RunningRedis> {
  const bin = opts.bin === undefined ? findRedisServer() : opts.bin;
  if (!bin) throw new ConfigError(NO_REDIS_HELP);
  fs.mkdirSync(opts.dir, { recursive: true });
  const port = opts.port ?? (await freePort());
  const args = [
    '--bind', '127.0.0.1', '--port', String(port), '--dir', opts.dir, '--save', '',
    '--appendonly', opts.appendOnly === false ? 'no' : 'yes', '--appendfsync', opts.fsyncAlways ? 'always' : 'everysec',
    '--logfile', path.join(opts.dir, 'redis.log'), '--protected-mode', 'yes',
  ];
  const child: ChildProcess = spawn(bin, args, { stdio: 'ignore' });
  let exited = false;
  child.on('exit', () => (exited = true));
  const deadline = Date.now() + 10_000;
  while (!(await pingRedis('127.0.0.1', port, 200))) {
    if (exited) throw new Error(`redis-server exited at start; see ${path.join(opts.dir, 'redis.log')}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not answer on port ${port} within 10 s`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (exited) return;
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM'); // redis-server saves the AOF and exits on SIGTERM
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
