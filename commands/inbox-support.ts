/** Helpers the personal commands (follow, following, inbox) share. */
import type { CommandContext } from '../src/core/command-spec/spec.js';
import { addDays, dayInZone } from '../src/core/dates.js';
import { UserInputError } from '../src/core/errors.js';
import type { Follow, Inbox } from '../src/core/people.js';
import { formatLocal, nextSlot } from '../src/core/schedule-slot.js';

/** "Today" for this person: their inbox's timezone, else the bot's default. */
export async function personalToday(ctx: CommandContext): Promise<string> {
  const inbox = await ctx.services.store.people.getInbox(ctx.inv.platform, ctx.inv.userId);
  return dayInZone(ctx.services.clock.now(), inbox?.timezone ?? ctx.services.defaults.timezone);
}

/**
 * The newest featured day up to the person's today: "the last 90 days" and "this week" are
 * counted back from it, as /papers trending anchors on it, so a bot whose store is behind
 * (offline, the embedded sample) still measures topics against the papers it has.
 */
export async function latestFeaturedDay(ctx: CommandContext): Promise<string> {
  const today = await personalToday(ctx);
  const [latest] = await ctx.services.store.featuredDays({ onOrBefore: today, limit: 1 });
  return latest ?? today;
}

/** Per topic, how many papers it matched in the 7 days to the latest featured day (null: the parser refuses it now). */
export async function weeklyCounts(ctx: CommandContext, follows: readonly Follow[]): Promise<(number | null)[]> {
  const today = await latestFeaturedDay(ctx);
  const filters = { featuredFrom: addDays(today, -6), featuredTo: today };
  return Promise.all(
    follows.map(async (f) => {
      try {
        return (await ctx.services.index.search(f.topic, { limit: 1, filters })).total;
      } catch (err) {
        if (err instanceof UserInputError) return null;
        throw err;
      }
    }),
  );
}

/** One sentence on where the followed topics go, for the replies of follow and following. */
export async function inboxHint(ctx: CommandContext): Promise<string> {
  const inbox = await ctx.services.store.people.getInbox(ctx.inv.platform, ctx.inv.userId);
  if (!inbox?.enabled) return 'Get them by direct message with /papers inbox on.';
  const next = nextDelivery(inbox, ctx.services.clock.now());
  return `They come to your inbox${next ? `, next on ${next}` : ''}.`;
}

export function nextDelivery(inbox: Inbox, now: Date): string | null {
  const at = nextSlot(inbox, now);
  return at ? formatLocal(at, inbox.timezone) : null;
}
