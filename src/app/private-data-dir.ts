/**
 * DATA_DIR is private to the bot's user: the SQLite file in it holds Slack bot tokens,
 * the log and the exports say who asked for what. Every file a process makes is 0600 and
 * every directory 0700 (the umask, set once at start, also covers the index snapshot,
 * the log, exports and a private redis-server's files, which inherit it), and a DATA_DIR
 * left world-readable by an older version is tightened when the store opens.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../core/ports.js';

/** Files that may already exist with looser bits from before: the store and its journal. */
const SECRET_FILES = ['papers.sqlite', 'papers.sqlite-wal', 'papers.sqlite-shm', 'bot.log'];

/** At process start, before anything is written: group and others get no bits on anything we create. */
export function privateFileModes(): void {
  process.umask(0o077);
}

/** Creates `dir` 0700, or takes group and other bits off an existing one and off its secret files. */
export function privateDataDir(dir: string, log?: Logger): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  tighten(dir, 0o700, log);
  for (const name of SECRET_FILES) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) tighten(file, 0o600, log);
  }
}

function tighten(file: string, mode: number, log?: Logger): void {
  const now = fs.statSync(file).mode & 0o777;
  if ((now & 0o077) === 0) return; // already private (a stricter owner mode is the owner's choice)
  try {
    fs.chmodSync(file, mode);
  } catch (err) {
    // A volume owned by someone else: the bot still runs, and says what it could not fix.
    log?.warn({ file, mode: now.toString(8), err: (err as Error).message }, 'cannot make this private (chmod failed): other users may read it');
  }
}
