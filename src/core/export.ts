/**
 * Bookmarks as files people keep: BibTeX for reference managers, Markdown for notes.
 * Every value is escaped for the format, so text from upstream can neither close a field
 * nor add one, nor add a link; links are only the cleaned http(s) ones.
 */
import { cleanUrl, stripControls } from './clean-text.js';
import { paperLinks, type Paper } from './paper.js';
import { collapseWhitespace, plainText } from './text.js';

// BibTeX counts every brace, escaped or not ("\}" still closes a field), so braces are
// spelt as commands whose own braces balance; the rest are TeX's specials.
const BIB_ESCAPES: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\textbraceleft{}',
  '}': '\\textbraceright{}',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
};

/** A value safe inside a braced BibTeX field: one line, no control characters, balanced braces by construction. */
function bib(s: string): string {
  return collapseWhitespace(stripControls(s)).replace(/[\\{}~^&%$#_]/g, (c) => BIB_ESCAPES[c]!);
}

/** An author; braced when the name holds " and ", which BibTeX would read as a second author. */
function bibAuthor(name: string): string {
  const s = bib(name);
  return /\sand\s/i.test(s) ? `{${s}}` : s;
}

/**
 * A cleaned URL inside `\url{}` in a field: braces and spaces are already percent-encoded;
 * `%` and `#` are escaped because a field is read as a macro argument (hyperref's \url
 * prints them plain).
 */
function bibUrl(url: string): string {
  return url.replace(/[%#]/g, '\\$&');
}

/** citation key: first author's last name + year + first title word, ASCII only, unique per export. */
function citeKey(p: Paper, used: Set<string>): string {
  const ascii = (s: string) => s.normalize('NFKD').replace(/[^A-Za-z0-9]/g, '');
  const last = ascii(p.authors[0]?.split(/\s+/).pop() ?? '') || 'anon';
  const year = yearOf(p);
  const word = ascii(p.title.split(/[\s:]+/).find((w) => w.length > 3) ?? p.title.split(/\s+/)[0] ?? '') || 'paper';
  const base = `${last}${year}${word}`.toLowerCase();
  let key = base;
  for (let i = 2; used.has(key); i++) key = `${base}${i}`;
  used.add(key);
  return key;
}

function yearOf(p: Paper): string {
  if (p.publishedAt) return p.publishedAt.slice(0, 4);
  const m = /^(\d{2})\d{2}\./.exec(p.id);
  return m ? `20${m[1]}` : '';
}

export function toBibtex(papers: readonly Paper[]): string {
  const used = new Set<string>();
  return papers
    .map((p) => {
      const fields: [string, string][] = [
        // Double braces keep the title's capitals ("FlashPrefill V2") whatever the style.
        ['title', `{{${bib(plainText(p.title))}}}`],
        ['author', `{${p.authors.map(bibAuthor).join(' and ') || 'Unknown'}}`],
        ['year', `{${yearOf(p)}}`],
        ['eprint', `{${bib(p.id)}}`],
        ['archivePrefix', '{arXiv}'],
      ];
      if (p.categories[0]) fields.push(['primaryClass', `{${bib(p.categories[0])}}`]);
      fields.push(['url', `{${paperLinks(p).arxiv}}`]);
      const code = cleanUrl(p.githubRepo);
      if (code) fields.push(['note', `{Code: \\url{${bibUrl(code)}}}`]);
      const body = fields.map(([k, v]) => `  ${k} = ${v}`).join(',\n');
      return `@misc{${citeKey(p, used)},\n${body}\n}`;
    })
    .join('\n\n')
    .concat(papers.length ? '\n' : '');
}

/**
 * Markdown-escaped text: every character CommonMark or GFM gives a meaning inline (links,
 * emphasis, code, HTML, entities, strikethrough, tables) is backslash-escaped.
 */
function md(s: string): string {
  return collapseWhitespace(stripControls(s)).replace(/[\\`*_[\]()<>|~!#&$]/g, '\\$&');
}

export function toMarkdown(papers: readonly Paper[], heading = 'Bookmarked papers'): string {
  const lines = [`# ${md(heading)}`, ''];
  for (const p of papers) {
    const l = paperLinks(p);
    const links = [`[arXiv](${l.arxiv})`, `[PDF](${l.pdf})`, `[HF](${l.hf})`];
    // cleanUrl percent-encodes ( ) < > and spaces, so the URL cannot end the link early.
    const code = cleanUrl(l.code);
    if (code) links.push(`[code](${code})`);
    lines.push(`- **[${md(plainText(p.title))}](${l.arxiv})** — ${md(p.authors.slice(0, 6).join(', '))}${p.authors.length > 6 ? ' et al.' : ''} (${yearOf(p)})`);
    lines.push(`  ${links.join(' · ')}`);
  }
  return lines.join('\n') + '\n';
}
