import { describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.js';
import type { CommandContext } from '../../../src/core/command-spec/spec.js';
import { text, type OutboundMessage, type PaperView, type Reply } from '../../../src/core/reply.js';
import { toPaperView } from '../../../src/core/views.js';
import { cut, embedLength, escapeFit, escapeText, LIMITS } from '../../../src/platforms/discord/limits.js';
import { autocompleteChoices, editOptions, messageBody, renderOutbound, renderReply, replyOptions, type DiscordPayload } from '../../../src/platforms/discord/render.js';
import { validateMessage } from '../../support/discord-standin/validate.js';
import { convLlava, makePaper } from '../../support/papers.js';

const paper = convLlava({
  githubStars: 120,
  projectPage: 'https://example.org/convllava',
  keywords: ['multimodal', 'vision encoder'],
});

const evil = makePaper({
  id: '2401.00001',
  title: '@everyone look: <@123456789012345678> **bold** __under__ ||spoiler|| [click](https://evil.example) `code` # not a heading',
  abstract: '> quoted\n- bullet\n1. numbered\n-# subtext <#987654321098765432> <@&111> @here <t:1700000000:R>',
  authors: ['Mallory <@999>', 'Eve_the_*great*'],
  aiSummary: 'Pings @everyone and @here, then <@!42>.',
});

/** Every payload must pass the stand-in's reading of Discord's limits, with no mention allowed. */
function expectValid(p: DiscordPayload, context: 'interaction' | 'channel' = 'interaction'): DiscordPayload {
  const body = context === 'channel' ? messageBody(p, 'nonce') : { ...replyOptions(p), allowed_mentions: p.allowed_mentions, flags: p.ephemeral ? 64 : 0 };
  expect(validateMessage(body, { context, fileCount: p.files.length })).toEqual([]);
  expect(p.allowed_mentions).toEqual({ parse: [] });
  return p;
}

function view(p = paper, extra: { rank?: number; snippet?: string } = {}): PaperView {
  return toPaperView(p, extra);
}

describe('Discord renderer', () => {
  it('renders a page of search results: an embed per paper, Save buttons, Prev/Next carrying their state', () => {
    const reply: Reply = {
      kind: 'papers',
      heading: 'Search: convllava',
      subheading: '12 matches',
      notice: 'Ignored the words: the, of',
      papers: [view(paper, { rank: 6, snippet: 'we propose ConvLLaVA, which employs ConvNeXt' }), view(makePaper({ id: '2405.00002' }), { rank: 7 })],
      pager: { command: 'search', args: { query: 'convllava' }, page: 2, pageCount: 3, total: 12, prevAction: 'pg:search:1:{"query":"convllava"}', nextAction: 'pg:search:3:{"query":"convllava"}' },
      ephemeral: true,
    };
    expect(expectValid(renderReply(reply))).toMatchSnapshot();
  });

  it('offers Remove instead of Save on the bookmarks list, and greys out a missing neighbour page', () => {
    const reply: Reply = {
      kind: 'papers',
      heading: 'Your bookmarks (6)',
      papers: [view(paper, { rank: 1 })],
      pager: { command: 'bookmarks', args: { action: 'list' }, page: 1, pageCount: 2, total: 6, nextAction: 'pg:bookmarks:2:{"action":"list"}' },
      ephemeral: true,
    };
    const p = expectValid(renderReply(reply));
    expect(p.components[0]!.components[0]).toMatchObject({ label: 'Remove 1', custom_id: 'ub:2405.15738' });
    expect(p.components[1]!.components[0]).toMatchObject({ label: 'Prev', disabled: true, custom_id: 'noop:prev' });
    expect(p.components[1]!.components[2]).toMatchObject({ label: 'Next', custom_id: 'pg:bookmarks:2:{"action":"list"}' });
  });

  it('renders one paper in detail with link buttons to arXiv, PDF, code and project, and Save', () => {
    const p = expectValid(renderReply({ kind: 'paper', paper: view(), abstract: paper.abstract, ephemeral: true }));
    expect(p).toMatchSnapshot();
    expect(p.components[0]!.components.map((b) => ('url' in b ? b.url : 'label' in b ? b.label : ''))).toEqual([
      'https://arxiv.org/abs/2405.15738',
      'https://arxiv.org/pdf/2405.15738',
      'https://github.com/alibaba/conv-llava',
      'https://example.org/convllava',
      'Save',
    ]);
  });

  it('renders a digest header and a digest paper for channel posts', () => {
    const header: OutboundMessage = { kind: 'digestHeader', date: '2024-05-27', title: 'Trending papers · Mon, 27 May 2024', themesLine: "Today's themes: multimodal models, agents", count: 5 };
    const one: OutboundMessage = { kind: 'digestPaper', date: '2024-05-27', paper: view(paper, { rank: 1 }), position: 1, of: 5 };
    expect(expectValid(renderOutbound(header), 'channel')).toMatchSnapshot();
    expect(expectValid(renderOutbound(one), 'channel')).toMatchSnapshot();
    expect(renderOutbound(one).ephemeral).toBe(false);
  });

  it('marks an inbox paper with the topic it matched, escaped', () => {
    const one: OutboundMessage = { kind: 'digestPaper', date: '2024-05-27', paper: view(paper, { rank: 1 }), position: 1, of: 3, topic: 'vision *encoders* <@123> @everyone' };
    const p = expectValid(renderOutbound(one), 'channel');
    expect(p).toMatchSnapshot();
    expect(p.embeds[0]!.description).toMatch(/\n\*matched: vision \\\*encoders\\\* \\<\u200b@123\\> @\u200beveryone\*$/);
    expect(p.components[0]!.components.at(-1)).toMatchObject({ label: 'Save', custom_id: paper.id.replace(/^/, 'bm:') });
  });

  it('renders an instant alert: an embed and a Save button per paper, each with its topic', () => {
    const items = [
      { paper: view(paper), topic: 'vision encoder' },
      { paper: view(makePaper({ id: '2405.00002', upvotes: 3 })), topic: 'author:hinton' },
    ];
    const alert: OutboundMessage = { kind: 'alert', batch: '2024-05-27T14', title: '2 new papers match what you follow', items };
    const p = expectValid(renderOutbound(alert), 'channel');
    expect(p).toMatchSnapshot();
    expect(p.embeds).toHaveLength(2);
    expect(p.embeds.map((e) => e.description!.split('\n').at(-1))).toEqual(['*matched: vision encoder*', '*matched: author:hinton*']);
    expect(p.components[0]!.components.map((b) => ('custom_id' in b ? b.custom_id : ''))).toEqual(['bm:2405.15738', 'bm:2405.00002']);
    // The key a retry looks for rides on the first Save button.
    expect(JSON.stringify(messageBody(p, 'k'.repeat(25)).components)).toContain('bm:2405.15738|k:');
  });

  it('fits an alert of 30 oversized papers: ten embeds, ten Save buttons, the rest counted', () => {
    const huge = makePaper({ id: '2401.00009', title: 'T'.repeat(5000), aiSummary: '*'.repeat(5000) });
    const items = Array.from({ length: 30 }, (_, i) => ({ paper: view({ ...huge, id: `2401.${String(10000 + i)}` }), topic: 'x'.repeat(500) }));
    const p = expectValid(renderOutbound({ kind: 'alert', batch: 'b', title: 'A'.repeat(3000), items }), 'channel');
    expect(p.embeds).toHaveLength(10);
    expect(p.embeds.reduce((n, e) => n + embedLength(e), 0)).toBeLessThanOrEqual(6000);
    expect(p.components.map((r) => r.components.length)).toEqual([5, 5]);
    expect(p.content).toContain('…and 20 more');
    expect(p.content.length).toBeLessThanOrEqual(2000);
  });

  it('puts a reply\'s own buttons (a confirmation) under it, styled, in rows of five', () => {
    const reply: Reply = { ...text('Delete everything I hold about you?', 'warning'), buttons: [{ label: 'Yes, forget me', actionId: 'fm:yes:200000000000000001', style: 'danger' }, { label: 'Cancel', actionId: 'fm:no', style: 'secondary' }] };
    const p = expectValid(renderReply(reply));
    expect(p.components).toEqual([
      {
        type: 1,
        components: [
          { type: 2, style: 4, label: 'Yes, forget me', custom_id: 'fm:yes:200000000000000001' },
          { type: 2, style: 2, label: 'Cancel', custom_id: 'fm:no' },
        ],
      },
    ]);
    const many = expectValid(renderReply({ ...text('Pick'), buttons: Array.from({ length: 30 }, (_, i) => ({ label: `B${i}`, actionId: `a:${i}`, style: 'primary' as const })) }));
    expect(many.components.map((r) => r.components.length)).toEqual([5, 5, 5, 5, 5]);
    expect(renderReply(text('No buttons')).components).toEqual([]);
  });

  it('marks text replies by tone, and keeps them private when asked', () => {
    expect(renderReply(text('Saved.', 'success')).content).toBe('✅ Saved.');
    expect(renderReply(text('Unknown timezone "Mars/X".', 'error')).content).toBe('❌ Unknown timezone "Mars/X".');
    expect(renderReply(text('Careful.', 'warning')).content).toBe('⚠️ Careful.');
    expect(renderReply(text('Plain.', 'info', false))).toMatchObject({ content: 'Plain.', ephemeral: false });
    expect(replyOptions(renderReply(text('x'))).flags).toBe(64);
    expect(replyOptions(renderReply(text('x', 'info', false))).flags).toBeUndefined();
  });

  it('renders help from the command list', async () => {
    const help = commands.find((c) => c.name === 'help')!;
    const reply = await help.handler({} as CommandContext, {});
    const p = expectValid(renderReply(reply));
    expect(p).toMatchSnapshot();
    for (const c of commands) expect(p.embeds[0]!.description).toContain(`\`/papers ${c.usage}\``);
  });

  it('sends a bookmark export as a file with its message', () => {
    const p = expectValid(renderReply({ kind: 'file', filename: '../../etc/bookmarks.bib', mimeType: 'application/x-bibtex', content: '@misc{x}', text: 'Your 1 bookmark as BibTeX.', ephemeral: true }));
    expect(p.files).toEqual([{ name: 'bookmarks.bib', contentType: 'application/x-bibtex', content: '@misc{x}' }]);
    expect(replyOptions(p).files).toHaveLength(1);
    expect(editOptions(p)).toMatchObject({ content: 'Your 1 bookmark as BibTeX.', attachments: [] });
  });

  it('escapes paper text so nothing renders as a mention, a link, a heading or formatting', () => {
    const p = expectValid(renderOutbound({ kind: 'digestPaper', date: '2024-01-02', paper: view(evil), position: 1, of: 1 }), 'channel');
    const e = p.embeds[0]!;
    expect(e.title).toBe(
      '1. @\u200beveryone look: \\<\u200b@123456789012345678\\> \\*\\*bold\\*\\* \\_\\_under\\_\\_ \\|\\|spoiler\\|\\| \\[click\\](https://evil.example) \\`code\\` # not a heading',
    );
    const all = JSON.stringify(p.embeds);
    expect(all).not.toMatch(/(?<!\\)<@|@everyone|@here|(?<!\\)\[click(?<!\\)\]/);
    const detail = renderReply({ kind: 'paper', paper: view(evil), abstract: evil.abstract, ephemeral: true });
    expect(detail.embeds[0]!.description).toContain('\\> quoted\n\\- bullet\n1\\. numbered\n\\-# subtext \\<\u200b#987654321098765432\\>');
  });

  it('escapeText covers the markdown a title can carry', () => {
    const cases: [string, string][] = [
      ['a*b*c', 'a\\*b\\*c'],
      ['*****', '\\*\\*\\*\\*\\*'],
      ['snake_case', 'snake\\_case'],
      ['~~x~~ ||y||', '\\~\\~x\\~\\~ \\|\\|y\\|\\|'],
      ['## Title', '\\## Title'],
      ['+ item', '\\+ item'],
      ['2.5 times (maybe)', '2.5 times (maybe)'],
      ['back\\slash', 'back\\\\slash'],
      ['C++ & co', 'C++ & co'],
    ];
    for (const [input, out] of cases) expect(escapeText(input)).toBe(out);
  });

  describe('limits', () => {
    const huge = makePaper({
      id: '2401.00002',
      title: 'T'.repeat(5000),
      abstract: 'word '.repeat(10_000),
      aiSummary: '*'.repeat(5000),
      authors: Array.from({ length: 500 }, (_, i) => `Author Number ${i}`),
      keywords: Array.from({ length: 100 }, (_, i) => `keyword-${i}-${'k'.repeat(80)}`),
      githubRepo: `https://github.com/${'a'.repeat(600)}/repo`,
    });

    it('cuts every part of an oversized paper to fit, never above a limit', () => {
      const detail = expectValid(renderReply({ kind: 'paper', paper: view(huge), abstract: huge.abstract, ephemeral: true }));
      const e = detail.embeds[0]!;
      expect(e.title!.length).toBeLessThanOrEqual(LIMITS.embedTitle);
      expect(e.title!.endsWith('…')).toBe(true);
      expect(embedLength(e)).toBeLessThanOrEqual(LIMITS.embedTotal);
      // The 600-character code URL cannot be a button: it is left out, the rest stays.
      expect(detail.components[0]!.components.map((b) => ('label' in b ? b.label : ''))).toEqual(['arXiv', 'PDF', 'Save']);
    });

    it('fits ten oversized papers in one message within 6,000 characters', () => {
      const papers = Array.from({ length: 12 }, (_, i) => view({ ...huge, id: `2401.1000${i}`.slice(0, 10) }, { rank: i + 1, snippet: 's'.repeat(3000) }));
      const p = expectValid(renderReply({ kind: 'papers', heading: 'H'.repeat(3000), subheading: 'S'.repeat(3000), notice: 'N'.repeat(3000), papers, ephemeral: true }));
      expect(p.embeds).toHaveLength(10);
      expect(p.embeds.reduce((n, e) => n + embedLength(e), 0)).toBeLessThanOrEqual(6000);
      expect(p.content.length).toBeLessThanOrEqual(2000);
      expect(p.content).toContain('Showing the first 10 of 12.');
      expect(p.components.map((r) => r.components.length)).toEqual([5, 5]);
    });

    it('keeps a text reply of any length under 2,000 characters', () => {
      const p = expectValid(renderReply(text(`No papers match "${'x'.repeat(6000)}"`)));
      expect(p.content.length).toBeLessThanOrEqual(2000);
      expect(p.content.endsWith('…')).toBe(true);
    });

    it('cuts cleanly: at a word, never inside a surrogate pair or after a lone backslash', () => {
      expect(cut('short', 10)).toBe('short');
      expect(cut('one two three four five', 14)).toBe('one two three…');
      expect(cut('ab😀cd', 4)).toBe('ab…');
      expect(cut('abc\\def', 5)).toBe('abc…');
      const stars = escapeFit('*'.repeat(100), 21);
      expect(stars.length).toBeLessThanOrEqual(21);
      expect(stars).toMatch(/^(\\\*)+…$/);
    });

    it('limits autocomplete to 25 choices of at most 100 characters', () => {
      const list = Array.from({ length: 30 }, (_, i) => ({ name: `${'n'.repeat(150)} ${i}`, value: `v${i}` }));
      list.push({ name: 'too long a value', value: 'v'.repeat(101) });
      const out = autocompleteChoices(list);
      expect(out).toHaveLength(25);
      expect(out.every((c) => c.name.length <= 100 && c.value.length <= 100)).toBe(true);
    });

    it('sends the nonce (at most 25 characters) with enforce_nonce, and no mentions', () => {
      const body = messageBody(renderOutbound({ kind: 'notice', text: 'hi @everyone' }), 'n'.repeat(40));
      expect(body).toEqual({ content: 'hi @\u200beveryone', embeds: [], components: [], allowed_mentions: { parse: [] }, nonce: 'n'.repeat(25), enforce_nonce: true });
    });
  });
});
