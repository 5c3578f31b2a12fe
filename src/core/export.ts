/** Bookmarks as files people keep: BibTeX for reference managers, Markdown for notes. */
import { paperLinks, type Paper } from './paper.js';
import { collapseWhitespace, plainText } from './text.js';

/** Escapes BibTeX specials; braces are balanced by construction so a title cannot break the entry. */
function bib(s: string): string {
  return collapseWhitespace(s)
    .replace(/\\/g, '\\textbackslash{}')
    .replace(/([{}])/g, '\\$1')
    .replace(/([&%$#_])/g, '\\$1')
    .replace(/~/g, '\\textasciitilde{}')
    .replace(/\^/g, '\\textasciicircum{}');
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
        ['title', `{${bib(plainText(p.title))}}`],
        ['author', `{${p.authors.map(bib).join(' and ') || 'Unknown'}}`],
        ['year', `{${yearOf(p)}}`],
        ['eprint', `{${p.id}}`],
        ['archivePrefix', '{arXiv}'],
      ];
      if (p.categories[0]) fields.push(['primaryClass', `{${bib(p.categories[0])}}`]);
      fields.push(['url', `{${paperLinks(p).arxiv}}`]);
      if (p.githubRepo) fields.push(['note', `{Code: \\url{${p.githubRepo}}}`]);
      const body = fields.map(([k, v]) => `  ${k} = ${v}`).join(',\n');
      return `@misc{${citeKey(p, used)},\n${body}\n}`;
    })
    .join('\n\n')
    .concat(papers.length ? '\n' : '');
}

/** Markdown escaping for link text: brackets and emphasis characters. */
function md(s: string): string {
  return collapseWhitespace(s).replace(/([\\`*_[\]<>|])/g, '\\$1');
}

export function toMarkdown(papers: readonly Paper[], heading = 'Bookmarked papers'): string {
  const lines = [`# ${heading}`, ''];
  for (const p of papers) {
    const l = paperLinks(p);
    const links = [`[arXiv](${l.arxiv})`, `[PDF](${l.pdf})`, `[HF](${l.hf})`];
    if (l.code) links.push(`[code](${l.code})`);
    lines.push(`- **[${md(plainText(p.title))}](${l.arxiv})** — ${md(p.authors.slice(0, 6).join(', '))}${p.authors.length > 6 ? ' et al.' : ''} (${yearOf(p)})`);
    lines.push(`  ${links.join(' · ')}`);
  }
  return lines.join('\n') + '\n';
}
