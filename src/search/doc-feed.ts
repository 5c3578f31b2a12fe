/**
 * Where index builds read papers from: the DocFeed interface, and the feed over the store
 * that production uses (tests pass arrays). Apart from the index because callers that
 * wire an index up need it and nothing else of it.
 */
import type { PaperId } from '../core/paper.js';
import type { IndexDoc, Store } from '../core/ports.js';
import { toIndexDoc } from '../core/ports.js';

/** Where index builds read papers from; the store in production, arrays in tests. */
export interface DocFeed {
  /** Changes whenever searchable text changes; equal revisions mean no rebuild. */
  revision(): Promise<number>;
  /** Every paper, in pages. */
  pages(pageSize?: number): AsyncIterable<IndexDoc[]>;
  /** One paper's text, for "similar"; without it the index's own vectors are used. */
  get?(id: PaperId): Promise<IndexDoc | null>;
  /** How many papers there are, to size a first build's heap; without it that build is uncapped. */
  count?(): Promise<number>;
}

export function storeDocFeed(store: Store): DocFeed {
  return {
    revision: () => store.revision(),
    count: () => store.countPapers(),
    async *pages(pageSize = 500) {
      let afterId: PaperId | undefined;
      for (;;) {
        const page = await store.listPapers(afterId === undefined ? { limit: pageSize } : { afterId, limit: pageSize });
        if (page.length === 0) return;
        yield page.map(toIndexDoc);
        afterId = page[page.length - 1]!.id;
        if (page.length < pageSize) return;
      }
    },
    async get(id) {
      const p = await store.getPaper(id);
      return p ? toIndexDoc(p) : null;
    },
  };
}
