import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { parseCommandLine, splitWords } from '../../src/core/command-spec/parse-text.js';
import { UserInputError } from '../../src/core/errors.js';

const parse = (t: string) => parseCommandLine(t, commands);

describe('splitWords', () => {
  it('keeps quoted phrases together and remembers the raw text', () => {
    const w = splitWords('search "sparse attention" --top 3');
    expect(w.map((x) => x.value)).toEqual(['search', 'sparse attention', '--top', '3']);
    expect(w[1]!.raw).toBe('"sparse attention"');
  });
  it('accepts curly quotes and keeps apostrophes inside words', () => {
    expect(splitWords('“mixture of experts” Hinton\'s').map((x) => x.value)).toEqual(['mixture of experts', "Hinton's"]);
  });
  it('lets an unclosed quote run to the end instead of failing', () => {
    expect(splitWords('search "sparse attention').map((x) => x.value)).toEqual(['search', 'sparse attention']);
  });
  it('bounds the work on huge input', () => {
    expect(splitWords('a '.repeat(10_000)).length).toBe(2_000);
  });
});

describe('parseCommandLine', () => {
  it('parses the issue example: a quoted query with a flag', () => {
    const { spec, options } = parse('/papers search "sparse attention" --top 3');
    expect(spec.name).toBe('search');
    expect(options).toEqual({ query: '"sparse attention"', top: 3 });
  });
  it('takes the rest of the text as the query, single-dash words included', () => {
    expect(parse('search mamba -vision title:ssm').options.query).toBe('mamba -vision title:ssm');
  });
  it('routes empty and unknown subcommands to help', () => {
    expect(parse('').spec.name).toBe('help');
    expect(parse('/papers').spec.name).toBe('help');
    const unknown = parse('frobnicate now');
    expect(unknown.spec.name).toBe('help');
    expect(unknown.options.unknown).toBe('frobnicate');
  });
  it('fills positional options by what they accept', () => {
    expect(parse('bookmarks export markdown').options).toEqual({ action: 'export', format: 'markdown' });
    expect(parse('bookmarks remove 2405.15738').options).toEqual({ action: 'remove', paper: '2405.15738' });
    expect(parse('trending week').options).toEqual({ period: 'week' });
  });
  it('accepts --flag=value, aliases and the em dash some keyboards produce', () => {
    expect(parse('search ssm --min-upvotes=10 --limit 4').options).toEqual({ query: 'ssm', min_upvotes: 10, top: 4 });
    expect(parse('search ssm —code').options).toEqual({ query: 'ssm', code: true });
  });
  it.each([
    ['search', /needs <query>/],
    ['search ssm --top many', /whole number/],
    ['search ssm --top 500', /at most 50/],
    ['search ssm --nope 1', /Unknown option --nope/],
    ['trending month', /Unexpected "month"/],
    ['settings --top', /needs a value/],
    ['show', /needs <paper>/],
  ])('refuses %j with a short message', (input, message) => {
    let caught: unknown;
    try {
      parse(input);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UserInputError);
    expect((caught as UserInputError).userMessage).toMatch(message);
    expect((caught as UserInputError).userMessage.length).toBeLessThan(200);
  });
  it('keeps a 4,000-character command text bounded and parseable', () => {
    const { options } = parse(`search ${'attention '.repeat(600)}`);
    expect(String(options.query).length).toBeLessThanOrEqual(4000);
  });
});
