/**
 * `npm start` with no tokens: the real bot process in console mode on an empty data dir,
 * driven through stdin exactly as the README's session shows.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startHfReplayServer } from '../../support/hf-replay-server.js';
import { startTestRedis, type TestRedis } from '../../support/redis.js';
import { ROOT, runNode, startSession } from '../../support/spawn.js';
import { tempDir } from '../../support/tmp.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});

describe('console bot (npm start without tokens)', () => {
  it('seeds from the sample, searches, bookmarks by reaction, lists bookmarks and posts a digest', async () => {
    const dataDir = tempDir();
    // The live fetch at start goes to a local replay server, which has no list for today.
    const hf = await startHfReplayServer({});
    const bot = startSession([path.join(ROOT, 'dist/src/app/main.js')], { DATA_DIR: dataDir, FETCH_ON_START: 'true', HF_BASE_URL: hf.url, HF_RETRIES: '0', REDIS_URL: redis.url });
    try {
      await bot.waitFor(/console mode[\s\S]*seeded from the sample/);

      // Numbered search results, then the second one bookmarked by reaction.
      let at = bot.mark();
      bot.type('/papers search sparse attention');
      const search = await bot.waitFor(/Type "react <number> 🔖"/, { since: at });
      expect(search).toContain('Search: sparse attention');
      const second = /\n 2\. ([\s\S]+?) \((\d{4}\.\d{5})\)/.exec(search);
      expect(second, search.slice(0, 1500)).not.toBeNull();
      bot.type('react 2 🔖');
      await bot.waitFor(/Reacted 🔖 to 2: Saved "[^"]+"\s+to your\s+bookmarks\./, { since: at });
      // Again: it says so, naming the paper; any other emoji does nothing and says why.
      at = bot.mark();
      bot.type('react 2 🔖');
      await bot.waitFor(/Reacted 🔖 to 2: "[^"]+"\s+is already in\s+your bookmarks\./, { since: at });
      bot.type('react 2 👍');
      await bot.waitFor(/Only 🔖 does something here/, { since: at });
      bot.type('frobnicate the widgets');
      const unknown = await bot.waitFor(/"frobnicate" is not a command here\. Type "help" for the list, or "search\s+frobnicate the widgets" to search for it\./, { since: at });
      expect(unknown).not.toContain('/papers search <query>'); // not the whole help
      at = bot.mark();
      bot.type('/papers bookmarks');
      expect(await bot.waitFor(/Your bookmarks \(1\)[\s\S]*Type "react/, { since: at })).toContain(second![2]);

      // The digest goes through the queue and a worker: a header with the day's themes,
      // then numbered papers, which take reactions too.
      at = bot.mark();
      bot.type('/papers digest now');
      await bot.waitFor(/Posting 5 papers from Fri,? 21 Aug 2026/, { since: at });
      // The fifth paper printed down to its links line.
      const digest = await bot.waitFor(/━━ Trending papers · Fri,? 21 Aug 2026 ━━[\s\S]*\n 5\. [\s\S]*?arxiv\.org\/pdf/, { since: at });
      const third = /\n 3\. [\s\S]+? \((\d{4}\.\d{5})\)/.exec(digest.slice(digest.indexOf('━━')));
      bot.type('react 3 🔖');
      await bot.waitFor(/Reacted 🔖 to 3: Saved/, { since: at });
      at = bot.mark();
      bot.type('/papers bookmarks export bibtex');
      await bot.waitFor(/Your 2 bookmarks as BibTeX\.\nWritten to /, { since: at });
      const bib = fs.readFileSync(path.join(dataDir, 'exports', 'bookmarks.bib'), 'utf8');
      expect(bib.match(/@misc\{/g)).toHaveLength(2);
      expect(bib).toContain(`eprint = {${second![2]}}`);
      expect(bib).toContain(`eprint = {${third![1]}}`);

      // It asked the (local) live API for today, and carried on when there was nothing.
      expect(hf.requests.some((q) => q.path.startsWith('/api/daily_papers'))).toBe(true);
      bot.type('quit');
      expect(await bot.end()).toBe(0);
      expect(fs.existsSync(path.join(dataDir, 'papers.sqlite'))).toBe(true);
    } finally {
      await bot.end();
      await hf.close();
    }
  });

  it('starts offline when the API cannot be reached, and a second start reuses the store', async () => {
    const dataDir = tempDir();
    const env = { DATA_DIR: dataDir, FETCH_ON_START: 'true', HF_BASE_URL: 'http://127.0.0.1:9', HF_RETRIES: '0', REDIS_URL: redis.url };
    const first = await runNode([path.join(ROOT, 'dist/src/app/main.js')], { env, input: '/papers trending\nquit\n' });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Trending · Fri,? 21 Aug 2026/);
    const second = await runNode([path.join(ROOT, 'dist/src/app/main.js')], { env, input: 'quit\n' });
    expect(second.code).toBe(0);
    expect(second.stdout).not.toMatch(/seeded from the sample/);
  });

  it('stops at start with the variable name when the configuration is wrong', async () => {
    const r = await runNode([path.join(ROOT, 'dist/src/app/main.js')], { env: { DATA_DIR: tempDir(), HF_TIMEOUT_MS: 'soon' }, input: 'quit\n' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/HF_TIMEOUT_MS/);
  });
});
