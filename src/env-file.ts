/**
 * `.env` in the working directory, read with Node's own parser (util.parseEnv) after a
 * line check of ours: parseEnv skips a line it cannot read without a word, and a token
 * pasted onto a broken line would then be silently ignored. The caller (src/config.ts)
 * lets the real environment win over the file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigError } from './core/errors.js';

const ASSIGNMENT = /^\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*=/;

export interface EnvFile {
  path: string;
  values: Record<string, string>;
}

/** The variables of `dir/.env`, or null when there is no such file. */
export function readEnvFile(dir: string = process.cwd()): EnvFile | null {
  const file = path.join(dir, '.env');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ConfigError(`Cannot read ${file}: ${(err as Error).message}`);
  }
  const lines = text.split(/\r?\n/);
  let quote: string | null = null;
  lines.forEach((line, i) => {
    if (quote) {
      // Inside a multi-line quoted value: only its closing quote matters.
      if (line.includes(quote)) quote = null;
      return;
    }
    if (!line.trim() || line.trimStart().startsWith('#')) return;
    if (!ASSIGNMENT.test(line)) {
      // Only the start of the line is shown: the rest may be a secret.
      const start = line.trim().split(/[=\s]/)[0]!.slice(0, 20);
      throw new ConfigError(`${file}, line ${i + 1}: expected NAME=value (the line starts "${start}…"). Values with spaces need quotes.`);
    }
    const value = line.slice(line.indexOf('=') + 1).trimStart();
    const q = value[0];
    if ((q === '"' || q === "'" || q === '`') && !value.slice(1).includes(q)) quote = q;
  });
  if (quote) throw new ConfigError(`${file}: a quoted value is never closed (missing ${quote}).`);
  return { path: file, values: parseEnv(text) as Record<string, string> };
}
