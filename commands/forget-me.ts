import type { CommandSpec } from '../src/core/command-spec/spec.js';
import { forgetAction } from '../src/core/actions.js';
import type { TextReply } from '../src/core/reply.js';

/**
 * Asks first: the button carries the person's id, and only that person's press deletes
 * (src/core/bot.ts checks), so a confirmation someone else sees in a channel is harmless.
 */
export const forgetMe: CommandSpec = {
  name: 'forget-me',
  description: 'Delete everything I keep about you: bookmarks, follows, inbox, alerts',
  usage: 'forget-me',
  options: [],
  async handler(ctx) {
    const reply: TextReply = {
      kind: 'text',
      text: 'This deletes everything I keep about you: your bookmarks, followed topics, inbox settings and the record of what it sent you, and pending alerts. It cannot be undone. Press the button to confirm, or ignore this message to keep everything.',
      tone: 'warning',
      ephemeral: true,
      buttons: [{ label: 'Delete everything about me', actionId: forgetAction(ctx.inv.userId), style: 'danger' }],
    };
    return reply;
  },
};
