/**
 * The index on disk, for a fast start: `index.json` (a small manifest: revision, build
 * time, which segment files) and the segment files it names (their bytes are the segments'
 * in-memory images, read straight into a SharedArrayBuffer). Segment files get fresh names
 * and the manifest is replaced last (temp file + rename), so a crash mid-write leaves the
 * previous snapshot whole; files no manifest names are removed afterwards. Anything
 * unreadable, corrupt (checksums), foreign or from another version is ignored with a
 * warning and the caller rebuilds.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import type { Logger } from '../core/ports.js';
import { readSegmentHeader, type SegmentHeader } from './segment.js';

/** Bump when the manifest layout changes (segment layout changes bump SEGMENT_FORMAT). */
export const SNAPSHOT_VERSION = 2;
export const SNAPSHOT_FILE = 'index.json';
const SEGMENT_EXT = '.seg';

export interface SegmentRef {
  file: string;
  id: string;
  bytes: number;
}

export interface Manifest {
  version: number;
  /** Store revision the index answers for. */
  revision: number;
  builtAt: string;
  base: SegmentRef;
  delta: SegmentRef | null;
}

/** A segment image in memory (shared between threads when `buffer` is a SharedArrayBuffer). */
export interface SegmentImage {
  buffer: ArrayBufferLike;
  header: SegmentHeader;
}

export interface LoadedSnapshot {
  revision: number;
  builtAt: string;
  base: SegmentImage;
  baseFile: string;
  delta: SegmentImage | null;
}

export function snapshotPath(dir: string): string {
  return path.join(dir, SNAPSHOT_FILE);
}

function isRef(r: unknown): r is SegmentRef {
  if (!r || typeof r !== 'object') return false;
  const x = r as Record<string, unknown>;
  return typeof x.file === 'string' && /^[\w.-]+$/.test(x.file) && typeof x.id === 'string' && typeof x.bytes === 'number';
}

/** Checks a parsed manifest is ours and of this version; throws an Error saying what is wrong. */
export function validateManifest(m: unknown): Manifest {
  if (!m || typeof m !== 'object' || Array.isArray(m)) throw new Error('not a snapshot manifest');
  const f = m as Partial<Manifest>;
  if (f.version !== SNAPSHOT_VERSION) throw new Error(`snapshot version ${String(f.version)}, expected ${SNAPSHOT_VERSION}`);
  if (typeof f.revision !== 'number' || !Number.isFinite(f.revision)) throw new Error('no revision');
  if (!isRef(f.base)) throw new Error('no base segment');
  if (f.delta !== null && !isRef(f.delta)) throw new Error('delta segment malformed');
  return f as Manifest;
}

async function readSegmentFile(dir: string, ref: SegmentRef, shared: boolean, deep: boolean): Promise<SegmentImage> {
  const file = path.join(dir, ref.file);
  const fh = await fs.open(file, 'r');
  try {
    const { size } = await fh.stat();
    if (size !== ref.bytes) throw new Error(`${ref.file} is ${size} bytes, expected ${ref.bytes}`);
    const buffer = shared ? new SharedArrayBuffer(size) : new ArrayBuffer(size);
    const bytes = Buffer.from(buffer);
    for (let at = 0; at < size; ) {
      const { bytesRead } = await fh.read(bytes, at, Math.min(size - at, 1 << 26), at);
      if (bytesRead === 0) throw new Error(`${ref.file} ended early`);
      at += bytesRead;
    }
    let header: SegmentHeader;
    try {
      header = readSegmentHeader(buffer, deep);
    } catch (err) {
      throw new Error(`${ref.file}: ${(err as Error).message}`);
    }
    if (header.id !== ref.id) throw new Error(`${ref.file} is not the segment the manifest names`);
    return { buffer, header };
  } finally {
    await fh.close();
  }
}

/**
 * Parses, validates and loads a snapshot; throws an Error saying what is wrong (ENOENT for
 * a missing manifest). `deep: false` leaves the checksums and table checks to
 * verifySnapshot (a search worker runs them, off the main thread).
 */
export async function loadSnapshot(dir: string, shared = true, deep = true): Promise<LoadedSnapshot> {
  const json = await fs.readFile(snapshotPath(dir), 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (err) {
    throw new Error(`not JSON (${(err as Error).message})`);
  }
  const m = validateManifest(parsed);
  const base = await readSegmentFile(dir, m.base, shared, deep);
  if (base.header.kind !== 'base') throw new Error('base segment is a delta');
  let delta: SegmentImage | null = null;
  if (m.delta) {
    delta = await readSegmentFile(dir, m.delta, shared, deep);
    if (delta.header.kind !== 'delta' || delta.header.base?.id !== base.header.id) throw new Error('delta segment belongs to another base');
  }
  return { revision: m.revision, builtAt: String(m.builtAt ?? ''), base, baseFile: m.base.file, delta };
}

/** The checks loadSnapshot skips with `deep: false`; throws an Error saying what is wrong. */
export function verifySegments(base: SegmentImage, delta: SegmentImage | null): void {
  readSegmentHeader(base.buffer, true);
  if (delta) readSegmentHeader(delta.buffer, true);
}

export type LoadOutcome = { kind: 'loaded'; snapshot: LoadedSnapshot } | { kind: 'missing' } | { kind: 'invalid'; problem: string };

/** loadSnapshot, with "there is none" and "it is unusable" told apart. Never throws. */
export async function tryLoadSnapshot(dir: string, shared = true, deep = true): Promise<LoadOutcome> {
  try {
    return { kind: 'loaded', snapshot: await loadSnapshot(dir, shared, deep) };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT' && e.path === snapshotPath(dir)) return { kind: 'missing' };
    return { kind: 'invalid', problem: String(e?.message ?? err) };
  }
}

/**
 * Loads `<dir>/index.json` and its segments. Null when there is none, or when it is
 * corrupt, foreign or from another version (logged as a warning): the caller rebuilds.
 * Never throws.
 */
export async function readSnapshot(dir: string, log: Logger, shared = true): Promise<LoadedSnapshot | null> {
  const out = await tryLoadSnapshot(dir, shared);
  if (out.kind === 'loaded') return out.snapshot;
  if (out.kind === 'invalid') log.warn({ file: snapshotPath(dir), problem: out.problem }, 'search snapshot ignored; rebuilding');
  return null;
}

async function writeAtomic(dir: string, name: string, data: Uint8Array | string): Promise<void> {
  const final = path.join(dir, name);
  const tmp = path.join(dir, `.${name}.${process.pid}.${threadId}.${Date.now()}.tmp`);
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, final);
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => {});
    throw err;
  }
}

/** Writes a segment under a fresh name; returns its manifest entry. */
export async function writeSegment(dir: string, seg: SegmentImage): Promise<SegmentRef> {
  await fs.mkdir(dir, { recursive: true });
  const file = `${seg.header.kind}-${seg.header.id}${SEGMENT_EXT}`;
  const bytes = new Uint8Array(seg.buffer);
  await writeAtomic(dir, file, bytes);
  return { file, id: seg.header.id, bytes: bytes.length };
}

/** The base segment's file, rewritten from memory when it is gone (another process may have cleaned it up). */
export async function ensureSegment(dir: string, file: string | null, seg: SegmentImage): Promise<SegmentRef> {
  if (file) {
    const st = await fs.stat(path.join(dir, file)).catch(() => null);
    if (st && st.size === seg.buffer.byteLength) return { file, id: seg.header.id, bytes: st.size };
  }
  return writeSegment(dir, seg);
}

/** Unnamed segment files are removed only when this old: another process sharing the directory may be about to name them. */
const STALE_MS = 60 * 60 * 1000;

/**
 * Points the manifest at these segments (atomically), then removes old segment files it
 * does not name. Returns the manifest's path and the snapshot's total size.
 */
export async function writeManifest(dir: string, m: Omit<Manifest, 'version'>, now = Date.now()): Promise<{ path: string; bytes: number }> {
  await fs.mkdir(dir, { recursive: true });
  const manifest: Manifest = { version: SNAPSHOT_VERSION, ...m };
  const json = JSON.stringify(manifest);
  await writeAtomic(dir, SNAPSHOT_FILE, json);
  const keep = new Set([m.base.file, m.delta?.file].filter(Boolean));
  for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
    if (keep.has(name) || !(name.endsWith(SEGMENT_EXT) || name.endsWith('.tmp'))) continue;
    const file = path.join(dir, name);
    const st = await fs.stat(file).catch(() => null);
    if (st && now - st.mtimeMs > STALE_MS) await fs.rm(file, { force: true }).catch(() => {});
  }
  return { path: snapshotPath(dir), bytes: Buffer.byteLength(json) + m.base.bytes + (m.delta?.bytes ?? 0) };
}
