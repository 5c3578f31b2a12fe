import type { CommandContext, CommandSpec, OptionValues } from '../src/core/command-spec/spec.js';
import { UserInputError } from '../src/core/errors.js';
import { DEFAULT_INBOX, validateInboxTop, weeklyDay, type Inbox, type InboxSettings } from '../src/core/people.js';
import { text } from '../src/core/reply.js';
import { describeSettings, validateMinUpvotes } from '../src/core/subscription.js';
import { nextDelivery } from './inbox-support.js';
import { applySchedule } from './support.js';

const SETTING_NAMES = ['time', 'timezone', 'weekdays', 'every', 'top', 'min_upvotes', 'instant'] as const;

export const inbox: CommandSpec = {
  name: 'inbox',
  description: 'Your own digest by direct message: on, off, or show it; with time, zone, days, size',
  usage: 'inbox [on|off] [--time HH:MM] [--timezone Area/City] [--weekdays mon-fri] [--every day|week] [--top N] [--min-upvotes N] [--instant]',
  options: [
    { name: 'state', description: 'on or off (leave out to see your settings)', type: 'string', positional: true, choices: [{ name: 'on', value: 'on' }, { name: 'off', value: 'off' }] },
    { name: 'time', description: 'Local time of your digest, HH:MM (default 08:00)', type: 'string', maxLength: 10 },
    { name: 'timezone', description: 'Your IANA timezone, e.g. Europe/Paris', type: 'string', autocomplete: 'timezone', maxLength: 64 },
    { name: 'weekdays', description: 'Days: mon-fri, daily, mon,wed,fri; one day when weekly', type: 'string', maxLength: 40 },
    { name: 'every', description: 'day (default) or week: the top of the past seven featured days', type: 'string', maxLength: 10 },
    { name: 'top', description: 'Papers per digest, 1–25 (default 5)', type: 'integer', aliases: ['top_n'] },
    { name: 'min_upvotes', description: 'Leave out papers with fewer upvotes', type: 'integer', aliases: ['upvotes'] },
    { name: 'instant', description: 'Also a DM when a new paper matches a followed topic (at most one an hour)', type: 'boolean' },
  ],
  async handler(ctx, o) {
    const { store, schedules, clock } = ctx.services;
    const { platform, userId } = ctx.inv;
    const existing = await store.people.getInbox(platform, userId);
    const changing = SETTING_NAMES.some((n) => o[n] !== undefined);
    if (o.state === undefined && !changing) return text(await describeInbox(ctx, existing));
    if (o.state === 'off') {
      if (!existing?.enabled) return text('Your inbox is already off.');
      const saved = await store.people.saveInbox({ ...existing, enabled: false, pausedReason: null, updatedAt: clock.now().toISOString() });
      await schedules?.removeInbox(platform, userId);
      return text(`Your inbox is off; your ${await followCount(ctx)} and settings are kept. Turn it back on with /papers inbox on.${saved.instant ? ' Instant alerts stop too.' : ''}`, 'success');
    }
    if (o.state === undefined && !existing) throw new UserInputError('You have no inbox yet: turn it on with /papers inbox on (the same options work there).');
    const notes: string[] = [];
    const settings = applyInboxSettings(existing ?? { ...DEFAULT_INBOX, timezone: ctx.services.defaults.timezone }, o, notes);
    const now = clock.now().toISOString();
    const enabled = o.state === 'on' ? true : existing!.enabled;
    const next: Inbox = {
      ...settings,
      platform,
      userId,
      // Where it was first set up: the posted log is keyed by it, so it must not move with later commands.
      workspaceId: existing?.workspaceId ?? ctx.inv.workspaceId,
      enabled,
      pausedReason: enabled ? null : existing!.pausedReason,
      pauseNoticeShown: enabled ? false : existing!.pauseNoticeShown,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    const saved = await store.people.saveInbox(next);
    if (saved.enabled) await schedules?.upsertInbox(saved);
    const verb = !existing?.enabled && saved.enabled ? 'Your inbox is on' : 'Inbox saved';
    const noSchedule = schedules ? '' : ' No scheduler is running (no Redis), so nothing is sent until the bot runs with Redis.';
    return text(`${verb}: ${describeInbox1(saved)}.${notes.map((n) => ` ${n}`).join('')} ${await nextLine(ctx, saved)}${noSchedule}`, 'success');
  },
};

/** Applies typed options to `base`, validating each (the same words as a channel's settings). */
function applyInboxSettings(base: InboxSettings, o: OptionValues, notes: string[]): InboxSettings {
  const next = applySchedule(base, o, notes);
  if (next.every === 'week') next.weekdays = weeklyDay(next.weekdays);
  if (o.top !== undefined) next.topN = validateInboxTop(Number(o.top));
  if (o.min_upvotes !== undefined) next.minUpvotes = validateMinUpvotes(Number(o.min_upvotes));
  if (o.instant !== undefined) next.instant = Boolean(o.instant);
  return next;
}

function describeInbox1(i: Inbox): string {
  return `${describeSettings({ ...i, topic: null })}${i.instant ? ', instant alerts on' : ''}`;
}

async function followCount(ctx: CommandContext): Promise<string> {
  const n = (await ctx.services.store.people.listFollows(ctx.inv.platform, ctx.inv.userId)).length;
  return `${n} followed topic${n === 1 ? '' : 's'}`;
}

async function nextLine(ctx: CommandContext, i: Inbox): Promise<string> {
  const n = (await ctx.services.store.people.listFollows(ctx.inv.platform, ctx.inv.userId)).length;
  const what = n ? `the top papers matching your ${n} followed topic${n === 1 ? '' : 's'}` : 'the top of the whole list (follow topics with /papers follow to narrow it)';
  if (!i.enabled) return `It is off; turn it on with /papers inbox on.`;
  const next = nextDelivery(i, ctx.services.clock.now());
  return `Next delivery: ${next ?? 'none scheduled'}, with ${what}.`;
}

async function describeInbox(ctx: CommandContext, i: Inbox | null): Promise<string> {
  if (!i) return 'You have no inbox yet. /papers inbox on sends you the day’s top papers by direct message (or those matching /papers follow topics); add --time 08:00 --timezone Europe/Paris to choose when.';
  const state = i.enabled ? 'on' : i.pausedReason ? `paused: ${i.pausedReason}` : 'off';
  return `Your inbox is ${state}: ${describeInbox1(i)}; ${await followCount(ctx)}. ${await nextLine(ctx, i)}`;
}
