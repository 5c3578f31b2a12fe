/**
 * Structured logs (pino). Logs go to stderr, or to a file when the terminal is the
 * console bot's own, so stdout stays clean for `--json` and the prompt.
 *
 * No token or secret reaches a log line: fields named like one are censored by key (a
 * Slack Installation's `bot.token` and `user.token` too), and as a last line, for what
 * hides in an error message or an SDK's debug text, every written line has token-shaped
 * strings (Slack `xox…-`/`xapp-`, Discord bot tokens) masked.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pino, type Logger as Pino } from 'pino';

export type AppLogger = Pino;

const SECRET_KEYS = ['token', 'botToken', 'appToken', 'userToken', 'accessToken', 'refreshToken', 'signingSecret', 'clientSecret', 'stateSecret', 'tokenKey', 'authorization'];
const REDACT = [
  ...SECRET_KEYS.flatMap((k) => [k, `*.${k}`]),
  ...['bot.token', 'user.token', 'bot.refreshToken', 'user.refreshToken', 'headers.authorization'].flatMap((p) => [p, `*.${p}`]),
];

/** Slack tokens (xoxb-, xoxp-, xoxe-, xapp- …) and Discord bot tokens (id.timestamp.hmac). */
const TOKEN_SHAPED = /\b(?:xox[a-z]|xapp)-[A-Za-z0-9-]{6,}|\b[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,}/g;

export function maskTokens(line: string): string {
  return line.replace(TOKEN_SHAPED, '[redacted]');
}

export function createLogger(opts: { level: string; file?: string | undefined; name?: string }): AppLogger {
  const base = { level: opts.level, name: opts.name ?? 'papers', redact: { paths: REDACT, censor: '[redacted]' }, hooks: { streamWrite: maskTokens } };
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
