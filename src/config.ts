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
  };
}
