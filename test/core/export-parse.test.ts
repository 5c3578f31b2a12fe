/**
 * Exports read back: hostile values (issue 12) must not add a BibTeX field or entry, nor a
 * Markdown link. No BibTeX parser or Markdown renderer is installed, so both readers are
 * here, strict and small: the BibTeX one counts braces as BibTeX does (a backslash does
 * not escape a brace), the Markdown one follows CommonMark's inline links and autolinks.
 */
import { describe, expect, it } from 'vitest';
import { toBibtex, toMarkdown } from '../../src/core/export.js';
import type { Paper } from '../../src/core/paper.js';
import { EVIL_CODE_URL, EVIL_CODE_URL_CLEAN, EVIL_TITLE, JS_URL } from '../support/attacks.js';
import { makePaper } from '../support/papers.js';

interface BibEntry {
  type: string;
  key: string;
  fields: Record<string, string>;
}

/** Reads `@type{key, name = {value}, …}` entries; throws on anything else. Values keep their inner text. */
function parseBibtex(text: string): BibEntry[] {
  const entries: BibEntry[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`BibTeX: ${why} at ${i}: ${JSON.stringify(text.slice(i, i + 40))}`);
  };
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const expectChar = (c: string) => {
    skipSpace();
    if (text[i] !== c) fail(`expected ${c}`);
    i++;
  };
  const word = (re: RegExp): string => {
    skipSpace();
    const m = re.exec(text.slice(i));
    if (!m) return fail(`expected ${re}`);
    i += m[0].length;
    return m[0];
  };
  const braced = (): string => {
    expectChar('{');
    const start = i;
    for (let depth = 1; depth > 0; i++) {
      if (i >= text.length) fail('unbalanced braces');
      if (text[i] === '{') depth++;
      else if (text[i] === '}') depth--;
    }
    return text.slice(start, i - 1);
  };
  for (skipSpace(); i < text.length; skipSpace()) {
    expectChar('@');
    const type = word(/^[A-Za-z]+/);
    expectChar('{');
    const key = word(/^[^\s,{}]+/);
    const fields: Record<string, string> = {};
    for (;;) {
      skipSpace();
      if (text[i] === '}') {
        i++;
        break;
      }
      expectChar(',');
      const name = word(/^[A-Za-z]+/).toLowerCase();
      expectChar('=');
      if (name in fields) fail(`field ${name} twice`);
      fields[name] = braced();
    }
    entries.push({ type, key, fields });
  }
  return entries;
}

interface MdLink {
  text: string;
  url: string;
}

/** Inline links `[text](url)` and autolinks `<url>`, skipping backslash escapes; link text must not nest. */
function markdownLinks(line: string): MdLink[] {
  const links: MdLink[] = [];
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '<') {
      const end = line.indexOf('>', i);
      if (end > 0 && /^[a-z][a-z0-9+.-]*:[^\s<>]*$/i.test(line.slice(i + 1, end))) links.push({ text: line.slice(i + 1, end), url: line.slice(i + 1, end) });
      continue;
    }
    if (c !== '[') continue;
    let j = i + 1;
    for (; j < line.length && line[j] !== ']'; j++) {
      if (line[j] === '\\') j++;
      else if (line[j] === '[') throw new Error(`nested [ in ${line}`);
    }
    if (line[j + 1] !== '(') continue;
    let k = j + 2;
    let depth = 1;
    for (; k < line.length && depth > 0; k++) {
      if (line[k] === '\\') k++;
      else if (line[k] === '(') depth++;
      else if (line[k] === ')') depth--;
      else if (/\s/.test(line[k]!)) break;
    }
    if (depth !== 0) continue;
    links.push({ text: line.slice(i + 1, j).replace(/\\(.)/g, '$1'), url: line.slice(j + 2, k - 1) });
    i = k - 1;
  }
  return links;
}

const evil: Paper = makePaper({
  id: '2608.00001',
  title: `${EVIL_TITLE} }}, note = {pwned}, x = {{ \\ [click](https://phish.example) <https://phish.example>`,
  authors: ['Eve }, title = {pwned', 'Mallory and Trent', '[x](javascript:alert(1))'],
  publishedAt: '2026-08-21',
  githubRepo: EVIL_CODE_URL,
  categories: ['cs.CL}, y = {z'],
});
const jsCode = makePaper({ id: '2608.00002', title: 'FlashPrefill V2: Fast', githubRepo: JS_URL, publishedAt: '2026-08-21' });

describe('BibTeX export, parsed back', () => {
  const entries = parseBibtex(toBibtex([evil, jsCode]));

  it('has exactly the entries and fields it wrote, whatever the values hold', () => {
    expect(entries.map((e) => [e.type, e.key])).toEqual([
      ['misc', 'pwned2026evil0pwned'],
      ['misc', 'lovelace2026flashprefill'],
    ]);
    expect(Object.keys(entries[0]!.fields)).toEqual(['title', 'author', 'year', 'eprint', 'archiveprefix', 'primaryclass', 'url', 'note']);
    expect(Object.keys(entries[1]!.fields)).toEqual(['title', 'author', 'year', 'eprint', 'archiveprefix', 'url']);
  });

  it('keeps hostile text as text: braces spelt as commands (or dropped from titles), no control characters', () => {
    const f = entries[0]!.fields;
    // Titles go through plainText, which drops TeX grouping braces and tags before escaping.
    expect(f.title).toBe('{Evil red gnp.exe , note = pwned, x = \\textbackslash{} [click](https://phish.example)}');
    expect(f.author).toBe('Eve \\textbraceright{}, title = \\textbraceleft{}pwned and {Mallory and Trent} and [x](javascript:alert(1))');
    expect(f.primaryclass).toBe('cs.CL\\textbraceright{}, y = \\textbraceleft{}z');
    expect(f.url).toBe('https://arxiv.org/abs/2608.00001');
    expect(f.note).toBe(`Code: \\url{${EVIL_CODE_URL_CLEAN.replace(/%/g, '\\%')}}`);
    expect(JSON.stringify(entries)).not.toMatch(/\\u00[01]|\\u007f|\u202e|\u200b/);
  });

  it('brace-protects titles so styles keep their capitals, and drops a non-http code link', () => {
    expect(entries[1]!.fields.title).toBe('{FlashPrefill V2: Fast}');
    expect(entries[1]!.fields.note).toBeUndefined();
  });
});

describe('Markdown export, links read back', () => {
  const lines = toMarkdown([evil, jsCode]).split('\n');
  const linksOf = (id: string) => lines.filter((l) => l.includes(id) || l.includes(`/${id}`)).flatMap(markdownLinks);

  it('has exactly the links it wrote: the paper links, and the code link percent-encoded', () => {
    expect(linksOf('2608.00001')).toEqual([
      { text: 'Evil red gnp.exe , note = pwned, x = \\ [click](https://phish.example)', url: 'https://arxiv.org/abs/2608.00001' },
      { text: 'arXiv', url: 'https://arxiv.org/abs/2608.00001' },
      { text: 'PDF', url: 'https://arxiv.org/pdf/2608.00001' },
      { text: 'HF', url: 'https://huggingface.co/papers/2608.00001' },
      { text: 'code', url: EVIL_CODE_URL_CLEAN },
    ]);
  });

  it('shows hostile author names as text, and drops a javascript: code link', () => {
    const authorsLine = lines.find((l) => l.includes('2608.00001'))!;
    expect(authorsLine).toContain('\\[x\\]\\(javascript:alert\\(1\\)\\)');
    expect(linksOf('2608.00002').map((l) => l.text)).toEqual(['FlashPrefill V2: Fast', 'arXiv', 'PDF', 'HF']);
    expect(toMarkdown([evil, jsCode])).not.toMatch(/\]\(javascript:|<javascript:|[\u0000-\u0008\u000b-\u001f\u202e\u200b]/);
  });
});
