/**
 * The description set's figures, fast, for whoever tunes the ranking: builds our index
 * (the same store, index and workers as the bot, through bench-relevance.ts's
 * openOurIndex) over the 9,577 HF papers and prints hit@1 / hit@10 for one half.
 *
 *   npx tsx scripts/description-bench.ts --ours-only [--half dev|held|all] [--misses]
 *   npm run build && node dist/scripts/description-bench.js --ours-only
 *
 * Without --ours-only it also builds plain Lunr and BM25 (nominal weights) in this process.
 * --misses lists the descriptions whose paper is not in the first ten, with what came first.
 * Tune against the dev half only; the held-out half is for reporting.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toIndexDoc } from '../src/core/ports.js';
import { readPaperFiles } from '../src/sources/files.js';
import { descriptionFigures, openOurIndex, type Search } from './bench-relevance.js';
import { corpusDir } from './corpus-dir.js';
import { descriptionProblems } from './description-check.js';
import { DESCRIPTION_SET } from './description-set.js';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const halfArg = argv.includes('--half') ? argv[argv.indexOf('--half') + 1] : 'dev';
  if (halfArg !== 'dev' && halfArg !== 'held' && halfArg !== 'all') throw new Error(`--half dev|held|all, not ${halfArg}`);
  const set = DESCRIPTION_SET.filter((d) => halfArg === 'all' || d.half === halfArg);
  const t0 = performance.now();
  const { papers } = await readPaperFiles([path.join(corpusDir(), 'hf-daily')]);
  const titles = new Map(papers.map((p) => [p.id, p.title]));
  for (const p of descriptionProblems(DESCRIPTION_SET, titles)) process.stderr.write(`description set: ${p}\n`);

  const engines: [string, () => Promise<{ search: Search; close: () => Promise<void> }>][] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'description-bench-'));
  engines.push(['ours', () => openOurIndex(papers, dir)]);
  if (!argv.includes('--ours-only')) {
    const docs = papers.map(toIndexDoc);
    engines.push(['plain Lunr', async () => {
      const { buildPlainLunr, plainLunrSearch } = await import('./bench-plain-lunr.js');
      const search = plainLunrSearch(await buildPlainLunr(docs));
      return { search: (q, limit) => search(q).slice(0, limit).map((r) => r.ref), close: async () => {} };
    }]);
    engines.push(['BM25 nominal', async () => {
      const { buildBm25, tokeniseBm25Docs, NOMINAL_WEIGHTS } = await import('./bm25-baseline.js');
      return { search: buildBm25(tokeniseBm25Docs(docs), NOMINAL_WEIGHTS), close: async () => {} };
    }]);
  }
  try {
    for (const [name, open] of engines) {
      const engine = await open();
      const f = await descriptionFigures(engine.search, set);
      const h = f[halfArg];
      console.log(`${name}: ${halfArg} (${h.n}) hit@1 ${h.hit1}% hit@10 ${h.hit10}%`);
      if (argv.includes('--misses')) {
        for (const m of f.misses) {
          const first = (await engine.search(m.q, 1))[0];
          console.log(`  miss ${m.id} "${m.q}" → first: ${first ?? '–'} ${first ? titles.get(first) : ''}`);
        }
      }
      await engine.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(`(${Math.round((performance.now() - t0) / 100) / 10} s)`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${String((err as Error)?.stack ?? err)}\n`);
    process.exit(1);
  },
);
