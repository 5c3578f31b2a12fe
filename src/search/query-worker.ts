/**
 * worker_threads entry for searching: a SearchHost behind messages. The index segments
 * arrive as SharedArrayBuffers (every search worker reads the same memory); requests are
 * answered one at a time, in order.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { parentPort, type MessagePort } from 'node:worker_threads';
import type { SearchOptions } from '../core/ports.js';
import { parseQuery, type ParsedQuery } from './query.js';
import { SearchHost, type GenPayload } from './search-host.js';
import type { MetaPatch } from './corpus-docs.js';

export type QueryRequest =
  | { type: 'attach'; id: number; gen: number; payload: GenPayload }
  | { type: 'drop'; id: number; gen: number }
  | { type: 'meta'; id: number; patches: MetaPatch[] }
  | { type: 'search'; id: number; gen: number; parsed: ParsedQuery; opts: SearchOptions }
  | { type: 'similar'; id: number; gen: number; docId: string; parsed: ParsedQuery | null; opts: SearchOptions }
  | { type: 'memory'; id: number };

export type QueryReply = { type: 'ok'; id: number; value: unknown } | { type: 'fail'; id: number; message: string };

/** One thread's memory, as the thread itself sees it. */
export interface ThreadMemory {
  heapUsed: number;
  heapTotal: number;
  external: number;
}

export function threadMemory(): ThreadMemory {
  const h = v8.getHeapStatistics();
  return { heapUsed: h.used_heap_size, heapTotal: h.total_heap_size, external: h.external_memory };
}

/**
 * A new worker's first index is searched with these before the worker says it holds it, so
 * the JIT has compiled the search paths before people need them: cold, the first queries
 * after a load took 40-90 ms at 80k papers (p99 over the first 3 s), warm 3-8 ms. Bounded
 * in time (start to first answer grows by at most warmUpBudgetMs). Nothing runs after it:
 * a warm-up query between real ones made the real one behind it wait (p99 35-70 ms).
 */
const WARM_UP = [
  // First the kinds that are slowest cold (a fuzzy term walks the vocabulary trie, which is
  // built lazily; wildcards, fields, phrases, long descriptions), then plain ones.
  'transformr~1', 'diffu*', 'author:wang', 'title:model', '"large language" model', 'reasoning -vision', '+language model',
  'a diffusion model that turns one photo into a rotating 3d object with consistent views',
  'reward model trained on human preferences to make a chatbot safer without losing helpfulness',
  'model', 'learning', 'large language model', 'neural network training data', 'image generation benchmark',
  'video diffusion', 'reinforcement learning agents', 'efficient attention', 'robot', 'survey', 'speech',
  'graph neural networks', 'vision language model evaluation', 'data', 'multimodal reasoning benchmark', 'text to video',
  'long context', 'retrieval', 'code', 'alignment with human feedback', 'small models distillation', 'sparse mixture',
];
/** Passes over WARM_UP (with different pages): V8 optimises a function after many calls. */
const WARM_UP_ROUNDS = 4;
/**
 * Time the first warm-up may take before the worker answers, by corpus size: the first
 * answer after a start stays within ~0.5 s at 9.6k papers and ~2 s at 80k (issue 6).
 */
const warmUpBudgetMs = (docs: number) => Math.max(100, Math.min(600, (docs / 1000) * 7));

function warmUpStep(host: SearchHost, gen: number, i: number): void {
  try {
    const round = Math.floor(i / WARM_UP.length);
    host.search(gen, parseQuery(WARM_UP[i % WARM_UP.length]!), { limit: round % 2 ? 5 : 10, offset: round * 5 });
  } catch {
    // nothing to warm with this word
  }
}

function warmUp(host: SearchHost, gen: number): void {
  const total = WARM_UP.length * WARM_UP_ROUNDS;
  const started = performance.now();
  const budget = warmUpBudgetMs(host.docCount(gen));
  for (let i = 0; i < total && performance.now() - started < budget; i++) warmUpStep(host, gen, i);
}

/**
 * A dropped segment's shared memory is freed only once every thread that held it has
 * collected its garbage, and a search worker allocates so little that its next collection
 * can be days away: after a rebuild at 80k papers the old 148 MB segment stayed resident.
 * So a worker that let go of a large segment collects at once (a few ms on its small heap).
 * V8 exposes gc() only behind a flag; setting it here affects nothing else.
 */
const RELEASE_AT_BYTES = 8 * 1024 * 1024;
let gcFn: (() => void) | null = null;
function collectGarbage(): void {
  try {
    if (!gcFn) {
      v8.setFlagsFromString('--expose-gc');
      gcFn = vm.runInNewContext('gc') as () => void;
    }
    gcFn();
  } catch {
    // no gc(): the memory goes at the worker's next collection
  }
}

const port = parentPort as MessagePort | null;
if (port) {
  const host = new SearchHost();
  let warmed = false;
  const reply = (msg: QueryReply) => port.postMessage(msg);
  port.on('message', (msg: QueryRequest) => {
    const { id } = msg;
    try {
      switch (msg.type) {
        case 'attach':
          host.attach(msg.gen, msg.payload);
          if (!warmed) {
            warmed = true;
            warmUp(host, msg.gen);
          }
          return reply({ type: 'ok', id, value: null });
        case 'drop':
          if (host.drop(msg.gen) >= RELEASE_AT_BYTES) setImmediate(collectGarbage);
          return reply({ type: 'ok', id, value: null });
        case 'meta':
          host.meta(msg.patches);
          return reply({ type: 'ok', id, value: null });
        case 'search':
          return reply({ type: 'ok', id, value: host.search(msg.gen, msg.parsed, msg.opts) });
        case 'similar':
          return reply({ type: 'ok', id, value: host.similar(msg.gen, msg.docId, msg.parsed, msg.opts) });
        case 'memory':
          return reply({ type: 'ok', id, value: threadMemory() });
      }
    } catch (err) {
      reply({ type: 'fail', id, message: String((err as Error)?.stack ?? err) });
    }
  });
}
