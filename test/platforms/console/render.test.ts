import { describe, expect, it } from 'vitest';
import { text, type Reply } from '../../../src/core/reply.js';
import { toPaperView } from '../../../src/core/views.js';
import { renderOutbound, renderReply, safe } from '../../../src/platforms/console/render.js';
import { convLlava, makePaper } from '../../support/papers.js';

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

  it('marks errors and strips terminal escapes from anything a paper or user wrote', () => {
    expect(renderReply(text('Unknown timezone "Mars/X".', 'error'))).toBe('✗ Unknown timezone "Mars/X".');
    const evil = makePaper({ id: '2401.00001', title: 'Clear\u001b[2J screen\u0007 and \u001b]0;title\u0007 bell' });
    const out = renderOutbound({ kind: 'digestPaper', date: '2024-01-02', paper: toPaperView(evil), position: 1, of: 1 });
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(safe('a\u001b[31mred\u001b[0m')).toBe('ared');
  });
});
