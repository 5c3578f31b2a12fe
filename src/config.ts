/**
 * The only module that reads process.env (and `.env` in the working directory, which
 * the environment overrides). One zod schema; a bad value stops the process at start
 * with the variable's name and what is wrong with it.
 */
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from './core/errors.js';
import type { RateRules } from './core/platform-descriptor.js';
import { readEnvFile } from './env-file.js';
import { int, optionalString, url } from './env-schema.js';
import type { AnyPlatformDescriptor } from './platforms/descriptor.js';
import { PLATFORMS } from './platforms/index.js';

const bool = (fallback: boolean) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .default(String(fallback))
    .refine((s) => ['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'].includes(s), 'must be true or false')
    .transform((s) => ['1', 'true', 'yes', 'on'].includes(s));

const baseShape = {
  DATA_DIR: z.string().trim().min(1).default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FILE: optionalString,
  HF_BASE_URL: url('https://huggingface.co'),
  HF_TIMEOUT_MS: int(15_000, 100, 300_000),
  HF_RETRIES: int(4, 0, 10),
  HF_PAGE_SIZE: int(100, 1, 1000),
  /** Seed an empty store from the sample committed in the repo. */
  SEED_SAMPLE: bool(true),
  /** Try the live Daily Papers API at start (false for fully offline runs). */
  FETCH_ON_START: bool(true),
  DEFAULT_TIMEZONE: z.string().trim().default('UTC'),

  /** Shared store for bots and workers on several machines; unset: the SQLite file in DATA_DIR. */
  DATABASE_URL: optionalString.refine((s) => s === undefined || /^postgres(ql)?:\/\/\S+$/.test(s), 'must be a postgres:// or postgresql:// URL'),
  DATABASE_SCHEMA: z.string().trim().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case identifier').default('public'),
  /** Unset: a Redis on 127.0.0.1:6379 if one answers, else `npm start` runs a private redis-server. */
  REDIS_URL: optionalString.refine((s) => s === undefined || /^rediss?:\/\/\S+$/.test(s), 'must be a redis:// or rediss:// URL'),
  /** `npm start` also runs the workers in the same process (false: run `npm run worker` separately). */
  RUN_WORKERS: bool(true),
  /** Digest jobs in flight per worker process. */
  WORKER_CONCURRENCY: int(100, 1, 1000),
  /** Platforms this worker process posts to (comma list); default every configured one. Checked against the platform list in loadConfig. */
  WORKER_PLATFORMS: z
    .string()
    .trim()
    .default('')
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean)),
  /** Job lock in ms: a crashed worker's jobs are taken over after it lapses. */
  WORKER_LOCK_MS: int(60_000, 1_000, 600_000),
  SWEEP_INTERVAL_MS: int(30_000, 500, 3_600_000),
  /** Prefix of every queue key: two installs sharing one Redis each take only their own jobs. */
  QUEUE_PREFIX: z.string().trim().regex(/^[A-Za-z0-9_.-]{1,40}$/, 'must be 1–40 letters, digits, _ . or -').default('papers'),
  /**
   * Port of /healthz, /readyz, /metrics, /admin/queues and Slack's HTTP endpoints. PORT is
   * the older name (Slack's HTTP receiver). Unset, a console in a terminal opens no port.
   */
  HTTP_PORT: optionalString
    .refine((s) => s === undefined || (/^\d{1,5}$/.test(s) && Number(s) <= 65_535), 'must be a port number (0–65535)')
    .transform((s) => (s === undefined ? undefined : Number(s))),
  HTTP_HOST: z.string().trim().min(1).default('0.0.0.0'),
  /** Turns the queue dashboard on, behind basic auth (user ADMIN_USER, default admin). */
  ADMIN_PASSWORD: optionalString,
  ADMIN_USER: z.string().trim().min(1).max(100).default('admin'),
  /** Any value turns colour off in the console and the CLI (no-color.org). */
  NO_COLOR: optionalString,
  // Each platform's own variables come from its descriptor (src/platforms/<name>/config.ts).
};

export type Config = {
  dataDir: string;
  dbPath: string;
  indexDir: string;
  logLevel: z.infer<z.ZodObject<typeof baseShape>>['LOG_LEVEL'];
  logFile: string | undefined;
  hf: { baseUrl: string; timeoutMs: number; retries: number; pageSize: number };
  seedSample: boolean;
  fetchOnStart: boolean;
  defaultTimezone: string;
  /** PostgreSQL instead of the SQLite file, when DATABASE_URL is set. */
  database: { url: string; schema: string } | undefined;
  redisUrl: string | undefined;
  runWorkers: boolean;
  workerConcurrency: number;
  workerLockMs: number;
  /** How often the store-to-Redis sweep runs (jobs/sweep.ts); it also runs on every Redis reconnect. */
  sweepMs: number;
  /** Empty: every configured platform. */
  workerPlatforms: string[];
  /** Each platform's limiter buckets, by platform name (from its descriptor and section). */
  rates: Readonly<Record<string, RateRules>>;
  /** Each platform's own section, by platform name, as its descriptor reads it. */
  platforms: Readonly<Record<string, unknown>>;
  queuePrefix: string;
  /** undefined: not set (the process decides whether it needs a port). */
  http: { port: number | undefined; host: string };
  /** The dashboard's credentials, when ADMIN_PASSWORD is set. */
  admin: { user: string; password: string } | undefined;
  /** The .env file that was read, if any (its values never override the environment). */
  envFile: string | undefined;
  noColor: boolean;
};

/**
 * `platforms` is the platform list (src/platforms/index.ts); each adds its variables to
 * the one schema and builds its section from the parsed record.
 */
export function loadConfig(given?: NodeJS.ProcessEnv, platforms: readonly AnyPlatformDescriptor[] = PLATFORMS): Config {
  // A caller passing its own record (a test) gets exactly that; the process gets .env under its environment.
  const file = given ? null : readEnvFile();
  const env: NodeJS.ProcessEnv = given ?? { ...file?.values, ...process.env };
  const schema = z.object(Object.assign({}, ...platforms.map((p) => p.config.env), baseShape) as typeof baseShape);
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}\nSee .env.example for every variable.`);
  }
  const e = parsed.data;
  let tz = e.DEFAULT_TIMEZONE;
  try {
    tz = new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    throw new ConfigError(`Invalid configuration:\n  DEFAULT_TIMEZONE: "${tz}" is not an IANA timezone`);
  }
  const problems: string[] = [];
  const sections: Record<string, unknown> = {};
  const rates: Record<string, RateRules> = {};
  for (const p of platforms) {
    const r = p.config.read(parsed.data as Record<string, unknown>);
    problems.push(...r.problems);
    sections[p.name] = r.section;
    rates[p.name] = p.rates(r.section);
  }
  const posters = platforms.filter((p) => p.createPoster).map((p) => p.name);
  if (!e.WORKER_PLATFORMS.every((x) => posters.includes(x))) problems.push(`  WORKER_PLATFORMS: must be a comma list of ${posters.join(' and ')}`);
  if (problems.length) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}\nSee .env.example for every variable.`);

  const dataDir = path.resolve(e.DATA_DIR);
  return {
    dataDir,
    dbPath: path.join(dataDir, 'papers.sqlite'),
    indexDir: path.join(dataDir, 'index'),
    logLevel: e.LOG_LEVEL,
    logFile: e.LOG_FILE,
    hf: { baseUrl: e.HF_BASE_URL, timeoutMs: e.HF_TIMEOUT_MS, retries: e.HF_RETRIES, pageSize: e.HF_PAGE_SIZE },
    seedSample: e.SEED_SAMPLE,
    fetchOnStart: e.FETCH_ON_START,
    defaultTimezone: tz,
    database: e.DATABASE_URL ? { url: e.DATABASE_URL, schema: e.DATABASE_SCHEMA } : undefined,
    redisUrl: e.REDIS_URL,
    runWorkers: e.RUN_WORKERS,
    workerConcurrency: e.WORKER_CONCURRENCY,
    workerLockMs: e.WORKER_LOCK_MS,
    sweepMs: e.SWEEP_INTERVAL_MS,
    workerPlatforms: e.WORKER_PLATFORMS,
    rates,
    platforms: sections,
    queuePrefix: e.QUEUE_PREFIX,
    // PORT (validated by Slack's section) counts only when it was actually set.
    http: { port: e.HTTP_PORT ?? (env.PORT?.trim() ? Number((parsed.data as Record<string, unknown>).PORT) : undefined), host: e.HTTP_HOST },
    admin: e.ADMIN_PASSWORD ? { user: e.ADMIN_USER, password: e.ADMIN_PASSWORD } : undefined,
    envFile: file?.path,
    noColor: e.NO_COLOR !== undefined,
  };
}

/**
 * The full paper corpus (../shared/data layout) for benchmarks and the extended test suite,
 * from PAPERS_DATA_DIR; undefined when unset. Read here because this is the one module that
 * reads process.env; the bot itself never needs it.
 */
export function papersDataDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const v = env['PAPERS_DATA_DIR']?.trim();
  return v ? v : undefined;
}
