import { describe, expect, it } from 'vitest';
import { ProgressBar } from '../../src/cli/progress-bar.js';

function sink(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, writes, write: (s: string) => (writes.push(s), true) };
}

describe('progress bar', () => {
  it('stays quiet for the first second, then draws at most ten times a second, and clears itself', () => {
    let t = 0;
    const out = sink(true);
    const bar = new ProgressBar(out, { width: 80, color: false }, () => t);
    bar.update('Updating the search index', 100, 75_000);
    expect(out.writes).toEqual([]);
    t = 1_500;
    bar.update('Updating the search index', 37_500, 75_000);
    t = 1_550;
    bar.update('Updating the search index', 38_000, 75_000); // too soon: not drawn
    expect(out.writes).toHaveLength(1);
    expect(out.writes[0]).toMatch(/^\r\u001b\[2KUpdating the search index \[█+░+\] 50% 37,500 \/ 75,000 · 2 s$/);
    t = 1_700;
    bar.update('Updating the search index: reading', 40_000);
    expect(out.writes[1]).toMatch(/reading 40,000 · 2 s$/);
    bar.finish();
    expect(out.writes.at(-1)).toBe('\r\u001b[2K');
  });

  it('draws nothing when stderr is not a terminal', () => {
    let t = 0;
    const out = sink(false);
    const bar = new ProgressBar(out, { width: 80, color: false }, () => t);
    t = 5_000;
    bar.update('x', 1, 2);
    bar.finish();
    expect(out.writes).toEqual([]);
  });
});
