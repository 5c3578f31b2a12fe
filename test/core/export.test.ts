import { describe, expect, it } from 'vitest';
import { toBibtex, toMarkdown } from '../../src/core/export.js';
import { makePaper } from '../support/papers.js';

describe('bookmark export', () => {
  const a = makePaper({ id: '2405.15738', title: 'ConvLLaVA: {Hierarchical} Backbones & 100% $x_1$', authors: ['Chunjiang Ge', 'Sijie Cheng'], publishedAt: '2024-05-24', githubRepo: 'https://github.com/alibaba/conv-llava' });
  const b = makePaper({ id: '2405.00001', title: 'Another Gepaper', authors: ['Chunjiang Ge'], publishedAt: '2024-05-01' });

  it('writes BibTeX whose braces balance whatever the title holds', () => {
    const bib = toBibtex([a, b]);
    expect(bib).toContain('@misc{ge2024convllava,');
    expect(bib).toContain('author = {Chunjiang Ge and Sijie Cheng}');
    expect(bib).toContain('eprint = {2405.15738}');
    expect(bib).toContain('\\&');
    expect(bib).toContain('100\\%');
    for (const entry of bib.split('\n\n')) {
      const body = entry.replace(/\\[{}]/g, '');
      expect([...body].filter((c) => c === '{').length).toBe([...body].filter((c) => c === '}').length);
    }
  });

  it('gives every entry a distinct key', () => {
    const keys = [...toBibtex([a, { ...a, id: '2405.15739' }]).matchAll(/@misc\{([^,]+),/g)].map((m) => m[1]);
    expect(new Set(keys).size).toBe(2);
  });

  it('writes Markdown with links and escaped titles', () => {
    const md = toMarkdown([a]);
    expect(md).toContain('[arXiv](https://arxiv.org/abs/2405.15738)');
    expect(md).toContain('[code](https://github.com/alibaba/conv-llava)');
    expect(md).toContain('\\_');
  });
});
