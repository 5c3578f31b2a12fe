#!/usr/bin/env node
// Rebuilds sample/hf-daily/: the last ten weekdays of ../shared/data/hf-daily, with the
// fields the bot never reads (avatars, submitter profiles) removed to keep the repo small.
// The structure stays the API's, so the sample goes through the same importer as real data.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const src = path.resolve(root, '../shared/data/hf-daily');
const dest = path.join(root, 'sample/hf-daily');
const days = fs.readdirSync(src).filter((f) => /^\d{4}-\d{2}-\d{2}\.json$/.test(f)).sort().slice(-10);

const dropItem = ['submittedBy', 'thumbnail', 'mediaUrl', 'mediaUrls', 'isAuthorParticipating', 'submitterOrganization'];
const dropPaper = ['submittedOnDailyBy', 'mediaUrls', 'discussionId', 'githubRepoAddedBy', 'ai_summary_model'];

fs.rmSync(dest, { recursive: true, force: true });
fs.mkdirSync(dest, { recursive: true });
for (const day of days) {
  const items = JSON.parse(fs.readFileSync(path.join(src, day), 'utf8'));
  for (const it of items) {
    for (const k of dropItem) delete it[k];
    for (const k of dropPaper) delete it.paper[k];
    it.paper.authors = it.paper.authors.map(({ _id, name, hidden }) => ({ _id, name, hidden }));
    for (const o of [it.organization, it.paper.organization]) if (o) delete o.avatar;
  }
  fs.writeFileSync(path.join(dest, day), JSON.stringify(items));
}
console.log(`sample: ${days.length} days (${days[0]} … ${days.at(-1)}) written to ${path.relative(root, dest)}`);
