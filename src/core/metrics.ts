/**
 * The Metrics port: what the bot counts, in the domain's words. The Prometheus
 * implementation lives in src/http/prom-metrics.ts; tests and the CLI use `noMetrics`.
 */
import { RateLimitedError } from './errors.js';
import type { ChatPlatform, PaperIndex, Store } from './ports.js';

export type CommandOutcome = 'ok' | 'user_error' | 'refused' | 'error';

export interface Metrics {
  commandDone(command: string, outcome: CommandOutcome, seconds: number): void;
  searchDone(kind: 'search' | 'similar', seconds: number): void;
  messagePosted(platform: string): void;
  rateLimited(platform: string): void;
  bookmarkChanged(change: 'added' | 'removed'): void;
  ingestRun(outcome: 'ok' | 'failed', papersSeen: number): void;
  /** A 401, 403 or 429 from a platform: Discord bans an IP after too many. */
  invalidRequest(platform: string, status: number): void;
  /** The platform's invalid-request breaker opened (stops sending) or closed. */
  circuit(platform: string, open: boolean): void;
  /** An upstream item skipped as bad data; `field` is its path in the item ("paper.upvotes"). */
  itemSkipped(source: string, field: string): void;
}

export const noMetrics: Metrics = {
  commandDone() {},
  searchDone() {},
  messagePosted() {},
  rateLimited() {},
  bookmarkChanged() {},
  ingestRun() {},
  invalidRequest() {},
  circuit() {},
  itemSkipped() {},
};

// ─── Counting decorators: the ports, observed without the callers knowing ─────────────


/** Bookmarks added and removed, whichever path (command, reaction, button) made them. */
export function countingStore(store: Store, metrics: Metrics): Store {
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'addBookmark') {
        return async (...args: Parameters<Store['addBookmark']>) => {
          const added = await target.addBookmark(...args);
          if (added) metrics.bookmarkChanged('added');
          return added;
        };
      }
      if (prop === 'removeBookmark') {
        return async (...args: Parameters<Store['removeBookmark']>) => {
          const removed = await target.removeBookmark(...args);
          if (removed) metrics.bookmarkChanged('removed');
          return removed;
        };
      }
      const v = Reflect.get(target, prop) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/** How long the index takes to answer a search or a similar; `onRefreshed` once it is ready and after each refresh. */
export function timedIndex(index: PaperIndex, metrics: Metrics, onRefreshed: () => void = () => {}): PaperIndex {
  return new Proxy(index, {
    get(target, prop) {
      if (prop === 'refresh' || prop === 'ready') {
        const step = prop;
        return async () => {
          await target[step]();
          onRefreshed();
        };
      }
      if (prop === 'search' || prop === 'similar') {
        const kind = prop;
        return async (...args: [string, ...unknown[]]) => {
          const t0 = performance.now();
          try {
            return await (target[kind] as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          } finally {
            metrics.searchDone(kind, (performance.now() - t0) / 1000);
          }
        };
      }
      const v = Reflect.get(target, prop) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/** Messages posted, and the platform's 429s, as the platform answers them (under the limiter). */
export function countingPlatform(platform: ChatPlatform, metrics: Metrics): ChatPlatform {
  return new Proxy(platform, {
    get(target, prop) {
      if (prop === 'post') {
        return async (...args: Parameters<ChatPlatform['post']>) => {
          try {
            const ref = await target.post(...args);
            metrics.messagePosted(target.name);
            return ref;
          } catch (err) {
            if (err instanceof RateLimitedError) metrics.rateLimited(target.name);
            throw err;
          }
        };
      }
      const v = Reflect.get(target, prop) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
