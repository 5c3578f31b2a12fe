/** Counters that move: a command, a search, a bookmark, a post, a 429 — scraped over real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { createHandlers } from '../../src/core/bot.js';
import { RateLimitedError } from '../../src/core/errors.js';
import { countingPlatform, countingStore, timedIndex } from '../../src/core/metrics.js';
import { startHttpSurface, type RunningHttp } from '../../src/http/http-server.js';
import { PromMetrics } from '../../src/http/prom-metrics.js';
import { PLATFORMS } from '../../src/platforms/index.js';
import { SearchService } from '../../src/core/search-service.js';
import { makeSnippet } from '../../src/search/snippet.js';
import { parseCommandLine } from '../../src/core/command-spec/parse-text.js';
import { CHANNEL, makeTestServices } from '../support/bot-harness.js';
import { FakePlatform } from '../support/fakes/platform.js';

let http: RunningHttp;
const metrics = new PromMetrics();
beforeAll(async () => {
  http = await startHttpSurface({ port: 0, host: '127.0.0.1', checks: [], metrics: () => metrics.exposition() });
});
afterAll(() => http.close());

const scrape = async () => (await fetch(`${http.url}/metrics`)).text();
const value = (text: string, series: string) => Number(new RegExp(`^${series.replace(/[{}"]/g, (c) => `\\${c}`)} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);

describe('metrics', () => {
  it('count commands by name and outcome, search latency, bookmarks, posts and 429s', async () => {
    const platform = new FakePlatform();
    const t = await makeTestServices({ platformFor: () => platform });
    const services = { ...t.services, store: countingStore(t.services.store, metrics), index: timedIndex(t.services.index, metrics), metrics };
    services.search = new SearchService({ index: services.index, store: services.store, snippet: makeSnippet });
    const handlers = createHandlers(services, commands, PLATFORMS);
    const run = async (text: string, manageChannel = true) => {
      const { spec, options } = parseCommandLine(text, commands);
      return handlers.command({ ...CHANNEL, id: 'i', userId: 'u1', command: spec.name, options, permissions: { manageChannel, workspaceAdmin: manageChannel } });
    };
    const before = await scrape();
    await run('search sparse attention');
    await run('search +');
    await run('subscribe', false);
    await run('bookmarks export pdf');
    const after = await scrape();
    expect(value(after, 'papers_commands_total{command="search",outcome="ok"}') - value(before, 'papers_commands_total{command="search",outcome="ok"}')).toBe(1);
    expect(value(after, 'papers_commands_total{command="search",outcome="user_error"}')).toBe(1);
    expect(value(after, 'papers_commands_total{command="subscribe",outcome="refused"}')).toBe(1);
    expect(value(after, 'papers_command_duration_seconds_count{command="search"}')).toBe(2);
    expect(value(after, 'papers_search_duration_seconds_count{kind="search"}')).toBeGreaterThanOrEqual(1);

    await services.store.addBookmark({ platform: 'console', userId: 'u1', paperId: (await t.store.listPapers({ limit: 1 }))[0]!.id, createdAt: new Date().toISOString() });
    expect(value(await scrape(), 'papers_bookmarks_total{change="added"}')).toBe(1);

    const counted = countingPlatform(platform, metrics);
    await counted.post(CHANNEL, { kind: 'notice', text: 'hello' });
    platform.post = async () => {
      throw new RateLimitedError(1_000, 'slow down');
    };
    await expect(counted.post(CHANNEL, { kind: 'notice', text: 'again' })).rejects.toBeInstanceOf(RateLimitedError);
    const last = await scrape();
    expect(value(last, `papers_messages_posted_total{platform="${platform.name}"}`)).toBe(1);
    expect(value(last, `papers_rate_limited_total{platform="${platform.name}"}`)).toBe(1);
    await t.index.close();
  });

  it('count skipped upstream items by source and field, indices folded so authors do not each get a label', async () => {
    metrics.itemSkipped('hf', 'paper.upvotes');
    metrics.itemSkipped('hf', 'paper.authors[3].name');
    metrics.itemSkipped('hf', 'paper.authors[17].name');
    const text = await scrape();
    expect(value(text, 'papers_ingest_items_skipped_total{source="hf",field="paper.upvotes"}')).toBe(1);
    expect(text).toMatch(/^papers_ingest_items_skipped_total\{source="hf",field="paper\.authors\[\]\.name"\} 2$/m);
    expect(text).not.toContain('authors[3]');
  });
});
