/**
 * The ChatPlatform contract for the console: the ConsolePlatform on in-memory streams.
 * Its reactions are typed by number ("react 2 🔖") on what it listed, not events on a
 * message id, so the reaction case is left to console-session.test.ts.
 */
import { PassThrough } from 'node:stream';
import { commands } from '../../../commands/index.js';
import { createHandlers } from '../../../src/core/bot.js';
import { silentLogger } from '../../../src/log.js';
import { inboxRef } from '../../../src/core/people.js';
import { CONSOLE_CHANNEL, ConsolePlatform } from '../../../src/platforms/console/console-platform.js';
import { INBOX_LINE } from '../../../src/platforms/console/render.js';
import { PLATFORMS } from '../../../src/platforms/index.js';
import { makeTestServices } from '../../support/bot-harness.js';
import { tempDir } from '../../support/tmp.js';
import { chatPlatformContract } from '../contract.js';

async function until(fn: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

chatPlatformContract(
  'console',
  async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (c: Buffer) => void (shown += c.toString('utf8')));
    let platform: ConsolePlatform;
    const { services, store, index } = await makeTestServices({ platformFor: () => platform });
    platform = new ConsolePlatform({ input, output, commands, exportDir: tempDir('papers-console-contract-'), log: silentLogger() });
    await platform.start(createHandlers(services, commands, PLATFORMS));
    return {
      platform,
      store,
      channel: CONSOLE_CHANNEL,
      async invokeHelp() {
        const from = shown.length;
        input.write('/papers help\n');
        await until(() => shown.length > from && /search/.test(shown.slice(from)), 'the help text');
        return shown.slice(from);
      },
      // The terminal is one stream: a posted message is shown if the stream holds its text
      // (outside the inbox: before the first inbox line).
      async shown() {
        return shown.split(INBOX_LINE)[0];
      },
      // The console user's inbox prints to the same terminal, under its own line.
      inbox: {
        ref: inboxRef({ platform: 'console', workspaceId: 'local', userId: 'you' }),
        async shown() {
          const at = shown.indexOf(INBOX_LINE);
          return at < 0 ? undefined : shown.slice(at);
        },
      },
      waitFor: until,
      async close() {
        input.end();
        await index.close();
      },
    };
  },
  { findPosted: false, reactions: false },
);
