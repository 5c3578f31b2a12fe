/** What a new user tripped on (issue 11), each as the user met it. */
import { beforeEach, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { parseCommandLine } from '../../src/core/command-spec/parse-text.js';
import type { Reply } from '../../src/core/reply.js';
import { CHANNEL, makeHarness, type Harness } from '../support/bot-harness.js';

const textOf = (r: Reply) => (r.kind === 'text' ? r.text : `(${r.kind})`);

let h: Harness;
beforeEach(async () => {
  h = await makeHarness();
});

describe('what a new user tripped on', () => {
  it('reads EST as America/New_York (with daylight saving) and says so; refuses an ambiguous IST', async () => {
    const r = await h.run('subscribe --timezone EST');
    expect(textOf(r)).toContain('EST read as America/New_York');
    expect((await h.store.getSubscription(CHANNEL))?.timezone).toBe('America/New_York');
    const ist = await h.run('settings --timezone IST');
    expect(textOf(ist)).toMatch(/"IST" means several timezones: Asia\/Kolkata \(India\), Asia\/Jerusalem/);
    expect((await h.store.getSubscription(CHANNEL))?.timezone).toBe('America/New_York');
  });

  it('without a scheduler (no Redis), subscribe says digests come on demand only', async () => {
    expect(h.services.schedules).toBeUndefined();
    const r = textOf(await h.run('subscribe --time 08:30'));
    expect(r).toMatch(/^Subscribed: saved for 08:30/);
    expect(r).toContain('digests come only on demand with /papers digest now');
    expect(r).not.toContain('gets a digest at');
  });

  it('suggests --time 9:00 for "settings time 9:00"', () => {
    expect(() => parseCommandLine('/papers settings time 9:00', commands)).toThrow('Unexpected "time 9:00" after settings. Did you mean --time 9:00?');
  });

  it('echoes an unbalanced quote once, not doubled', async () => {
    const r = textOf(await h.run('search "zzzqqq nothingmatches'));
    expect(r).toContain('No papers match "zzzqqq nothingmatches"');
    expect(r).not.toContain('""');
  });

  it('refuses "bookmarks export pdf" instead of sending BibTeX', async () => {
    const r = await h.run('bookmarks export pdf');
    expect(r.kind).toBe('text');
    expect(textOf(r)).toMatch(/"pdf" is not an export format: use bibtex or markdown/);
  });

  it('says when "trending week" falls back to an older week', async () => {
    h.clock.set('2026-09-15T10:00:00Z'); // the sample ends on 2026-08-21
    const r = await h.run('trending week');
    if (r.kind !== 'papers') throw new Error(r.kind);
    expect(r.subheading).toMatch(/^No list in the week to .* 15 Sept? 2026; showing the week up to the latest list\. Ranked by momentum/);
    h.clock.set('2026-08-21T10:00:00Z');
    const current = await h.run('trending week');
    expect(current.kind === 'papers' && current.subheading).toBe('Ranked by momentum: upvotes gained per hour since featured.');
  });
});
