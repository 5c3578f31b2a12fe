import type { CliDeps } from './cli-deps.js';
import { printJson, println } from './cli-output.js';

export async function statsCommand(core: CliDeps, json: boolean): Promise<void> {
  const s = await core.store.stats();
  const out = { ...s, dataDir: core.dataDir };
  if (json) return printJson(out);
  println(`Papers:        ${s.papers.toLocaleString('en-US')} (${s.featuredPapers.toLocaleString('en-US')} featured on Daily Papers)`);
  println(`Featured days: ${s.featuredDays} (${s.firstFeaturedDate ?? '–'} … ${s.lastFeaturedDate ?? '–'})`);
  println(`Subscriptions: ${s.subscriptions}   Bookmarks: ${s.bookmarks}   Posted messages: ${s.posted}`);
  println(`Data dir:      ${core.dataDir}`);
}
