/**
 * How builds are run (index-build-runner.ts): a full build with a snapshot directory runs in
 * a child process (build-process.ts), and whatever runs a build is fed only a few batches
 * ahead of what it has taken in: the store reads faster than a build at the lowest priority
 * tokenises, and unbounded, the whole corpus would wait in its message queue (FEED_AHEAD).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IndexDoc } from '../../src/core/ports.js';
import type { DocFeed } from '../../src/search/doc-feed.js';
import { LunrPaperIndex } from '../../src/search/lunr-paper-index.js';
import { silentLogger } from '../../src/log.js';
import { tempDir } from '../support/tmp.js';
import { recordingLogger, smallDocs } from './fixture.js';

const ROOT = tempDir('papers-feed-');

describe('feeding a build', () => {
  it('keeps at most a few batches ahead of the build worker, and the build is whole', async () => {
    const docs: IndexDoc[] = smallDocs();
    const batch = 5;
    let yielded = 0;
    let ahead = 0;
    const feed: DocFeed = {
      revision: async () => 1,
      count: async () => docs.length,
      async *pages(size = batch) {
        for (let i = 0; i < docs.length; i += size) {
          const page = docs.slice(i, i + size);
          yielded += page.length;
          yield page;
        }
      },
    };
    const index = new LunrPaperIndex({
      feed,
      snapshotDir: fs.mkdtempSync(path.join(ROOT, 'd-')),
      log: silentLogger(),
      batchSize: batch,
      // The worker reports each batch it took in: what the feed has yielded beyond that is in flight.
      onBuildProgress: (p) => {
        if (p.phase === 'reading') ahead = Math.max(ahead, yielded - p.done);
      },
    });
    try {
      await index.ready();
      expect(docs.length).toBeGreaterThan(20 * batch);
      expect(ahead).toBeGreaterThan(0);
      expect(ahead).toBeLessThanOrEqual(5 * batch); // FEED_AHEAD batches, plus the one being read
      expect(index.stats().docs).toBe(new Set(docs.map((d) => d.id)).size);
    } finally {
      await index.close();
    }
  });
});

const arrayFeed = (docs: IndexDoc[], rev = () => 1): DocFeed => ({
  revision: async () => rev(),
  count: async () => docs.length,
  async *pages(size = 100) {
    for (let i = 0; i < docs.length; i += size) yield docs.slice(i, i + size);
  },
});

describe('a full build in its own process', () => {
  it('builds there, hands the segment over through the snapshot, and answers', async () => {
    const docs = smallDocs();
    const index = new LunrPaperIndex({ feed: arrayFeed(docs), snapshotDir: fs.mkdtempSync(path.join(ROOT, 'p-')), log: silentLogger(), searchThreads: 1 });
    try {
      await index.ready();
      expect(index.lastProcessPeakRss).toBeGreaterThan(10_000_000); // a process of its own reported its memory
      const r = await index.search(docs[3]!.id);
      expect(r.hits.map((h) => h.id)).toEqual([docs[3]!.id]);
      expect(index.stats().docs).toBe(new Set(docs.map((d) => d.id)).size);
    } finally {
      await index.close();
    }
  });

  it('retries without the heap cap when the process runs out of it', async () => {
    const docs = smallDocs();
    let rev = 1;
    const log = recordingLogger();
    const index = new LunrPaperIndex({ feed: arrayFeed(docs, () => rev), snapshotDir: fs.mkdtempSync(path.join(ROOT, 'p-')), log, searchThreads: 1, buildHeapCapMb: 4 });
    try {
      await index.ready();
      expect(log.warnings.map((w) => w.msg)).toEqual(['index build ran out of its heap cap; retrying uncapped']);
      rev = 2;
      await index.rebuild();
      expect(index.stats()).toMatchObject({ revision: 2, building: false });
      expect((await index.search(docs[0]!.id)).hits).toHaveLength(1);
    } finally {
      await index.close();
    }
  });
});
