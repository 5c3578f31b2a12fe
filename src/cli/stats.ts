import type { Core } from '../compose.js';
import { printJson, println } from './output.js';

export async function statsCommand(core: Core, json: boolean): Promise<void> {
  const s = await core.store.stats();
  const out = { ...s, dataDir: core.config.dataDir };
  if (json) return printJson(out);
  println(`Papers:        ${s.papers.toLocaleString('en-US')} (${s.featuredPapers.toLocaleString('en-US')} featured on Daily Papers)`);
  println(`Featured days: ${s.featuredDays} (${s.firstFeaturedDate ?? '–'} … ${s.lastFeaturedDate ?? '–'})`);
  println(`Subscriptions: ${s.subscriptions}   Bookmarks: ${s.bookmarks}   Posted messages: ${s.posted}`);
  println(`Data dir:      ${core.config.dataDir}`);
}
