/** Meta keys every Store implementation uses the same way, so getMeta agrees across them. */

/** The search revision: bumps when a paper's searchable text changes (see Store.revision). */
export const REVISION_KEY = 'store.revision';
