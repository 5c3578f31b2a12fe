/**
 * Search at scale: plain Lunr, BM25 and ours, on both tiers of ../shared/data.
 *
 *   npm run bench:search -- [--json] [--tiers hf,all] [--only relevance] [--no-baseline] [--no-bm25] [--rounds 5] [--known 300]
 *
 * - `hf`: the 558 Daily Papers days (9,577 papers); `all`: those and the arXiv file merged by
 *   id (80,017), both read through the real importer (src/sources/files.ts).
 * - Plain Lunr (bench-plain-lunr.ts) and BM25 (bm25-baseline.ts: wink-bm25-text-search,
 *   the same fields and nominal weights, and the best of a few weight variants) are the
 *   baselines (`--no-baseline` skips both, `--no-bm25` BM25), each in its own child process.
 * - Ours (bench-ours.ts) runs in its own child process against the real SQLite store (filled
 *   by another child, so its memory is the bot's), as the bot does: build, snapshot, load
 *   and the first 3 s after it, steady queries (topical and descriptions), process RSS, a
 *   burst of 50, throughput with every core busy, a full rebuild (queries answered
 *   meanwhile, event-loop delay, peak RSS), a new day's papers stored and searched for, and
 *   a fresh process answering its first query.
 * - Relevance, the same for every engine (bench-relevance.ts): a known-item set built from
 *   the data (known-items.ts), the hand-written description set (description-set.ts: hit@1
 *   and hit@10 on its dev and held-out halves), the topical queries (top ten holding every
 *   term; all-terms papers first), and that stop words never empty a result.
 * - `--only relevance` builds each engine and measures relevance alone, with 50 known items
 *   of each kind unless --known says otherwise: 68 s for the hf tier on 2 quiet cores
 *   (100 s with other work running); the all tier takes ~15 minutes (plain Lunr and
 *   BM25 answer in ~1 s there).
 *
 * Prints tables (and the raw figures as one JSON object on the last line with --json).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { corpusDir } from './corpus-dir.js';
import { runChild } from './bench-helpers.js';
import type { Bm25Figures, Bm25Weights } from './bm25-baseline.js';
import { relevanceTable, table, type EngineFigures, type Tier, type TierResult } from './bench-table.js';
import { knownItems } from './known-items.js';

const DATA = corpusDir();
const HF_DIR = path.join(DATA, 'hf-daily');
const ARXIV_FILE = path.join(DATA, 'arxiv-cs-2025-2026.jsonl.gz');

/** Child processes that build a big index get a large heap. */
const BIG_HEAP = ['--expose-gc', '--max-old-space-size=12000'];

// ─── Parent ───────────────────────────────────────────────────────────────────────

async function childOut<T>(name: string, dir: string, args: string[], nodeArgs: string[], out: string): Promise<T> {
  const r = await runChild(['--child', name, dir, ...args], nodeArgs);
  if (r.code !== 0) throw new Error(`${name} child failed (${r.code})`);
  process.stderr.write(`${name}: ${Math.round(r.ms / 100) / 10} s\n`);
  return JSON.parse(fs.readFileSync(path.join(dir, out), 'utf8')) as T;
}

async function parent(): Promise<void> {
  const argv = process.argv.slice(2);
  const opt = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const json = argv.includes('--json');
  const tiers = (opt('--tiers') ?? 'hf,all').split(',').filter((t): t is Tier => t === 'hf' || t === 'all');
  const relevanceOnly = opt('--only') === 'relevance';
  const withBaseline = !argv.includes('--no-baseline');
  const withBm25 = withBaseline && !argv.includes('--no-bm25');
  // Plain Lunr answers in ~0.1 s at 9.6k papers: relevance alone uses a sixth of the known items by default.
  const perKind = Number(opt('--known') ?? (relevanceOnly ? 50 : 300));
  const rounds = String(Number(opt('--rounds') ?? 5));
  const say = (s: string) => process.stderr.write(`${s}\n`);

  const { readPaperFiles } = await import('../src/sources/files.js');
  const { toIndexDoc } = await import('../src/core/ports.js');
  const { descriptionProblems: checkDescriptions } = await import('./description-check.js');
  const { DESCRIPTION_SET } = await import('./description-set.js');
  say(`${os.availableParallelism()} CPUs, node ${process.version}${relevanceOnly ? ', relevance only' : ''}`);
  const results: TierResult[] = [];
  /** BM25's best weights on the hf tier: the only variant tried at 80k, where each costs minutes. */
  let bm25Best: Bm25Weights | null = null;
  for (const tier of tiers) {
    const t0 = performance.now();
    const { papers } = await readPaperFiles(tier === 'hf' ? [HF_DIR] : [HF_DIR, ARXIV_FILE]);
    say(`${tier}: ${papers.length} papers read in ${Math.round(performance.now() - t0)} ms`);
    // A new day: the latest featured days, at least 50 papers.
    const days = [...new Set(papers.flatMap((p) => p.featuredDates))].sort().reverse();
    const holdout = new Set<string>();
    for (const d of days) {
      for (const p of papers) if (p.featuredDates.includes(d)) holdout.add(p.id);
      if (holdout.size >= 50) break;
    }
    const known = await knownItems(papers, perKind);
    // The description set must describe papers of this corpus, in its own words (description-check.ts).
    const descriptionProblems = checkDescriptions(DESCRIPTION_SET, new Map(papers.map((p) => [p.id, p.title])));
    for (const p of descriptionProblems) say(`description set: ${p}`);
    // The baselines answer slowly at 80k: they get an evenly spread subset.
    const knownBaseline = tier === 'all' ? known.filter((_, i) => i % 3 === 0) : known;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-search-${tier}-`));
    try {
      fs.writeFileSync(path.join(dir, 'papers.json'), JSON.stringify(papers));
      fs.writeFileSync(path.join(dir, 'docs.json'), JSON.stringify(papers.map(toIndexDoc)));
      fs.writeFileSync(path.join(dir, 'holdout.json'), JSON.stringify([...holdout]));
      fs.writeFileSync(path.join(dir, 'known.json'), JSON.stringify(known));
      fs.writeFileSync(path.join(dir, 'known-baseline.json'), JSON.stringify(knownBaseline));
      const runBaseline = () => {
        say(`${tier}: plain Lunr…`);
        return childOut<EngineFigures>(relevanceOnly ? 'relevance-baseline' : 'baseline', dir, [rounds], BIG_HEAP, 'baseline.out.json');
      };
      const runBm25 = () => {
        say(`${tier}: BM25…`);
        return childOut<Bm25Figures>('bm25', dir, bm25Best ? [JSON.stringify(bm25Best)] : [], BIG_HEAP, 'bm25.out.json');
      };
      const runOurs = async () => {
        say(`${tier}: ours…`);
        if (!relevanceOnly) {
          const filled = await runChild(['--child', 'fill-store', dir], BIG_HEAP);
          if (filled.code !== 0) throw new Error(`fill-store child failed (${filled.code})`);
        }
        const { BOT_NODE_FLAGS } = await import('./bench-ours.js');
        return childOut<EngineFigures>(relevanceOnly ? 'relevance-ours' : 'ours', dir, [rounds], ['--expose-gc', ...BOT_NODE_FLAGS], 'ours.out.json');
      };
      let baseline: EngineFigures | null = null;
      let bm25: Bm25Figures | null = null;
      let ours: EngineFigures;
      if (relevanceOnly) {
        // Nothing is timed: ours first (its build and search workers want both cores), then
        // the two single-threaded baselines side by side.
        ours = await runOurs();
        [baseline, bm25] = await Promise.all([withBaseline ? runBaseline() : null, withBm25 ? runBm25() : null]);
      } else {
        // One at a time, so that no figure is measured with another engine busy.
        if (withBaseline) baseline = await runBaseline();
        if (withBm25) bm25 = await runBm25();
        ours = await runOurs();
      }
      if (tier === 'hf' && bm25) bm25Best = bm25.best.weights;
      results.push({ tier, papers: papers.length, baseline, ours, bm25, descriptionProblems });
      say([relevanceOnly ? '' : table([results.at(-1)!]), relevanceTable([results.at(-1)!])].join('\n'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  process.stdout.write(`${relevanceOnly ? '' : table(results)}\n${relevanceTable(results)}\n`);
  if (json) process.stdout.write(`${JSON.stringify({ cpus: os.availableParallelism(), node: process.version, only: relevanceOnly ? 'relevance' : null, summary: summary(results), results })}\n`);
}

/** The headline relevance figures per tier and engine, for a closing note. */
function summary(results: TierResult[]) {
  const pick = (f: EngineFigures['relevance'] | undefined) =>
    f && { descriptions: f.descriptions, knownItemFirst: f.knownItemFirst, topicalOnTopic: f.topicalOnTopic, allTermsFirst: f.allTermsFirst };
  return Object.fromEntries(
    results.map((r) => [
      r.tier,
      { plainLunr: pick(r.baseline?.relevance), bm25Nominal: pick(r.bm25?.nominal), bm25Best: r.bm25 && { weights: r.bm25.best.weights, ...pick(r.bm25.best.relevance) }, ours: pick(r.ours.relevance) },
    ]),
  );
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const child = argv[0] === '--child' ? argv[1] : null;
  if (child === 'first-ours') return (await import('./bench-ours.js')).firstAnswerOursChild(argv[2]!, argv[3]!, argv[4]!);
  if (child === 'fill-store') return (await import('./bench-ours.js')).fillStoreChild(argv[2]!);
  if (child === 'steady-ours') return (await import('./bench-ours.js')).steadyOursChild(argv[2]!, argv[3]!);
  if (child === 'first-baseline') return (await import('./bench-plain-lunr.js')).firstAnswerBaselineChild(argv[2]!, argv[3]!);
  if (child === 'baseline') return (await import('./bench-plain-lunr.js')).baselineChild(argv[2]!, Number(argv[3]));
  if (child === 'bm25') return (await import('./bm25-baseline.js')).bm25Child(argv[2]!, argv[3] ? (JSON.parse(argv[3]) as Bm25Weights) : undefined);
  if (child === 'ours') return (await import('./bench-ours.js')).oursChild(argv[2]!, Number(argv[3]));
  if (child === 'relevance-baseline') return (await import('./bench-relevance.js')).baselineRelevanceChild(argv[2]!);
  if (child === 'relevance-ours') return (await import('./bench-relevance.js')).oursRelevanceChild(argv[2]!);
  return parent();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${String((err as Error)?.stack ?? err)}\n`);
    process.exit(1);
  },
);
