/**
 * The day's themes for a digest header: a handful of topics several of the day's papers
 * share ("agents", "video generation", "reinforcement learning").
 *
 * Each paper votes once for each topic it carries: its HF AI keywords when it has some,
 * else phrases from its title (2024 days have no keywords). Keywords are folded to one key
 * ("LLM agents" = "LLM-Agents" = "llm agent"), and a keyword's head ("coding agents" →
 * "agents", "multiview-consistent video generation" → "video generation") votes too, since
 * that is how a day's papers resemble each other. Only topics at least two papers share
 * are themes; words every AI paper carries ("large language models", "benchmark") are not.
 */
import { plainText } from '../text.js';

type ThemeSource = { title: string; keywords: readonly string[] };

export function dayThemes(papers: readonly ThemeSource[], max = 3): string[] {
  const chosen: ThemeCandidate[] = [];
  for (const c of themeCandidates(papers)) {
    if (chosen.length >= max) break;
    // "agents" and "LLM agents" are one theme: keep whichever ranked first.
    if (chosen.some((o) => overlaps(o.key, c.key))) continue;
    chosen.push(c);
  }
  return chosen.map((c) => c.theme);
}

export interface ThemeCandidate {
  /** Folded key, e.g. "large language model agent". */
  key: string;
  /** As shown, e.g. "LLM agents". */
  theme: string;
  /** How many papers carry it. */
  papers: number;
}

/** Every topic at least two papers share, strongest first (exposed for tests and tuning). */
export function themeCandidates(papers: readonly ThemeSource[]): ThemeCandidate[] {
  const votes = new Map<string, Candidate>();
  for (const p of papers) {
    const topics = p.keywords.length ? keywordTopics(p.keywords) : titleTopics(p.title);
    for (const t of dedupe(topics)) {
      const c = votes.get(t.key) ?? { key: t.key, papers: 0, original: false, surfaces: new Map<string, number>() };
      c.papers++;
      c.original ||= t.original;
      c.surfaces.set(t.surface, (c.surfaces.get(t.surface) ?? 0) + 1);
      votes.set(t.key, c);
    }
  }
  return [...votes.values()]
    .filter((c) => c.papers >= 2)
    .sort(byStrength)
    .map((c) => ({ key: c.key, theme: display(c), papers: c.papers }));
}

/** "Themes: agents, video generation and reinforcement learning". */
export function themesLine(themes: readonly string[]): string {
  if (themes.length === 0) return 'The most upvoted papers of the day';
  if (themes.length === 1) return `Themes: ${themes[0]}`;
  return `Themes: ${themes.slice(0, -1).join(', ')} and ${themes[themes.length - 1]}`;
}

// ─── Candidates ──────────────────────────────────────────────────────────────────────

interface Topic {
  /** Folded form used for counting. */
  key: string;
  /** As written, for display. */
  surface: string;
  /** A whole keyword or title phrase, rather than a head cut out of a longer one. */
  original: boolean;
}

interface Candidate {
  key: string;
  papers: number;
  original: boolean;
  surfaces: Map<string, number>;
}

/**
 * More papers first; a longer phrase counts a little more (half a paper per extra word),
 * so "video generation" shared by 3 papers beats "video" shared by 3, but "agents" shared
 * by 5 beats "LLM agents" shared by 3.
 */
function byStrength(a: Candidate, b: Candidate): number {
  return (
    strength(b) - strength(a) ||
    Number(b.original) - Number(a.original) ||
    wordCount(b.key) - wordCount(a.key) ||
    (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
  );
}

const strength = (c: Candidate): number => c.papers * (1 + 0.5 * (shownWords(c) - 1));
const wordCount = (key: string): number => key.split(' ').length;
/** Words as written: "LLM agents" is two words, however long its folded key. */
const shownWords = (c: Candidate): number => Math.min(...[...c.surfaces.keys()].map((s) => s.split(/[\s-]+/).length));

/** One key's words appear, in order, inside the other's. */
function overlaps(a: string, b: string): boolean {
  return ` ${a} `.includes(` ${b} `) || ` ${b} `.includes(` ${a} `);
}

function dedupe(topics: Topic[]): Topic[] {
  const seen = new Map<string, Topic>();
  for (const t of topics) if (!seen.has(t.key) || (t.original && !seen.get(t.key)!.original)) seen.set(t.key, t);
  return [...seen.values()];
}

/**
 * The surface most papers used, spelled-out forms before bare acronyms ("reinforcement
 * learning" over "RL"); acronyms and names keep their case, other words go lower case.
 */
function display(c: Candidate): string {
  const acronym = (s: string): number => Number(/^[A-Z0-9]{2,6}s?$/.test(s));
  const [surface] = [...c.surfaces].sort(
    (x, y) => acronym(x[0]) - acronym(y[0]) || y[1] - x[1] || x[0].length - y[0].length || (x[0] < y[0] ? -1 : 1),
  )[0]!;
  return surface
    .split(' ')
    .map((w) => (/^[A-Z][a-z]+(?:-[A-Za-z][a-z]*)*$/.test(w) || /^[a-z]/.test(w) ? w.toLowerCase() : w))
    .join(' ');
}

// ─── From keywords ───────────────────────────────────────────────────────────────────

function keywordTopics(keywords: readonly string[]): Topic[] {
  const out: Topic[] = [];
  for (const raw of keywords) {
    // "Large Language Models (LLMs)" → "Large Language Models".
    const surface = plainText(raw).replace(/\s*\([^)]*\)\s*/g, ' ').replace(/\s+/g, ' ').trim();
    const tokens = surface.split(' ').filter(Boolean);
    if (!tokens.length) continue;
    const key = foldKey(tokens);
    if (key && !isGeneric(key)) out.push({ key, surface: trimSurface(tokens, key), original: true });
    // "agentic" anywhere in a keyword ("long-horizon agentic reasoning") says the paper is about agents.
    for (const w of tokens.flatMap((t) => t.toLowerCase().split('-'))) {
      const noun = ADJECTIVE_DISPLAY[w];
      if (noun) out.push({ key: foldKey([noun]), surface: noun, original: false });
    }
    // Heads: the last word or two, when the phrase is longer. Hyphenated compounds stay
    // whole ("vision-language-action models" has no head "action models").
    for (let n = 1; n <= 2 && n < tokens.length; n++) {
      const head = tokens.slice(-n);
      const headKey = foldKey(head);
      if (!headKey || isGeneric(headKey) || GENERIC_WORDS.has(headKey.split(' ')[0]!)) continue;
      if (n === 1 && GENERIC_HEADS.has(headKey)) continue;
      out.push({ key: headKey, surface: head.join(' '), original: false });
    }
  }
  return out;
}

/** Drops the words folding dropped ("reasoning capabilities" shows as "reasoning"). */
function trimSurface(tokens: readonly string[], key: string): string {
  let n = tokens.length;
  while (n > 1 && foldKey(tokens.slice(0, n - 1)) === key) n--;
  return tokens.slice(0, n).join(' ');
}

// ─── From titles ─────────────────────────────────────────────────────────────────────

/**
 * Words and adjacent word pairs of a title, never across punctuation or stop words
 * ("Diffusion Models for Video Generation" → "diffusion", "video", "video generation").
 * A method name before the colon is one paper's own and never reaches two papers.
 */
function titleTopics(title: string): Topic[] {
  const out: Topic[] = [];
  const segments = plainText(title).split(/[:;,.!?()[\]"“”]|\s[-–—]\s|\s/).map((w) => w.trim());
  let run: string[] = [];
  const flush = (): void => {
    run.forEach((w, i) => {
      const key = foldKey([w]);
      // Bare numbers ("5", "2024") are no theme; "3D" and "GPT-5" may be.
      const usable = (key.length >= 3 || /\d/.test(key)) && /[a-z]/.test(key) && !QUALIFIER.test(w) && (!ADJECTIVE.test(key) || NOT_ADJECTIVES.has(key));
      if (usable && !isGeneric(key) && !GENERIC_HEADS.has(key)) {
        out.push({ key, surface: ADJECTIVE_DISPLAY[w.toLowerCase()] ?? w, original: true });
      }
      const next = run[i + 1];
      if (next !== undefined && !GENERIC_WORDS.has(key) && !GENERIC_WORDS.has(foldKey([next]))) {
        const pairKey = foldKey([w, next]);
        if (!isGeneric(pairKey)) out.push({ key: pairKey, surface: `${w} ${next}`, original: true });
      }
    });
    run = [];
  };
  for (const w of segments) {
    if (!w || STOP_WORDS.has(w.toLowerCase()) || !/[a-z0-9]/i.test(w)) flush();
    else run.push(w);
  }
  flush();
  return out;
}

// ─── Folding ─────────────────────────────────────────────────────────────────────────

/** Acronyms folded to what they stand for, so "RL" and "reinforcement learning" are one key. */
const ALIASES: Record<string, string> = {
  llm: 'large language model',
  mllm: 'multimodal large language model',
  vlm: 'vision language model',
  lvlm: 'large vision language model',
  lmm: 'large multimodal model',
  vla: 'vision language action model',
  rl: 'reinforcement learning',
  sft: 'supervised fine tuning',
  moe: 'mixture of expert',
  cot: 'chain of thought',
  rag: 'retrieval augmented generation',
  '3dgs': '3d gaussian splatting',
  t2i: 'text to image',
  t2v: 'text to video',
  dit: 'diffusion transformer',
  // Adjective and noun are one theme: "agentic systems" belong with "agents".
  agentic: 'agent',
};

/** Adjectives that name a theme: they vote for it wherever they appear, and show as it. */
const ADJECTIVE_DISPLAY: Record<string, string> = { agentic: 'agents' };

/** Last words that only qualify the theme before them. */
const VAGUE_TAILS = new Set([
  'capability', 'ability', 'performance', 'quality', 'efficiency', 'mechanism', 'dynamics', 'behavior',
  'benchmark', 'dataset', 'task', 'pattern', 'trace', 'setting', 'scenario', 'problem', 'technique',
  'approach', 'method', 'paradigm', 'skill', 'evaluation',
]);

/**
 * Lower case, hyphens as spaces, each word singular, acronyms expanded, and a vague last
 * word dropped ("reasoning capabilities" and "reasoning traces" are "reasoning").
 */
function foldKey(tokens: readonly string[]): string {
  const words = tokens
    .join(' ')
    .toLowerCase()
    .replace(/[^a-z0-9@+#.\s-]/g, ' ')
    .split(/[\s-]+/)
    .map((w) => w.replace(/^\.+|\.+$/g, ''))
    .filter(Boolean)
    .map((w) => ALIASES[w] ?? ALIASES[singular(w)] ?? singular(w));
  while (words.length > 1 && VAGUE_TAILS.has(words[words.length - 1]!)) words.pop();
  return words.join(' ');
}

const isGeneric = (key: string): boolean => GENERIC_PHRASES.has(key) || GENERIC_WORDS.has(key);

/** Plural → singular for the regular cases keywords use; leaves "physics", "analysis", "lens" alone. */
function singular(w: string): string {
  if (w.length <= 3 || /(?:ss|us|is|ics|ous|ness)$/.test(w) || KEEP_S.has(w)) return w;
  if (/ies$/.test(w)) return `${w.slice(0, -3)}y`;
  if (/(?:ches|shes|sses|xes)$/.test(w)) return w.slice(0, -2);
  if (/s$/.test(w)) return w.slice(0, -1);
  return w;
}

const KEEP_S = new Set(['lens', 'news', 'series', 'species']);

// ─── Word lists ──────────────────────────────────────────────────────────────────────

/** Folded phrases nearly every paper of the field carries: they tell a reader nothing. */
const GENERIC_PHRASES = new Set([
  'large language model', 'language model', 'multimodal large language model', 'vision language model',
  'large vision language model', 'large multimodal model', 'multimodal model', 'foundation model',
  'generative model', 'large reasoning model', 'reasoning model', 'transformer', 'neural network',
  'deep learning', 'machine learning', 'artificial intelligence', 'ai', 'model', 'benchmark', 'dataset',
  'evaluation', 'fine tuning', 'supervised fine tuning', 'pre training', 'pretraining', 'post training',
  'training', 'inference', 'performance', 'efficiency', 'computational efficiency', 'scalability',
  'generalization', 'robustness', 'accuracy', 'state of the art', 'sota', 'baseline', 'ablation',
  'ablation study', 'downstream task', 'zero shot', 'few shot', 'pass@1', 'fid', 'gpt 4o', 'gpt 4',
  'open source', 'latent space', 'hidden state', 'embedding', 'architecture', 'data', 'experiment',
  'token', 'attention', 'attention mechanism', 'large language', 'language', 'framework', 'method',
  'parameter', 'scaling', 'llm based', 'real world', 'high quality', 'human evaluation', 'vision language',
  'domain specific', 'task specific', 'target specific', 'training free', 'plug and play', 'end to end',
  'multimodal', 'visual', 'interactive', 'generative', 'neural', 'controllable', 'diverse', 'long', 'short',
  'reasoning capability', 'experiment', 'compute', 'computational cost', 'gpt', 'llama', 'qwen',
]);

/** Words that head nothing on their own ("generation" in "video generation" is the head, not the theme). */
const GENERIC_HEADS = new Set([
  'generation', 'model', 'learning', 'method', 'framework', 'system', 'task', 'data', 'dataset',
  'benchmark', 'evaluation', 'optimization', 'understanding', 'quality', 'consistency', 'efficiency',
  'representation', 'performance', 'token', 'mechanism', 'knowledge', 'environment', 'state', 'space',
  'network', 'analysis', 'approach', 'technique', 'module', 'pipeline', 'strategy', 'capability',
  'fidelity', 'accuracy', 'estimation', 'prediction', 'reconstruction', 'modeling', 'training', 'tuning',
  'decoding', 'loss', 'objective', 'function', 'reward', 'score', 'metric', 'test', 'setting', 'scenario',
  'problem', 'application', 'feature', 'layer', 'head', 'step', 'process', 'signal', 'behavior',
  'content', 'information', 'structure', 'control', 'design', 'alignment', 'synthesis', 'editing',
  'inference', 'scaling', 'compression', 'detection', 'coherence', 'ability', 'instruction', 'trajectory',
  'policy', 'level', 'rate', 'size', 'time', 'set', 'tool', 'study', 'survey', 'report', 'paper', 'work',
  'dynamics', 'divergence', 'selection', 'pattern', 'trace', 'capability', 'output', 'input',
  'channel', 'loop', 'matching', 'update', 'action', 'recovery', 'controller', 'reuse', 'management',
]);

/** Words that never start a theme: adjectives of praise, glue, and "model"/"language" fragments. */
const GENERIC_WORDS = new Set([
  'model', 'language', 'large', 'based', 'new', 'novel', 'efficient', 'effective', 'simple', 'scalable',
  'robust', 'unified', 'general', 'generalist', 'better', 'improved', 'improving', 'enhancing', 'enhanced',
  'boosting', 'towards', 'toward', 'via', 'using', 'beyond', 'rethinking', 'revisiting', 'learning',
  'training', 'fast', 'faster', 'open', 'free', 'high', 'low', 'multi', 'one', 'two', 'any', 'all', 'more',
  'less', 'make', 'making', 'can', 'do', 'does', 'is', 'are', 'be', 'it', 'its', 'how', 'what', 'why',
  'when', 'we', 'our', 'you', 'your', 'need', 'good', 'step', 'level', 'end', 'real', 'world', 'first',
  'technical', 'comprehensive', 'systematic', 'principled', 'lightweight', 'strong', 'powerful',
  // Title words: modalities too broad to be a theme, and the verbs titles are made of.
  'foundation', 'vision', 'text', 'image', 'context', 'domain', 'scale', 'accurate', 'automated', 'automatic',
  'offline', 'online', 'improve', 'improving', 'evaluating', 'benchmarking', 'enabling', 'unlocking',
  'unleashing', 'bridging', 'exploring', 'leveraging', 'empowering', 'advancing', 'accelerating', 'building',
  'generating', 'towards', 'aligning', 'understanding', 'scaling', 'teaching', 'learn', 'think', 'thinking',
  'mitigating', 'probing', 'measuring', 'evaluation', 'closer', 'look', 'deep', 'dive', 'matter', 'matters',
  'anything', 'everything', 'consistent', 'grounded', 'see', 'output', 'input', 'multi modal',
  'infinite', 'in context', 'latent',
]);

/** A lone title adjective ("mathematical", "interactive", "scalable") qualifies a theme, it is not one. */
const ADJECTIVE = /^[a-z]+(?:al|ific|ous|ive|able|ible|ly)$/;
/** Nouns the adjective pattern would catch. */
const NOT_ADJECTIVES = new Set(['retrieval', 'signal', 'terminal', 'tutorial', 'animal', 'manual', 'material', 'interval', 'removal', 'survival', 'proposal', 'detective', 'objective', 'narrative']);

/** Hyphenated qualifiers ("transformer-based", "large-scale") are never a theme alone. */
const QUALIFIER = /-(?:based|scale|aware|free|driven|guided|level|like|style|centric|oriented|specific|efficient|grained|resolution|quality|time|shot)$/i;

/** Title glue: splits phrases, never part of one. */
const STOP_WORDS = new Set([
  'a', 'an', 'the', 'and', 'or', 'of', 'for', 'in', 'on', 'at', 'to', 'by', 'with', 'from', 'into', 'onto',
  'over', 'under', 'as', 'via', 'vs', 'is', 'are', 'be', 'can', 'do', 'does', 'not', 'no', 'its', 'it',
  'this', 'that', 'these', 'those', 'your', 'our', 'their', 'through', 'without', 'within', 'across',
  'towards', 'toward', 'beyond', 'using', 'when', 'how', 'what', 'why', 'where', 'which', 'who', 'than',
  'all', 'you', 'we', 'us', 'need', '&',
]);
