/**
 * Picks the papers scripts/description-set.ts describes, so the pick can be repeated and
 * checked: the HF Daily Papers read through the real importer, sorted by id, shuffled
 * (Fisher–Yates) with mulberry32(SEED), the first COUNT taken, none skipped. Prints each
 * as `id`, title and abstract for the person writing the descriptions.
 *
 *   npx tsx scripts/pick-description-papers.ts [count]
 */
import path from 'node:path';
import type { Paper } from '../src/core/paper.js';
import { readPaperFiles } from '../src/sources/files.js';
import { mulberry32 } from '../test/support/random.js';
import { corpusDir } from './corpus-dir.js';

export const DESCRIPTION_SEED = 20261203;
export const DESCRIPTION_COUNT = 160;

export function pickDescriptionPapers(papers: readonly Paper[], count = DESCRIPTION_COUNT, seed = DESCRIPTION_SEED): Paper[] {
  const order = [...papers].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const rand = mulberry32(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order.slice(0, count);
}

async function main(): Promise<void> {
  const { papers } = await readPaperFiles([path.join(corpusDir(), 'hf-daily')]);
  const count = Number(process.argv[2] ?? DESCRIPTION_COUNT);
  pickDescriptionPapers(papers, count).forEach((p, i) => {
    process.stdout.write(`#${i} ${p.id}\nTITLE: ${p.title}\n${p.abstract}\n\n`);
  });
}

if (process.argv[1] && path.resolve(process.argv[1]).replace(/\.(ts|js)$/, '') === path.resolve(import.meta.filename).replace(/\.(ts|js)$/, '')) void main();
