import { describe, expect, it } from 'vitest';
import { readPaperFiles } from '../../src/sources/files.js';
import { descriptionProblems } from '../../scripts/description-check.js';
import { DESCRIPTION_SET } from '../../scripts/description-set.js';
import { pickDescriptionPapers } from '../../scripts/pick-description-papers.js';
import { HF_DAILY_DIR } from '../support/tmp.js';

// Needs the full corpus (PAPERS_DATA_DIR): the set describes 160 of the 9,577 HF papers.
describe('the description set on the real data', () => {
  it('describes, in order, the papers the seeded pick gives, each within the rules', async () => {
    const { papers } = await readPaperFiles([HF_DAILY_DIR]);
    expect(pickDescriptionPapers(papers).map((p) => p.id)).toEqual(DESCRIPTION_SET.map((d) => d.id));
    expect(descriptionProblems(DESCRIPTION_SET, new Map(papers.map((p) => [p.id, p.title])))).toEqual([]);
  });
});
