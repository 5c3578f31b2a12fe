/**
 * The console user's own inbox: what the bot sends to `dm:<user>` prints under a
 * "📬 Your inbox" line, an alert's papers can be saved by number, and a reply's buttons
 * (forget-me's confirmation) are pressed with "press <n>".
 */
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.js';
import { inboxRef } from '../../../src/core/people.js';
import type { ActionEvent, PlatformHandlers } from '../../../src/core/ports.js';
import { text } from '../../../src/core/reply.js';
import { toPaperView } from '../../../src/core/views.js';
import { silentLogger } from '../../../src/log.js';
import { ConsolePlatform } from '../../../src/platforms/console/console-platform.js';
import { INBOX_LINE } from '../../../src/platforms/console/render.js';
import { convLlava, makePaper } from '../../support/papers.js';
import { tempDir } from '../../support/tmp.js';

let platform: ConsolePlatform | undefined;
afterEach(async () => platform?.stop());

function start(handlers: Partial<PlatformHandlers>) {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = '';
  output.on('data', (c: Buffer) => void (shown += c.toString('utf8')));
  const actions: ActionEvent[] = [];
  platform = new ConsolePlatform({ input, output, commands, exportDir: tempDir('papers-console-inbox-'), log: silentLogger() });
  void platform.start({
    command: async () => text('?'),
    reaction: async () => {},
    action: async (ev) => (actions.push(ev), text(`pressed ${ev.actionId}`)),
    ...handlers,
  });
  const until = async (re: RegExp) => {
    const deadline = Date.now() + 5000;
    while (!re.test(shown)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${re} in:\n${shown}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  return { input, actions, until, shown: () => shown };
}

describe('console inbox', () => {
  const ref = inboxRef({ platform: 'console', workspaceId: 'local', userId: 'you' });

  it('prints a digest sent to the inbox under one inbox line, each paper marked with its topic', async () => {
    const c = start({});
    await platform!.post(ref, { kind: 'digestHeader', date: '2026-08-21', title: 'Your papers · Fri 21 Aug 2026', themesLine: 'Themes: agents', count: 2 });
    await platform!.post(ref, { kind: 'digestPaper', date: '2026-08-21', paper: toPaperView(convLlava(), {}), position: 1, of: 2, topic: 'vision encoder' });
    await platform!.post(ref, { kind: 'digestPaper', date: '2026-08-21', paper: toPaperView(makePaper({ id: '2405.00002' }), {}), position: 2, of: 2, topic: 'author:hinton' });
    const out = c.shown();
    expect(out.startsWith(`${INBOX_LINE}\n━━ Your papers`)).toBe(true);
    expect(out.split(INBOX_LINE)).toHaveLength(2);
    expect(out).toMatch(/matched: vision encoder[\s\S]*matched: author:hinton/);
    // A channel digest has no inbox line.
    await platform!.post({ platform: 'console', workspaceId: 'local', channelId: 'terminal' }, { kind: 'notice', text: 'channel notice' });
    expect(c.shown().split(INBOX_LINE)).toHaveLength(2);
  });

  it('lets the user save a paper of an alert by its number', async () => {
    const c = start({});
    await platform!.post(ref, { kind: 'alert', batch: '2026-08-21T14', title: '2 new papers match what you follow', items: [{ paper: toPaperView(convLlava(), {}), topic: 'vision' }, { paper: toPaperView(makePaper({ id: '2405.00002' }), {}), topic: 'hinton' }] });
    expect(c.shown()).toContain(`${INBOX_LINE}\n━━ 2 new papers match what you follow ━━`);
    c.input.write('save 2\n');
    await c.until(/pressed bm:2405\.00002/);
    expect(c.actions[0]).toMatchObject({ userId: 'you', actionId: 'bm:2405.00002' });
  });

  it('presses a reply\'s button by number, and says so when there is none', async () => {
    const c = start({ command: async () => ({ ...text('Forget everything about you?', 'warning'), buttons: [{ label: 'Yes, forget me', actionId: 'fm:yes:you', style: 'danger' }] }) });
    c.input.write('press 1\n');
    await c.until(/The last reply has no buttons\./);
    c.input.write('help\n'); // any command: the fake handlers answer with a confirmation
    await c.until(/\[1\] Yes, forget me — type "press <number>"/);
    c.input.write('press 2\n');
    await c.until(/There is no button 2: the last reply has 1\./);
    c.input.write('press 1\n');
    await c.until(/pressed fm:yes:you/);
    expect(c.actions.map((a) => a.actionId)).toEqual(['fm:yes:you']);
  });
});
