import { describe, expect, it } from 'vitest';
import { text, type Reply } from '../../../src/core/reply.js';
import { toPaperView } from '../../../src/core/views.js';
import { renderOutbound, renderReply, safe } from '../../../src/platforms/console/render.js';
import { terminalStyle } from '../../../src/platforms/console/terminal.js';
import { convLlava, makePaper } from '../../support/papers.js';
import { EVIL_TITLE, EVIL_TITLE_CLEAN } from '../../support/attacks.js';

const paper = convLlava();

describe('console renderer', () => {
  it('renders a page of results with numbers and paging hints', () => {
    const reply: Reply = {
      kind: 'papers',
      heading: 'Search: convllava',
      subheading: '1 match',
      papers: [toPaperView(paper, { rank: 1, snippet: 'we propose ConvLLaVA, which employs ConvNeXt' })],
      pager: { command: 'search', args: { query: 'convllava' }, page: 1, pageCount: 2, total: 6, nextAction: 'pg:search:2:{}' },
      ephemeral: true,
    };
    expect(renderReply(reply)).toMatchSnapshot();
  });

  it('renders a digest header and paper', () => {
    expect(renderOutbound({ kind: 'digestHeader', date: '2024-05-27', title: 'Trending papers · Mon, 27 May 2024', themesLine: 'Themes: multimodal models', count: 1 })).toMatchSnapshot();
    expect(renderOutbound({ kind: 'digestPaper', date: '2024-05-27', paper: toPaperView(paper, { rank: 1 }), position: 1, of: 1 })).toMatchSnapshot();
  });

  it('renders an inbox paper with its topic, an instant alert, and a reply\'s buttons', () => {
    expect(renderOutbound({ kind: 'digestPaper', date: '2024-05-27', paper: toPaperView(paper, { rank: 1 }), position: 1, of: 2, topic: 'vision encoders' })).toMatchSnapshot();
    const alert = renderOutbound({
      kind: 'alert',
      batch: '2024-05-27T14',
      title: '2 new papers match what you follow',
      items: [
        { paper: toPaperView(paper), topic: 'vision encoder' },
        { paper: toPaperView(makePaper({ id: '2405.00002', upvotes: 3 })), topic: 'author:hinton\u001b[2J' },
      ],
    });
    expect(alert).toMatchSnapshot();
    expect(alert).not.toMatch(/\u001b/);
    expect(renderReply({ ...text('Delete everything I hold about you?', 'warning'), buttons: [{ label: 'Yes, forget me', actionId: 'fm:yes', style: 'danger' }, { label: 'Cancel', actionId: 'fm:no', style: 'secondary' }] })).toBe(
      '! Delete everything I hold about you?\n[1] Yes, forget me [2] Cancel — type "press <number>"',
    );
  });

  it('marks errors and strips terminal escapes from anything a paper or user wrote', () => {
    expect(renderReply(text('Unknown timezone "Mars/X".', 'error'))).toBe('✗ Unknown timezone "Mars/X".');
    const evil = makePaper({ id: '2401.00001', title: 'Clear\u001b[2J screen\u0007 and \u001b]0;title\u0007 bell' });
    const out = renderOutbound({ kind: 'digestPaper', date: '2024-01-02', paper: toPaperView(evil), position: 1, of: 1 });
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(safe('a\u001b[31mred\u001b[0m')).toBe('ared');
  });

  it('leaves nothing of OSC sequences, bidi overrides or zero-width characters, in the paper lines and the link line', () => {
    const evil = makePaper({ id: '2401.00002', title: EVIL_TITLE, githubRepo: 'https://gitlab.com/x\u001b]52;c;cHduZWQ=\u0007', projectPage: 'https://e.org/\u202e' });
    const lines = [
      renderOutbound({ kind: 'digestPaper', date: '2024-01-02', paper: toPaperView(evil), position: 1, of: 1 }),
      renderReply({ kind: 'paper', paper: toPaperView(evil), abstract: 'a\u009b31mb', authors: ['x\u200by', 'B', 'C', 'D'], ephemeral: true }),
    ].join('\n');
    expect(lines).toContain(EVIL_TITLE_CLEAN);
    expect(lines).toContain('https://gitlab.com/x\n');
    expect(lines).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u200b-\u200f]|pwned|cHduZWQ/);
    expect(safe('line one\nline\u2067 two')).toBe('line one\nline two');
  });
});

describe('console renderer styles', () => {
  const paper = toPaperView({ ...makeStylePaper() }, { rank: 1 });
  function makeStylePaper() {
    return { id: '2405.15738', title: 'ConvLLaVA: Hierarchical Backbones as Visual Encoder for Large Multimodal Models', abstract: 'x', authors: ['A. One', 'B. Two'], publishedAt: '2024-05-24', upvotes: 40, comments: 2, aiSummary: null, keywords: [], githubRepo: null, githubStars: null, projectPage: null, organization: null, thumbnail: null, categories: [], featuredDates: ['2024-05-27'], sources: ['hf' as const] };
  }

  it('wraps to the width it is given and colours only when asked', () => {
    const narrow = renderReply({ kind: 'papers', heading: 'Search', papers: [paper], ephemeral: true }, { width: 40, color: false });
    expect(Math.max(...narrow.split('\n').map((l) => l.length))).toBeLessThanOrEqual(40);
    expect(narrow).not.toContain('\u001b[');
    const coloured = renderReply({ kind: 'papers', heading: 'Search', papers: [paper], ephemeral: true }, { width: 80, color: true });
    expect(coloured).toContain('\u001b[1mSearch\u001b[22m');
    expect(renderReply({ kind: 'text', text: 'nope', tone: 'error', ephemeral: true }, { width: 80, color: true })).toBe('\u001b[31m✗ nope\u001b[39m');
  });

  it('picks no colour for a pipe or under NO_COLOR, and 80 columns when the width is unknown', () => {
    expect(terminalStyle({ isTTY: false }, false)).toEqual({ width: 80, color: false });
    expect(terminalStyle({ isTTY: true, columns: 132 }, true)).toEqual({ width: 100, color: false });
    expect(terminalStyle({ isTTY: true, columns: 72 }, false)).toEqual({ width: 72, color: true });
  });
});
