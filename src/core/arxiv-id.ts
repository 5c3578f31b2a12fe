/**
 * arXiv identifiers as users paste them: bare ids, versioned ids, abs/pdf/html URLs,
 * Hugging Face paper pages, alphaxiv links. Versions are dropped: the bot keys papers
 * by the id alone.
 */

const NEW_STYLE = /(\d{4}\.\d{4,5})(?:v\d+)?/;
const OLD_STYLE = /([a-z][a-z-]*(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?/;

const URL_HOSTS = /(?:arxiv\.org|huggingface\.co|hf\.co|alphaxiv\.org|ar5iv\.(?:labs\.)?arxiv\.org)/i;

/** Normalises one arXiv id or paper URL; null when the text holds none. */
export function parseArxivId(input: string): string | null {
  const text = input.trim();
  if (!text || text.length > 300) return null;
  const bare = text.replace(/^arxiv:\s*/i, '');
  const whole = new RegExp(`^(?:${NEW_STYLE.source}|${OLD_STYLE.source})$`);
  const m = whole.exec(bare);
  if (m) return (m[1] ?? m[2])!;
  if (URL_HOSTS.test(text)) {
    const inUrl = new RegExp(`/(?:abs|pdf|html|papers|paper|overview)/(?:${NEW_STYLE.source}|${OLD_STYLE.source})(?:\\.pdf)?(?:[/?#]|$)`).exec(text);
    if (inUrl) return (inUrl[1] ?? inUrl[2])!;
  }
  return null;
}

/** True when the text is exactly an id or a paper URL (not a query that mentions one). */
export function looksLikeArxivRef(input: string): boolean {
  return parseArxivId(input) !== null;
}
