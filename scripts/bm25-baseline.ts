/**
 * The BM25 baseline of the search bench: wink-bm25-text-search (BM25F: a field's weight
 * multiplies its term frequencies and its share of the document length) over the fields
 * the plain Lunr baseline indexes, tokenised by wink's classic wink-nlp-utils pipeline
 * (lower case, tokenize0, stop words removed, Porter-2 stem, negations propagated), the
 * same pipeline for documents and queries.
 *
 * Fields are tokenised once and every weight variant builds its engine from those tokens,
 * so trying variants costs one consolidation each rather than one tokenisation each.
 */
import fs from 'node:fs';
import path from 'node:path';
import bm25 from 'wink-bm25-text-search';
import nlp from 'wink-nlp-utils';
import { descriptionFigures, relevanceFigures, type DescriptionFigures, type RelevanceFigures } from './bench-relevance.js';
import type { KnownItem } from './known-items.js';

export interface Bm25Doc {
  id: string;
  title: string;
  abstract: string;
  authors: string[];
  keywords: string[];
}

export type Bm25Weights = Record<'title' | 'abstract' | 'authors' | 'keywords', number>;

/** The plain Lunr baseline's boosts (title ×10, abstract ×1, authors ×3, keywords ×5). */
export const NOMINAL_WEIGHTS: Bm25Weights = { title: 10, abstract: 1, authors: 3, keywords: 5 };

/** The variants tried; the bench reports each and picks the best on the description set's dev half. */
export const BM25_VARIANTS: readonly Bm25Weights[] = [
  NOMINAL_WEIGHTS,
  { title: 5, abstract: 1, authors: 2, keywords: 3 },
  { title: 3, abstract: 1, authors: 1, keywords: 2 },
  { title: 2, abstract: 1, authors: 1, keywords: 1 },
  { title: 1, abstract: 1, authors: 1, keywords: 1 },
  { title: 0.5, abstract: 1, authors: 0.5, keywords: 0.5 },
];

const FIELDS = ['title', 'abstract', 'authors', 'keywords'] as const;

/** wink's classic preparation pipeline (the one its README used with wink-nlp-utils). */
export function winkTokens(text: string): string[] {
  return nlp.tokens.propagateNegations(nlp.tokens.stem(nlp.tokens.removeWords(nlp.string.tokenize0(nlp.string.lowerCase(text)))));
}

type Tokenised = Record<(typeof FIELDS)[number], string[]> & { id: string };

export function tokeniseBm25Docs(docs: readonly Bm25Doc[]): Tokenised[] {
  return docs.map((d) => ({
    id: d.id,
    title: winkTokens(d.title),
    abstract: winkTokens(d.abstract),
    authors: winkTokens(d.authors.join(', ')),
    keywords: winkTokens(d.keywords.join(', ')),
  }));
}

export const weightsLabel = (w: Bm25Weights) => FIELDS.map((f) => `${f} ${w[f]}`).join(', ');

/** A consolidated engine with these weights; returns a search giving ids, best first. */
export function buildBm25(docs: readonly Tokenised[], weights: Bm25Weights): (q: string, limit: number) => string[] {
  const engine = bm25();
  engine.defineConfig({ fldWeights: { ...weights } });
  // The query goes through the pipeline (the default tasks); the fields arrive tokenised.
  engine.definePrepTasks([winkTokens]);
  for (const f of FIELDS) engine.definePrepTasks([(tokens: string[]) => tokens], f);
  for (const d of docs) engine.addDoc({ ...d }, d.id);
  engine.consolidate();
  return (q, limit) => engine.search(q, limit).map(([id]) => id);
}

// ─── Child: BM25 (`--child bm25 <dir> [weights JSON]`) ─────────────────────────────

export interface Bm25Figures {
  papers: number;
  tokeniseMs: number;
  buildMs: number;
  /** Every variant tried, with its description figures. */
  variants: { weights: Bm25Weights; label: string; descriptions: DescriptionFigures }[];
  nominal: RelevanceFigures;
  /** The variant best on the description set's dev half (hit@1 + hit@10), the held-out half untouched by the choice. */
  best: { weights: Bm25Weights; label: string; relevance: RelevanceFigures };
}

/**
 * Tries the variants (only the nominal weights and `only`, when given: the hf tier's
 * choice, at 80k papers where each variant costs minutes), then measures the nominal
 * weights and the best variant in full.
 */
export async function bm25Child(dir: string, only?: Bm25Weights): Promise<void> {
  const read = <T>(f: string) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as T;
  const docs = read<Bm25Doc[]>('docs.json');
  const known = read<KnownItem[]>('known-baseline.json');
  let t = performance.now();
  const tokenised = tokeniseBm25Docs(docs);
  const tokeniseMs = Math.round(performance.now() - t);
  const tried = only ? [NOMINAL_WEIGHTS, only] : BM25_VARIANTS;
  const variants: Bm25Figures['variants'] = [];
  const engines = new Map<Bm25Weights, (q: string, limit: number) => string[]>();
  let buildMs = 0;
  for (const weights of tried) {
    t = performance.now();
    const search = buildBm25(tokenised, weights);
    if (weights === NOMINAL_WEIGHTS) buildMs = Math.round(performance.now() - t);
    engines.set(weights, search);
    const { misses: _misses, ...descriptions } = await descriptionFigures(search);
    variants.push({ weights, label: weightsLabel(weights), descriptions });
  }
  const score = (v: (typeof variants)[number]) => v.descriptions.dev.hit1 + v.descriptions.dev.hit10;
  const best = variants.reduce((a, b) => (score(b) > score(a) ? b : a));
  const nominal = await relevanceFigures(engines.get(NOMINAL_WEIGHTS)!, docs, known);
  const bestRelevance = best.weights === NOMINAL_WEIGHTS ? nominal : await relevanceFigures(engines.get(best.weights)!, docs, known);
  const out: Bm25Figures = { papers: docs.length, tokeniseMs, buildMs, variants, nominal, best: { weights: best.weights, label: best.label, relevance: bestRelevance } };
  fs.writeFileSync(path.join(dir, 'bm25.out.json'), JSON.stringify(out));
}
