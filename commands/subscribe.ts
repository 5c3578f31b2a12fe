import type { CommandSpec } from '../src/core/command-spec/spec.js';
import { text } from '../src/core/reply.js';
import { describeSettings } from '../src/core/subscription.js';
import { applyPing } from './ping-option.js';
import { applySettings, channelOf, defaultSettings, hasSettings, newSubscription, scheduleNote, SETTINGS_OPTIONS } from './support.js';

export const subscribe: CommandSpec = {
  name: 'subscribe',
  description: "Post the day's trending papers to this channel every morning",
  usage: 'subscribe [--time HH:MM] [--timezone Area/City] [--weekdays mon-fri] [--every day|week] [--top N] [--min-upvotes N] [--topic "query"] [--order trending|upvotes] [--threads on|off] [--ping @role]',
  options: SETTINGS_OPTIONS,
  permission: 'manageChannel',
  async handler(ctx, o) {
    const { store, schedules } = ctx.services;
    const existing = await store.getSubscription(channelOf(ctx));
    if (existing && !hasSettings(o) && !existing.paused) {
      return text(`This channel is already subscribed: ${describeSettings(existing)}. Change it with /papers settings.`);
    }
    const base = existing ?? defaultSettings(ctx);
    const notes: string[] = [];
    const settings = await applySettings(ctx, base, o, notes);
    const ping = await applyPing(ctx, o);
    const sub = existing
      ? { ...existing, ...settings, paused: false, pausedReason: null, updatedAt: ctx.services.clock.now().toISOString() }
      : newSubscription(ctx, settings);
    if (ping !== undefined) sub.ping = ping;
    if (o.threads !== undefined) sub.threads = o.threads === true;
    const saved = await store.saveSubscription(sub);
    await schedules?.upsert(saved);
    const verb = existing ? 'Subscription updated' : 'Subscribed';
    const when = schedules ? `this channel gets a digest at ${describeSettings(saved)}` : `saved for ${describeSettings(saved)}`;
    return text(`${verb}: ${when}.${notes.map((n) => ` ${n}`).join('')}${scheduleNote(ctx)} Change it with /papers settings, stop it with /papers unsubscribe.`, 'success');
  },
};
