/**
 * Reading paper files for `papers import <file|dir>…` and for seeding the store.
 *
 * Accepted: Daily Papers day files (a JSON array of API items; a name YYYY-MM-DD.json
 * says which day was asked for), JSON arrays of paper records, and JSON Lines of
 * records (see core/normalize/jsonl.ts), each optionally gzip-compressed. A directory
 * contributes its *.json, *.jsonl, *.json.gz and *.jsonl.gz files (not subdirectories),
 * sorted by name.
 *
 * Atomic by contract: everything is parsed and validated before anything is returned.
 * Any bad file makes the whole call throw (one error listing every bad file), so the
 * caller stores all or nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { pipeline } from 'node:stream';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { isDay } from '../core/dates.js';
import { MalformedDataError } from '../core/errors.js';
import { normalizeHfDay } from '../core/normalize/hf.js';
import { normalizeJsonlRecord, normalizeRecordAt } from '../core/normalize/jsonl.js';
import { mergeBatch, type Paper } from '../core/paper.js';

export interface PaperFilesResult {
  /** Merged by id across all files. */
  papers: Paper[];
  /** Unique papers per file, in reading order. */
  files: { path: string; papers: number }[];
}

/** Several files were bad; `problems` holds one error per file. Nothing was returned. */
export class PaperFilesError extends MalformedDataError {
  readonly problems: MalformedDataError[];
  constructor(problems: MalformedDataError[]) {
    super(`${problems.length} files`, `nothing imported:\n${problems.map((p) => `- ${p.userMessage}`).join('\n')}`);
    this.problems = problems;
  }
}

const PAPER_FILE = /\.(?:json|jsonl|ndjson)(?:\.gz)?$/i;
const GZIP_MAGIC = [0x1f, 0x8b];
const gunzip = promisify(zlib.gunzip);

export async function readPaperFiles(paths: string[]): Promise<PaperFilesResult> {
  const problems: MalformedDataError[] = [];
  const files = await expand(paths, problems);
  const perFile: Paper[][] = [];
  // Files are read one after another: 558 small day files take well under a second,
  // and the big JSONL file streams, so parallel reads would only add memory.
  for (const file of files) {
    try {
      perFile.push(await readOne(file));
    } catch (err) {
      problems.push(asMalformed(file, err));
    }
  }
  if (problems.length === 1) throw problems[0];
  if (problems.length) throw new PaperFilesError(problems);
  return {
    papers: [...mergeBatch(perFile.flat()).values()],
    files: files.map((file, i) => ({ path: file, papers: perFile[i]!.length })),
  };
}

/** Paths as given → files to read (directories listed, duplicates dropped). */
async function expand(paths: string[], problems: MalformedDataError[]): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (file: string) => {
    const key = path.resolve(file);
    if (!seen.has(key)) out.push(file);
    seen.add(key);
  };
  for (const given of paths) {
    try {
      const st = await fs.promises.stat(given);
      if (!st.isDirectory()) {
        add(given);
        continue;
      }
      const names = (await fs.promises.readdir(given, { withFileTypes: true }))
        .filter((e) => PAPER_FILE.test(e.name) && (e.isFile() || e.isSymbolicLink()))
        .map((e) => e.name)
        .sort();
      if (!names.length) problems.push(new MalformedDataError(given, 'the directory holds no .json, .jsonl, .json.gz or .jsonl.gz files'));
      for (const name of names) add(path.join(given, name));
    } catch (err) {
      problems.push(asMalformed(given, err));
    }
  }
  return out;
}

function asMalformed(file: string, err: unknown): MalformedDataError {
  if (err instanceof MalformedDataError) return err;
  const code = (err as NodeJS.ErrnoException)?.code;
  const why =
    code === 'ENOENT' ? 'no such file or directory'
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : code === 'EISDIR' ? 'is a directory'
    : `cannot be read (${err instanceof Error ? err.message : String(err)})`;
  return new MalformedDataError(file, why, { cause: err });
}

type Kind = 'json' | 'jsonl';

async function readOne(file: string): Promise<Paper[]> {
  const name = path.basename(file);
  const gz = /\.gz$/i.test(name);
  const inner = gz ? name.slice(0, -3) : name;
  const kind: Kind | null = /\.json$/i.test(inner) ? 'json' : /\.(?:jsonl|ndjson)$/i.test(inner) ? 'jsonl' : null;
  if (!kind) throw new MalformedDataError(file, 'unsupported file type (expected .json, .jsonl, .json.gz or .jsonl.gz)');
  await checkContainer(file, gz);
  const papers = kind === 'json' ? await readJsonFile(file, gz, dayFromName(inner)) : await readJsonlFile(file, gz);
  return [...mergeBatch(papers).values()];
}

/** A file named YYYY-MM-DD.json is the Daily Papers list of that day. */
function dayFromName(name: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})\.json$/i.exec(name);
  return m && isDay(m[1]!) ? m[1] : undefined;
}

/** Empty files and files whose compression disagrees with their name. */
async function checkContainer(file: string, gz: boolean): Promise<void> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const { bytesRead, buffer } = await fh.read(Buffer.alloc(2), 0, 2, 0);
    if (bytesRead === 0) throw new MalformedDataError(file, 'the file is empty');
    const isGzip = bytesRead === 2 && buffer[0] === GZIP_MAGIC[0] && buffer[1] === GZIP_MAGIC[1];
    if (gz && !isGzip) throw new MalformedDataError(file, 'named .gz but not gzip-compressed');
    if (!gz && isGzip) throw new MalformedDataError(file, 'gzip-compressed but not named .gz');
  } finally {
    await fh.close();
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

async function readJsonFile(file: string, gz: boolean, date: string | undefined): Promise<Paper[]> {
  let bytes: Buffer = await fs.promises.readFile(file);
  if (gz) bytes = await gunzip(bytes).catch(() => Promise.reject(new MalformedDataError(file, 'the gzip data is truncated or corrupt')));
  if (bytes.subarray(0, 8192).includes(0)) throw new MalformedDataError(file, 'binary data, not JSON text');
  let text: string;
  try {
    text = utf8.decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new MalformedDataError(file, 'not UTF-8 text');
  }
  if (!text.trim()) throw new MalformedDataError(file, 'the file is empty (only whitespace)');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    if (looksLikeJsonLines(text)) throw new MalformedDataError(file, 'holds JSON Lines (one object per line), not one JSON document; name it .jsonl');
    throw new MalformedDataError(file, `not valid JSON (${jsonErrorWhere(err, text)})`);
  }
  // A Daily Papers body (or anything that is not an array of plain records, so the
  // HF validator names the problem: a wrapped object, Python-repr strings …).
  if (!Array.isArray(value) || !value.every((v) => isRecord(v) && !('paper' in v))) {
    return normalizeHfDay(value, { date, where: file });
  }
  return value.map((v, i) => normalizeRecordAt(v, file, `item ${i}`));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function looksLikeJsonLines(text: string): boolean {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 2);
  if (lines.length < 2) return false;
  try {
    return lines.every((l) => isRecord(JSON.parse(l)));
  } catch {
    return false;
  }
}

/** "line 3: Unexpected token …" from V8's "… at position N". */
function jsonErrorWhere(err: unknown, text: string): string {
  const msg = err instanceof Error ? err.message : String(err);
  const pos = /position (\d+)/.exec(msg);
  if (!pos || /line \d+/.test(msg)) return msg;
  const line = text.slice(0, Number(pos[1])).split('\n').length;
  return `line ${line}: ${msg}`;
}

async function readJsonlFile(file: string, gz: boolean): Promise<Paper[]> {
  const source = fs.createReadStream(file);
  // pipeline() destroys the gunzip stream on a read error too, so readline sees it.
  const input = gz ? pipeline(source, zlib.createGunzip(), () => undefined) : source;
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  const papers: Paper[] = [];
  let lineNo = 0;
  try {
    for await (const raw of lines) {
      lineNo++;
      const line = raw.trim();
      if (!line) continue;
      if (line.includes('\u0000')) throw new MalformedDataError(file, `line ${lineNo}: binary data, not JSON text`);
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        const hint = papers.length === 0 && line.startsWith('[') ? '; it looks like one JSON array, so name it .json' : '';
        throw new MalformedDataError(file, `line ${lineNo}: not valid JSON (starts ${JSON.stringify(line.slice(0, 30))})${hint}`);
      }
      papers.push(normalizeJsonlRecord(value, { where: file, line: lineNo }));
    }
  } catch (err) {
    if (err instanceof MalformedDataError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (gz && code.startsWith('Z_')) throw new MalformedDataError(file, `the gzip data is truncated or corrupt (after line ${lineNo})`);
    throw err;
  } finally {
    lines.close();
    input.destroy();
  }
  if (!papers.length) throw new MalformedDataError(file, 'the file is empty (no records)');
  return papers;
}
