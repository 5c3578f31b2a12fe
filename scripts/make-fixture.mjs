#!/usr/bin/env node
// Rebuilds test/fixtures/ (the data `npm test` runs on, so a fresh clone needs no ../shared)
// from the full corpus: node scripts/make-fixture.mjs [DATA_DIR] (a CLI argument, not the
// environment, so scripts/ never read the environment), default ../shared/data.
// Deterministic: fixed day list, arXiv lines chosen by file order.
// Day files are copied byte for byte, so the importer sees exactly what upstream sent.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const root = path.resolve(import.meta.dirname, '..');
const src = path.resolve(process.argv[2] ?? path.resolve(root, '../shared/data'));
const dest = path.join(root, 'test/fixtures');
if (!fs.existsSync(path.join(src, 'hf-daily'))) {
  console.error(`make-fixture: ${src} has no hf-daily/ (pass the corpus directory, e.g. ../shared/data)`);
  process.exit(1);
}

// Days the tests name, plus a spread over every schema generation (see README.md here).
export const DAYS = [
  // 2024: hard line breaks, no optional fields
  '2024-05-27', '2024-05-28', '2024-05-29', '2024-05-30', '2024-05-31', '2024-06-12', '2024-06-14',
  '2024-06-28', '2024-07-01', '2024-12-02', '2024-12-10', '2024-12-20',
  '2025-01-02', '2025-01-10',
  // 2025-03: githubRepo / projectPage / ai_keywords
  '2025-03-03', '2025-03-04', '2025-03-05', '2025-03-06', '2025-03-18', '2025-04-01', '2025-04-30',
  // 2025-05: ai_summary; 2025-06: githubStars
  '2025-05-15', '2025-06-10', '2025-06-11', '2025-06-12', '2025-06-13', '2025-06-30',
  // 2025-10: organization
  '2025-10-15', '2025-11-04', '2025-11-13', '2025-11-14', '2026-01-02', '2026-01-05',
  '2026-02-10', '2026-02-11', '2026-04-09', '2026-04-10', '2026-04-15', '2026-04-16', '2026-05-12',
  '2026-08-14', '2026-08-17', '2026-08-19', '2026-08-20', '2026-08-21',
];

const hfSrc = path.join(src, 'hf-daily');
const have = new Set(fs.readdirSync(hfSrc).map((f) => f.slice(0, 10)));
const all = [...have].filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)).sort();
// Quirk days found by content, so the fixture keeps them whatever the list above misses.
const quirks = new Set();
const seen = new Map();
for (const day of all) {
  const items = JSON.parse(fs.readFileSync(path.join(hfSrc, `${day}.json`), 'utf8'));
  for (const it of items) {
    const p = it.paper;
    if (p.authors.length > 600) quirks.add(day); // the 664-author paper
    if (seen.has(p.id) && quirks.size < 40) { quirks.add(day); quirks.add(seen.get(p.id)); } // featured twice
    seen.set(p.id, day);
  }
}
// Keep only the first pair of featured-twice days beyond the named list, to stay small.
const days = [...new Set([...DAYS.filter((d) => have.has(d)), ...[...quirks].sort().slice(0, 4)])].sort();

// Everything but README.md (hand-written) is regenerated.
for (const f of fs.existsSync(dest) ? fs.readdirSync(dest) : []) {
  if (f !== 'README.md') fs.rmSync(path.join(dest, f), { recursive: true, force: true });
}
fs.mkdirSync(path.join(dest, 'hf-daily'), { recursive: true });
fs.mkdirSync(path.join(dest, 'malformed'), { recursive: true });
const ids = new Set();
for (const day of days) {
  const f = `${day}.json`;
  fs.copyFileSync(path.join(hfSrc, f), path.join(dest, 'hf-daily', f));
  for (const it of JSON.parse(fs.readFileSync(path.join(hfSrc, f), 'utf8'))) ids.add(it.paper.id);
}
for (const f of fs.readdirSync(path.join(src, 'malformed')).sort()) {
  fs.copyFileSync(path.join(src, 'malformed', f), path.join(dest, 'malformed', f));
}
for (const [from, to] of [['hf-daily-LICENSE', 'LICENSE-hf-daily'], ['arxiv-LICENSE', 'LICENSE-arxiv']]) {
  fs.copyFileSync(path.join(src, from), path.join(dest, to));
}

// arXiv slice: the first 300 lines, plus the first 60 lines whose id is also in the chosen
// HF days (so the merge of the two sources is exercised).
const lines = zlib.gunzipSync(fs.readFileSync(path.join(src, 'arxiv-cs-2025-2026.jsonl.gz'))).toString('utf8').split('\n').filter(Boolean);
const picked = [];
let overlap = 0;
for (const [i, line] of lines.entries()) {
  const id = JSON.parse(line).id;
  if (i < 300) picked.push(line);
  else if (ids.has(id) && overlap < 60) { picked.push(line); overlap++; }
}
overlap += picked.slice(0, 300).filter((l) => ids.has(JSON.parse(l).id)).length;
fs.writeFileSync(path.join(dest, 'arxiv-cs-2025-2026.jsonl.gz'), zlib.gzipSync(picked.join('\n') + '\n', { level: 9, mtime: 0 }));
console.log(`fixture: ${days.length} HF days, ${ids.size} papers; ${picked.length} arXiv lines (${overlap} also in the HF days) → ${path.relative(root, dest)}`);
