import type { CommandSpec } from '../src/core/command-spec/spec.js';
import { MAX_FOLLOWS } from '../src/core/people.js';
import { text } from '../src/core/reply.js';
import { inboxHint, weeklyCounts } from './inbox-support.js';
import { clip } from './support.js';

export const following: CommandSpec = {
  name: 'following',
  description: 'The topics you follow, numbered, with how many papers each matched this week',
  usage: 'following',
  options: [],
  async handler(ctx) {
    const follows = await ctx.services.store.people.listFollows(ctx.inv.platform, ctx.inv.userId);
    if (!follows.length) return text('You follow no topics yet. Follow one with /papers follow <topic>, e.g. /papers follow speculative decoding.');
    const counts = await weeklyCounts(ctx, follows);
    const lines = follows.map((f, i) => `${i + 1}. ${clip(f.topic, 100)} — ${counts[i] === null ? 'not searchable now' : `${counts[i]} paper${counts[i] === 1 ? '' : 's'} in the last 7 days`}`);
    return text(`Your followed topics (${follows.length} of ${MAX_FOLLOWS}):\n${lines.join('\n')}\nUnfollow one with /papers unfollow <number>. ${await inboxHint(ctx)}`);
  },
};
