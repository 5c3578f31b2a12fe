/**
 * The known-item set of the search bench, built from the data: method names before a
 * title's colon, the rest of such titles, the first half of other titles; only those
 * that name one paper.
 */
export interface KnownItem {
  q: string;
  id: string;
  kind: 'method' | 'subtitle' | 'half-title';
}

interface DocLite {
  id: string;
  title: string;
}

/** Known-item queries that name exactly one paper, deterministic, about `perKind` of each kind. */
export async function knownItems(docs: DocLite[], perKind: number): Promise<KnownItem[]> {
  const { normalizeTitle } = await import('../src/search/query.js');
  const { plainText } = await import('../src/core/text.js');
  const sorted = [...docs].sort((a, b) => (a.id < b.id ? -1 : 1));
  const titles = sorted.map((d) => ({ id: d.id, title: plainText(d.title), key: normalizeTitle(plainText(d.title)) }));
  const headCount = new Map<string, number>();
  const keyCount = new Map<string, number>();
  for (const t of titles) {
    keyCount.set(t.key, (keyCount.get(t.key) ?? 0) + 1);
    const c = t.title.indexOf(':');
    if (c > 0) {
      const h = normalizeTitle(t.title.slice(0, c));
      headCount.set(h, (headCount.get(h) ?? 0) + 1);
    }
  }
  const keys = titles.map((t) => ` ${t.key} `);
  /** How many titles hold `k` as a phrase (stopping at 2). */
  const holders = (k: string) => {
    const needle = ` ${k} `;
    let n = 0;
    for (const x of keys) if (x.includes(needle) && ++n > 1) break;
    return n;
  };
  const starters = (k: string) => {
    let n = 0;
    for (const t of titles) if ((t.key === k || t.key.startsWith(`${k} `)) && ++n > 1) break;
    return n;
  };
  const method: KnownItem[] = [];
  const subtitle: KnownItem[] = [];
  const half: KnownItem[] = [];
  for (const t of titles) {
    const c = t.title.indexOf(':');
    if (c > 0) {
      const head = t.title.slice(0, c).trim();
      const hk = normalizeTitle(head);
      if (hk.length >= 3 && head.length <= 40 && head.split(/\s+/).length <= 4 && /[a-z]/i.test(head) && headCount.get(hk) === 1 && !keyCount.has(hk)) {
        method.push({ q: head, id: t.id, kind: 'method' });
      }
      const rest = t.title.slice(c + 1).trim();
      if (rest.split(/\s+/).length >= 4) subtitle.push({ q: rest, id: t.id, kind: 'subtitle' });
    } else {
      const words = t.title.split(/\s+/);
      if (words.length >= 6 && keyCount.get(t.key) === 1) half.push({ q: words.slice(0, Math.ceil(words.length / 2)).join(' '), id: t.id, kind: 'half-title' });
    }
  }
  const every = <T>(xs: T[], n: number) => (xs.length <= n ? xs : xs.filter((_, i) => i % Math.ceil(xs.length / n) === 0));
  // Unambiguous only: the subtitle is in no other title, no other title starts with the half.
  const subs = every(subtitle, perKind * 3).filter((k) => holders(normalizeTitle(k.q)) === 1);
  const halves = every(half, perKind * 3).filter((k) => starters(normalizeTitle(k.q)) === 1);
  return [...every(method, perKind), ...every(subs, perKind), ...every(halves, perKind)];
}
