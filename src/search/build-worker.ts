/**
 * worker_threads entry for index builds (build-job.ts), off the bot's event loop: a `job`,
 * then papers in batches (`docs` … `end`). The answer carries the new segment in a
 * SharedArrayBuffer, so handing it to the search workers copies nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import { parentPort, type MessagePort } from 'node:worker_threads';
import type { IndexDoc } from '../core/ports.js';
import { BuildRun, type BuildJob, type BuildProgress, type BuildResult } from './build-job.js';

export type BuildRequest = { type: 'job'; job: BuildJob } | { type: 'docs'; docs: IndexDoc[] } | { type: 'end' };

export type BuildReply =
  | { type: 'done'; result: BuildResult }
  | { type: 'error'; message: string }
  | { type: 'progress'; progress: BuildProgress }
  /** A `docs` batch taken in: the feeder keeps only a few unanswered (index-build-runner.ts). */
  | { type: 'took' };

/**
 * Builds are background work: on Linux this thread asks the scheduler to favour the bot's
 * event loop and the search workers over it (a thread's own nice value, 19; its id is found
 * through /proc/thread-self). At nice 10 a build still took a large share of a 2-core
 * machine from the search workers. Elsewhere, or without permission, nothing changes.
 */
function lowerPriority(): void {
  try {
    const tid = Number(/task\/(\d+)$/.exec(fs.readlinkSync('/proc/thread-self'))?.[1]);
    if (Number.isInteger(tid) && tid > 0) os.setPriority(tid, os.constants.priority.PRIORITY_LOW);
  } catch {
    // not Linux, or not allowed
  }
}

const port = parentPort as MessagePort | null;
if (port) {
  lowerPriority();
  let run: BuildRun | null = null;
  const fail = (err: unknown) => port.postMessage({ type: 'error', message: String((err as Error)?.stack ?? err) } satisfies BuildReply);
  port.on('message', (msg: BuildRequest) => {
    try {
      if (msg.type === 'job') run = new BuildRun(msg.job, (progress) => port.postMessage({ type: 'progress', progress } satisfies BuildReply));
      else if (msg.type === 'docs') {
        run!.add(msg.docs);
        port.postMessage({ type: 'took' } satisfies BuildReply);
      }
      else if (msg.type === 'end') {
        void run!
          .finish()
          .then((result) => port.postMessage({ type: 'done', result } satisfies BuildReply))
          .catch(fail);
      }
    } catch (err) {
      fail(err);
    }
  });
}
