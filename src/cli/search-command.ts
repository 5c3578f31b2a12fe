import readline from 'node:readline';
import type { CliDeps } from './cli-deps.js';
import { parseDay } from '../core/dates.js';
import { BotError, userMessageOf } from '../core/errors.js';
import type { SearchFilters, SearchOptions } from '../core/ports.js';
import { makeSnippet } from '../search/snippet.js';
import { safe, wrap } from '../platforms/console/render.js';
import { paint } from '../platforms/console/terminal.js';
import { hitJson, note, printJson, println } from './cli-output.js';

export interface SearchCliOptions {
  limit: number;
  json: boolean;
  stdin: boolean;
  from?: string;
  to?: string;
  minUpvotes?: number;
  code?: boolean;
}

async function runOne(core: CliDeps, query: string, opts: SearchOptions): Promise<{ rows: Record<string, unknown>[]; total: number; notice?: string }> {
  const r = await core.index.search(query, opts);
  const papers = new Map((await core.store.getPapers(r.hits.map((h) => h.id))).map((p) => [p.id, p]));
  const rows = r.hits.map((h) => {
    const p = papers.get(h.id);
    return hitJson(h, p, p ? makeSnippet(p.abstract, h.matched.length ? h.matched : r.terms) : '');
  });
  return { rows, total: r.total, ...(r.notice ? { notice: r.notice } : {}) };
}

/** `papers search "<q>"` and `papers search --stdin --json` (one query a line, the index loaded once). */
export async function searchCommand(core: CliDeps, query: string | undefined, o: SearchCliOptions): Promise<void> {
  const filters: SearchFilters = {};
  if (o.from) filters.featuredFrom = parseDay(o.from);
  if (o.to) filters.featuredTo = parseDay(o.to);
  if (o.minUpvotes !== undefined) filters.minUpvotes = o.minUpvotes;
  if (o.code) filters.hasCode = true;
  const opts: SearchOptions = { limit: o.limit, filters };
  await core.index.ready();
  await core.index.refresh();

  if (o.stdin) {
    const rl = readline.createInterface({ input: process.stdin, terminal: false });
    for await (const line of rl) {
      if (!line.trim()) {
        if (o.json) printJson([]);
        continue;
      }
      try {
        const { rows } = await runOne(core, line, opts);
        if (o.json) printJson(rows);
        else println(rows.map((r, i) => `${i + 1}. ${String(r.id)}  ${safe(String(r.title))}`).join('\n') + '\n');
      } catch (err) {
        // One bad line must not end the stream: an empty array keeps lines aligned.
        if (!(err instanceof BotError)) throw err;
        note(`"${line.slice(0, 60)}": ${userMessageOf(err)}`);
        if (o.json) printJson([]);
      }
    }
    return;
  }

  const { rows, total, notice } = await runOne(core, query ?? '', opts);
  if (o.json) return printJson(rows);
  if (notice) note(`(${notice})`);
  if (!rows.length) return println(`No papers match "${(query ?? '').slice(0, 60)}".`);
  println(`${total.toLocaleString('en-US')} match${total === 1 ? '' : 'es'}; best ${rows.length}:`);
  rows.forEach((r, i) => {
    const head = `${String(i + 1).padStart(2)}. ${String(r.id)}  `;
    const line = `${String(r.title)}  (score ${String(r.score)}${r.upvotes !== null ? `, ▲ ${String(r.upvotes)}` : ''})`;
    println(wrap(line, '', core.style.width - head.length).map((l, j) => (j === 0 ? head : ' '.repeat(head.length)) + paint(core.style, 'bold', l)).join('\n'));
    if (r.snippet) println(wrap(String(r.snippet), ' '.repeat(head.length), core.style.width).join('\n'));
  });
}
