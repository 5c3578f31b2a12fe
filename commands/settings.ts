import type { CommandSpec } from '../src/core/command-spec/spec.js';
import { text } from '../src/core/reply.js';
import { describeOrder, describeSettings } from '../src/core/subscription.js';
import { applyPing } from './ping-option.js';
import { applySettings, channelOf, hasSettings, scheduleNote, SETTINGS_OPTIONS } from './support.js';

export const settings: CommandSpec = {
  name: 'settings',
  description: "Show or change this channel's digest: time, timezone, days, top N, upvotes, topic",
  usage: 'settings [--time HH:MM] [--timezone Area/City] [--weekdays mon-fri] [--every day|week] [--top N] [--min-upvotes N] [--topic "query"|none] [--order trending|upvotes] [--threads on|off] [--ping @role|none] [--paused yes|no]',
  options: [...SETTINGS_OPTIONS, { name: 'paused', description: 'Pause (yes) or resume (no) the digest', type: 'boolean' }],
  permission: 'manageChannel',
  async handler(ctx, o) {
    const { store, schedules, clock } = ctx.services;
    const existing = await store.getSubscription(channelOf(ctx));
    if (!existing) return text('This channel is not subscribed. Start with /papers subscribe.');
    if (!hasSettings(o) && o.paused === undefined) {
      const state = existing.paused ? ` Paused${existing.pausedReason ? ` (${existing.pausedReason})` : ''}.` : '';
      return text(`Digest settings: ${describeSettings(existing)}.${state} Papers are ranked ${describeOrder(existing.order)} (--order trending|upvotes).`);
    }
    const notes: string[] = [];
    const next = await applySettings(ctx, existing, o, notes);
    const ping = await applyPing(ctx, o);
    const paused = o.paused === undefined ? existing.paused : Boolean(o.paused);
    const saved = await store.saveSubscription({
      ...existing,
      ...next,
      ping: ping === undefined ? (existing.ping ?? null) : ping,
      threads: o.threads === undefined ? existing.threads === true : o.threads === true,
      paused,
      pausedReason: paused ? (o.paused === undefined ? existing.pausedReason : 'paused with /papers settings') : null,
      updatedAt: clock.now().toISOString(),
    });
    if (saved.paused) await schedules?.remove(saved);
    else await schedules?.upsert(saved);
    return text(`Saved: ${describeSettings(saved)}${saved.paused ? ' (paused)' : ''}.${notes.map((n) => ` ${n}`).join('')}${saved.paused ? '' : scheduleNote(ctx)}`, 'success');
  },
};
