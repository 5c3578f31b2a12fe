/**
 * Relevance figures of the search bench, measured the same way for every engine: known
 * items (first), the description set (hit@1 / hit@10 on its dev and held-out halves), and
 * the topical queries (share of the top ten holding every query term; no partial match
 * ranked above a full one in the top 50). Also the children of `--only relevance`, which
 * build each engine and measure nothing but this.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DESCRIPTION_SET, type Description } from './description-set.js';
import type { KnownItem } from './known-items.js';
import { r1 } from './bench-helpers.js';
import { TOPICAL_QUERIES } from './topical-queries.js';

/** An engine under test: the ids of its first `limit` results for a query, best first. */
export type Search = (q: string, limit: number) => Promise<string[]> | string[];

export interface DocText {
  id: string;
  title: string;
  abstract: string;
  authors: string[];
  keywords: string[];
}

/** Percentages of the descriptions whose paper is first / in the first ten, out of `n`. */
export interface Hits {
  hit1: number;
  hit10: number;
  n: number;
}
export type DescriptionFigures = Record<Description['half'] | 'all', Hits>;

export interface RelevanceFigures {
  knownItemFirst: number;
  knownItems: number;
  knownByKind: Record<string, { first: number; total: number }>;
  /** Known-item first % on the baseline's subset of the known items, when it is a subset. */
  knownSubsetFirst: number | null;
  descriptions: DescriptionFigures;
  /** Mean share (%) of a topical query's top ten that holds every one of its terms. */
  topicalOnTopic: number;
  allTermsFirst: boolean;
}

/** The relevance part of an engine's figures (bench-table.ts Figures), with this process's peak RSS and notes. */
export function relevanceAndMemory(relevance: RelevanceFigures, stopWordsKept: boolean, notes: string[]) {
  return {
    knownItemFirst: relevance.knownItemFirst,
    knownItems: relevance.knownItems,
    knownByKind: relevance.knownByKind,
    allTermsFirst: relevance.allTermsFirst,
    stopWordsKept,
    relevance,
    peakRssMB: r1(process.resourceUsage().maxRSS / 1e3),
    notes,
  };
}

const TOPICAL = TOPICAL_QUERIES;
/** Queries whose stop words must not empty the result (engines with Lunr's query syntax). */
export const STOP_WORD_QUERIES = ['+mixture +of +experts', 'the transformer', 'a survey of agents', '"mixture of experts"'];

export async function descriptionFigures(search: Search, set: readonly Description[] = DESCRIPTION_SET): Promise<DescriptionFigures & { misses: Description[] }> {
  const count = { dev: [0, 0, 0], held: [0, 0, 0] };
  const misses: Description[] = [];
  for (const d of set) {
    const top = await search(d.q, 10);
    const c = count[d.half];
    c[2]!++;
    if (top[0] === d.id) c[0]!++;
    if (top.includes(d.id)) c[1]!++;
    else misses.push(d);
  }
  const hits = ([h1, h10, n]: number[]): Hits => ({ hit1: r1((100 * h1!) / Math.max(1, n!)), hit10: r1((100 * h10!) / Math.max(1, n!)), n: n! });
  const all = count.dev.map((x, i) => x + count.held[i]!);
  return { dev: hits(count.dev), held: hits(count.held), all: hits(all), misses };
}

export async function relevanceFigures(
  search: Search,
  docs: readonly DocText[],
  known: readonly KnownItem[],
  knownSubset?: readonly KnownItem[],
): Promise<RelevanceFigures> {
  const { analyze } = await import('../src/search/query.js');
  const subset = knownSubset && knownSubset.length !== known.length ? new Set(knownSubset.map((k) => `${k.q}\u0000${k.id}`)) : null;
  let first = 0;
  let firstSub = 0;
  const byKind: Record<string, { first: number; total: number }> = {};
  for (const k of known) {
    const hit = (await search(k.q, 10))[0] === k.id;
    const b = (byKind[k.kind] ??= { first: 0, total: 0 });
    b.total++;
    if (hit) {
      first++;
      b.first++;
      if (subset?.has(`${k.q}\u0000${k.id}`)) firstSub++;
    }
  }
  const { misses: _misses, ...descriptions } = await descriptionFigures(search);

  // Topical: the terms as our analyzer sees them, looked for in every field of the paper.
  const byId = new Map(docs.map((d) => [d.id, d]));
  const termsOf = new Map<string, Set<string>>();
  const has = (id: string) => {
    let t = termsOf.get(id);
    const d = byId.get(id);
    if (!t && d) termsOf.set(id, (t = new Set(analyze([d.title, d.abstract, d.authors.join(' '), d.keywords.join(' ')].join(' ')))));
    return t ?? new Set<string>();
  };
  let onTopic = 0;
  let allTermsFirst = true;
  for (const q of TOPICAL) {
    const terms = [...new Set(analyze(q))];
    const top = await search(q, 50);
    const full = top.map((id) => terms.every((t) => has(id).has(t)));
    onTopic += full.slice(0, 10).filter(Boolean).length / 10;
    // No paper with all the terms after one with only some (queries of two terms or more).
    if (terms.length >= 2 && full.some((f, i) => f && full.slice(0, i).includes(false))) allTermsFirst = false;
  }
  return {
    knownItemFirst: r1((100 * first) / Math.max(1, known.length)),
    knownItems: known.length,
    knownByKind: byKind,
    knownSubsetFirst: subset ? r1((100 * firstSub) / Math.max(1, subset.size)) : null,
    descriptions,
    topicalOnTopic: r1((100 * onTopic) / TOPICAL.length),
    allTermsFirst,
  };
}

// ─── The engines, built for relevance alone ────────────────────────────────────────

type Paper = import('../src/core/paper.js').Paper;

/** Our index as the bot runs it (SQLite store, LunrPaperIndex, its workers), over `papers`. */
export async function openOurIndex(papers: readonly Paper[], dir: string): Promise<{ search: Search; close: () => Promise<void> }> {
  const { SqliteStore } = await import('../src/store/sqlite/sqlite-store.js');
  const { LunrPaperIndex } = await import('../src/search/lunr-paper-index.js');
  const { storeDocFeed } = await import('../src/search/doc-feed.js');
  const { silentLogger } = await import('../src/log.js');
  const store = SqliteStore.open(path.join(dir, 'relevance.sqlite'));
  await store.upsertPapers([...papers]);
  const index = new LunrPaperIndex({ feed: storeDocFeed(store), snapshotDir: path.join(dir, 'relevance-index'), log: silentLogger() });
  await index.ready();
  return {
    search: async (q, limit) => (await index.search(q, { limit }).catch(() => null))?.hits.map((h) => h.id) ?? [],
    close: async () => {
      await index.close();
      await store.close();
    },
  };
}

const readJson = <T>(dir: string, file: string) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as T;

/** `--child relevance-ours <dir>`: ours over every paper of the tier, relevance only. */
export async function oursRelevanceChild(dir: string): Promise<void> {
  const papers = readJson<Paper[]>(dir, 'papers.json');
  const t = performance.now();
  const ours = await openOurIndex(papers, dir);
  const buildMs = Math.round(performance.now() - t);
  const relevance = await relevanceFigures(ours.search, readJson<DocText[]>(dir, 'docs.json'), readJson<KnownItem[]>(dir, 'known.json'), readJson<KnownItem[]>(dir, 'known-baseline.json'));
  await ours.close();
  fs.writeFileSync(path.join(dir, 'ours.out.json'), JSON.stringify({ papers: papers.length, buildMs, relevance, notes: [] }));
}

/** `--child relevance-baseline <dir>`: plain Lunr, relevance only. */
export async function baselineRelevanceChild(dir: string): Promise<void> {
  const { buildPlainLunr, plainLunrSearch } = await import('./bench-plain-lunr.js');
  const docs = readJson<DocText[]>(dir, 'docs.json');
  const t = performance.now();
  const search = plainLunrSearch(await buildPlainLunr(docs));
  const buildMs = Math.round(performance.now() - t);
  const relevance = await relevanceFigures((q, limit) => search(q).slice(0, limit).map((r) => r.ref), docs, readJson<KnownItem[]>(dir, 'known-baseline.json'));
  fs.writeFileSync(path.join(dir, 'baseline.out.json'), JSON.stringify({ papers: docs.length, buildMs, relevance, notes: [] }));
}
