/**
 * The search bench's measurements of ours (bench-search.ts runs each in its own child process):
 *
 * - `fill-store`: writes the tier's papers (less the "new day") into SQLite, so that the
 *   measuring process never held the corpus as JSON: its RSS is the bot's, not the bench's.
 * - `ours`: against that store, as the bot runs it: first build, load from the snapshot and
 *   the first 3 s after it, steady queries (topical and descriptions), process RSS, a burst,
 *   throughput with every core busy, a full rebuild (queries meanwhile, peak RSS), the first
 *   3 s after its swap, a new day's papers, and relevance.
 * - `first-ours`: a fresh process from start to its first answer.
 *
 * RSS is the whole process (main thread, search workers, build worker, shared segments).
 * The rebuild's peak is the kernel's high-water mark (VmHWM), reset just before it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dirBytes, gc, mb, pct, r1, runChild, sleep, withDelay, firstAnswerOf } from './bench-helpers.js';
import { relevanceAndMemory, relevanceFigures, STOP_WORD_QUERIES, type DocText } from './bench-relevance.js';
import type { Figures } from './bench-table.js';
import type { KnownItem } from './known-items.js';
import { TOPICAL_QUERIES } from './topical-queries.js';
import { DESCRIPTION_SET } from './description-set.js';

/**
 * The V8 flags the bot runs with (package.json's start script, the Dockerfile's CMD;
 * test/architecture/node-flags.test.ts keeps the three equal): ours is measured with them.
 */
export const BOT_NODE_FLAGS = ['--single-threaded-gc'];

const TOPICAL = TOPICAL_QUERIES;
const DESCRIPTIONS = DESCRIPTION_SET.map((d) => d.q);
type Paper = import('../src/core/paper.js').Paper;
type Index = import('../src/search/lunr-paper-index.js').LunrPaperIndex;

const readJson = <T>(dir: string, file: string) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as T;

/** `--child fill-store <dir>`: papers.json less holdout.json into papers.sqlite. */
export async function fillStoreChild(dir: string): Promise<void> {
  const { SqliteStore } = await import('../src/store/sqlite/sqlite-store.js');
  const papers = readJson<Paper[]>(dir, 'papers.json');
  const holdout = new Set(readJson<string[]>(dir, 'holdout.json'));
  const store = SqliteStore.open(path.join(dir, 'papers.sqlite'));
  await store.upsertPapers(papers.filter((p) => !holdout.has(p.id)));
  fs.writeFileSync(path.join(dir, 'holdout-papers.json'), JSON.stringify(papers.filter((p) => holdout.has(p.id))));
  await store.close();
}

/** This process's resident memory now, and its peak since the last reset (Linux; else maxRSS). */
function rssNow(): number {
  return process.memoryUsage().rss;
}
function resetPeakRss(): boolean {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}
function peakRss(): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb) return Number(kb) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

const timed = async (index: Index, q: string): Promise<number> => {
  const s = performance.now();
  await index.search(q, { limit: 10 });
  return performance.now() - s;
};

/** Queries one after another, a pause of `gapMs` between them, for `ms`: their latencies. */
async function stream(index: Index, queries: readonly string[], ms: number, gapMs: number, until?: () => boolean): Promise<number[]> {
  const lat: number[] = [];
  const t0 = performance.now();
  for (let i = 0; until ? !until() : performance.now() - t0 < ms; i++) {
    lat.push(await timed(index, queries[i % queries.length]!));
    if (gapMs) await sleep(gapMs);
  }
  return lat;
}

/** Queries per second with `clients` searching back to back (every core busy) for `ms`. */
async function throughput(index: Index, queries: readonly string[], clients: number, ms: number): Promise<number> {
  let done = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = c; performance.now() - t0 < ms; i += clients) {
        await index.search(queries[i % queries.length]!, { limit: 10 });
        done++;
      }
    }),
  );
  return Math.round(done / ((performance.now() - t0) / 1000));
}

/** `--child ours <dir> <rounds>` */
export async function oursChild(dir: string, rounds: number): Promise<void> {
  const { SqliteStore } = await import('../src/store/sqlite/sqlite-store.js');
  const { LunrPaperIndex } = await import('../src/search/lunr-paper-index.js');
  const { storeDocFeed } = await import('../src/search/doc-feed.js');
  const { toIndexDoc } = await import('../src/core/ports.js');
  const { silentLogger } = await import('../src/log.js');

  const notes: string[] = [];
  const known = readJson<KnownItem[]>(dir, 'known.json');
  const holdout = readJson<Paper[]>(dir, 'holdout-papers.json');
  const dbPath = path.join(dir, 'papers.sqlite');
  const snapshotDir = path.join(dir, 'index');
  const store = SqliteStore.open(dbPath);
  const log = silentLogger();
  const feed = storeDocFeed(store);

  // Build (first start, no snapshot): off the main thread.
  gc();
  let t = performance.now();
  let index = new LunrPaperIndex({ feed, snapshotDir, log });
  const build = await withDelay(() => index.ready());
  const buildMs = performance.now() - t;
  const papers = index.stats().docs;
  notes.push(`first build: main-thread event-loop delay p99 ${build.p99} ms, max ${build.max} ms; build worker heap peak ${mb(index.lastBuild?.peakHeapBytes ?? 0)} MB`);
  await index.close();
  gc();
  await sleep(500);

  // Load from the snapshot in the same process (fresh workers), then the first 3 s of queries.
  t = performance.now();
  index = new LunrPaperIndex({ feed, snapshotDir, log });
  await index.ready();
  const loadMs = performance.now() - t;
  const snapshotBytes = dirBytes(snapshotDir);
  const afterLoad = await stream(index, TOPICAL, 3000, 10);
  notes.push(`first 3 s after the load: ${afterLoad.length} queries, p50 ${r1(pct(afterLoad, 50))} / p99 ${r1(pct(afterLoad, 99))} / max ${r1(pct(afterLoad, 100))} ms`);

  // Steady: topical queries, then the description set (long queries).
  const lat: number[] = [];
  for (let r = 0; r < rounds; r++) for (const q of TOPICAL) lat.push(await timed(index, q));
  const descLat: number[] = [];
  for (const q of DESCRIPTIONS) descLat.push(await timed(index, q));
  gc();
  const mem = await index.memory();
  const steadyRss = rssNow();
  const heap = mem.threads.reduce((s, m) => s + m.heapUsed, 0);
  notes.push(`memory, steady (this process, which also ran the first build): process RSS ${mb(steadyRss)} MB; heap main ${mb(mem.threads[0]?.heapUsed ?? 0)} MB, search workers ${mem.threads.slice(1).map((m) => `${mb(m.heapUsed)} MB`).join(', ')}; shared segments ${mb(mem.sharedBytes)} MB`);

  // A burst of 50 concurrent searches, then throughput with every core busy.
  const burstLat: number[] = [];
  const burst = await withDelay(async () => {
    const s = performance.now();
    await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const q0 = performance.now();
        await index.search(TOPICAL[i % TOPICAL.length]!, { limit: 10 });
        burstLat.push(performance.now() - q0);
      }),
    );
    return performance.now() - s;
  });
  notes.push(`burst of 50: each search answered within p50 ${r1(pct(burstLat, 50))} / max ${r1(pct(burstLat, 100))} ms`);
  const clients = 4 * os.availableParallelism();
  const qps = await throughput(index, TOPICAL, clients, 5000);
  const qpsDesc = await throughput(index, DESCRIPTIONS, clients, 5000);
  notes.push(`throughput: ${clients} clients back to back for 5 s on ${mem.threads.length - 1} search workers: ${qps} topical / ${qpsDesc} description queries a second`);

  // A full rebuild, with searches answered meanwhile: one at a time every ~50 ms (their p99
  // is the figure, as steady queries are one at a time), every 10th turn a burst of 10
  // instead (timed apart: with one search worker a burst's last waits for the nine before it).
  const duringLat: number[] = [];
  const duringBurst: number[] = [];
  let rebuilding = true;
  const hwmReset = resetPeakRss();
  const rssBefore = rssNow();
  t = performance.now();
  const rebuild = await withDelay(async () => {
    const p = index.rebuild().finally(() => (rebuilding = false));
    for (let i = 0; rebuilding; i++) {
      if (i % 10 === 0) await Promise.all(Array.from({ length: 10 }, async (_, k) => duringBurst.push(await timed(index, TOPICAL[(i + k) % TOPICAL.length]!))));
      else duringLat.push(await timed(index, TOPICAL[i % TOPICAL.length]!));
      await sleep(50);
    }
    await p;
  });
  const rebuildMs = performance.now() - t;
  const rebuildPeak = peakRss();
  const afterSwap = await stream(index, TOPICAL, 3000, 10);
  // The build worker is kept 5 s after a job (index-build-runner.ts), then its memory goes.
  await sleep(7000);
  gc();
  const afterRebuildRss = rssNow();
  notes.push(
    `during the rebuild: ${duringLat.length} searches one at a time, p50 ${r1(pct(duringLat, 50))} / max ${r1(pct(duringLat, 100))} ms; ${duringBurst.length / 10} bursts of 10, each search within p50 ${r1(pct(duringBurst, 50))} / max ${r1(pct(duringBurst, 100))} ms; process RSS ${mb(rssBefore)} MB before, peak ${mb(rebuildPeak)} MB${hwmReset ? '' : ' (maxRSS: no VmHWM reset here)'}; build worker heap peak ${mb(index.lastBuild?.peakHeapBytes ?? 0)} MB`,
    `first 3 s after the rebuild's swap: p50 ${r1(pct(afterSwap, 50))} / p99 ${r1(pct(afterSwap, 99))} ms; process RSS 10 s after it ${mb(afterRebuildRss)} MB`,
  );

  // A new day's papers: stored, then searchable without anyone waiting.
  await store.upsertPapers(holdout);
  const newDay = await withDelay(async () => {
    const stored0 = performance.now();
    const stored = await store.getPapers(holdout.map((p) => p.id));
    index.updateMeta(stored.map(toIndexDoc)); // what ingestDay does
    let exact: number | null = null;
    const refreshed = index.refresh().then(() => (exact = performance.now() - stored0));
    // Poll with one search every 10 ms (a user asking for one of them), then check them all.
    let maxQ = 0;
    let searchable = 0;
    for (let i = 0; ; i++) {
      const p = holdout[i % holdout.length]!;
      const q0 = performance.now();
      const r = await index.search(p.id, { limit: 1 });
      maxQ = Math.max(maxQ, performance.now() - q0);
      if (r.hits.length) {
        const all = await Promise.all(holdout.map((h) => index.search(h.id, { limit: 1 })));
        if (all.every((x) => x.hits.length === 1)) {
          searchable = performance.now() - stored0;
          break;
        }
      }
      if (performance.now() - stored0 > 120_000) throw new Error('new papers never became searchable');
      await sleep(10);
    }
    await refreshed;
    return { searchable, exact: exact as number | null, maxQ };
  });
  notes.push(`new day: ${holdout.length} papers; main-thread delay p99 ${newDay.p99} ms meanwhile`);

  // Relevance, as for every engine (bench-relevance.ts).
  const relevance = await relevanceFigures(
    async (q, limit) => (await index.search(q, { limit }).catch(() => null))?.hits.map((h) => h.id) ?? [],
    readJson<DocText[]>(dir, 'docs.json'),
    known,
    readJson<KnownItem[]>(dir, 'known-baseline.json'),
  );
  let stopWordsKept = true;
  for (const q of STOP_WORD_QUERIES) if (!(await index.search(q).catch(() => null))?.hits.length) stopWordsKept = false;
  await index.close();
  await store.close();

  // Start to first answer: a fresh process opens the store and the snapshot and answers.
  const starts: number[] = [];
  for (let i = 0; i < 3; i++) starts.push(await firstAnswerOf(['--child', 'first-ours', dbPath, snapshotDir, TOPICAL[0]!], BOT_NODE_FLAGS));
  // Steady memory as a restarted bot has it: a fresh process loads the snapshot and searches.
  const fresh = await runChild(['--child', 'steady-ours', dbPath, snapshotDir], ['--expose-gc', ...BOT_NODE_FLAGS]);
  const freshRss = Number(/"rss":(\d+)/.exec(fresh.stdout)?.[1] ?? Number.NaN);
  notes.push(`memory, steady in a fresh process (loaded from the snapshot, ${TOPICAL.length * 5} topical and ${DESCRIPTIONS.length} description queries): process RSS ${mb(freshRss)} MB`);

  const out: Partial<Figures> = {
    papers,
    buildMs: Math.round(buildMs),
    heapMB: mb(heap),
    sharedMB: mb(mem.sharedBytes),
    snapshotMB: mb(snapshotBytes),
    loadMs: Math.round(loadMs),
    afterLoadP99Ms: r1(pct(afterLoad, 99)),
    queryP50Ms: r1(pct(lat, 50)),
    queryP99Ms: r1(pct(lat, 99)),
    descQueryP50Ms: r1(pct(descLat, 50)),
    descQueryP99Ms: r1(pct(descLat, 99)),
    steadyRssMB: mb(freshRss),
    sameProcessRssMB: mb(steadyRss),
    afterRebuildRssMB: mb(afterRebuildRss),
    throughputQps: qps,
    throughputDescQps: qpsDesc,
    burstDelayP99Ms: burst.p99,
    burstDelayMaxMs: burst.max,
    burstMs: Math.round(burst.value),
    rebuildMs: Math.round(rebuildMs),
    rebuildDelayP99Ms: rebuild.p99,
    rebuildDelayMaxMs: rebuild.max,
    rebuildQueryP99Ms: r1(pct(duringLat, 99)),
    rebuildBurstMaxMs: r1(pct(duringBurst, 100)),
    rebuildPeakRssMB: mb(rebuildPeak),
    afterSwapP99Ms: r1(pct(afterSwap, 99)),
    firstAnswerMs: Math.round(pct(starts, 50)),
    newPapersMs: Math.round(newDay.value.searchable),
    newPapersExactMs: newDay.value.exact === null ? null : Math.round(newDay.value.exact),
    newPapersQueryMaxMs: r1(newDay.value.maxQ),
    ...relevanceAndMemory(relevance, stopWordsKept, notes),
  };
  fs.writeFileSync(path.join(dir, 'ours.out.json'), JSON.stringify(out));
}

/** The store and its index from their files, as a restarted bot opens them. */
async function openStored(dbPath: string, snapshotDir: string) {
  const { SqliteStore } = await import('../src/store/sqlite/sqlite-store.js');
  const { LunrPaperIndex } = await import('../src/search/lunr-paper-index.js');
  const { storeDocFeed } = await import('../src/search/doc-feed.js');
  const { silentLogger } = await import('../src/log.js');
  const store = SqliteStore.open(dbPath);
  return { store, index: new LunrPaperIndex({ feed: storeDocFeed(store), snapshotDir, log: silentLogger() }) };
}

/** `--child first-ours <db> <snapshot dir> <query>` */
export async function firstAnswerOursChild(dbPath: string, snapshotDir: string, q: string): Promise<void> {
  const { store, index } = await openStored(dbPath, snapshotDir);
  const r = await index.search(q, { limit: 10 });
  process.stdout.write(`${JSON.stringify({ ms: performance.now(), hits: r.hits.length })}\n`);
  await index.close();
  await store.close();
}

/** `--child steady-ours <db> <snapshot dir>`: a restarted bot's memory once it has searched a while. */
export async function steadyOursChild(dbPath: string, snapshotDir: string): Promise<void> {
  const { store, index } = await openStored(dbPath, snapshotDir);
  await index.ready();
  for (let r = 0; r < 5; r++) for (const q of TOPICAL) await index.search(q, { limit: 10 });
  for (const q of DESCRIPTIONS) await index.search(q, { limit: 10 });
  await sleep(1000);
  gc();
  process.stdout.write(`${JSON.stringify({ rss: rssNow() })}\n`);
  await index.close();
  await store.close();
}
