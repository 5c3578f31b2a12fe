import { describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.js';
import type { Paper } from '../../../src/core/paper.js';
import { text, type HelpReply, type OutboundMessage, type PaperListReply, type Reply } from '../../../src/core/reply.js';
import { toPaperView } from '../../../src/core/views.js';
import { homeView } from '../../../src/platforms/slack/home.js';
import { clipMrkdwn, escapeMrkdwn, fitMrkdwn, LIMITS, postArgs, renderOutbound, renderReply, safeUrl, type Block } from '../../../src/platforms/slack/render.js';
import { convLlava, makePaper } from '../../support/papers.js';
import { linksIn, mentionsIn, validateBlocks, VIEW_LIMITS } from '../../support/slack-standin/index.js';

const paper = convLlava({
  githubStars: 1234,
  organization: 'Alibaba',
});

const EVIL = '<!channel> @here & <@U0BOSS> <https://evil.example|click me> <#C0SECRET> <!subteam^S1> @everyone';
const evilPaper: Paper = makePaper({
  id: '2401.00001',
  title: `Attention ${EVIL}`,
  authors: ['<!here> Mallory', 'Eve & <@U0X>'],
  abstract: `We show ${EVIL} is all you need.`,
  aiSummary: `TL;DR ${EVIL}`,
  organization: '<!everyone> Org',
  keywords: ['<!channel>'],
  githubRepo: 'javascript:alert(1)',
  projectPage: 'https://example.org/a|b<c>',
});

const list = (n: number, p: Paper = paper): PaperListReply => ({
  kind: 'papers',
  heading: 'Search: convllava',
  subheading: `${n} match${n === 1 ? "" : "es"}`,
  papers: Array.from({ length: n }, (_, i) => toPaperView({ ...p, id: `2405.${String(10000 + i)}` }, { rank: i + 1, snippet: 'we propose ConvLLaVA, which employs ConvNeXt' })),
  pager: { command: 'search', args: { query: 'convllava' }, page: 1, pageCount: 2, total: 6, nextAction: 'pg:search:2:{"query":"convllava"}' },
  ephemeral: true,
});

function mrkdwnObjects(v: unknown): Record<string, unknown>[] {
  if (Array.isArray(v)) return v.flatMap(mrkdwnObjects);
  if (!v || typeof v !== 'object') return [];
  const o = v as Record<string, unknown>;
  return [...(o.type === 'mrkdwn' ? [o] : []), ...Object.values(o).flatMap(mrkdwnObjects)];
}

function allBlocksValid(blocks: Block[], limits = { maxBlocks: 50 }): void {
  expect(validateBlocks(blocks, limits)).toEqual([]);
}

describe('Slack renderer', () => {
  it('renders a page of results: linked titles, TL;DR, context, Save/arXiv/PDF/Code buttons, Prev/Next', () => {
    const msg = renderReply(list(1));
    expect(msg).toMatchSnapshot();
    allBlocksValid(msg.blocks);
    const actions = msg.blocks.filter((b) => b.type === 'actions');
    expect(actions.at(-1)).toMatchObject({ elements: [{ action_id: 'pg:search:2:{"query":"convllava"}' }] });
  });

  it('renders digest messages with the key and paper id in message metadata', () => {
    const header: OutboundMessage = { kind: 'digestHeader', date: '2024-05-27', title: 'Trending papers · Mon, 27 May 2024', themesLine: 'Themes: multimodal models, vision encoders', count: 5 };
    const one: OutboundMessage = { kind: 'digestPaper', date: '2024-05-27', paper: toPaperView(paper, { rank: 1 }), position: 1, of: 5 };
    expect(renderOutbound(header)).toMatchSnapshot();
    const args = postArgs('C1', one, 'slack:C1:2024-05-27:2405.15738');
    expect(args).toMatchSnapshot();
    expect(args.metadata).toEqual({ event_type: 'papers_bot_post', event_payload: { key: 'slack:C1:2024-05-27:2405.15738', date: '2024-05-27', paper_id: '2405.15738' } });
    expect(postArgs('C1', header, 'slack:C1:2024-05-27:header').metadata?.event_payload).toEqual({ key: 'slack:C1:2024-05-27:header', date: '2024-05-27' });
    expect(postArgs('C1', { kind: 'notice', text: 'hi' }).metadata).toBeUndefined();
    expect(args).toMatchObject({ unfurl_links: false, unfurl_media: false });
  });

  it('marks an inbox paper with the topic it matched, and renders an alert: a Save button beside each paper', () => {
    const one: OutboundMessage = { kind: 'digestPaper', date: '2024-05-27', paper: toPaperView(paper, { rank: 1 }), position: 1, of: 3, topic: 'vision encoders' };
    const msg = renderOutbound(one);
    allBlocksValid(msg.blocks);
    expect(msg.blocks).toContainEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '_matched: vision encoders_', verbatim: true }] });

    const alert: OutboundMessage = {
      kind: 'alert',
      batch: '2024-05-27T14',
      title: '2 new papers match what you follow',
      items: [
        { paper: toPaperView(paper), topic: 'vision encoder' },
        { paper: toPaperView(makePaper({ id: '2405.00002', upvotes: 3 })), topic: 'author:hinton' },
      ],
    };
    const args = postArgs('DU0ADA', alert, 'slack:alert:U0ADA:2024-05-27T14');
    expect(args).toMatchSnapshot();
    allBlocksValid(args.blocks);
    expect(args.metadata?.event_payload).toEqual({ key: 'slack:alert:U0ADA:2024-05-27T14', date: '2024-05-27T14' });
    const saves = args.blocks.flatMap((b) => (b.type === 'section' && b.accessory?.type === 'button' ? [b.accessory.action_id] : []));
    expect(saves).toEqual(['bm:2405.15738', 'bm:2405.00002']);
    expect(JSON.stringify(args.blocks)).toContain('_matched: author:hinton_');
  });

  it('fits an alert of 40 papers in 50 blocks and counts the rest', () => {
    const items = Array.from({ length: 40 }, (_, i) => ({ paper: toPaperView({ ...paper, id: `2405.${String(10000 + i)}` }), topic: `topic ${i}` }));
    const msg = renderOutbound({ kind: 'alert', batch: 'b', title: 'T'.repeat(400), items });
    allBlocksValid(msg.blocks);
    expect(msg.blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
    expect(JSON.stringify(msg.blocks.at(-1))).toContain('…and 16 more');
  });

  it('puts a reply\'s own buttons (a confirmation) under it', () => {
    const msg = renderReply({ ...text('Delete everything I hold about you?', 'warning'), buttons: [{ label: 'Yes, forget me', actionId: 'fm:yes:U0ADA', style: 'danger' }, { label: 'Cancel', actionId: 'fm:no', style: 'secondary' }] });
    allBlocksValid(msg.blocks);
    expect(msg.blocks[1]).toEqual({
      type: 'actions',
      elements: [
        { type: 'button', text: { type: 'plain_text', text: 'Yes, forget me', emoji: true }, action_id: 'fm:yes:U0ADA', style: 'danger' },
        { type: 'button', text: { type: 'plain_text', text: 'Cancel', emoji: true }, action_id: 'fm:no' },
      ],
    });
    expect(renderReply(text('none')).blocks).toHaveLength(1);
  });

  it('renders a paper, help and text replies', () => {
    expect(renderReply({ kind: 'paper', paper: toPaperView(paper), abstract: paper.abstract, ephemeral: true })).toMatchSnapshot();
    expect(renderReply(text('Saved.', 'success'))).toMatchSnapshot();
    expect(renderReply(text('Unknown timezone "Mars/X".', 'error')).blocks[0]).toMatchObject({ type: 'section', text: { text: '❌ Unknown timezone "Mars/X".' } });
    const help: HelpReply = { kind: 'help', intro: 'I answer these commands:', commands: [{ usage: '/papers search <query>', description: 'Search' }], footer: 'React with 🔖.', ephemeral: true };
    expect(renderReply(help)).toMatchSnapshot();
  });

  it('escapes everything a paper or user wrote: no mention, no channel link, no link it did not have', () => {
    const view = toPaperView(evilPaper, { rank: 1, snippet: EVIL });
    const replies: Reply[] = [
      { kind: 'papers', heading: `Search: ${EVIL}`, subheading: EVIL, notice: EVIL, papers: [view], ephemeral: true },
      { kind: 'paper', paper: view, abstract: evilPaper.abstract, ephemeral: true },
      text(`No papers match "${EVIL}".`),
      { kind: 'help', intro: EVIL, commands: [{ usage: EVIL, description: EVIL }], footer: EVIL, ephemeral: true },
      { kind: 'file', filename: 'x.bib', mimeType: 'text/plain', content: EVIL, text: EVIL, ephemeral: true },
    ];
    const outbound: OutboundMessage[] = [
      { kind: 'digestHeader', date: '2024-01-02', title: EVIL, themesLine: EVIL, count: 1 },
      { kind: 'digestPaper', date: '2024-01-02', paper: view, position: 1, of: 1, topic: EVIL },
      { kind: 'notice', text: EVIL },
    ];
    const msgs = [...replies.map((r) => renderReply(r)), ...outbound.map((m) => postArgs('C1', m, 'k'))];
    for (const m of msgs) {
      expect(mentionsIn(m)).toEqual([]);
      for (const l of linksIn(m)) expect(l).toMatch(/^https:\/\/arxiv\.org\/abs\/2401\.00001$/);
      expect(JSON.stringify(m)).not.toContain('javascript:');
      allBlocksValid(m.blocks);
      // Every mrkdwn object is verbatim, so Slack auto-parses nothing.
      expect(mrkdwnObjects(m.blocks).every((o) => o.verbatim === true)).toBe(true);
    }
    const alert = postArgs('D1', { kind: 'alert', batch: 'b', title: EVIL, items: [{ paper: view, topic: EVIL }] }, 'k');
    expect(mentionsIn(alert)).toEqual([]);
    for (const l of linksIn(alert)) expect(l).toMatch(/^https:\/\/(arxiv\.org\/(abs|pdf)|huggingface\.co\/papers)\/2401\.00001$/);
    expect(mrkdwnObjects(alert.blocks).every((o) => o.verbatim === true)).toBe(true);
    allBlocksValid(alert.blocks);
    const detail = JSON.stringify(renderReply(replies[1]!));
    expect(detail).toContain('https://example.org/a%7Cb%3Cc%3E');
    expect(detail).toContain('&lt;!channel&gt; @here &amp; &lt;@U0BOSS&gt;');
  });

  it('cuts what exceeds Block Kit limits cleanly instead of letting Slack refuse it', () => {
    const huge = makePaper({ id: '2401.00002', title: `${'Very long title with <tags> & words '.repeat(300)}`, abstract: `${'An abstract sentence with <b>markup</b> & ampersands. '.repeat(500)}`, aiSummary: 'x&'.repeat(3000), authors: Array.from({ length: 500 }, (_, i) => `Author Number ${i} & Co`) });
    const view = toPaperView(huge, { rank: 1, snippet: '<&>'.repeat(2000) });
    const detail = renderReply({ kind: 'paper', paper: view, abstract: huge.abstract, ephemeral: true });
    allBlocksValid(detail.blocks);
    const sixty = renderReply(list(60, huge));
    allBlocksValid(sixty.blocks);
    expect(sixty.blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
    expect(JSON.stringify(sixty.blocks.at(-3))).toMatch(/more not shown/);
    expect(sixty.blocks.at(-1)).toMatchObject({ type: 'actions' }); // the pager survives
    const help = renderReply({ kind: 'help', intro: 'x'.repeat(5000), commands: Array.from({ length: 400 }, (_, i) => ({ usage: `/papers cmd${i} <a> & <b>`, description: 'd'.repeat(300) })), footer: 'f'.repeat(4000), ephemeral: true });
    allBlocksValid(help.blocks);
    const header = renderOutbound({ kind: 'digestHeader', date: '2024-01-02', title: 'T'.repeat(400), themesLine: '&'.repeat(5000), count: 3 });
    allBlocksValid(header.blocks);
    for (const m of [detail, sixty, help, header]) expect(m.text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
    expect(renderReply(text('&'.repeat(10_000))).blocks[0]).toMatchObject({ type: 'section' });
    allBlocksValid(renderReply(text('<'.repeat(10_000))).blocks);
  });

  it('never cuts inside an escape or a link', () => {
    const samples = ['a & b < c > d '.repeat(400), '&&&&&&&&&&', 'word '.repeat(1000), `${'x'.repeat(2990)}&<>`];
    for (const s of samples) {
      for (const max of [5, 10, 100, 2999, 3000]) {
        const out = fitMrkdwn(s, max);
        expect(out.length).toBeLessThanOrEqual(max);
        expect(out).not.toMatch(/&(?!amp;|lt;|gt;)/);
        expect(out).not.toMatch(/[<>]/);
      }
    }
    const linked = `*1. <https://arxiv.org/abs/2401.00001|${escapeMrkdwn('a & b '.repeat(50))}>* rest`;
    const clipped = clipMrkdwn(linked, 40);
    expect(clipped.length).toBeLessThanOrEqual(40);
    expect(clipped).not.toMatch(/<[^>]*$/);
  });

  it('accepts only http(s) URLs for links and buttons', () => {
    expect(safeUrl('https://github.com/a/b')).toBe('https://github.com/a/b');
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl('not a url')).toBeNull();
    expect(safeUrl(`https://x.org/${'a'.repeat(3100)}`)).toBeNull();
    expect(safeUrl('https://x.org/a|b')).toBe('https://x.org/a%7Cb');
  });

  it('renders the App Home: bookmarks with Remove buttons, exports, and the policy for admins only', () => {
    const reply = list(2);
    const admin = homeView({ bookmarks: { ...reply, heading: 'Your bookmarks (2)' }, canExport: true, policy: 'everyone', isAdmin: true, notice: 'Removed "X" from your bookmarks.' });
    expect(admin).toMatchSnapshot();
    expect(validateBlocks(admin.blocks, VIEW_LIMITS)).toEqual([]);
    const ids = JSON.stringify(admin.blocks);
    expect(ids).toContain('"action_id":"ub:2405.10000"');
    expect(ids).not.toContain('"action_id":"bm:');
    expect(ids).toContain('home:export:bibtex');
    expect(ids).toContain('home:policy:admins');
    const member = homeView({ bookmarks: text('No bookmarks yet.'), canExport: false, policy: 'admins', isAdmin: false });
    expect(JSON.stringify(member.blocks)).not.toMatch(/home:policy|home:export/);
    expect(JSON.stringify(member.blocks)).toContain('Workspace admins, owners and whoever installed the app');
    expect(validateBlocks(homeView({ bookmarks: list(60), canExport: true, policy: 'everyone', isAdmin: true }).blocks, VIEW_LIMITS)).toEqual([]);
  });

  it('renders real help from the command list within limits', () => {
    const help: HelpReply = { kind: 'help', intro: 'Commands:', commands: commands.map((c) => ({ usage: `/papers ${c.usage}`, description: c.description })), ephemeral: true };
    allBlocksValid(renderReply(help).blocks);
  });
});
