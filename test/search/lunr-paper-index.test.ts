import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BotError, NotFoundError, UserInputError } from '../../src/core/errors.js';
import type { Paper } from '../../src/core/paper.js';
import type { IndexDoc, SearchResult, Store } from '../../src/core/ports.js';
import { storeDocFeed, type DocFeed } from '../../src/search/doc-feed.js';
import { LunrPaperIndex } from '../../src/search/lunr-paper-index.js';
import { snapshotPath } from '../../src/search/snapshot.js';
import { tempDir } from '../support/tmp.js';
import { recordingLogger, smallDocs } from './fixture.js';

// One temp root per file (removed after it); a fresh directory inside it per test.
const ROOT = tempDir('papers-search-');
const freshDir = () => fs.mkdtempSync(path.join(ROOT, 'd-'));

/** An in-memory feed that counts builds and can hold a build mid-stream. */
class ArrayFeed implements DocFeed {
  rev = 1;
  pageCalls = 0;
  private gate: Promise<void> | null = null;
  private open: (() => void) | null = null;
  /** Resolves when a build reaches the gate. */
  reachedGate: Promise<void> = Promise.resolve();
  private reached: (() => void) | null = null;

  constructor(public docs: IndexDoc[]) {}

  async revision(): Promise<number> {
    return this.rev;
  }

  async *pages(pageSize = 500): AsyncIterable<IndexDoc[]> {
    this.pageCalls++;
    for (let i = 0; i < this.docs.length; i += pageSize) {
      if (i > 0 && this.gate) {
        this.reached?.();
        await this.gate;
      }
      yield this.docs.slice(i, i + pageSize);
    }
  }

  async get(id: string): Promise<IndexDoc | null> {
    return this.docs.find((d) => d.id === id) ?? null;
  }

  /** The next build stops after its first page until release(). */
  hold(): void {
    this.gate = new Promise((r) => (this.open = r));
    this.reachedGate = new Promise((r) => (this.reached = r));
  }

  release(): void {
    this.open?.();
    this.gate = null;
  }
}

const NEW_DOC: IndexDoc = {
  id: '2699.00001',
  title: 'Zyxwvutian Networks for Everything',
  abstract: 'We introduce zyxwvutian networks.',
  authors: ['Test Author'],
  keywords: ['zyxwvutian'],
  featuredDates: ['2026-09-01'],
  upvotes: 5,
  hasCode: true,
};

const open: LunrPaperIndex[] = [];
function makeIndex(opts: ConstructorParameters<typeof LunrPaperIndex>[0]): LunrPaperIndex {
  // One search worker per index keeps this file light on a 2-core machine; the burst test uses two.
  const idx = new LunrPaperIndex({ batchSize: 100, searchThreads: 1, ...opts });
  open.push(idx);
  return idx;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((i) => i.close()));
});

const ids = async (idx: LunrPaperIndex, q: string) => (await idx.search(q, { limit: 20 })).hits.map((h) => h.id);

describe('LunrPaperIndex', () => {
  it('builds in a worker on first start, saves a snapshot, and answers', async () => {
    const dir = freshDir();
    const feed = new ArrayFeed(smallDocs());
    const log = recordingLogger();
    const idx = makeIndex({ feed, snapshotDir: dir, log });
    expect(idx.stats()).toEqual({ docs: 0, revision: -1, building: false });
    await idx.ready();
    expect(idx.stats()).toEqual({ docs: feed.docs.length, revision: 1, building: false });
    expect(feed.pageCalls).toBe(1);
    expect(fs.existsSync(snapshotPath(dir))).toBe(true);
    expect((await idx.search('I2VEdit')).hits[0]!.id).toBe('2405.16537');
    expect(log.warnings).toEqual([]);
  });

  it('starts from the snapshot without rebuilding when it is current', async () => {
    const dir = freshDir();
    const feed = new ArrayFeed(smallDocs());
    const first = makeIndex({ feed, snapshotDir: dir, log: recordingLogger() });
    const expected = await first.search('video diffusion', { limit: 30, filters: { hasCode: true } });

    const feed2 = new ArrayFeed(smallDocs());
    const log = recordingLogger();
    const second = makeIndex({ feed: feed2, snapshotDir: dir, log });
    await second.ready();
    expect(log.infos).toContain('search index loaded from snapshot');
    expect(await second.search('video diffusion', { limit: 30, filters: { hasCode: true } })).toEqual(expected);
    await second.refresh();
    expect(feed2.pageCalls).toBe(0);
  });

  it('serves a stale snapshot at once and catches up in the background', async () => {
    const dir = freshDir();
    await makeIndex({ feed: new ArrayFeed(smallDocs()), snapshotDir: dir, log: recordingLogger() }).ready();

    const feed = new ArrayFeed([...smallDocs(), NEW_DOC]);
    feed.rev = 2;
    feed.hold();
    const idx = makeIndex({ feed, snapshotDir: dir, log: recordingLogger() });
    await idx.ready(); // does not wait for the held build
    expect(idx.stats()).toMatchObject({ revision: 1, building: true });
    expect(await ids(idx, 'zyxwvutian')).toEqual([]);
    feed.release();
    await idx.refresh(); // resolves once the index is current
    expect(idx.stats()).toMatchObject({ revision: 2, building: false, docs: feed.docs.length });
    expect(await ids(idx, 'zyxwvutian')).toEqual([NEW_DOC.id]);
  });

  it('swaps the new index in atomically; searches during the build use the old one', async () => {
    const feed = new ArrayFeed(smallDocs());
    const idx = makeIndex({ feed, log: recordingLogger() });
    await idx.ready();
    const before = await idx.search('video diffusion', { limit: 50 });

    feed.docs = [...feed.docs, NEW_DOC];
    feed.rev = 2;
    feed.hold();
    const refreshing = idx.refresh();
    await feed.reachedGate;
    expect(idx.stats().building).toBe(true);
    // In flight during the build: answered by the old index.
    const during = await Promise.all([idx.search('zyxwvutian'), idx.search('video diffusion', { limit: 50 })]);
    expect(during[0].hits).toEqual([]);
    expect(during[1]).toEqual(before);
    feed.release();
    await refreshing;
    expect(idx.stats()).toMatchObject({ revision: 2, building: false });
    expect(await ids(idx, 'zyxwvutian')).toEqual([NEW_DOC.id]);
  });

  it('coalesces refreshes: one build at a time, one more after it', async () => {
    const feed = new ArrayFeed(smallDocs());
    const idx = makeIndex({ feed, log: recordingLogger() });
    await idx.ready();
    expect(feed.pageCalls).toBe(1);

    feed.rev = 2;
    feed.hold();
    const first = idx.refresh();
    await feed.reachedGate;
    feed.docs = [...feed.docs, NEW_DOC];
    feed.rev = 3; // changes during the build: the follow-up build must pick it up
    const more = [idx.refresh(), idx.refresh(), idx.refresh()];
    feed.release();
    await Promise.all([first, ...more]);
    expect(feed.pageCalls).toBe(3); // initial + the held one + exactly one follow-up
    expect(idx.stats().revision).toBe(3);
    expect(await ids(idx, 'zyxwvutian')).toEqual([NEW_DOC.id]);

    await idx.refresh();
    expect(feed.pageCalls).toBe(3); // nothing changed: no build
  });

  it('ignores a corrupt snapshot with a warning and rebuilds it', async () => {
    const dir = freshDir();
    fs.writeFileSync(snapshotPath(dir), '{"version":1,"revision":1,"docs":[{"id":"x"');
    const feed = new ArrayFeed(smallDocs());
    const log = recordingLogger();
    const idx = makeIndex({ feed, snapshotDir: dir, log });
    await idx.ready();
    expect(log.warnings.map((w) => w.msg)).toEqual(['search snapshot ignored; rebuilding']);
    expect(feed.pageCalls).toBe(1);
    expect(idx.stats().docs).toBe(feed.docs.length);
    expect(JSON.parse(fs.readFileSync(snapshotPath(dir), 'utf8')).revision).toBe(1);
  });

  it('builds on the calling thread when asked, with the same answers', async () => {
    const dir = freshDir();
    const inline = makeIndex({ feed: new ArrayFeed(smallDocs()), snapshotDir: dir, log: recordingLogger(), useWorker: false });
    const viaWorker = makeIndex({ feed: new ArrayFeed(smallDocs()), log: recordingLogger() });
    for (const q of ['video diffusion', 'title:video -editing', 'author:zhang', 'difusion~1']) {
      expect(await inline.search(q, { limit: 40 })).toEqual(await viaWorker.search(q, { limit: 40 }));
    }
    expect(fs.existsSync(snapshotPath(dir))).toBe(true);
    const reloaded = makeIndex({ feed: new ArrayFeed(smallDocs()), snapshotDir: dir, log: recordingLogger(), useWorker: false });
    expect(await reloaded.search('video diffusion')).toEqual(await inline.search('video diffusion'));
  });

  it('turns bad queries into UserInputError and never builds for them', async () => {
    const feed = new ArrayFeed(smallDocs());
    const idx = makeIndex({ feed, log: recordingLogger() });
    for (const q of ['', 'title:', '^', '+', '-', '*', 'of the']) await expect(idx.search(q)).rejects.toBeInstanceOf(UserInputError);
    expect(feed.pageCalls).toBe(0);
  });

  it('finds similar papers, excluding the paper itself', async () => {
    const feed = new ArrayFeed(smallDocs());
    const idx = makeIndex({ feed, log: recordingLogger() });
    const target = feed.docs.find((d) => d.keywords.length > 3)!;
    const r = await idx.similar(target.id, { limit: 5 });
    expect(r.hits).toHaveLength(5);
    expect(r.hits.map((h) => h.id)).not.toContain(target.id);
    await expect(idx.similar('0000.00000')).rejects.toBeInstanceOf(NotFoundError);

    // Without feed.get the index's own term vectors stand in for the text.
    const noGet: DocFeed = { revision: () => feed.revision(), pages: (n) => feed.pages(n) };
    const idx2 = makeIndex({ feed: noGet, log: recordingLogger(), useWorker: false });
    const r2 = await idx2.similar(target.id, { limit: 5 });
    expect(r2.hits).toHaveLength(5);
    expect(r2.hits.map((h) => h.id)).not.toContain(target.id);
  });

  it('updates filter metadata in place, without a rebuild', async () => {
    const feed = new ArrayFeed(smallDocs());
    const idx = makeIndex({ feed, log: recordingLogger(), useWorker: false });
    const target = (await idx.search('I2VEdit')).hits[0]!.id;
    const doc = feed.docs.find((d) => d.id === target)!;
    const filters = { minUpvotes: 500, featuredFrom: '2026-09-01' };
    expect(await ids(idx, 'I2VEdit')).toContain(target);
    expect((await idx.search('I2VEdit', { filters })).hits).toEqual([]);
    idx.updateMeta([{ ...doc, upvotes: 900, featuredDates: [...doc.featuredDates, '2026-09-02'] }]);
    expect((await idx.search('I2VEdit', { filters })).hits.map((h) => h.id)).toEqual([target]);
    idx.updateMeta([{ ...NEW_DOC }]); // not indexed: ignored
    expect(feed.pageCalls).toBe(1);
  });

  it('reports a failed first build as "unavailable" and retries on the next search', async () => {
    const feed = new ArrayFeed(smallDocs());
    let broken = true;
    const flaky: DocFeed = {
      revision: async () => {
        if (broken) throw new Error('database is locked');
        return feed.revision();
      },
      pages: (n) => feed.pages(n),
    };
    const idx = makeIndex({ feed: flaky, log: recordingLogger(), useWorker: false });
    const err = await idx.search('video').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BotError);
    expect((err as BotError).code).toBe('unavailable');
    expect((err as BotError).userMessage).not.toMatch(/locked/);
    broken = false;
    expect((await idx.search('video')).total).toBeGreaterThan(0);
  });

  it('stops a build in progress on close()', async () => {
    const feed = new ArrayFeed(smallDocs());
    feed.hold();
    const idx = makeIndex({ feed, log: recordingLogger() });
    // A close during the first load cancels it: ready() settles without an error (a quick
    // `quit` at start must not log a failure) and no index goes live.
    const ready = idx.ready();
    await feed.reachedGate;
    const closing = idx.close();
    feed.release();
    await closing;
    await expect(ready).resolves.toBeUndefined();
    expect(idx.stats()).toEqual({ docs: 0, revision: -1, building: false });
  });
});

describe('LunrPaperIndex: keeping up with the store', () => {
  const manifest = (dir: string) => JSON.parse(fs.readFileSync(snapshotPath(dir), 'utf8')) as { revision: number; delta: unknown };

  it('makes papers just stored searchable before it has read the store, then catches up exactly', async () => {
    const dir = freshDir();
    const feed = new ArrayFeed(smallDocs());
    const idx = makeIndex({ feed, snapshotDir: dir, log: recordingLogger() });
    await idx.ready();

    // What ingestDay does: store, tell the index about the stored papers, refresh without waiting.
    feed.docs = [...feed.docs, NEW_DOC];
    feed.rev = 2;
    feed.hold();
    idx.updateMeta([NEW_DOC]);
    const refreshing = idx.refresh();
    await feed.reachedGate; // the full comparison is reading the store, held after one page
    expect(await ids(idx, 'zyxwvutian')).toEqual([NEW_DOC.id]);
    expect(idx.stats()).toMatchObject({ revision: 1, building: true, docs: feed.docs.length });
    feed.release();
    await refreshing;
    expect(idx.stats()).toMatchObject({ revision: 2, building: false, docs: feed.docs.length });
    expect(await ids(idx, 'zyxwvutian')).toEqual([NEW_DOC.id]);
    expect(feed.pageCalls).toBe(2);
    expect(manifest(dir)).toMatchObject({ revision: 2, delta: expect.any(Object) });

    // A restart serves base + delta from the snapshot, without reading the store.
    const feed2 = new ArrayFeed(feed.docs);
    feed2.rev = 2;
    const again = makeIndex({ feed: feed2, snapshotDir: dir, log: recordingLogger() });
    expect(await ids(again, 'zyxwvutian')).toEqual([NEW_DOC.id]);
    await again.refresh();
    expect(feed2.pageCalls).toBe(0);
  });

  it('drops papers that left the store and re-indexes changed text', async () => {
    const docs = smallDocs();
    const feed = new ArrayFeed(docs);
    const idx = makeIndex({ feed, log: recordingLogger() });
    const gone = (await idx.search('I2VEdit')).hits[0]!.id;
    const changedId = docs.find((d) => d.id !== gone)!.id;
    feed.docs = docs.filter((d) => d.id !== gone).map((d) => (d.id === changedId ? { ...d, title: 'Qwertyuiopian Models', abstract: 'qwertyuiopian' } : d));
    feed.rev = 2;
    await idx.refresh();
    expect(await ids(idx, 'I2VEdit')).not.toContain(gone);
    expect((await idx.search(gone)).notice).toMatch(/not in the index/);
    expect(await ids(idx, 'qwertyuiopian')).toEqual([changedId]);
    expect(idx.stats().docs).toBe(docs.length - 1);
  });

  it('merges a large delta into a new base in the background', async () => {
    const dir = freshDir();
    const feed = new ArrayFeed(smallDocs());
    const log = recordingLogger();
    const idx = makeIndex({ feed, snapshotDir: dir, log, mergeAt: 1 });
    await idx.ready();
    feed.docs = [...feed.docs, NEW_DOC];
    feed.rev = 2;
    await idx.refresh(); // publishes the delta, then queues the merge
    await idx.refresh(); // runs after the merge
    expect(log.infos.filter((m) => m === 'search index built')).toHaveLength(2);
    expect(manifest(dir)).toMatchObject({ revision: 2, delta: null });
    expect(await ids(idx, 'zyxwvutian')).toEqual([NEW_DOC.id]);
    expect(idx.stats()).toMatchObject({ revision: 2, docs: feed.docs.length, building: false });
  });

  it('retries a build that outgrows its heap cap without one, and still swaps it in', async () => {
    const feed = new ArrayFeed(smallDocs());
    const log = recordingLogger();
    // 4 MB of old space cannot even load the build worker's modules.
    const idx = makeIndex({ feed, log, buildHeapCapMb: 4 });
    await idx.ready(); // this feed cannot count, so the first build is uncapped
    expect(log.warnings).toHaveLength(0);
    feed.docs = [...feed.docs, NEW_DOC];
    feed.rev = 2;
    await idx.rebuild(); // sized from the live index: capped
    expect(log.warnings.map((w) => w.msg)).toEqual(['index build ran out of its heap cap; retrying uncapped']);
    expect(await ids(idx, 'zyxwvutian')).toEqual([NEW_DOC.id]);
    expect(idx.stats()).toMatchObject({ revision: 2, docs: feed.docs.length, building: false });
  });

  it('answers a burst of concurrent searches as it answers them one at a time', async () => {
    const idx = makeIndex({ feed: new ArrayFeed(smallDocs()), log: recordingLogger(), searchThreads: 2 });
    const queries = ['video diffusion', 'title:video -editing', 'author:zhang', 'difusion~1', 'I2VEdit', 'language model', 'diffu*'];
    const one: SearchResult[] = [];
    for (const q of queries) one.push(await idx.search(q, { limit: 20 }));
    const burst = await Promise.all(Array.from({ length: 50 }, (_, i) => idx.search(queries[i % queries.length]!, { limit: 20 })));
    burst.forEach((r, i) => expect(r).toEqual(one[i % queries.length]));
    // The second search worker starts a moment after the first.
    let mem = await idx.memory();
    for (let i = 0; i < 40 && mem.threads.length < 3; i++) {
      await new Promise((r) => setTimeout(r, 100));
      mem = await idx.memory();
    }
    expect(mem.threads).toHaveLength(3); // this thread and two search workers
    expect(mem.threads.every((t) => t.heapUsed > 0)).toBe(true);
    expect(mem.sharedBytes).toBeGreaterThan(100_000);
  });
});

describe('storeDocFeed', () => {
  it('pages through the store by id and maps papers to index docs', async () => {
    const papers: Paper[] = Array.from({ length: 23 }, (_, i) => ({
      id: `2501.${String(10000 + i)}`,
      title: `Paper ${i}`,
      abstract: 'Abstract.',
      authors: ['A B'],
      publishedAt: null,
      featuredDates: ['2025-01-02'],
      upvotes: i,
      comments: null,
      aiSummary: null,
      keywords: ['k'],
      githubRepo: i % 2 ? 'https://github.com/o/r' : null,
      githubStars: null,
      projectPage: null,
      organization: null,
      thumbnail: null,
      categories: [],
      sources: ['hf'],
    }));
    const calls: { afterId?: string; limit: number }[] = [];
    const store = {
      revision: async () => 9,
      countPapers: async () => papers.length,
      listPapers: async (opts: { afterId?: string; limit: number }) => {
        calls.push(opts);
        return papers.filter((p) => opts.afterId === undefined || p.id > opts.afterId).slice(0, opts.limit);
      },
      getPaper: async (id: string) => papers.find((p) => p.id === id) ?? null,
    } as unknown as Store;
    const feed = storeDocFeed(store);
    expect(await feed.revision()).toBe(9);
    expect(await feed.count!()).toBe(23);
    const pages: IndexDoc[][] = [];
    for await (const page of feed.pages(10)) pages.push(page);
    expect(pages.map((p) => p.length)).toEqual([10, 10, 3]);
    expect(pages.flat().map((d) => d.id)).toEqual(papers.map((p) => p.id));
    expect(calls.map((c) => c.afterId)).toEqual([undefined, '2501.10009', '2501.10019']);
    expect(pages[0]![1]).toMatchObject({ id: '2501.10001', hasCode: true, upvotes: 1, keywords: ['k'] });
    expect(await feed.get!('2501.10003')).toMatchObject({ id: '2501.10003', hasCode: true });
    expect(await feed.get!('nope')).toBeNull();

    const idx = makeIndex({ feed, snapshotDir: path.join(freshDir(), 's'), log: recordingLogger(), useWorker: false });
    expect((await idx.search('paper', { limit: 100 })).total).toBe(23);
  });
});
