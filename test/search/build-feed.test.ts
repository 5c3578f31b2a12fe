/**
 * The build worker is fed only a few batches ahead of what it has taken in: the store
 * reads faster than a build at the lowest priority tokenises, and unbounded, the whole
 * corpus would wait in the worker's message queue (index-build-runner.ts FEED_AHEAD).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IndexDoc } from '../../src/core/ports.js';
import type { DocFeed } from '../../src/search/doc-feed.js';
import { LunrPaperIndex } from '../../src/search/lunr-paper-index.js';
import { silentLogger } from '../../src/log.js';
import { tempDir } from '../support/tmp.js';
import { smallDocs } from './fixture.js';

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
