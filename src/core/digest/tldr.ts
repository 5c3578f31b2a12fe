/**
 * One-line TL;DR for a paper: HF's AI summary when there is one, else the abstract's most
 * informative sentence. Abstracts open with background ("LLMs have shown remarkable…")
 * and close with links, so the first sentence is usually the worst pick; the sentence
 * that says what the paper contributes is what a reader scanning a digest wants.
 */
import type { Paper } from '../paper.js';
import { collapseWhitespace, plainText, truncateWords } from '../text.js';

export function tldrOf(p: Pick<Paper, 'aiSummary' | 'abstract' | 'title'>, maxLen = 200): string {
  const summary = p.aiSummary ? cleanText(p.aiSummary) : '';
  if (summary) return truncateWords(summary, maxLen);
  return truncateWords(bestSentence(p.abstract, p.title), maxLen);
}

/** The abstract's highest-scoring sentence, lead-in clause removed; '' for an empty abstract. */
export function bestSentence(abstract: string, title = ''): string {
  const sentences = splitSentences(cleanText(abstract));
  const name = methodName(title);
  const titleWords = contentWords(cleanText(title));
  let best = '';
  let bestScore = -Infinity;
  // Abstracts state the main contribution first ("we propose X"); later ones are
  // secondary ("we also build a benchmark"), so the first gets a small bonus.
  const firstContribution = sentences.findIndex((s) => CONTRIBUTION.test(s));
  sentences.forEach((s, i) => {
    // A tiny positional term breaks ties towards the earlier sentence.
    const score = scoreSentence(s, name, titleWords) + (i === firstContribution ? 1 : 0) - i * 0.01;
    if (score > bestScore) [best, bestScore] = [s, score];
  });
  return dropLeadIn(best);
}

// ─── Clean text ──────────────────────────────────────────────────────────────────────

/** LaTeX accents of author-typed names ("T\\"ULU", "Pok\\'eChamp") as letters. */
const ACCENTS: Record<string, string> = { '"': '\u0308', "'": '\u0301', '`': '\u0300', '^': '\u0302', '~': '\u0303' };
/** Math commands worth a character rather than nothing (plainText drops unknown commands). */
const SYMBOLS: Record<string, string> = {
  times: '×', sim: '~', approx: '≈', leq: '≤', le: '≤', geq: '≥', ge: '≥', pm: '±', cdot: '·', infty: '∞',
  to: '→', rightarrow: '→', log: 'log', alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε',
  lambda: 'λ', mu: 'μ', sigma: 'σ', tau: 'τ', theta: 'θ', pi: 'π',
};

/** Private-use stand-in for an escaped dollar ("\\$1 million"), which plainText would take for math. */
const DOLLAR = '\uE000';

/** plainText, plus what it leaves behind in abstracts: accents, TeX quotes, escaped dollars, stray backslashes. */
export function cleanText(s: string): string {
  const prepared = s
    .replace(/\\(["'`^~])\{?(?:\\i\b|([A-Za-z]))\}?/g, (_, mark: string, letter?: string) => (letter ?? 'i') + ACCENTS[mark]!)
    .normalize('NFC')
    .replace(/``/g, '“')
    .replace(/''/g, '”')
    .replace(/\\\$/g, DOLLAR)
    .replace(/\\([a-zA-Z]+)(?![a-zA-Z])( ?)/g, (m, name: string, space: string) => {
      const sym = SYMBOLS[name];
      return sym === undefined ? m : sym + (/^[a-z]/.test(sym) ? ' ' : space);
    });
  return collapseWhitespace(plainText(prepared).replace(/\\(?=[\s\d]|$)/g, '')).replaceAll(DOLLAR, '$');
}

// ─── Sentence splitting ──────────────────────────────────────────────────────────────

/** Lower-case words that end with a period without ending a sentence ("et al.", "Fig. 3"). */
const ABBREVIATIONS = new Set([
  'al', 'e.g', 'i.e', 'vs', 'v', 'cf', 'viz', 'avg', 'fig', 'figs', 'eq', 'eqs', 'sec', 'secs', 'tab',
  'ref', 'refs', 'no', 'nos', 'approx', 'resp', 'incl', 'ca', 'dr', 'mr', 'mrs', 'ms', 'prof',
  'st', 'jr', 'inc', 'ltd', 'corp', 'co', 'vol', 'pp', 'ch', 'dept', 'univ', 'est',
]);

/**
 * A boundary is terminal punctuation (plus closing quotes/brackets), whitespace, then
 * something that can open a sentence. Requiring whitespace keeps decimals ("9.0") and
 * versions ("GPT-3.5", "v1.2") whole; the abbreviation check handles the rest.
 */
const BOUNDARY = /([.!?]+)(["'”’)\]]*)\s+(?=["'“‘(\[]?[A-Z0-9])/g;

export function splitSentences(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (const m of text.matchAll(BOUNDARY)) {
    const punct = m[1]!;
    if (punct === '.' && endsWithAbbreviation(text.slice(start, m.index))) continue;
    out.push(text.slice(start, m.index + punct.length + m[2]!.length).trim());
    start = m.index + m[0].length;
  }
  out.push(text.slice(start).trim());
  return out.filter((s) => s.length > 0);
}

function endsWithAbbreviation(before: string): boolean {
  const word = (/(\S+)$/.exec(before)?.[1] ?? '').replace(/^[(\["'“‘]+/, '');
  if (ABBREVIATIONS.has(word.toLowerCase())) return true;
  // Dotted initialisms: "U.S", "e.g", "a.k.a" (the final dot is the one matched).
  if (/^(?:[A-Za-z]\.)+[A-Za-z]$/.test(word)) return true;
  // A lone capital is an initial ("J. Smith"), far more often than a sentence's last word.
  return /^[A-Z]$/.test(word);
}

// ─── Scoring ─────────────────────────────────────────────────────────────────────────

const CONTRIBUTION =
  /\b(?:we|this (?:paper|work|study|report|article)|our work)\s+(?:\w+ly\s+)?(?:(?:first|further|also|then|here|thus|therefore)\s+)?(?:propose|introduce|present|develop|design|build|create|release|construct|devise|unveil|put forward|formulate|establish|contribute|offer|curate|describe)/i;
/** Studies and analyses contribute findings rather than methods: a weaker signal. */
const STUDY =
  /\b(?:we|this (?:paper|work|study|report|article)|our (?:work|paper|study))\s+(?:\w+ly\s+)?(?:examine|investigate|study|explore|analy[sz]e|evaluate|revisit|identify|characteri[sz]e)/i;
const THIS_PAPER = /\b(?:this|the present) (?:paper|work|study|report|article)\b|\bin this (?:paper|work)\b|\bhere,? we\b/i;
const OUR_METHOD = /\bour (?:proposed )?(?:method|approach|framework|model|system|technique|algorithm|pipeline|benchmark|dataset|agent|architecture|recipe)\b/i;
const NAMING = /\b(?:called|dubbed|termed|named|coined)\b/i;
const RESULTS =
  /\b(?:outperform\w*|surpass\w*|achiev\w*|state-of-the-art|sota|improv\w*|speed-?up|faster|results? (?:show|demonstrate)|experiments? (?:show|demonstrate)|we (?:show|find|demonstrate|observe))\b/i;
/** Sentences that set the scene rather than say what the paper does. */
const BACKGROUND_OPENER =
  /^(?:recent(?:ly)?|in recent years|over the past|with the (?:rapid|recent|growing|advent|emergence|rise|development)|despite|although|while|however|nevertheless|existing|current|prior|previous|traditional|conventional)\b/i;
const BACKGROUND =
  /\b(?:ha(?:s|ve) (?:recently )?(?:shown|demonstrated|achieved|made|emerged|gained|attracted|become|seen|garnered|revolutioni[sz]ed|witnessed|exhibited)|(?:remarkable|impressive|significant|rapid|tremendous|substantial|great) (?:progress|success|advances?|advancements?|capabilit(?:y|ies)|attention|performance|potential|strides|interest)|recent (?:advances|advancements|progress|years|developments|breakthroughs|work))\b/i;
const OPEN_PROBLEM = /\bremains? (?:an? )?(?:open|challenging|challenge|difficult|unclear|underexplored|limited)\b/i;
/** Links and release notes: useful in the paper, useless as a summary. */
const AVAILABILITY =
  /https?:\/\/|\bgithub\b|\bavailable at\b|\b(?:publicly|open-?source[sd]?|will be (?:made )?(?:publicly )?(?:available|released))\b|\b(?:code|data|models?|weights|datasets?|benchmarks?|checkpoints?) (?:(?:and|,) \w+ )*(?:is|are|will be) (?:\w+ )?(?:available|released|provided)\b/i;

function scoreSentence(s: string, name: string | null, titleWords: ReadonlySet<string>): number {
  let score = 0;
  if (CONTRIBUTION.test(s)) score += 4;
  else if (STUDY.test(s)) score += 2;
  if (THIS_PAPER.test(s)) score += 1.5;
  if (OUR_METHOD.test(s)) score += 1;
  if (name && containsWord(s, name)) score += 2;
  score += 2 * titleOverlap(s, titleWords);
  if (NAMING.test(s)) score += 1;
  if (RESULTS.test(s)) score += 1;
  if (BACKGROUND_OPENER.test(s)) score -= 2;
  if (BACKGROUND.test(s)) score -= 3;
  if (OPEN_PROBLEM.test(s)) score -= 1.5;
  if (AVAILABILITY.test(s)) score -= 4;
  if (s.endsWith('?')) score -= 1;
  // Short fragments say little; very long ones get cut so hard the point is lost.
  if (s.length < 40) score -= 3;
  else if (s.length > 350) score -= 2;
  else if (s.length > 250) score -= 1;
  return score;
}

/** "EnvHarness" from "EnvHarness: Awakening Static Worlds…": a paper's name for its method. */
export function methodName(title: string): string | null {
  const i = title.indexOf(':');
  if (i <= 0) return null;
  const name = collapseWhitespace(plainText(title.slice(0, i)));
  return name.length >= 2 && name.length <= 40 && name.split(' ').length <= 4 ? name : null;
}

/** Title words worth matching: long enough not to be glue ("with", "from", "via"). */
function contentWords(text: string): Set<string> {
  return new Set(words(text).filter((w) => w.length >= 4 && !GLUE.has(w)));
}

const GLUE = new Set(['with', 'from', 'into', 'over', 'that', 'this', 'their', 'your', 'what', 'when', 'where', 'which', 'towards', 'toward', 'via', 'using', 'through', 'beyond', 'without', 'model', 'models', 'large', 'language']);

/** Lower-case words of already clean text. */
const words = (text: string): string[] => text.toLowerCase().match(/[a-z0-9][a-z0-9-]*/g) ?? [];

/** Share of the title's content words the sentence repeats: sentences about the paper's topic. */
function titleOverlap(s: string, titleWords: ReadonlySet<string>): number {
  if (titleWords.size === 0) return 0;
  const inSentence = new Set(words(s));
  let hits = 0;
  for (const w of titleWords) if (inSentence.has(w)) hits++;
  return hits / titleWords.size;
}

function containsWord(s: string, word: string): boolean {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?:^|[^\\w-])${escaped}(?:$|[^\\w-])`).test(s);
}

// ─── Clean-up ────────────────────────────────────────────────────────────────────────

/** "To address this, we propose X…" → "We propose X…": the lead-in costs room and says nothing. */
const LEAD_IN =
  /^(?:to (?:address|overcome|tackle|solve|bridge|fill|mitigate|alleviate|remedy|resolve|close|handle|fix|this end|that end|do so|this goal)|in this (?:\w+ )?(?:paper|work|study|report|article|survey)|here|in response|motivated by|inspired by|building (?:on|upon)|against this backdrop|in particular|specifically|concretely|therefore|thus|consequently|accordingly|as a result)\b[^,]{0,100},\s+/i;

/** Any short opening clause directly followed by "we …" ("Unlike prior work, we propose…"). */
const CLAUSE_BEFORE_WE = /^[^,]{3,80},\s+(?=we\s)/i;

function dropLeadIn(s: string): string {
  const m = LEAD_IN.exec(s) ?? CLAUSE_BEFORE_WE.exec(s);
  if (!m || s.length - m[0].length < 30) return s;
  const rest = s.slice(m[0].length);
  // Capitalise only plain lower-case words ("we"), never identifiers such as "mT5" or "iPhone".
  return rest.replace(/^([a-z]+)\b/, (w) => w[0]!.toUpperCase() + w.slice(1));
}
