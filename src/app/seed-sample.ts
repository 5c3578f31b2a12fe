/**
 * First start: an empty store gets the sample committed in the repo (ten real days of
 * Daily Papers), so search, trending and digests work offline from the first command.
 */
import type { Logger, Store } from '../core/ports.js';
import { readPaperFiles } from '../sources/files.js';

export async function seedIfEmpty(store: Store, sampleDir: string, log: Logger): Promise<number> {
  if ((await store.countPapers()) > 0) return 0;
  const { papers, files } = await readPaperFiles([sampleDir]);
  const res = await store.upsertPapers(papers);
  log.info({ files: files.length, papers: res.inserted }, 'seeded the empty store from the sample');
  return res.inserted;
}
