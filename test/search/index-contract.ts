/**
 * The PaperIndex port's contract: every backend runs this same suite (see
 * index-inthread.contract.test.ts, index-pooled.contract.test.ts). What the bot relies on
 * from `search`, `similar`, `updateMeta`, `refresh`, `stats` and `close` belongs here, not
 * in one backend's own tests, so a backend that answers differently fails here.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BotError, NotFoundError, UserInputError } from '../../src/core/errors.js';
import type { IndexDoc, PaperIndex, SearchFilters, SearchResult } from '../../src/core/ports.js';
import type { DocFeed } from '../../src/search/doc-feed.js';
import { smallDocs } from './fixture.js';

/** An in-memory store view: its revision is bumped by hand when the docs change. */
export class ContractFeed implements DocFeed {
  rev = 1;
  /** Full reads of the feed, i.e. builds (a metadata update must not cause one). */
  pageCalls = 0;

  constructor(public docs: IndexDoc[]) {}

  async revision(): Promise<number> {
    return this.rev;
  }

  async *pages(pageSize = 500): AsyncIterable<IndexDoc[]> {
    this.pageCalls++;
    for (let i = 0; i < this.docs.length; i += pageSize) yield this.docs.slice(i, i + pageSize);
  }

  async get(id: string): Promise<IndexDoc | null> {
    return this.docs.find((d) => d.id === id) ?? null;
  }
}

/** A real paper of the fixture with a title no other paper shares. */
const KNOWN_ID = '2405.16537';
const KNOWN_TITLE = 'I2VEdit: First-Frame-Guided Video Editing via Image-to-Video Diffusion Models';

/** Not in the fixture; its made-up word matches nothing else. */
const NEW_DOC: IndexDoc = {
  id: '2699.00001',
  title: 'Zyxwvutian Networks for Everything',
  abstract: 'We introduce zyxwvutian networks.',
  authors: ['Test Author'],
  keywords: ['zyxwvutian'],
  featuredDates: ['2026-09-01'],
  upvotes: 5,
  hasCode: true,
};

/** A query many fixture papers match, across days, upvotes and code/no code. */
const BROAD = 'diffusion';

/** Text a user may type that is not valid query syntax, or is merely unusual. */
const USER_TEXT = [
  'title:',
  'author:',
  '+',
  '-',
  '*',
  '^',
  '~',
  ':',
  '"unclosed',
  'title:"unclosed quote',
  'video^',
  'video~',
  '+-*',
  'title:title:video',
  '((video)',
  '\\',
  '\u0000',
  '🤖 diffusion',
  'x'.repeat(5000),
  'video diffusion '.repeat(313), // 5,008 characters of real words
];

/**
 * `open` builds an index over `feed`; the contract closes it. `ready()` is called by the
 * tests that need it; the others rely on the port building lazily on first use.
 */
export function indexContract(name: string, open: (feed: DocFeed) => PaperIndex): void {
  describe(`PaperIndex contract: ${name}`, () => {
    const opened: PaperIndex[] = [];
    const make = (feed: DocFeed = new ContractFeed(smallDocs())): PaperIndex => {
      const idx = open(feed);
      opened.push(idx);
      return idx;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((i) => i.close()));
    });

    /** Every hit of `q` (pages of 100, the port's maximum), in order, and the totals seen. */
    async function allHits(idx: PaperIndex, q: string, filters?: SearchFilters): Promise<{ ids: string[]; totals: number[] }> {
      const ids: string[] = [];
      const totals: number[] = [];
      for (let offset = 0; ; offset += 100) {
        const r = await idx.search(q, { limit: 100, offset, filters });
        totals.push(r.total);
        ids.push(...r.hits.map((h) => h.id));
        if (r.hits.length < 100 || ids.length >= r.total) break;
      }
      return { ids, totals };
    }

    it('finds a known paper by its exact title, first, once ready', async () => {
      const feed = new ContractFeed(smallDocs());
      const idx = make(feed);
      await idx.ready();
      const r = await idx.search(KNOWN_TITLE);
      expect(r.hits[0]?.id).toBe(KNOWN_ID);
      expect(r.total).toBeGreaterThanOrEqual(1);
      expect(r.terms.length).toBeGreaterThan(0);
      expect(r.hits[0]!.matched.length).toBeGreaterThan(0);
    });

    it('never throws a raw error on user text: a result, or a UserInputError with a message', async () => {
      const idx = make();
      await idx.ready();
      for (const q of USER_TEXT) {
        const outcome = await idx.search(q).then(
          (r: SearchResult) => ({ ok: true as const, r }),
          (err: unknown) => ({ ok: false as const, err }),
        );
        if (outcome.ok) {
          expect(Array.isArray(outcome.r.hits), q.slice(0, 40)).toBe(true);
          expect(outcome.r.total, q.slice(0, 40)).toBeGreaterThanOrEqual(outcome.r.hits.length);
        } else {
          expect(outcome.err, q.slice(0, 40)).toBeInstanceOf(BotError);
          expect(outcome.err, q.slice(0, 40)).toBeInstanceOf(UserInputError);
          expect((outcome.err as BotError).userMessage, q.slice(0, 40)).toMatch(/\S/);
        }
      }
      // Still answering after all that.
      expect((await idx.search(KNOWN_TITLE)).hits[0]?.id).toBe(KNOWN_ID);
    });

    it('filters exclude exactly the papers that do not match them', async () => {
      const docs = smallDocs();
      const byId = new Map(docs.map((d) => [d.id, d]));
      const idx = make(new ContractFeed(docs));
      const all = await allHits(idx, BROAD);
      expect(all.ids.length).toBeGreaterThan(20);

      const cases: { filters: SearchFilters; keep: (d: IndexDoc) => boolean }[] = [
        { filters: { hasCode: true }, keep: (d) => d.hasCode },
        { filters: { hasCode: false }, keep: (d) => !d.hasCode },
        { filters: { minUpvotes: 10 }, keep: (d) => (d.upvotes ?? 0) >= 10 },
        { filters: { featuredFrom: '2025-06-10', featuredTo: '2025-06-12' }, keep: (d) => d.featuredDates.some((f) => f >= '2025-06-10' && f <= '2025-06-12') },
        { filters: { featuredFrom: '2026-01-01' }, keep: (d) => d.featuredDates.some((f) => f >= '2026-01-01') },
        { filters: { featuredTo: '2024-05-31' }, keep: (d) => d.featuredDates.some((f) => f <= '2024-05-31') },
        {
          filters: { hasCode: true, minUpvotes: 5, featuredFrom: '2025-01-01' },
          keep: (d) => d.hasCode && (d.upvotes ?? 0) >= 5 && d.featuredDates.some((f) => f >= '2025-01-01'),
        },
      ];
      for (const { filters, keep } of cases) {
        const expected = all.ids.filter((id) => keep(byId.get(id)!));
        const got = await allHits(idx, BROAD, filters);
        const label = JSON.stringify(filters);
        // Each filter keeps some papers and drops some, so both directions are tested.
        expect(expected.length, label).toBeGreaterThan(0);
        expect(expected.length, label).toBeLessThan(all.ids.length);
        expect([...got.ids].sort(), label).toEqual([...expected].sort());
        expect(got.totals.every((t) => t === expected.length), label).toBe(true);
      }
    });

    it('pages with limit/offset: disjoint pages, a stable total, the same order as one long page', async () => {
      const idx = make();
      const long = await idx.search(BROAD, { limit: 30 });
      expect(long.hits).toHaveLength(30);
      const pages: SearchResult[] = [];
      for (let offset = 0; offset < 30; offset += 10) pages.push(await idx.search(BROAD, { limit: 10, offset }));
      const pageIds = pages.map((p) => p.hits.map((h) => h.id));
      pageIds.forEach((ids) => expect(ids).toHaveLength(10));
      const flat = pageIds.flat();
      expect(new Set(flat).size).toBe(30);
      expect(flat).toEqual(long.hits.map((h) => h.id));
      expect(pages.map((p) => p.total)).toEqual([long.total, long.total, long.total]);

      // Past the end: no hits, the same total.
      const beyond = await idx.search(BROAD, { limit: 10, offset: long.total });
      expect(beyond.hits).toEqual([]);
      expect(beyond.total).toBe(long.total);
    });

    it('similar(id) leaves the paper itself out and rejects an unknown id with NotFoundError', async () => {
      const idx = make();
      const r = await idx.similar(KNOWN_ID, { limit: 5 });
      expect(r.hits).toHaveLength(5);
      expect(r.hits.map((h) => h.id)).not.toContain(KNOWN_ID);
      expect(new Set(r.hits.map((h) => h.id)).size).toBe(5);
      const err = await idx.similar('0000.00000').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NotFoundError);
      expect((err as NotFoundError).userMessage).toMatch(/\S/);
    });

    it('updateMeta changes upvotes seen by a minUpvotes filter, without a rebuild', async () => {
      const feed = new ContractFeed(smallDocs());
      const idx = make(feed);
      await idx.ready();
      const builds = feed.pageCalls;
      const doc = feed.docs.find((d) => d.id === KNOWN_ID)!;
      const filters = { minUpvotes: 500 };
      expect((await idx.search(KNOWN_TITLE, { filters })).hits).toEqual([]);

      idx.updateMeta([{ ...doc, upvotes: 900 }]);
      const raised = await idx.search(KNOWN_TITLE, { filters });
      expect(raised.hits.map((h) => h.id)).toEqual([KNOWN_ID]);
      expect(raised.total).toBe(1);

      idx.updateMeta([{ ...doc, upvotes: 3 }]);
      expect((await idx.search(KNOWN_TITLE, { filters })).hits).toEqual([]);
      expect(feed.pageCalls).toBe(builds);
    });

    it('refresh() makes a paper added to the feed searchable', async () => {
      const feed = new ContractFeed(smallDocs());
      const idx = make(feed);
      await idx.ready();
      const before = idx.stats();
      expect((await idx.search('zyxwvutian')).hits).toEqual([]);

      feed.docs = [...feed.docs, NEW_DOC];
      feed.rev = 2;
      await idx.refresh();
      expect((await idx.search('zyxwvutian')).hits.map((h) => h.id)).toEqual([NEW_DOC.id]);
      expect(idx.stats()).toMatchObject({ docs: before.docs + 1, revision: 2, building: false });
      // Other papers are still there.
      expect((await idx.search(KNOWN_TITLE)).hits[0]?.id).toBe(KNOWN_ID);
    });

    it('stats() reports the docs indexed and the revision', async () => {
      const feed = new ContractFeed(smallDocs());
      const idx = make(feed);
      await idx.ready();
      expect(idx.stats()).toEqual({ docs: feed.docs.length, revision: 1, building: false });
    });

    it('close() resolves, and is safe to call twice', async () => {
      const idx = make();
      await idx.ready();
      await expect(idx.close()).resolves.toBeUndefined();
      await expect(idx.close()).resolves.toBeUndefined();
    });

    it('close() before any use resolves', async () => {
      const idx = make();
      await expect(idx.close()).resolves.toBeUndefined();
      await expect(idx.close()).resolves.toBeUndefined();
    });
  });
}
