/**
 * The rules of docs/architecture.md, enforced by reading the sources:
 *
 * 1. src/core/ is the domain only: it imports itself, zod and node:crypto, nothing else.
 * 2. Only src/config.ts reads process.env (src, commands, jobs, bin and scripts).
 * 3. Only src/app/ constructs the parts a process is made of (stores, index, source,
 *    queues, limiter, schedulers, platforms, Redis connections and workers; a platform
 *    plug-in's factory makes its own platform class); tests and benchmarks build what
 *    they measure. A library's
 *    own objects (a BullMQ Queue, an ioredis client, a discord.js Client, a Bolt App) are
 *    made only inside the one adapter folder that wraps that library.
 * 4. core, commands and jobs import no chat SDK and no adapter.
 * 5. Small files with names that say what they hold: none over 450 lines, no two with the
 *    same base name (index.ts and a platform's render/translate/errors excepted).
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
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

const read = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf8');

/** Every module specifier a file imports or re-exports, static or dynamic. */
function specifiers(file: string): string[] {
  const text = read(file);
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g)) out.push(m[1]!);
  for (const m of text.matchAll(/(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g)) out.push(m[1]!);
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]!);
  return out;
}

const resolveFrom = (file: string, spec: string) => path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));

/** `new X(` or `X.open(` outside comments, per line. */
function constructions(file: string, names: readonly string[]): string[] {
  const found: string[] = [];
  read(file)
    .split('\n')
    .forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, '').replace(/^\s*\*.*$/, '');
      for (const n of names) {
        if (new RegExp(`\\bnew\\s+${n}\\b|\\b${n}\\.open\\(`).test(code)) found.push(`${file}:${i + 1} ${n}`);
      }
    });
  return found;
}

const CORE_MAY_IMPORT = new Set(['zod', 'node:crypto']);

/** Our own parts of a process: made by src/app/ (a class's own file may make itself in a static factory). */
const WIRED = [
  'SqliteStore', 'PostgresStore', 'LunrPaperIndex', 'HfDailySource', 'Queues', 'RedisRateLimiter', 'RedisSeenStore', 'BullmqScheduleSync',
  'QueueDigestDispatcher', 'RateLimitedPlatform', 'DiscordPlatform', 'SlackPlatform', 'ConsolePlatform', 'SearchService', 'DigestService',
];
/** Factories of connections and workers: called from src/app/ only. */
const WIRED_CALLS = ['redisConnection', 'startWorkers', 'resolveRedis', 'startQueueSide'];

/** A library's objects, made only inside the folder of the adapter that wraps it. */
const LIBRARY_HOMES: Record<string, string[]> = {
  'Queue|QueueEvents': ['src/redis/'],
  Redis: ['src/redis/'],
  'Client|REST|WebSocketManager': ['src/platforms/discord/'],
  'App|WebClient|SocketModeClient|ExpressReceiver|HTTPReceiver|SocketModeReceiver': ['src/platforms/slack/'],
  Database: ['src/store/sqlite/'],
  'pg\\.Pool|Pool': ['src/store/postgres/'],
};

describe('architecture boundaries', () => {
  const core = sources('src/core');
  const guarded = [...core, ...sources('commands'), ...sources('jobs')];
  const everything = [...sources('src'), ...sources('commands'), ...sources('jobs'), ...sources('bin'), ...sources('scripts')];

  it('the checks see the sources they guard', () => {
    expect(core.length).toBeGreaterThan(20);
    expect(sources('src/app').length).toBeGreaterThan(4);
    expect(everything.length).toBeGreaterThan(100);
  });

  it('src/core imports nothing but itself, zod and node:crypto', () => {
    const offenders = core.flatMap((f) =>
      specifiers(f)
        .filter((s) => (s.startsWith('.') ? !resolveFrom(f, s).startsWith('src/core/') : !CORE_MAY_IMPORT.has(s)))
        .map((s) => `${f} imports ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it('core, commands and jobs import no chat SDK, no adapter and no wiring', () => {
    const offenders = guarded.flatMap((f) =>
      specifiers(f)
        .filter((s) => /^(discord\.js|@discordjs\/|@slack\/|ioredis$|better-sqlite3$|pg$|lunr$)/.test(s) || (s.startsWith('.') && /^src\/(platforms|app|redis|store|search|sources|cli)\//.test(resolveFrom(f, s))))
        .map((s) => `${f} imports ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it('only src/config.ts reads process.env', () => {
    const offenders = everything.filter((f) => f !== 'src/config.ts' && /process\.env\b/.test(read(f)));
    expect(offenders).toEqual([]);
  });

  it('only src/app/ constructs stores, the index, the source, queues, platforms and connections', () => {
    // Tests and benchmarks (scripts/) build exactly what they measure; a platform plug-in's
    // factories (src/platforms/<name>/index.ts) make that platform's own class.
    const production = [...sources('src'), ...sources('commands'), ...sources('jobs'), ...sources('bin')];
    const outside = production.filter((f) => !f.startsWith('src/app/'));
    const offenders = outside.flatMap((f) => {
      const own = path.basename(f, '.ts');
      const made = constructions(f, WIRED).filter((hit) => {
        // A class's static factory (`static open()` → `new SqliteStore`) lives in its own file.
        const cls = hit.split(' ')[1]!;
        const pluginFactory = /^src\/platforms\/([^/]+)\/index\.ts$/.exec(f)?.[1];
        if (pluginFactory && cls.toLowerCase() === `${pluginFactory}platform`) return false;
        return !read(f).includes(`class ${cls} `) && !own.includes(cls.toLowerCase());
      });
      const called = WIRED_CALLS.flatMap((n) =>
        read(f)
          .split('\n')
          .map((line, i) => ({ line: line.replace(/\/\/.*$/, ''), i }))
          .filter(({ line }) => new RegExp(`(?<!function\\s)\\b${n}\\(`).test(line) && !/^\s*\*/.test(line))
          .map(({ i }) => `${f}:${i + 1} ${n}()`),
      );
      return [...made, ...called];
    });
    expect(offenders).toEqual([]);
  });

  it('library objects are made only inside the adapter that wraps the library', () => {
    const offenders = everything.flatMap((f) =>
      Object.entries(LIBRARY_HOMES).flatMap(([names, homes]) => {
        if (homes.some((h) => f.startsWith(h))) return [];
        const text = read(f);
        const from = names.split('|').filter((n) => new RegExp(`\\bnew\\s+${n}\\(`).test(text));
        // Only a constructor imported from that library counts (a worker_threads Worker does not).
        return from.filter((n) => new RegExp(`import\\s[^;]*\\b${n.replace('\\.', '')}\\b[^;]*from\\s+['"](bullmq|ioredis|discord\\.js|@discordjs/[^'"]+|@slack/[^'"]+|better-sqlite3|pg)['"]`).test(text)).map((n) => `${f} makes ${n}`);
      }),
    );
    expect(offenders).toEqual([]);
  });

  it('no file in src/, commands/ or jobs/ is over 450 lines', () => {
    const long = [...sources('src'), ...sources('commands'), ...sources('jobs')]
      .map((f) => ({ f, lines: read(f).split('\n').length }))
      .filter((x) => x.lines > 450)
      .map((x) => `${x.f}: ${x.lines}`);
    expect(long).toEqual([]);
  });

  it('no two files share a base name (index.ts and a platform’s render, translate and errors excepted)', () => {
    const byName = new Map<string, string[]>();
    for (const f of [...sources('src'), ...sources('commands'), ...sources('jobs')]) {
      const base = path.basename(f);
      if (base === 'index.ts') continue;
      if (/^src\/platforms\/[^/]+\/(render|translate|errors)\.ts$/.test(f)) continue;
      byName.set(base, [...(byName.get(base) ?? []), f]);
    }
    expect([...byName].filter(([, files]) => files.length > 1)).toEqual([]);
  });
});
