/**
 * worker_threads entry: everything expensive about an index happens here, off the
 * bot's event loop.
 *
 * - Build: docs arrive in batches (`docs` … `end`) and are added as they come; the
 *   index is built, its snapshot written (atomically) when a directory is given.
 * - Load: `load` reads and validates a snapshot file (a corrupt one is reported as
 *   `invalid`, never thrown).
 *
 * Either way the index is then streamed back in chunks (`head`, `terms`…, `vectors`…,
 * `built`) that the main thread assembles one message at a time (IndexAssembler), so
 * no single step blocks it for long.
 */
import fs from 'node:fs/promises';
import { parentPort, type MessagePort } from 'node:worker_threads';
import type { IndexDoc } from '../ports.js';
import { IndexBuilder } from './engine.js';
import {
  SNAPSHOT_VERSION,
  snapshotPath as snapshotFile,
  validateSnapshot,
  writeSnapshot,
  type SerializedLunr,
  type SnapshotFile,
} from './snapshot.js';

export type WorkerRequest =
  | { type: 'docs'; docs: IndexDoc[] }
  | { type: 'end'; revision: number; snapshotDir?: string }
  | { type: 'load'; snapshotDir: string }
  /** The previous chunk is assembled: send the next one. */
  | { type: 'ack' };

export type WorkerReply =
  /** `docs` is DocMeta[] as JSON. */
  | { type: 'head'; revision: number; builtAt: string; docs: string; fields: string[]; pipeline: string[] }
  /**
   * Chunks travel as JSON text: V8's structured clone of millions of tiny posting
   * objects is ~30x slower to deserialize than JSON.parse of the same data.
   */
  | { type: 'terms'; json: string }
  | { type: 'vectors'; json: string }
  | {
      type: 'built';
      docs: number;
      revision: number;
      /** Build (or file read + parse) time in the worker. */
      workMs: number;
      snapshotBytes: number | null;
      snapshotPath: string | null;
      /** Writing the snapshot failed (the index itself is fine). */
      writeError?: string;
    }
  | { type: 'missing' }
  | { type: 'invalid'; problem: string }
  | { type: 'error'; message: string };

/** Postings per `terms` message and vectors per `vectors` message: each is a short task for the receiver. */
const POSTINGS_PER_CHUNK = 20_000;
const VECTORS_PER_CHUNK = 2_000;

function send(port: MessagePort, msg: WorkerReply): void {
  port.postMessage(msg);
}

let ackWaiter: (() => void) | null = null;

/** Sends one chunk and waits until the main thread has assembled it (flow control). */
function sendChunk(port: MessagePort, msg: WorkerReply): Promise<void> {
  return new Promise((resolve) => {
    ackWaiter = resolve;
    send(port, msg);
  });
}

async function streamIndex(port: MessagePort, file: SnapshotFile & { lunr: SerializedLunr }): Promise<void> {
  await sendChunk(port, {
    type: 'head',
    revision: file.revision,
    builtAt: file.builtAt,
    docs: JSON.stringify(file.docs),
    fields: file.lunr.fields,
    pipeline: file.lunr.pipeline,
  });
  let chunk: SerializedLunr['invertedIndex'] = [];
  let postings = 0;
  for (const entry of file.lunr.invertedIndex) {
    chunk.push(entry);
    for (const field of file.lunr.fields) {
      const refs = entry[1][field];
      if (refs && typeof refs === 'object') postings += Object.keys(refs).length;
    }
    if (postings >= POSTINGS_PER_CHUNK) {
      await sendChunk(port, { type: 'terms', json: JSON.stringify(chunk) });
      chunk = [];
      postings = 0;
    }
  }
  if (chunk.length) await sendChunk(port, { type: 'terms', json: JSON.stringify(chunk) });
  const vectors = file.lunr.fieldVectors;
  for (let i = 0; i < vectors.length; i += VECTORS_PER_CHUNK) {
    await sendChunk(port, { type: 'vectors', json: JSON.stringify(vectors.slice(i, i + VECTORS_PER_CHUNK)) });
  }
}

async function build(port: MessagePort, builder: IndexBuilder, started: number, msg: Extract<WorkerRequest, { type: 'end' }>) {
  const index = builder.build();
  const file: SnapshotFile & { lunr: SerializedLunr } = {
    version: SNAPSHOT_VERSION,
    revision: msg.revision,
    builtAt: new Date().toISOString(),
    docs: builder.docMetas(),
    lunr: index.toJSON() as SerializedLunr,
  };
  const workMs = Math.round(performance.now() - started);
  let snapshotPath: string | null = null;
  let snapshotBytes: number | null = null;
  let writeError: string | undefined;
  if (msg.snapshotDir) {
    try {
      const json = JSON.stringify(file);
      snapshotBytes = Buffer.byteLength(json);
      snapshotPath = await writeSnapshot(msg.snapshotDir, json);
    } catch (err) {
      writeError = String((err as Error)?.message ?? err);
    }
  }
  await streamIndex(port, file);
  const done: WorkerReply = { type: 'built', docs: builder.size, revision: msg.revision, workMs, snapshotBytes, snapshotPath };
  if (writeError) done.writeError = writeError;
  send(port, done);
}

async function load(port: MessagePort, dir: string) {
  const started = performance.now();
  const path = snapshotFile(dir);
  let json: string;
  try {
    json = await fs.readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') send(port, { type: 'missing' });
    else send(port, { type: 'invalid', problem: `unreadable (${(err as Error).message})` });
    return;
  }
  let file: SnapshotFile & { lunr: SerializedLunr };
  try {
    file = validateSnapshot(JSON.parse(json));
  } catch (err) {
    send(port, { type: 'invalid', problem: (err as Error).message });
    return;
  }
  const workMs = Math.round(performance.now() - started);
  await streamIndex(port, file);
  send(port, {
    type: 'built',
    docs: file.docs.length,
    revision: file.revision,
    workMs,
    snapshotBytes: Buffer.byteLength(json),
    snapshotPath: path,
  });
}

const port = parentPort;
if (port) {
  const builder = new IndexBuilder();
  const started = performance.now();
  const fail = (err: unknown) => send(port, { type: 'error', message: String((err as Error)?.stack ?? err) });
  // The main thread terminates this worker once it has the last message.
  port.on('message', (msg: WorkerRequest) => {
    try {
      if (msg.type === 'ack') {
        const wake = ackWaiter;
        ackWaiter = null;
        wake?.();
      } else if (msg.type === 'docs') builder.add(msg.docs);
      else if (msg.type === 'end') void build(port, builder, started, msg).catch(fail);
      else if (msg.type === 'load') void load(port, msg.snapshotDir).catch(fail);
    } catch (err) {
      fail(err);
    }
  });
}
