/**
 * `npm start` with no tokens: the real bot process in console mode on an empty data dir,
 * driven through stdin exactly as the README's session shows.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startHfReplayServer } from '../../support/hf-replay-server.js';
import { ROOT, runNode } from '../../support/spawn.js';
import { tempDir } from '../../support/tmp.js';

describe('console bot (npm start without tokens)', () => {
  it('seeds from the sample, searches, bookmarks by reaction, lists bookmarks and posts a digest', async () => {
    const dataDir = tempDir();
    // The live fetch at start goes to a local replay server, which has no list for today.
    const hf = await startHfReplayServer({});
    try {
      const session = ['/papers search sparse attention', 'react 2 🔖', '/papers bookmarks', '/papers digest now', 'react 3 🔖', '/papers bookmarks export bibtex', 'quit'].join('\n');
      const r = await runNode([path.join(ROOT, 'dist/src/main.js')], {
        env: { DATA_DIR: dataDir, FETCH_ON_START: 'true', HF_BASE_URL: hf.url, HF_RETRIES: '0' },
        input: `${session}\n`,
      });
      expect(r.code, r.stderr).toBe(0);
      const out = r.stdout;
      expect(out).toContain('console mode');
      expect(out).toMatch(/seeded from the sample/);

      // Numbered search results, then the second one bookmarked by reaction.
      const search = out.slice(out.indexOf('Search: sparse attention'));
      const second = /\n 2\. (.+?) \((\d{4}\.\d{5})\)/.exec(search);
      expect(second, search.slice(0, 1500)).not.toBeNull();
      expect(out).toContain('Reacted 🔖 to 2.');
      const bookmarks = out.slice(out.indexOf('Your bookmarks (1)'));
      expect(bookmarks).toContain(second![2]);

      // The digest: a header with the day's themes, then numbered papers; reacting works on them too.
      expect(out).toMatch(/━━ Trending papers · Fri,? 21 Aug 2026 ━━/);
      expect(out).toMatch(/Posted 5 papers from Fri,? 21 Aug 2026/);
      expect(out).toContain('Your 2 bookmarks as BibTeX.');
      const bib = fs.readFileSync(path.join(dataDir, 'exports', 'bookmarks.bib'), 'utf8');
      expect(bib.match(/@misc\{/g)).toHaveLength(2);
      expect(bib).toContain(`eprint = {${second![2]}}`);

      // It asked the (local) live API for today, and carried on when there was nothing.
      expect(hf.requests.some((q) => q.path.startsWith('/api/daily_papers'))).toBe(true);
      expect(fs.existsSync(path.join(dataDir, 'papers.sqlite'))).toBe(true);
    } finally {
      await hf.close();
    }
  });

  it('starts offline when the API cannot be reached, and a second start reuses the store', async () => {
    const dataDir = tempDir();
    const env = { DATA_DIR: dataDir, FETCH_ON_START: 'true', HF_BASE_URL: 'http://127.0.0.1:9', HF_RETRIES: '0' };
    const first = await runNode([path.join(ROOT, 'dist/src/main.js')], { env, input: '/papers trending\nquit\n' });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Trending · Fri,? 21 Aug 2026/);
    const second = await runNode([path.join(ROOT, 'dist/src/main.js')], { env, input: 'quit\n' });
    expect(second.code).toBe(0);
    expect(second.stdout).not.toMatch(/seeded from the sample/);
  });

  it('stops at start with the variable name when the configuration is wrong', async () => {
    const r = await runNode([path.join(ROOT, 'dist/src/main.js')], { env: { DATA_DIR: tempDir(), HF_TIMEOUT_MS: 'soon' }, input: 'quit\n' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/HF_TIMEOUT_MS/);
  });
});
