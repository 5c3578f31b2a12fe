/**
 * The only module that reads process.env. One zod schema; a bad value stops the
 * process at start with the variable's name and what is wrong with it.
 */
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from './core/errors.js';

const optionalString = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

const url = (fallback: string) =>
  z
    .string()
    .trim()
    .default(fallback)
    .refine((s) => /^https?:\/\/[^\s]+$/.test(s), 'must be an http(s) URL')
    .transform((s) => s.replace(/\/+$/, ''));

const int = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const bool = (fallback: boolean) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .default(String(fallback))
    .refine((s) => ['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'].includes(s), 'must be true or false')
    .transform((s) => ['1', 'true', 'yes', 'on'].includes(s));

const schema = z.object({
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
  /** Platforms this worker process posts to (comma list); default every configured one. */
  WORKER_PLATFORMS: z
    .string()
    .trim()
    .default('')
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .refine((xs) => xs.every((x) => ['discord', 'slack'].includes(x)), 'must be a comma list of discord and slack'),
  /** Job lock in ms: a crashed worker's jobs are taken over after it lapses. */
  WORKER_LOCK_MS: int(60_000, 1_000, 600_000),
  /** Discord requests per second for the bot, shared by every process (Discord's global limit is 50). */
  DISCORD_REQUESTS_PER_SECOND: z.coerce.number().positive().max(10_000).default(48),
  /** Slack messages per second per channel (Slack allows about one, with short bursts). */
  SLACK_MESSAGES_PER_SECOND: z.coerce.number().positive().max(1_000).default(1),
  /** Slack Tier 3 calls (reactions.add, conversations.history) per minute per workspace. */
  SLACK_TIER3_PER_MINUTE: int(50, 1, 100_000),

  // Discord: DISCORD_TOKEN and DISCORD_APP_ID turn the Discord platform on.
  DISCORD_TOKEN: optionalString,
  DISCORD_APP_ID: optionalString,
  /** REST base; the gateway URL is then taken from GET /gateway/bot (tests point both at a stand-in). */
  DISCORD_API_BASE: url('https://discord.com/api'),

  // Slack: SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID/SECRET (OAuth, many) turn Slack on.
  SLACK_BOT_TOKEN: optionalString,
  /** Socket Mode when set (xapp-…): no public URL needed. */
  SLACK_APP_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_CLIENT_ID: optionalString,
  SLACK_CLIENT_SECRET: optionalString,
  SLACK_STATE_SECRET: optionalString,
  SLACK_API_URL: url('https://slack.com/api').transform((s) => `${s}/`),
  /** Who may subscribe a channel by default: everyone in it, or workspace admins and owners. */
  SLACK_SUBSCRIBE_POLICY: z.enum(['everyone', 'admins']).default('everyone'),
  /** HTTP port of the Slack events/commands/OAuth endpoints (HTTP mode). */
  PORT: int(3000, 0, 65535),
});

export type Config = {
  dataDir: string;
  dbPath: string;
  indexDir: string;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
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
  /** Empty: every configured platform. */
  workerPlatforms: ('discord' | 'slack')[];
  rates: { discordPerSecond: number; slackPerChannelPerSecond: number; slackTier3PerMinute: number };
  /** Present when DISCORD_TOKEN and DISCORD_APP_ID are both set. */
  discord: { token: string; appId: string; apiBase: string } | undefined;
  /** Present when SLACK_BOT_TOKEN or the OAuth client credentials are set. */
  slack:
    | {
        botToken: string | undefined;
        appToken: string | undefined;
        signingSecret: string | undefined;
        oauth: { clientId: string; clientSecret: string; stateSecret: string } | undefined;
        apiUrl: string;
        subscribePolicy: 'everyone' | 'admins';
        port: number;
      }
    | undefined;
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
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
  if (Boolean(e.DISCORD_TOKEN) !== Boolean(e.DISCORD_APP_ID)) {
    problems.push(`  ${e.DISCORD_TOKEN ? 'DISCORD_APP_ID' : 'DISCORD_TOKEN'}: required when ${e.DISCORD_TOKEN ? 'DISCORD_TOKEN' : 'DISCORD_APP_ID'} is set`);
  }
  const oauthVars = [e.SLACK_CLIENT_ID, e.SLACK_CLIENT_SECRET, e.SLACK_STATE_SECRET];
  if (oauthVars.some(Boolean) && !oauthVars.every(Boolean)) {
    problems.push('  SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET: set all three for the OAuth install flow, or none');
  }
  const slackOn = Boolean(e.SLACK_BOT_TOKEN) || oauthVars.every(Boolean);
  if (slackOn && !e.SLACK_APP_TOKEN && !e.SLACK_SIGNING_SECRET) {
    problems.push('  SLACK_SIGNING_SECRET: required in HTTP mode (set it, or SLACK_APP_TOKEN for Socket Mode)');
  }
  if (e.SLACK_APP_TOKEN && !e.SLACK_BOT_TOKEN) problems.push('  SLACK_BOT_TOKEN: required with SLACK_APP_TOKEN (Socket Mode)');
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
    workerPlatforms: e.WORKER_PLATFORMS as ('discord' | 'slack')[],
    rates: { discordPerSecond: e.DISCORD_REQUESTS_PER_SECOND, slackPerChannelPerSecond: e.SLACK_MESSAGES_PER_SECOND, slackTier3PerMinute: e.SLACK_TIER3_PER_MINUTE },
    discord: e.DISCORD_TOKEN && e.DISCORD_APP_ID ? { token: e.DISCORD_TOKEN, appId: e.DISCORD_APP_ID, apiBase: e.DISCORD_API_BASE } : undefined,
    slack: slackOn
      ? {
          botToken: e.SLACK_BOT_TOKEN,
          appToken: e.SLACK_APP_TOKEN,
          signingSecret: e.SLACK_SIGNING_SECRET,
          oauth: oauthVars.every(Boolean) ? { clientId: e.SLACK_CLIENT_ID!, clientSecret: e.SLACK_CLIENT_SECRET!, stateSecret: e.SLACK_STATE_SECRET! } : undefined,
          apiUrl: e.SLACK_API_URL,
          subscribePolicy: e.SLACK_SUBSCRIBE_POLICY,
          port: e.PORT,
        }
      : undefined,
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
