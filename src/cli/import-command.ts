import { pluralize } from '../core/text.js';
import type { CliDeps } from './cli-deps.js';
import { readPaperFiles } from '../sources/files.js';
import { note, printJson, println, seconds, UsageError } from './cli-output.js';

/** `papers import <file|dir>…`: everything is parsed and checked before anything is stored. */
export async function importCommand(core: CliDeps, paths: string[], json: boolean): Promise<void> {
  if (!paths.length) throw new UsageError('import needs a file or directory: papers import ../shared/data/hf-daily');
  const t0 = Date.now();
  const { papers, files } = await readPaperFiles(paths);
  const tRead = Date.now();
  const res = await core.store.upsertPapers(papers);
  const tStore = Date.now();
  if (!json) note(`Stored ${pluralize(papers.length, 'paper')} from ${pluralize(files.length, 'file')}; updating the search index…`);
  await core.index.refresh();
  core.progress.finish();
  const tIndex = Date.now();
  const total = await core.store.countPapers();
  const summary = {
    files: files.length,
    papers: papers.length,
    inserted: res.inserted,
    updated: res.updated,
    unchanged: res.unchanged,
    total,
    ms: { read: tRead - t0, store: tStore - tRead, index: tIndex - tStore },
  };
  if (json) return printJson(summary);
  println(
    `Imported ${files.length} file${files.length === 1 ? '' : 's'}: ${res.inserted.toLocaleString('en-US')} new, ${res.updated.toLocaleString('en-US')} updated, ` +
      `${res.unchanged.toLocaleString('en-US')} unchanged — ${total.toLocaleString('en-US')} papers stored. ` +
      `(read ${seconds(summary.ms.read)}, store ${seconds(summary.ms.store)}, index ${seconds(summary.ms.index)})`,
  );
}
