/**
 * Child-process entry for full index builds (index-build-runner.ts forks it with
 * --single-threaded-gc and a heap cap): the same messages as the build worker
 * (build-worker.ts), over the process's IPC channel. A separate process because what a
 * build allocates (~500 MB at 80k papers) is then returned to the system when it exits;
 * inside the bot's process most of it stayed resident after the build. The segment goes
 * back through the snapshot file the build writes, which the bot reads into shared memory.
 */
import fs from 'node:fs';
import os from 'node:os';
import { BuildRun } from './build-job.js';
import type { BuildReply, BuildRequest } from './build-worker.js';
import type { BuildResult } from './build-job.js';
import type { SegmentRef } from './snapshot.js';

/** What the child answers instead of `done`: the result without its buffer, and where the segment is. */
export type ProcessReply =
  | Exclude<BuildReply, { type: 'done' }>
  | { type: 'done'; result: Omit<Extract<BuildResult, { kind: 'base' }>, 'base'>; ref: SegmentRef; peakRssBytes: number };

/** This process's peak resident memory (Linux VmHWM; elsewhere maxRSS). */
function peakRssBytes(): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb) return Number(kb) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

function send(msg: ProcessReply): Promise<void> {
  return new Promise((resolve) => process.send!(msg, undefined, {}, () => resolve()));
}

if (process.send) {
  // Background work: the lowest priority (on Linux this is the main thread, which with
  // --single-threaded-gc also does every collection).
  try {
    os.setPriority(0, os.constants.priority.PRIORITY_LOW);
  } catch {
    // not allowed
  }
  let run: BuildRun | null = null;
  const fail = (err: unknown) => void send({ type: 'error', message: String((err as Error)?.stack ?? err) }).then(() => process.exit(1));
  process.on('message', (msg: BuildRequest) => {
    try {
      if (msg.type === 'job') {
        if (msg.job.mode !== 'full' || !msg.job.snapshotDir) throw new Error('a build process runs full builds with a snapshot directory');
        run = new BuildRun(msg.job, (progress) => void send({ type: 'progress', progress }));
      } else if (msg.type === 'docs') {
        run!.add(msg.docs);
        void send({ type: 'took' });
      } else if (msg.type === 'end') {
        void run!
          .finish()
          .then(async (result) => {
            if (result.kind !== 'base') throw new Error(`build answered ${result.kind}`);
            if (result.writeError || !result.baseFile) throw new Error(`could not write the segment: ${result.writeError ?? 'no file'}`);
            const { base, ...rest } = result;
            const ref: SegmentRef = { file: result.baseFile, id: base.header.id, bytes: base.buffer.byteLength };
            await send({ type: 'done', result: rest, ref, peakRssBytes: peakRssBytes() });
            process.exit(0);
          })
          .catch(fail);
      }
    } catch (err) {
      fail(err);
    }
  });
  // The bot went away: nothing is waiting for this build.
  process.on('disconnect', () => process.exit(0));
}
