/**
 * Figures for the core on the real HF corpus (all 558 days): import time, index build
 * time (worker), snapshot size and load time, and search latency p50/p99 over topical
 * queries. Prints one JSON object on its last line.
 *
 *   npm run build && node dist/scripts/measure-core.js [--json]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { storeDocFeed } from '../src/search/doc-feed.js';
import { LunrPaperIndex } from '../src/search/lunr-paper-index.js';
import { silentLogger } from '../src/log.js';
import { TOPICAL_QUERIES } from './topical-queries.js';
import { readPaperFiles } from '../src/sources/files.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { corpusDir } from './corpus-dir.js';

const QUERIES = TOPICAL_QUERIES;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const ms = (t0: number) => Math.round(performance.now() - t0);

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'papers-measure-'));
  try {
    const log = silentLogger();
    const store = SqliteStore.open(path.join(dir, 'papers.sqlite'));
    let t = performance.now();
    const { papers, files } = await readPaperFiles([path.join(corpusDir(), 'hf-daily')]);
    const readMs = ms(t);
    t = performance.now();
    const res = await store.upsertPapers(papers);
    const storeMs = ms(t);

    t = performance.now();
    const built = new LunrPaperIndex({ feed: storeDocFeed(store), snapshotDir: path.join(dir, 'index'), log });
    await built.ready();
    const buildMs = ms(t);
    await built.close();
    // The snapshot is index.json (a manifest) and the segment files it names.
    const snapshotDir = path.join(dir, 'index');
    const snapshotBytes = fs.readdirSync(snapshotDir).reduce((sum, f) => sum + fs.statSync(path.join(snapshotDir, f)).size, 0);

    t = performance.now();
    const index = new LunrPaperIndex({ feed: storeDocFeed(store), snapshotDir: path.join(dir, 'index'), log });
    await index.ready();
    const loadMs = ms(t);

    const lat: number[] = [];
    for (let round = 0; round < 5; round++) {
      for (const q of QUERIES) {
        const t0 = performance.now();
        await index.search(q, { limit: 10 });
        lat.push(performance.now() - t0);
      }
    }
    await index.close();
    await store.close();
    const out = {
      files: files.length,
      papers: res.inserted,
      importMs: readMs + storeMs,
      readMs,
      storeMs,
      buildMs,
      snapshotMB: Math.round(snapshotBytes / 1e5) / 10,
      loadMs,
      queryP50Ms: Math.round(pct(lat, 50) * 10) / 10,
      queryP99Ms: Math.round(pct(lat, 99) * 10) / 10,
      heapMB: Math.round(process.memoryUsage().heapUsed / 1e6),
    };
    if (!process.argv.includes('--json')) {
      console.log(`import ${out.files} files → ${out.papers} papers: ${out.importMs} ms (read ${readMs}, store ${storeMs})`);
      console.log(`index build (worker, incl. snapshot write): ${buildMs} ms; snapshot ${out.snapshotMB} MB; load ${loadMs} ms`);
      console.log(`search over ${QUERIES.length} queries × 5: p50 ${out.queryP50Ms} ms, p99 ${out.queryP99Ms} ms`);
    }
    console.log(JSON.stringify(out));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
