/**
 * The plain Lunr baseline of the search bench: Lunr built the straightforward way (title
 * ×10, abstract, authors ×3, keywords ×5, default pipeline, a JSON snapshot, searched on
 * the calling thread), measured in its own child process with a large heap.
 */
import fs from 'node:fs';
import path from 'node:path';
import lunr from 'lunr';
import type { Figures } from './bench-table.js';
import { firstAnswerOf, gc, mb, pct, r1, withDelay } from './bench-helpers.js';
import { relevanceAndMemory, relevanceFigures, STOP_WORD_QUERIES, type DocText } from './bench-relevance.js';
import type { KnownItem } from './known-items.js';
import { TOPICAL_QUERIES as TOPICAL } from './topical-queries.js';

export async function buildPlainLunr(docs: readonly DocText[]): Promise<lunr.Index> {
  return lunr(function () {
    this.ref('id');
    this.field('title', { boost: 10 });
    this.field('abstract');
    this.field('authors', { boost: 3 });
    this.field('keywords', { boost: 5 });
    for (const d of docs) this.add({ id: d.id, title: d.title, abstract: d.abstract, authors: d.authors.join(', '), keywords: d.keywords.join(', ') });
  });
}

/** Every word of the query as a term (no query syntax), as a straightforward integration would. */
export const plainLunrSearch = (idx: lunr.Index) => (q: string) => idx.query((query) => query.term(lunr.tokenizer(q), {}));

/** `--child baseline <dir>`: every figure of the bench for plain Lunr. */
export async function baselineChild(dir: string, rounds: number): Promise<void> {
  const docs = JSON.parse(fs.readFileSync(path.join(dir, 'docs.json'), 'utf8')) as DocText[];
  const known = JSON.parse(fs.readFileSync(path.join(dir, 'known-baseline.json'), 'utf8')) as KnownItem[];
  const notes: string[] = [];

  gc();
  const h0 = process.memoryUsage().heapUsed;
  let t = performance.now();
  let index: lunr.Index | null = await buildPlainLunr(docs);
  const buildMs = performance.now() - t;
  gc();
  const heap = process.memoryUsage().heapUsed - h0;
  const file = path.join(dir, 'lunr.json');
  fs.writeFileSync(file, JSON.stringify(index));
  const snapshotBytes = fs.statSync(file).size;
  index = null;
  gc();
  t = performance.now();
  const idx = lunr.Index.load(JSON.parse(fs.readFileSync(file, 'utf8')) as object);
  const loadMs = performance.now() - t;

  const search = plainLunrSearch(idx);
  const lat: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of TOPICAL) {
      const s = performance.now();
      search(q);
      lat.push(performance.now() - s);
    }
  }
  // A burst: 50 searches queued at once run back to back on this thread.
  const burst = await withDelay(async () => {
    const s = performance.now();
    await Promise.all(Array.from({ length: 50 }, (_, i) => new Promise<void>((res) => setImmediate(() => (search(TOPICAL[i % TOPICAL.length]!), res())))));
    return performance.now() - s;
  });
  notes.push('plain Lunr cannot add a paper to a built index: new papers mean a rebuild, which runs on the calling thread (the loop is blocked for the whole build)');

  const relevance = await relevanceFigures((q, limit) => search(q).slice(0, limit).map((r) => r.ref), docs, known);
  let stopWordsKept = true;
  for (const q of STOP_WORD_QUERIES) {
    let n = 0;
    try {
      n = idx.search(q).length;
    } catch {
      n = 0;
    }
    if (n === 0) stopWordsKept = false;
  }
  const firstAnswer = await firstAnswerOf(['--child', 'first-baseline', file, TOPICAL[0]!], ['--max-old-space-size=12000']);

  const out: Partial<Figures> = {
    papers: docs.length,
    buildMs: Math.round(buildMs),
    heapMB: mb(heap),
    sharedMB: 0,
    snapshotMB: mb(snapshotBytes),
    loadMs: Math.round(loadMs),
    queryP50Ms: r1(pct(lat, 50)),
    queryP99Ms: r1(pct(lat, 99)),
    burstDelayP99Ms: burst.p99,
    burstDelayMaxMs: burst.max,
    burstMs: Math.round(burst.value),
    rebuildMs: Math.round(buildMs),
    rebuildDelayP99Ms: Math.round(buildMs),
    rebuildDelayMaxMs: Math.round(buildMs),
    rebuildQueryP99Ms: null,
    firstAnswerMs: Math.round(firstAnswer),
    newPapersMs: Math.round(buildMs),
    newPapersExactMs: null,
    newPapersQueryMaxMs: null,
    ...relevanceAndMemory(relevance, stopWordsKept, notes),
  };
  fs.writeFileSync(path.join(dir, 'baseline.out.json'), JSON.stringify(out));
}

/** `--child first-baseline <file> <q>`: a fresh process loads the snapshot and answers once. */
export async function firstAnswerBaselineChild(file: string, q: string): Promise<void> {
  const idx = lunr.Index.load(JSON.parse(fs.readFileSync(file, 'utf8')) as object);
  const hits = idx.query((query) => query.term(lunr.tokenizer(q), {}));
  process.stdout.write(`${JSON.stringify({ ms: performance.now(), hits: hits.length })}\n`);
}
