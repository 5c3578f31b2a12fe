/**
 * Structured logs (pino). Logs go to stderr, or to a file when the terminal is the
 * console bot's own, so stdout stays clean for `--json` and the prompt. Token-shaped
 * values are redacted by key wherever they appear.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pino, type Logger as Pino } from 'pino';

export type AppLogger = Pino;

const REDACT = [
  'token', '*.token', 'botToken', '*.botToken', 'appToken', '*.appToken', 'signingSecret', '*.signingSecret',
  'clientSecret', '*.clientSecret', 'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization',
];

export function createLogger(opts: { level: string; file?: string | undefined; name?: string }): AppLogger {
  const base = { level: opts.level, name: opts.name ?? 'papers', redact: { paths: REDACT, censor: '[redacted]' } };
  if (opts.file) {
    fs.mkdirSync(path.dirname(path.resolve(opts.file)), { recursive: true });
    // Synchronous: a quick `quit` must not exit before the file is even open (pino would throw).
    return pino(base, pino.destination({ dest: opts.file, sync: true, mkdir: true }));
  }
  return pino(base, pino.destination({ fd: 2, sync: true }));
}

/** A logger that drops everything, for tests and quiet CLI runs. */
export function silentLogger(): AppLogger {
  return pino({ level: 'silent' });
}
