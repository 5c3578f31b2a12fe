/**
 * The index on disk, for a fast start: one JSON file holding the lunr index and the
 * filter metadata of every paper. Written atomically (temp file + rename) so a crash
 * mid-write leaves the previous snapshot; anything unreadable is ignored with a
 * warning and the caller rebuilds.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import lunr from 'lunr';
import type { Logger } from '../ports.js';
import { buildMeta, type DocMeta, type IndexMeta } from './engine.js';
import { INDEX_FIELDS } from './query.js';

/** Bump when fields, boosts, tokenisation or the file layout change: old snapshots are then rebuilt. */
export const SNAPSHOT_VERSION = 1;
export const SNAPSHOT_FILE = 'index.json';

export interface SnapshotFile {
  version: number;
  /** Store revision the index was built from. */
  revision: number;
  builtAt: string;
  docs: DocMeta[];
  /** lunr.Index#toJSON(). */
  lunr: unknown;
}

/** An index ready to answer: what a snapshot load or a build produces. */
export interface LoadedIndex {
  index: lunr.Index;
  meta: IndexMeta;
  revision: number;
  builtAt: string;
}

export function snapshotPath(dir: string): string {
  return path.join(dir, SNAPSHOT_FILE);
}

export function serializeSnapshot(index: lunr.Index, docs: DocMeta[], revision: number, builtAt = new Date()): string {
  const file: SnapshotFile = { version: SNAPSHOT_VERSION, revision, builtAt: builtAt.toISOString(), docs, lunr: index.toJSON() };
  return JSON.stringify(file);
}

function isDocMeta(d: unknown): d is DocMeta {
  if (!d || typeof d !== 'object') return false;
  const m = d as Record<string, unknown>;
  return (
    typeof m.id === 'string' &&
    Array.isArray(m.featuredDates) &&
    (m.upvotes === null || typeof m.upvotes === 'number') &&
    typeof m.hasCode === 'boolean' &&
    typeof m.titleKey === 'string' &&
    (m.headKey === null || typeof m.headKey === 'string')
  );
}

/** lunr.Index#toJSON() as it is laid out (lunr 2.3.9). */
export interface SerializedLunr {
  version: string;
  fields: string[];
  fieldVectors: [string, number[]][];
  invertedIndex: [string, Record<string, unknown>][];
  pipeline: string[];
}

export interface ValidSnapshot extends SnapshotFile {
  lunr: SerializedLunr;
}

/** Checks a parsed snapshot is ours, of this version and self-consistent; throws an Error saying what is wrong. */
export function validateSnapshot(file: unknown): ValidSnapshot {
  if (!file || typeof file !== 'object' || Array.isArray(file)) throw new Error('not a snapshot object');
  const f = file as Partial<SnapshotFile>;
  if (f.version !== SNAPSHOT_VERSION) throw new Error(`snapshot version ${String(f.version)}, expected ${SNAPSHOT_VERSION}`);
  if (typeof f.revision !== 'number' || !Number.isFinite(f.revision)) throw new Error('no revision');
  if (!Array.isArray(f.docs) || !f.docs.every(isDocMeta)) throw new Error('docs missing or malformed');
  const l = f.lunr as Partial<SerializedLunr> | undefined;
  if (!l || typeof l !== 'object') throw new Error('no lunr index');
  if (l.version !== lunr.version) throw new Error(`lunr ${String(l.version)}, running ${lunr.version}`);
  if (JSON.stringify(l.fields) !== JSON.stringify(INDEX_FIELDS)) throw new Error('index fields differ');
  if (!Array.isArray(l.fieldVectors) || !Array.isArray(l.invertedIndex) || !Array.isArray(l.pipeline)) {
    throw new Error('lunr index malformed');
  }
  // Lunr keeps one vector per field of every document.
  if (l.fieldVectors.length !== f.docs.length * INDEX_FIELDS.length) throw new Error('docs and index disagree');
  return file as ValidSnapshot;
}

/** Parses and validates a snapshot and loads it with lunr.Index.load; throws an Error saying what is wrong. */
export function parseSnapshot(json: string): LoadedIndex {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (err) {
    throw new Error(`not JSON (${(err as Error).message})`);
  }
  const file = validateSnapshot(parsed);
  let index: lunr.Index;
  try {
    index = lunr.Index.load(file.lunr);
  } catch (err) {
    throw new Error(`lunr could not load it (${(err as Error).message})`);
  }
  return { index, meta: buildMeta(file.docs), revision: file.revision, builtAt: String(file.builtAt ?? '') };
}

interface TokenSetBuilder {
  insert(word: string): void;
  finish(): void;
  root: lunr.TokenSet;
}

/**
 * lunr.Index.load in pieces: the same steps (vectors, postings, a TokenSet built from
 * the sorted terms), fed a chunk at a time so the main thread can serve searches
 * between chunks while a large index arrives from the worker.
 */
export class IndexAssembler {
  private readonly fieldVectors: Record<string, lunr.Vector> = {};
  private readonly invertedIndex: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  private readonly tokens = new (lunr.TokenSet as unknown as { Builder: new () => TokenSetBuilder }).Builder();

  constructor(
    private readonly fields: string[],
    private readonly pipeline: string[],
  ) {}

  /** Entries must arrive in the sorted order lunr's toJSON writes them. */
  addTerms(entries: SerializedLunr['invertedIndex']): void {
    for (const [term, posting] of entries) {
      this.tokens.insert(term);
      this.invertedIndex[term] = posting;
    }
  }

  addVectors(entries: SerializedLunr['fieldVectors']): void {
    for (const [ref, elements] of entries) this.fieldVectors[ref] = new lunr.Vector(elements);
  }

  finish(): lunr.Index {
    this.tokens.finish();
    const attrs = {
      invertedIndex: this.invertedIndex,
      fieldVectors: this.fieldVectors,
      tokenSet: this.tokens.root,
      fields: this.fields,
      pipeline: lunr.Pipeline.load(this.pipeline),
    };
    return new lunr.Index(attrs as unknown as lunr.Index.Attributes);
  }
}

/** Writes `<dir>/index.json` atomically; returns its path. */
export async function writeSnapshot(dir: string, json: string): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  const final = snapshotPath(dir);
  const tmp = path.join(dir, `.${SNAPSHOT_FILE}.${process.pid}.${threadId}.${Date.now()}.tmp`);
  try {
    await fs.writeFile(tmp, json);
    await fs.rename(tmp, final);
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => {});
    throw err;
  }
  return final;
}

/**
 * Loads `<dir>/index.json`. Null when there is none, or when it is corrupt, foreign or
 * from another version (logged as a warning): the caller rebuilds. Never throws.
 */
export async function readSnapshot(dir: string, log: Logger): Promise<LoadedIndex | null> {
  const file = snapshotPath(dir);
  let json: string;
  try {
    json = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.warn({ err, file }, 'search snapshot unreadable; rebuilding');
    return null;
  }
  try {
    return parseSnapshot(json);
  } catch (err) {
    log.warn({ file, problem: (err as Error).message }, 'search snapshot ignored; rebuilding');
    return null;
  }
}
