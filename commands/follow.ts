import type { CommandSpec } from '../src/core/command-spec/spec.js';
import { addDays } from '../src/core/dates.js';
import { UserInputError } from '../src/core/errors.js';
import { cleanTopic, FOLLOW_LOOKBACK_DAYS, MAX_FOLLOWS, sameTopic } from '../src/core/people.js';
import { text } from '../src/core/reply.js';
import { inboxHint, latestFeaturedDay } from './inbox-support.js';
import { clip } from './support.js';

export const follow: CommandSpec = {
  name: 'follow',
  description: 'Follow a topic (a search): matching papers come to your inbox by DM',
  usage: 'follow <topic> (a search: speculative decoding, author:hinton)',
  options: [{ name: 'topic', description: 'A search query: words, "a phrase", author:name, -exclude', type: 'string', required: true, positional: true, rest: true, maxLength: 200 }],
  async handler(ctx, o) {
    const { store, index } = ctx.services;
    const { platform, userId } = ctx.inv;
    const topic = cleanTopic(String(o.topic ?? ''));
    const follows = await store.people.listFollows(platform, userId);
    if (follows.some((f) => sameTopic(f.topic, topic))) return text(`You already follow "${clip(topic, 80)}". See your topics with /papers following.`);
    if (follows.length >= MAX_FOLLOWS) throw new UserInputError(`You follow ${follows.length} topics, the most I keep. Unfollow one first (/papers following lists them).`);
    // The same parser as searches: a topic that cannot be searched is refused now, with the reason.
    const today = await latestFeaturedDay(ctx);
    const since = addDays(today, -FOLLOW_LOOKBACK_DAYS);
    const res = await index.search(topic, { limit: 1, filters: { featuredFrom: since, featuredTo: today } });
    if (res.total === 0) {
      const hint = res.suggestion ? ` Did you mean "${clip(res.suggestion, 80)}"?` : ' Try fewer or more common words.';
      throw new UserInputError(`Nothing featured in the last ${FOLLOW_LOOKBACK_DAYS} days matches "${clip(topic, 80)}", so I did not follow it.${hint}`);
    }
    const added = await store.people.addFollow({ platform, userId, topic, createdAt: ctx.services.clock.now().toISOString() });
    if (!added) return text(`You already follow "${clip(topic, 80)}".`);
    const notice = res.notice ? ` (${res.notice})` : '';
    return text(`Following "${clip(topic, 80)}": ${res.total} paper${res.total === 1 ? '' : 's'} matched in the last ${FOLLOW_LOOKBACK_DAYS} days${notice}. ${await inboxHint(ctx)}`, 'success');
  },
};
