import type { CommandSpec } from '../src/core/command-spec/spec.js';
import { UserInputError } from '../src/core/errors.js';
import { sameTopic } from '../src/core/people.js';
import { text } from '../src/core/reply.js';
import { clip } from './support.js';

export const unfollow: CommandSpec = {
  name: 'unfollow',
  description: 'Stop following a topic, by its number in /papers following or its text',
  usage: 'unfollow <number or topic>',
  options: [{ name: 'topic', description: 'The number shown by /papers following, or the topic', type: 'string', required: true, positional: true, rest: true, maxLength: 200 }],
  async handler(ctx, o) {
    const { platform, userId } = ctx.inv;
    const people = ctx.services.store.people;
    const raw = String(o.topic ?? '').trim();
    const follows = await people.listFollows(platform, userId);
    if (!follows.length) return text('You follow no topics.');
    let target = follows.find((f) => sameTopic(f.topic, raw));
    if (!target && /^\d{1,4}$/.test(raw)) {
      target = follows[Number(raw) - 1];
      if (!target) throw new UserInputError(`You follow ${follows.length} topic${follows.length === 1 ? '' : 's'}; ${raw} is not one of their numbers (see /papers following).`);
    }
    if (!target) throw new UserInputError(`You do not follow "${clip(raw, 60)}". /papers following lists your topics with their numbers.`);
    await people.removeFollow(platform, userId, target.topic);
    return text(`Unfollowed "${clip(target.topic, 80)}".`, 'success');
  },
};
