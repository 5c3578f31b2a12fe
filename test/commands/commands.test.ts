/** Every /papers subcommand end to end through the core, on the committed sample (2026-08-10 … 2026-08-21). */
import { beforeEach, describe, expect, it } from 'vitest';
import { consolePlatform } from '../../src/platforms/console/index.js';
import type { PaperListReply, Reply } from '../../src/core/reply.js';
import { CHANNEL, makeHarness, type Harness } from '../support/bot-harness.js';

function list(r: Reply): PaperListReply {
  if (r.kind !== 'papers') throw new Error(`expected a paper list, got ${r.kind}: ${'text' in r ? r.text : ''}`);
  return r;
}
function textOf(r: Reply): string {
  if (r.kind !== 'text') throw new Error(`expected text, got ${r.kind}`);
  return r.text;
}

let h: Harness;
beforeEach(async () => {
  h = await makeHarness();
});

describe('search', () => {
  it('answers with numbered, ranked papers, five to a page, and pages by button id', async () => {
    const r = list(await h.run('search sparse attention'));
    expect(r.papers.map((p) => p.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(r.papers[0]!.title.toLowerCase()).toMatch(/sparse|attention/);
    expect(r.pager!.nextAction).toMatch(/^pg:search:2:/);
    expect(r.pager!.prevAction).toBeUndefined();
    const page2 = list((await h.handlers.action({ ...CHANNEL, id: 'a1', userId: 'u1', actionId: r.pager!.nextAction!, permissions: { manageChannel: false, workspaceAdmin: false } }))!);
    expect(page2.papers[0]!.rank).toBe(6);
    expect(page2.papers.map((p) => p.id)).not.toContain(r.papers[0]!.id);
  });

  it('keeps a long query pageable through a parked pager state', async () => {
    const q = 'reinforcement learning agents reasoning benchmark with verifiable rewards for tool use';
    const r = list(await h.run(`search ${q}`));
    expect(r.pager!.nextAction!.length).toBeLessThanOrEqual(100);
    const again = list((await h.handlers.action({ ...CHANNEL, id: 'a2', userId: 'u1', actionId: r.pager!.nextAction!, permissions: { manageChannel: false, workspaceAdmin: false } }))!);
    expect(again.pager!.page).toBe(2);
  });

  it.each(['title:', 'foo~', '^', '+', '-', '*', 'of the'])('answers %j with a short message, not a stack trace', async (q) => {
    const r = await h.run(`search ${q}`);
    expect(r.kind).toBe('text');
    expect(textOf(r).length).toBeLessThan(200);
    expect(textOf(r)).not.toMatch(/Error|at \w+ \(|lunr/);
  });

  it('survives 6,000 characters of query', async () => {
    const r = await h.run(`search ${'diffusion video generation '.repeat(230)}`);
    expect(['papers', 'text']).toContain(r.kind);
  });

  it('applies filters and says so', async () => {
    const r = list(await h.run('search agents --from 2026-08-20 --to 2026-08-21 --code'));
    expect(r.subheading).toContain('featured 2026-08-20 to 2026-08-21');
    for (const p of r.papers) {
      expect(p.featuredDate! >= '2026-08-20').toBe(true);
      expect(p.links.code).not.toBeNull();
    }
    expect(textOf(await h.run('search agents --from 2026-13-01'))).toMatch(/not a date/);
  });
});

describe('show and similar', () => {
  it('shows a paper by id or URL', async () => {
    const r = await h.run('show https://arxiv.org/abs/2608.19880v2');
    expect(r.kind).toBe('paper');
    if (r.kind === 'paper') {
      expect(r.paper.title).toMatch(/^EnvHarness/);
      expect(r.paper.links.code).toBe('https://github.com/google-research/envharness');
      expect(r.abstract.length).toBeGreaterThan(200);
    }
  });
  it('refuses unknown and malformed ids clearly', async () => {
    expect(textOf(await h.run('show 2101.99999'))).toMatch(/I have not seen paper 2101\.99999/);
    expect(textOf(await h.run('show mamba'))).toMatch(/not an arXiv id/);
  });
  it('finds similar papers, never the paper itself', async () => {
    const r = list(await h.run('similar 2608.19880'));
    expect(r.papers.length).toBeGreaterThan(0);
    expect(r.papers.map((p) => p.id)).not.toContain('2608.19880');
  });
});

describe('trending', () => {
  it("shows today's list ranked by upvotes", async () => {
    const r = list(await h.run('trending'));
    expect(r.heading).toContain('21 Aug 2026');
    const ups = r.papers.map((p) => p.upvotes ?? 0);
    expect([...ups].sort((a, b) => b - a)).toEqual(ups);
    expect(r.papers[0]!.id).toBe('2608.19880');
  });
  it('falls back to the latest list on a weekend and says so', async () => {
    h.clock.set('2026-08-23T10:00:00Z');
    const r = list(await h.run('trending today'));
    expect(r.heading).toContain('21 Aug 2026');
    expect(r.subheading).toMatch(/No list yet/);
  });
  it('covers the week', async () => {
    const r = list(await h.run('trending week --top 25'));
    const all: string[] = [];
    let page: PaperListReply = r;
    for (;;) {
      all.push(...page.papers.map((p) => p.featuredDate!));
      if (!page.pager?.nextAction) break;
      page = list((await h.handlers.action({ ...CHANNEL, id: 'x', userId: 'u1', actionId: page.pager.nextAction, permissions: { manageChannel: false, workspaceAdmin: false } }))!);
    }
    expect(all).toHaveLength(25);
    expect(all.every((d) => d >= '2026-08-15' && d <= '2026-08-21')).toBe(true);
    expect(new Set(all).size).toBeGreaterThan(1);
  });
});

describe('subscriptions', () => {
  it('refuses subscribe, unsubscribe and settings without the permission', async () => {
    for (const c of ['subscribe', 'unsubscribe', 'settings --top 3']) {
      const r = await h.run(c, { permissions: { manageChannel: false } });
      expect(r.kind === 'text' && r.tone).toBe('error');
      expect(textOf(r)).toBe(consolePlatform.permissionRefusal);
    }
    expect(await h.store.getSubscription(CHANNEL)).toBeNull();
  });

  it('subscribes, shows and changes settings, unsubscribes', async () => {
    expect(textOf(await h.run('subscribe --time 08:30 --timezone europe/paris --weekdays mon,wed,fri --top 3'))).toMatch(/^Subscribed: .*08:30 Europe\/Paris, Mon, Wed, Fri, top 3/);
    expect(textOf(await h.run('settings'))).toContain('08:30 Europe/Paris');
    expect(textOf(await h.run('settings --min-upvotes 10 --topic "agents"'))).toContain('at least 10 upvotes, topic "agents"');
    const sub = await h.store.getSubscription(CHANNEL);
    expect(sub).toMatchObject({ hour: 8, minute: 30, timezone: 'Europe/Paris', weekdays: [1, 3, 5], topN: 3, minUpvotes: 10, topic: 'agents' });
    expect(textOf(await h.run('unsubscribe'))).toMatch(/^Unsubscribed/);
    expect(await h.store.getSubscription(CHANNEL)).toBeNull();
  });

  it.each([
    ['subscribe --time 25', /Hour 25 is out of range/],
    ['subscribe --timezone Mars/Olympus', /Unknown timezone/],
    ['subscribe --topic "+"', /search for|words/i],
    ['subscribe --topic "of the"', /common words/],
    ['subscribe --weekdays someday', /not a list of weekdays/],
  ])('refuses %s and stores nothing', async (c, message) => {
    const r = await h.run(c);
    expect(r.kind === 'text' && r.tone).toBe('error');
    expect(textOf(r)).toMatch(message);
    expect(await h.store.getSubscription(CHANNEL)).toBeNull();
  });
});

describe('digest now, reactions and bookmarks', () => {
  it('posts a header and the top papers, then bookmarks by 🔖 reaction', async () => {
    expect(textOf(await h.run('digest now'))).toMatch(/^Posted 5 papers from Fri,? 21 Aug 2026/);
    const [header, ...papers] = h.platform.posts;
    expect(header!.message.kind).toBe('digestHeader');
    expect(papers).toHaveLength(5);
    expect(h.platform.hints).toHaveLength(5);

    await h.react(papers[1]!.messageId);
    await h.react(header!.messageId); // not a paper: ignored
    await h.react(papers[2]!.messageId, { emoji: '👍' }); // other emoji: ignored
    await h.react(papers[3]!.messageId, { byBot: true }); // the bot's own hint: ignored
    const marks = await h.store.listBookmarks('console', 'u1');
    const second = papers[1]!.message.kind === 'digestPaper' ? papers[1]!.message.paper.id : '';
    expect(marks.map((b) => b.paperId)).toEqual([second]);

    const listed = list(await h.run('bookmarks'));
    expect(listed.papers.map((p) => p.id)).toEqual([second]);

    await h.react(papers[1]!.messageId, { added: false });
    expect(await h.store.listBookmarks('console', 'u1')).toEqual([]);
  });

  it('a second digest now posts the day’s leftovers, never a paper twice', async () => {
    await h.run('digest now');
    await h.run('digest now');
    const ids = h.platform.posts.flatMap((p) => (p.message.kind === 'digestPaper' ? [p.message.paper.id] : []));
    expect(ids).toHaveLength(10);
    expect(new Set(ids).size).toBe(10);
  });

  it('previews privately without posting', async () => {
    const r = list(await h.run('digest preview'));
    expect(r.papers).toHaveLength(5);
    expect(h.platform.posts).toHaveLength(0);
  });

  it('exports and removes bookmarks', async () => {
    for (const id of ['2608.19880', '2608.16590']) {
      await h.handlers.action({ ...CHANNEL, id: 'b', userId: 'u1', actionId: `bm:${id}`, permissions: { manageChannel: false, workspaceAdmin: false } });
    }
    const bib = await h.run('bookmarks export bibtex');
    expect(bib.kind).toBe('file');
    if (bib.kind === 'file') {
      expect(bib.filename).toBe('bookmarks.bib');
      expect(bib.content.match(/@misc\{/g)).toHaveLength(2);
    }
    const md = await h.run('bookmarks export markdown');
    expect(md.kind === 'file' && md.content).toContain('https://arxiv.org/abs/2608.19880');
    expect(textOf(await h.run('bookmarks remove 1'))).toMatch(/^Removed/);
    expect(await h.store.listBookmarks('console', 'u1')).toHaveLength(1);
    expect(textOf(await h.run('bookmarks remove 2101.00001'))).toMatch(/not in your bookmarks/);
  });
});

describe('help', () => {
  it('lists every command and explains an unknown one', async () => {
    const r = await h.run('');
    expect(r.kind).toBe('help');
    if (r.kind === 'help') expect(r.commands.map((c) => c.usage.split(' ')[1])).toEqual(['search', 'trending', 'show', 'similar', 'subscribe', 'unsubscribe', 'settings', 'bookmarks', 'follow', 'following', 'unfollow', 'inbox', 'digest', 'forget-me', 'help']);
    const unknown = await h.run('frobnicate');
    expect(unknown.kind === 'help' && unknown.intro).toMatch(/^"frobnicate" is not a command/);
  });
});
