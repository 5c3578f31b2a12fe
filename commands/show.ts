import type { CommandSpec } from '../src/core/command-spec/spec.js';
import { collapseWhitespace, plainText } from '../src/core/text.js';
import { toPaperView } from '../src/core/views.js';
import { paperArg } from './support.js';

export const show: CommandSpec = {
  name: 'show',
  description: "One paper's details: TL;DR, abstract, authors, links",
  usage: 'show <arXiv id or URL>',
  options: [{ name: 'paper', description: 'arXiv id or URL, e.g. 2405.15738', type: 'string', required: true, positional: true, autocomplete: 'paper', maxLength: 300 }],
  async handler(ctx, o) {
    const paper = await paperArg(ctx, o.paper);
    return { kind: 'paper', paper: toPaperView(paper), abstract: collapseWhitespace(plainText(paper.abstract)), authors: paper.authors.slice(0, 100), ephemeral: true };
  },
};
