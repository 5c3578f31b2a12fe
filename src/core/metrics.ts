/**
 * The Metrics port: what the bot counts, in the domain's words. The Prometheus
 * implementation lives in src/http/prom-metrics.ts; tests and the CLI use `noMetrics`.
 */
export type CommandOutcome = 'ok' | 'user_error' | 'refused' | 'error';

export interface Metrics {
  commandDone(command: string, outcome: CommandOutcome, seconds: number): void;
  searchDone(kind: 'search' | 'similar', seconds: number): void;
  messagePosted(platform: string): void;
  rateLimited(platform: string): void;
  bookmarkChanged(change: 'added' | 'removed'): void;
  ingestRun(outcome: 'ok' | 'failed', papersSeen: number): void;
}

export const noMetrics: Metrics = {
  commandDone() {},
  searchDone() {},
  messagePosted() {},
  rateLimited() {},
  bookmarkChanged() {},
  ingestRun() {},
};
