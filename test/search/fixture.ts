/**
 * Real papers for the search tests, read straight from ../shared/data/hf-daily with a
 * deliberately small mapping (independent of the importer, which is written elsewhere).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { IndexDoc, Logger } from '../../src/core/ports.js';

/** Same path as test/support/tmp.ts (not imported: it pulls in vitest, and benchmarks reuse this file). */
export const HF_DAILY_DIR = path.resolve(import.meta.dirname, '../../../shared/data/hf-daily');

interface HfItem {
  title?: string;
  paper: {
    id: string;
    title?: string;
    summary?: string;
    authors?: { name?: string; hidden?: boolean }[];
    upvotes?: number;
    ai_keywords?: string[];
    githubRepo?: string | null;
  };
}

const collapse = (s: string | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

export function allDays(): string[] {
  return fs
    .readdirSync(HF_DAILY_DIR)
    .filter((f) => /^\d{4}-\d{2}-\d{2}\.json$/.test(f))
    .map((f) => f.slice(0, 10))
    .sort();
}

export function dayDocs(day: string): IndexDoc[] {
  const items = JSON.parse(fs.readFileSync(path.join(HF_DAILY_DIR, `${day}.json`), 'utf8')) as HfItem[];
  return items.map((item) => ({
    id: item.paper.id,
    title: collapse(item.title ?? item.paper.title),
    abstract: collapse(item.paper.summary),
    authors: (item.paper.authors ?? []).filter((a) => !a.hidden && a.name).map((a) => a.name!),
    keywords: item.paper.ai_keywords ?? [],
    featuredDates: [day],
    upvotes: item.paper.upvotes ?? null,
    hasCode: !!item.paper.githubRepo,
  }));
}

/** Papers of the given days, merged by id (featured days united, highest upvotes kept). */
export function docsOfDays(days: string[]): IndexDoc[] {
  const byId = new Map<string, IndexDoc>();
  for (const day of days) {
    for (const doc of dayDocs(day)) {
      const prev = byId.get(doc.id);
      if (!prev) {
        byId.set(doc.id, doc);
        continue;
      }
      byId.set(doc.id, {
        ...doc,
        featuredDates: [...new Set([...prev.featuredDates, ...doc.featuredDates])].sort(),
        upvotes: Math.max(prev.upvotes ?? 0, doc.upvotes ?? 0),
        hasCode: prev.hasCode || doc.hasCode,
        keywords: doc.keywords.length ? doc.keywords : prev.keywords,
      });
    }
  }
  return [...byId.values()];
}

let all: IndexDoc[] | null = null;
/** All 558 days: 9,577 papers. Cached per test file (each file runs in its own process). */
export function allDocs(): IndexDoc[] {
  all ??= docsOfDays(allDays());
  return all;
}

export const SMALL_DAYS = [
  '2024-05-28', '2024-05-29', '2024-05-30', '2024-05-31', // 2024 schema: hard line breaks, no keywords
  '2025-03-18', '2025-06-10', '2025-06-11', '2025-06-12',
  '2025-11-04', '2026-02-10', '2026-02-11', '2026-05-12', '2026-08-20',
];

let small: IndexDoc[] | null = null;
/** About 300 papers from a few days spread over the archive (old and new schema). */
export function smallDocs(): IndexDoc[] {
  small ??= docsOfDays(SMALL_DAYS);
  return small.map((d) => ({ ...d, featuredDates: [...d.featuredDates] }));
}

/** A Logger that keeps warnings (and info messages) for assertions. */
export function recordingLogger(): Logger & { warnings: { obj: object; msg?: string }[]; infos: string[] } {
  const warnings: { obj: object; msg?: string }[] = [];
  const infos: string[] = [];
  const log = {
    warnings,
    infos,
    debug() {},
    info(_obj: object, msg?: string) {
      if (msg) infos.push(msg);
    },
    warn(obj: object, msg?: string) {
      warnings.push(msg === undefined ? { obj } : { obj, msg });
    },
    error() {},
    child: () => log,
  };
  return log;
}
