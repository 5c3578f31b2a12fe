import type { CommandSpec } from '../src/core/command-spec/spec.js';
import { formatDay } from '../src/core/dates.js';
import { SlowDownError } from '../src/core/errors.js';
import { text } from '../src/core/reply.js';
import { DIGEST_NOW_RATE } from '../src/core/throttle.js';
import { channelOf, defaultSettings } from './support.js';

export const digest: CommandSpec = {
  name: 'digest',
  description: "Post this channel's digest now (Manage Channels), or preview it privately",
  usage: 'digest [now|preview]',
  options: [
    { name: 'action', description: 'now (post it here) or preview (only you see it)', type: 'string', positional: true, choices: [{ name: 'now', value: 'now' }, { name: 'preview', value: 'preview' }] },
  ],
  // Posting is changing the channel: the same permission as subscribe. A preview only shows the asker.
  permission: 'manageChannel',
  openWhen: (o) => o.action === 'preview',
  slow: true,
  async handler(ctx, o) {
    const { store, digests, dispatcher } = ctx.services;
    const ref = channelOf(ctx);
    // Without a subscription the digest uses the defaults, so anyone can try it first.
    const sub = (await store.getSubscription(ref)) ?? { ...ref, ...defaultSettings(ctx) };

    if (o.action === 'preview') {
      const plan = await digests.plan(sub, 'now');
      if ('skip' in plan) return text(`Nothing to post: ${plan.skip}.`);
      return {
        kind: 'papers',
        heading: `Preview: ${plan.messages[0]?.kind === 'digestHeader' ? plan.messages[0].title : plan.digest.title}`,
        subheading: plan.digest.themesLine,
        papers: plan.messages.flatMap((m) => (m.kind === 'digestPaper' ? [m.paper] : [])),
        ephemeral: true,
      };
    }

    // One `digest now` per channel per cooldown, whoever asks: a second would only post more.
    const wait = ctx.services.throttle ? await ctx.services.throttle.tryTake(`digest-now:${ref.platform}:${ref.workspaceId}:${ref.channelId}`, DIGEST_NOW_RATE) : 0;
    if (wait > 0) throw new SlowDownError(wait, 'A digest was just posted here');
    const outcome = await dispatcher.runNow(sub);
    if ('queued' in outcome) {
      return text(`Posting ${outcome.papers} paper${outcome.papers === 1 ? '' : 's'} from ${formatDay(outcome.date)} here in a moment.`, 'success');
    }
    if (outcome.date === null) return text(`Nothing new to post: ${outcome.skippedReason ?? 'every recent paper was already posted here'}.`);
    return text(`Posted ${outcome.posted} paper${outcome.posted === 1 ? '' : 's'} from ${formatDay(outcome.date)}.`, 'success');
  },
};
