/**
 * Replies and digest messages as terminal text. Pure: the same input always gives the
 * same lines, so it is snapshot-tested. Control characters from paper text are
 * stripped so a title cannot move the cursor, recolour or retitle the terminal, or write
 * the clipboard (OSC 52); bidi controls so it cannot reorder what is shown.
 */
import { stripControls } from '../../core/clean-text.js';
import type { OutboundMessage, PaperView, Reply } from '../../core/reply.js';
import { paint, PLAIN, type TerminalStyle } from './terminal.js';

/**
 * Removes escape sequences, control, bidi and zero-width characters (keeps newlines).
 * Stored text is cleaned at normalisation already; this also covers stores filled before
 * that, and text that never went through it (error messages quoting data).
 */
export function safe(s: string): string {
  return stripControls(s, { multiline: true });
}

export function wrap(s: string, indent: string, width = PLAIN.width): string[] {
  const words = safe(s).split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && indent.length + line.length + 1 + w.length > width) {
      lines.push(indent + line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(indent + line);
  return lines;
}

function stats(p: PaperView): string {
  const parts: string[] = [];
  if (p.upvotes !== null) parts.push(`▲ ${p.upvotes}`);
  if (p.comments) parts.push(`💬 ${p.comments}`);
  if (p.featuredDate) parts.push(`featured ${p.featuredDate}`);
  else if (p.publishedAt) parts.push(`arXiv ${p.publishedAt}`);
  if (p.organization) parts.push(safe(p.organization));
  return parts.join(' · ');
}

export function renderPaperLines(p: PaperView, number?: number, style: TerminalStyle = PLAIN): string[] {
  const w = style.width;
  const head = number !== undefined ? `${String(number).padStart(2)}. ` : '';
  const pad = ' '.repeat(head.length);
  const lines = [...wrap(`${p.title} (${p.id})`, '', w - head.length).map((l, i) => (i === 0 ? head : pad) + paint(style, 'bold', l))];
  lines.push(...wrap(`${p.authorsLine}${stats(p) ? ` — ${stats(p)}` : ''}`, pad, w).map((l) => paint(style, 'dim', l)));
  lines.push(...wrap(`TL;DR: ${p.tldr}`, pad, w));
  if (p.snippet && p.snippet !== p.tldr) lines.push(...wrap(`“${p.snippet}”`, pad, w));
  const links = [p.links.arxiv, p.links.pdf];
  if (p.links.code) links.push(safe(p.links.code));
  lines.push(...wrap(links.join(' '), pad, w).map((l) => pad + paint(style, 'cyan', l.slice(pad.length))));
  return lines;
}

export function renderReply(reply: Reply, style: TerminalStyle = PLAIN): string {
  const w = style.width;
  switch (reply.kind) {
    case 'text': {
      const mark = { info: '', success: '✓ ', warning: '! ', error: '✗ ' }[reply.tone];
      const colour = ({ info: null, success: 'green', warning: 'yellow', error: 'red' } as const)[reply.tone];
      const out = wrap(mark + reply.text, '', w).map((l) => (colour ? paint(style, colour, l) : l));
      // A reply's buttons (a confirmation) are pressed by typing "press <n>".
      const buttons = reply.buttons ?? [];
      if (buttons.length) out.push(...wrap(`${buttons.map((b, i) => `[${i + 1}] ${b.label}`).join(' ')} — type "press <number>"`, '', w).map((l) => paint(style, 'bold', l)));
      return out.join('\n');
    }
    case 'papers': {
      const out = [paint(style, 'bold', safe(reply.heading))];
      if (reply.subheading) out.push(safe(reply.subheading));
      if (reply.notice) out.push(`(${safe(reply.notice)})`);
      out.push('');
      for (const p of reply.papers) out.push(...renderPaperLines(p, p.rank, style), '');
      const pg = reply.pager;
      if (pg && pg.pageCount > 1) {
        const hints = [pg.prevAction ? '"prev"' : '', pg.nextAction ? '"next"' : ''].filter(Boolean).join(' or ');
        out.push(...wrap(`Page ${pg.page} of ${pg.pageCount}${hints ? ` — type ${hints}` : ''}`, '', w));
      }
      if (reply.papers.length) out.push(...wrap('Type "react <number> 🔖" to bookmark a paper.', '', w));
      return out.join('\n');
    }
    case 'paper': {
      const p = reply.paper;
      const out = renderPaperLines(p, undefined, style);
      // The details show every author (the list line is shortened).
      if (reply.authors && reply.authors.length > 3) out.push('', ...wrap(`Authors: ${reply.authors.join(', ')}`, '', w));
      out.push('', ...wrap(reply.abstract, '  ', w));
      if (p.keywords.length) out.push('', ...wrap(`Keywords: ${p.keywords.join(', ')}`, '', w));
      out.push(`Hugging Face: ${p.links.hf}`);
      if (p.links.project) out.push(`Project: ${safe(p.links.project)}`);
      return out.join('\n');
    }
    case 'file':
      return safe(reply.text);
    case 'help': {
      const out = [...wrap(reply.intro, '', w)];
      const width = Math.min(40, Math.max(...reply.commands.map((c) => c.usage.length), 0));
      for (const c of reply.commands) {
        const usage = safe(c.usage);
        out.push(usage.length > width ? `  ${usage}\n  ${' '.repeat(width)}  ${safe(c.description)}` : `  ${usage.padEnd(width)}  ${safe(c.description)}`);
      }
      if (reply.footer) out.push('', ...wrap(reply.footer, '', w));
      return out.join('\n');
    }
  }
}

/** The line above whatever is delivered to the console user's own inbox. */
export const INBOX_LINE = '📬 Your inbox';

/** "matched: <topic>", indented under the paper it belongs to. */
function matchedLines(topic: string, indent: string, style: TerminalStyle): string[] {
  return wrap(`matched: ${topic}`, indent, style.width).map((l) => paint(style, 'yellow', l));
}

export function renderOutbound(msg: OutboundMessage, number?: number, style: TerminalStyle = PLAIN): string {
  switch (msg.kind) {
    case 'digestHeader':
      return [paint(style, 'bold', `━━ ${safe(msg.title)} ━━`), ...wrap(msg.themesLine, '', style.width)].join('\n');
    case 'digestPaper': {
      const n = number ?? msg.position;
      const lines = renderPaperLines(msg.paper, n, style);
      if (msg.topic) lines.push(...matchedLines(msg.topic, ' '.repeat(`${String(n).padStart(2)}. `.length), style));
      return lines.join('\n');
    }
    case 'alert': {
      const out = [paint(style, 'bold', `━━ ${safe(msg.title)} ━━`)];
      msg.items.forEach(({ paper, topic }, i) => out.push(...renderPaperLines(paper, i + 1, style), ...matchedLines(topic, '    ', style)));
      out.push(...wrap('Type "save <number>" to bookmark one.', '', style.width));
      return out.join('\n');
    }
    case 'notice':
      return safe(msg.text);
  }
}
