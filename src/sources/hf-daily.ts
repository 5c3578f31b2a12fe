/**
 * The Hugging Face Daily Papers API as a PaperSource:
 * `GET {baseUrl}/api/daily_papers?date=YYYY-MM-DD&limit=N&p=K`. The base URL is
 * configurable so tests and offline runs point it at test/support/hf-replay-server.ts.
 */
import type { Metrics } from '../core/metrics.js';
import { normalizeHfDaySkippingBad } from '../core/normalize/hf.js';
import { mergeBatch, type Paper } from '../core/paper.js';
import type { Logger, PaperSource } from '../core/ports.js';
import { checkDay, dayRange } from './day-range.js';
import { fetchJson } from './http.js';

export interface HfDailyOptions {
  baseUrl: string;
  timeoutMs: number;
  retries: number;
  /** Items per request; a full page means there may be another. */
  pageSize: number;
  log?: Logger;
  /** Counts the items skipped as bad. */
  metrics?: Metrics;
  /** Injected by tests so waits are recorded, not slept. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  maxRetryWaitMs?: number;
}

/** A server that ignores `p` would page forever; no real day has come close to this. */
const MAX_PAGES = 20;

export class HfDailySource implements PaperSource {
  readonly name = 'hf';
  private readonly opts: HfDailyOptions;

  constructor(opts: HfDailyOptions) {
    this.opts = { ...opts, baseUrl: opts.baseUrl.replace(/\/+$/, '') };
  }

  async fetchDay(date: string, signal?: AbortSignal): Promise<Paper[]> {
    checkDay(date);
    const { pageSize, log, metrics } = this.opts;
    const pages: Paper[][] = [];
    let previousIds = '';
    for (let p = 0; p < MAX_PAGES; p++) {
      const what = p ? `${date} (page ${p + 1})` : date;
      const body = await this.get(date, p, what, signal);
      const { papers, skipped } = normalizeHfDaySkippingBad(body, { date, where: `Hugging Face response for ${what}` });
      for (const { index, id, field, problem } of skipped) {
        log?.warn({ date, page: p, item: index, id, field, problem }, 'Hugging Face item skipped: bad data');
        metrics?.itemSkipped(this.name, field);
      }
      const ids = papers.map((x) => x.id).join(',');
      if (papers.length && ids === previousIds) {
        log?.warn({ date, page: p }, 'Hugging Face repeated a page (paging ignored?); stopping');
        break;
      }
      pages.push(papers);
      previousIds = ids;
      // The normaliser validated that the body is an array; its raw length decides paging.
      if ((body as unknown[]).length < pageSize) return merged(pages);
    }
    if (pages.length === MAX_PAGES) log?.warn({ date, pages: MAX_PAGES }, 'Hugging Face paging stopped at the page limit');
    return merged(pages);
  }

  fetchRange(from: string, to: string, signal?: AbortSignal): AsyncIterable<{ date: string; papers: Paper[] }> {
    return dayRange(from, to, (date, sig) => this.fetchDay(date, sig), signal);
  }

  private get(date: string, page: number, what: string, signal: AbortSignal | undefined): Promise<unknown> {
    const { baseUrl, timeoutMs, retries, pageSize, log, sleep, random, maxRetryWaitMs } = this.opts;
    const query = new URLSearchParams({ date, limit: String(pageSize), p: String(page) });
    return fetchJson(`${baseUrl}/api/daily_papers?${query}`, {
      label: 'Hugging Face',
      what,
      timeoutMs,
      retries,
      maxRetryWaitMs,
      signal,
      log,
      sleep,
      random,
    });
  }
}


function merged(pages: Paper[][]): Paper[] {
  return [...mergeBatch(pages.flat()).values()];
}
