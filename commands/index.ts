/**
 * Every /papers subcommand, in the order help lists them. This one list feeds Discord
 * registration, the Slack manifest, help, the console and the text parser.
 */
import type { CommandSpec } from '../src/core/command-spec/spec.js';
import { bookmarks } from './bookmarks.js';
import { digest } from './digest.js';
import { follow } from './follow.js';
import { following } from './following.js';
import { forgetMe } from './forget-me.js';
import { inbox } from './inbox.js';
import { makeHelp } from './help.js';
import { search } from './search.js';
import { settings } from './settings.js';
import { show } from './show.js';
import { similar } from './similar.js';
import { subscribe } from './subscribe.js';
import { trending } from './trending.js';
import { unfollow } from './unfollow.js';
import { unsubscribe } from './unsubscribe.js';

export const commands: readonly CommandSpec[] = [
  search,
  trending,
  show,
  similar,
  subscribe,
  unsubscribe,
  settings,
  bookmarks,
  follow,
  following,
  unfollow,
  inbox,
  digest,
  forgetMe,
  makeHelp(() => commands),
];

export function findCommand(name: string): CommandSpec | undefined {
  return commands.find((c) => c.name === name);
}
