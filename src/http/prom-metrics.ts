/**
 * The Metrics port in Prometheus form (prom-client), plus gauges read at scrape time:
 * the index's size and age, and the job queues' counts by state. One registry per
 * process, so tests can run several side by side.
 */
import client from 'prom-client';
import type { CommandOutcome, Metrics } from '../core/metrics.js';

export interface ScrapeSources {
  /** Papers in the search index and when it last changed (ms since the epoch), if known. */
  index?: () => { docs: number; updatedAt: number | null };
  /** Job counts by queue and state (BullMQ getJobCounts), read at each scrape. */
  jobCounts?: () => Promise<{ queue: string; counts: Record<string, number> }[]>;
}

export class PromMetrics implements Metrics {
  readonly registry = new client.Registry();
  private readonly commands: client.Counter<'command' | 'outcome'>;
  private readonly commandSeconds: client.Histogram<'command'>;
  private readonly searchSeconds: client.Histogram<'kind'>;
  private readonly posted: client.Counter<'platform'>;
  private readonly limited: client.Counter<'platform'>;
  private readonly bookmarks: client.Counter<'change'>;
  private readonly ingests: client.Counter<'outcome'>;
  private readonly papersSeen: client.Counter;
  private readonly invalid: client.Counter<'platform' | 'status'>;
  private readonly circuitOpen: client.Gauge<'platform'>;
  private readonly skipped: client.Counter<'source' | 'field'>;

  private sources: ScrapeSources;

  constructor(sources: ScrapeSources = {}) {
    this.sources = sources;
    const self = this;
    const registers = [this.registry];
    client.collectDefaultMetrics({ register: this.registry });
    this.commands = new client.Counter({ name: 'papers_commands_total', help: 'Slash commands answered, by command and outcome', labelNames: ['command', 'outcome'], registers });
    this.commandSeconds = new client.Histogram({
      name: 'papers_command_duration_seconds',
      help: 'Time to answer a slash command',
      labelNames: ['command'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.searchSeconds = new client.Histogram({
      name: 'papers_search_duration_seconds',
      help: 'Time the search index took to answer',
      labelNames: ['kind'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    });
    this.posted = new client.Counter({ name: 'papers_messages_posted_total', help: 'Messages the bot posted, by platform', labelNames: ['platform'], registers });
    this.limited = new client.Counter({ name: 'papers_rate_limited_total', help: '429 answers from a platform, by platform', labelNames: ['platform'], registers });
    this.bookmarks = new client.Counter({ name: 'papers_bookmarks_total', help: 'Bookmarks added and removed', labelNames: ['change'], registers });
    this.ingests = new client.Counter({ name: 'papers_ingest_runs_total', help: 'Ingest runs, by outcome', labelNames: ['outcome'], registers });
    this.papersSeen = new client.Counter({ name: 'papers_ingest_papers_seen_total', help: 'Papers fetched by ingest runs', registers });
    this.invalid = new client.Counter({ name: 'papers_invalid_requests_total', help: 'Invalid platform requests (401, 403, 429): Discord bans an IP after 10,000 in 10 minutes', labelNames: ['platform', 'status'], registers });
    this.circuitOpen = new client.Gauge({ name: 'papers_circuit_open', help: '1 while the invalid-request breaker holds all requests back', labelNames: ['platform'], registers });
    this.skipped = new client.Counter({ name: 'papers_ingest_items_skipped_total', help: 'Upstream items skipped as bad data, by source and field', labelNames: ['source', 'field'], registers });
    new client.Gauge({
      name: 'papers_index_documents',
      help: 'Papers in the search index',
      registers,
      collect() {
        const index = self.sources.index;
        if (index) this.set(index().docs);
      },
    });
    new client.Gauge({
      name: 'papers_index_age_seconds',
      help: 'Seconds since the search index last changed',
      registers,
      collect() {
        const at = self.sources.index?.().updatedAt;
        if (at) this.set(Math.max(0, (Date.now() - at) / 1000));
      },
    });
    new client.Gauge({
      name: 'papers_jobs',
      help: 'Jobs by queue and state',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        const jobCounts = self.sources.jobCounts;
        if (!jobCounts) return;
        this.reset();
        for (const { queue, counts } of await jobCounts()) for (const [state, n] of Object.entries(counts)) this.set({ queue, state }, n);
      },
    });
  }

  /** What the gauges read at scrape time, once the process has built it. */
  observe(sources: ScrapeSources): void {
    this.sources = { ...this.sources, ...sources };
  }

  commandDone(command: string, outcome: CommandOutcome, seconds: number): void {
    this.commands.inc({ command, outcome });
    this.commandSeconds.observe({ command }, seconds);
  }
  searchDone(kind: 'search' | 'similar', seconds: number): void {
    this.searchSeconds.observe({ kind }, seconds);
  }
  messagePosted(platform: string): void {
    this.posted.inc({ platform });
  }
  rateLimited(platform: string): void {
    this.limited.inc({ platform });
  }
  bookmarkChanged(change: 'added' | 'removed'): void {
    this.bookmarks.inc({ change });
  }
  invalidRequest(platform: string, status: number): void {
    this.invalid.inc({ platform, status: String(status) });
  }
  circuit(platform: string, open: boolean): void {
    this.circuitOpen.set({ platform }, open ? 1 : 0);
  }
  ingestRun(outcome: 'ok' | 'failed', papersSeen: number): void {
    this.ingests.inc({ outcome });
    if (papersSeen) this.papersSeen.inc(papersSeen);
  }

  itemSkipped(source: string, field: string): void {
    // Array indices would make a label per author; the field's shape is what matters.
    this.skipped.inc({ source, field: field.replace(/\[\d+\]/g, '[]') });
  }

  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
