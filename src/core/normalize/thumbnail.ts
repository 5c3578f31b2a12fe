/**
 * A paper's picture from a Daily Papers item: the item's `thumbnail` (HF's social card,
 * https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/<id>.png, on every
 * item since mid 2024), else the first image among the `mediaUrls` the submitter added.
 * Only http(s) URLs pass (cleanUrl: no javascript:, data:, credentials or spaces), and
 * media that chat platforms cannot show as an image (videos: .mp4, .webm, .mov, .qt,
 * about half of all mediaUrls in the archive) are skipped. Whether the URL answers is
 * the platform's business: Discord and Slack show nothing for a 404, and we never fetch.
 */
import { cleanUrl } from '../clean-text.js';

const VIDEO = /\.(?:mp4|m4v|webm|mov|qt|mkv|avi)$/i;

function image(value: unknown): string | null {
  const url = cleanUrl(value);
  if (!url) return null;
  return VIDEO.test(new URL(url).pathname) ? null : url;
}

/** The first usable picture among the candidates, in order, or null. */
export function thumbnailOf(thumbnails: readonly unknown[], mediaUrls: readonly unknown[]): string | null {
  for (const t of thumbnails) {
    const url = image(t);
    if (url) return url;
  }
  for (const m of mediaUrls) {
    const url = image(m);
    if (url) return url;
  }
  return null;
}
