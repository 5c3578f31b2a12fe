import type { CommandSpec } from '../src/core/command-spec/spec.js';
import { text } from '../src/core/reply.js';
import { channelOf } from './support.js';

export const unsubscribe: CommandSpec = {
  name: 'unsubscribe',
  description: 'Stop the daily digest in this channel',
  usage: 'unsubscribe',
  options: [],
  permission: 'manageChannel',
  async handler(ctx) {
    const ref = channelOf(ctx);
    const removed = await ctx.services.store.deleteSubscription(ref);
    await ctx.services.schedules?.remove(ref);
    return removed
      ? text('Unsubscribed: no more daily digests here. Bookmarks are kept.', 'success')
      : text('This channel was not subscribed.');
  },
};
