/** Small text helpers shared by normalisation, summaries, snippets and renderers. */

/** Collapses every run of whitespace (hard line breaks included) to one space. */
export function collapseWhitespace(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * Shortens to at most `max` characters (the ellipsis included) at a word boundary,
 * never mid-word; a single over-long word is the only thing ever cut.
 */
export function truncateWords(s: string, max: number, ellipsis = '…'): string {
  if (s.length <= max) return s;
  const room = max - ellipsis.length;
  if (room <= 0) return ellipsis.slice(0, max);
  const cut = s.slice(0, room + 1);
  const lastSpace = cut.search(/\s\S*$/);
  const body = lastSpace > room * 0.5 ? cut.slice(0, lastSpace) : s.slice(0, room);
  return body.replace(/[\s,;:.\-–—(]+$/, '') + ellipsis;
}

/** Strips LaTeX math delimiters and simple commands, and HTML-like tags, for display. */
export function plainText(s: string): string {
  return collapseWhitespace(
    s
      .replace(/<\/?[a-zA-Z][^>]{0,200}>/g, ' ')
      .replace(/\\(?:textbf|textit|emph|mathrm|mathbf|mathcal|text|texttt|textsc)\{([^{}]*)\}/g, '$1')
      .replace(/\$([^$]{1,200})\$/g, '$1')
      .replace(/\\([%&_#$])/g, '$1')
      .replace(/\\[a-zA-Z]+\s?/g, '')
      .replace(/[{}]/g, ''),
  );
}

/** "A, B, C et al." with at most `max` names. */
export function shortenAuthors(authors: readonly string[], max = 3): string {
  if (authors.length === 0) return 'Unknown authors';
  if (authors.length <= max) return authors.join(', ');
  return `${authors.slice(0, max).join(', ')} et al.`;
}

/** One line of at most `n` characters (the ellipsis included), for echoing user text. */
export function clip(s: string, n = 60): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

const CLOSING: Record<string, string> = { '"': '"', "'": "'", '“': '”', '‘': '’' };

/** User text echoed in double quotes, without doubling a quote the user typed (or left open). */
export function quoted(s: string, n = 60): string {
  const c = clip(s, n);
  const close = CLOSING[c[0] ?? ''];
  if (!close) return `"${c}"`;
  return c.length > 1 && c.endsWith(close) ? c : `${c}${close}`;
}

export function pluralize(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
