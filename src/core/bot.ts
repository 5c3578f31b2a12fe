/**
 * The bot's behaviour behind every platform: command dispatch with permission checks
 * and error wording, 🔖 reactions, buttons, and autocomplete. Adapters call these
 * handlers with translated events and render what comes back.
 */
import { decodeAction, isBookmarkEmoji, withPagerActions } from './actions.js';
import { parseArxivId } from './arxiv-id.js';
import { stripControls } from './clean-text.js';
import { checkRequired, coerceOption } from './command-spec/parse-text.js';
import type { CommandSpec, OptionValues } from './command-spec/spec.js';
import { noMetrics, type CommandOutcome } from './metrics.js';
import { isUserFault, PermissionError, SlowDownError, UserInputError, userMessageOf } from './errors.js';
import { permissionRefusalFor, type PlatformTraits } from './platform-descriptor.js';
import type { ActionEvent, CommandInvocation, PlatformHandlers, ReactionEvent } from './ports.js';
import { forgetPerson, describeForget } from './forget.js';
import { pauseNotice } from './inbox-pause.js';
import { linkCardsReply, type LinkCardsRequest } from './linked-papers.js';
import { errorReply, text, withPauseNotice, type Reply } from './reply.js';
import type { BotServices } from './services.js';
import { allTimezones } from './subscription.js';
import { COMMAND_RATE, MemoryThrottle } from './throttle.js';
import { truncateWords } from './text.js';

/**
 * Who may change a channel's digest is decided per platform (see InvokerPermissions), and
 * so is the refusal's wording: each platform's descriptor carries it, `platforms` lists them.
 */
export function createHandlers(given: BotServices, specs: readonly CommandSpec[], platforms: readonly PlatformTraits[]): PlatformHandlers {
  const services: BotServices = { ...given, throttle: given.throttle ?? new MemoryThrottle() };
  const { store, log } = services;
  const throttle = services.throttle!;
  const metrics = services.metrics ?? noMetrics;
  const help = specs.find((s) => s.name === 'help');
  if (!help) throw new Error('createHandlers: the command list has no help');

  /** Re-checks typed options against the spec: adapters may pass anything a client sent. */
  function cleanOptions(spec: CommandSpec, raw: CommandInvocation['options']): OptionValues {
    const out: OptionValues = {};
    for (const [name, raw1] of Object.entries(raw)) {
      if (raw1 === undefined) continue;
      // NUL and lone surrogates fail on PostgreSQL; controls and bidi overrides mean nothing typed.
      const value = typeof raw1 === 'string' ? stripControls(raw1, { multiline: true }) : raw1;
      const opt = spec.options.find((o) => o.name === name);
      if (!opt) {
        log.debug({ command: spec.name, option: name }, 'ignoring unknown option');
        continue;
      }
      out[name] = coerceOption(spec, opt, value);
    }
    checkRequired(spec, out);
    return out;
  }

  async function finalize(reply: Reply): Promise<Reply> {
    if (reply.kind === 'papers' && reply.pager) return { ...reply, pager: await withPagerActions(store, reply.pager) };
    return reply;
  }

  async function run(spec: CommandSpec, inv: CommandInvocation, options: CommandInvocation['options']): Promise<Reply> {
    const ilog = log.child({ interaction: inv.id, platform: inv.platform, channel: inv.channelId, command: spec.name });
    const t0 = performance.now();
    const done = (outcome: CommandOutcome) => metrics.commandDone(spec.name, outcome, (performance.now() - t0) / 1000);
    try {
      await slowDown(inv);
      const opts = cleanOptions(spec, options);
      const needsPermission = spec.permission === 'manageChannel' && !spec.openWhen?.(opts);
      if (needsPermission && !inv.permissions.manageChannel) throw new PermissionError(permissionRefusalFor(platforms, inv.platform));
      const started = Date.now();
      const reply = withPauseNotice(await finalize(await spec.handler({ inv, services }, opts)), await pausedInboxLine(inv));
      ilog.info({ ms: Date.now() - started, reply: reply.kind }, 'command answered');
      done('ok');
      return reply;
    } catch (err) {
      if (isUserFault(err)) ilog.info({ code: (err as { code: string }).code, msg: userMessageOf(err) }, 'command refused');
      else ilog.error({ err }, 'command failed');
      done(err instanceof PermissionError ? 'refused' : isUserFault(err) ? 'user_error' : 'error');
      return errorReply(userMessageOf(err));
    }
  }

  /** Said once, on the next command after the bot paused this person's inbox (see inbox-pause.ts). */
  async function pausedInboxLine(inv: Pick<CommandInvocation, 'platform' | 'userId'>): Promise<string | null> {
    try {
      return await pauseNotice(store, inv.platform, inv.userId);
    } catch (err) {
      log.warn({ err }, 'could not check for a paused inbox');
      return null;
    }
  }

  /**
   * One budget per user per platform workspace, shared by every process when the
   * throttle is Redis. A failing throttle (Redis away) lets the command through: the
   * limit guards against floods, not against the bot answering at all.
   */
  async function slowDown(inv: Pick<CommandInvocation, 'platform' | 'workspaceId' | 'userId'>): Promise<void> {
    let wait = 0;
    try {
      wait = await throttle.tryTake(`cmd:${inv.platform}:${inv.workspaceId}:${inv.userId}`, COMMAND_RATE);
    } catch (err) {
      log.warn({ err }, 'command throttle unavailable; letting the command through');
    }
    if (wait > 0) throw new SlowDownError(wait);
  }

  return {
    command(inv) {
      const spec = specs.find((s) => s.name === inv.command);
      if (!spec) return run(help, inv, { unknown: inv.command.slice(0, 40) });
      return run(spec, inv, inv.options);
    },

    async reaction(ev: ReactionEvent) {
      if (ev.byBot || !isBookmarkEmoji(ev.emoji)) return;
      const found = ev.paperId ? null : ((await store.findPostedByMessage(ev.platform, ev.channelId, ev.messageId)) ?? (ev.threadParentId ? await store.findPostedByMessage(ev.platform, ev.threadParentId, ev.messageId) : null));
      const paperId = ev.paperId ?? found?.paperId;
      if (!paperId) return; // a reaction on some other message
      const rlog = log.child({ platform: ev.platform, channel: ev.channelId, message: ev.messageId, paper: paperId });
      try {
        if (ev.added) {
          if (!(await store.getPaper(paperId))) return;
          const added = await store.addBookmark({ platform: ev.platform, userId: ev.userId, paperId, createdAt: services.clock.now().toISOString() });
          rlog.info({ added }, 'bookmarked by reaction');
        } else {
          const removed = await store.removeBookmark(ev.platform, ev.userId, paperId);
          rlog.info({ removed }, 'unbookmarked by reaction');
        }
      } catch (err) {
        rlog.error({ err }, 'reaction failed');
      }
    },

    async action(ev: ActionEvent) {
      const alog = log.child({ interaction: ev.id, platform: ev.platform, channel: ev.channelId });
      try {
        const action = await decodeAction(store, ev.actionId);
        if (action.type === 'page') {
          const spec = specs.find((s) => s.name === action.command)!;
          const inv: CommandInvocation = { ...ev, command: spec.name, options: { ...action.args, page: action.page } };
          return await run(spec, inv, inv.options);
        }
        if (action.type === 'forget') {
          // Only the person who asked may confirm: a button seen by others in a channel deletes nothing.
          if (action.userId !== ev.userId) return errorReply('This button belongs to someone else. To delete what I keep about you, run /papers forget-me yourself.');
          const report = await forgetPerson(services, ev.platform, ev.userId);
          alog.info({ ...report }, 'person forgotten');
          return text(`${describeForget(report)} I keep nothing else about you.`, 'success');
        }
        const paper = await store.getPaper(action.paperId);
        if (!paper) throw new UserInputError(`Paper ${action.paperId} is no longer known.`);
        if (action.type === 'save') {
          const added = await store.addBookmark({ platform: ev.platform, userId: ev.userId, paperId: paper.id, createdAt: services.clock.now().toISOString() });
          return text(added ? `🔖 Saved "${truncateWords(paper.title, 80)}" to your bookmarks.` : `"${truncateWords(paper.title, 80)}" is already in your bookmarks.`, 'success');
        }
        const removed = await store.removeBookmark(ev.platform, ev.userId, paper.id);
        return text(removed ? `Removed "${truncateWords(paper.title, 80)}" from your bookmarks.` : 'That paper was not in your bookmarks.', 'success');
      } catch (err) {
        if (isUserFault(err)) alog.info({ msg: userMessageOf(err) }, 'action refused');
        else alog.error({ err }, 'action failed');
        return errorReply(userMessageOf(err));
      }
    },

    /**
     * Cards for the papers a message links to. Asked for (Discord's message command): the
     * person's command budget and paused-inbox line apply, as for any command. An unfurl
     * (anyone posting a link on Slack) is not that person asking, so it spends nothing.
     */
    async linkCards(req: LinkCardsRequest) {
      const llog = log.child({ interaction: req.id, platform: req.platform, channel: req.channelId, via: req.via });
      const t0 = performance.now();
      const done = (outcome: CommandOutcome) => metrics.commandDone('link-cards', outcome, (performance.now() - t0) / 1000);
      try {
        if (req.via === 'command') await slowDown(req);
        const reply = await linkCardsReply(store, req);
        llog.info({ reply: reply.kind, papers: reply.kind === 'papers' ? reply.papers.length : 0 }, 'link cards answered');
        done('ok');
        return req.via === 'command' ? withPauseNotice(reply, await pausedInboxLine(req)) : reply;
      } catch (err) {
        if (isUserFault(err)) llog.info({ msg: userMessageOf(err) }, 'link cards refused');
        else llog.error({ err }, 'link cards failed');
        done(isUserFault(err) ? 'user_error' : 'error');
        return errorReply(userMessageOf(err));
      }
    },

    async autocomplete(kind, typed) {
      const t = typed.trim().slice(0, 100);
      if (kind === 'timezone') {
        const needle = t.toLowerCase().replace(/\s+/g, '_');
        const zones = allTimezones();
        const hits = needle ? zones.filter((z) => z.toLowerCase().includes(needle)) : ['UTC', 'Europe/London', 'Europe/Paris', 'America/New_York', 'America/Los_Angeles', 'Asia/Shanghai', 'Asia/Tokyo'];
        return hits.slice(0, 25).map((z) => ({ name: z, value: z }));
      }
      try {
        const id = parseArxivId(t);
        if (id) {
          const p = await store.getPaper(id);
          return p ? [{ name: truncateWords(`${p.id} · ${p.title}`, 100), value: p.id }] : [];
        }
        if (t.length < 2) return [];
        const r = await services.index.search(t, { limit: 10 });
        const papers = await store.getPapers(r.hits.map((h) => h.id));
        return papers.map((p) => ({ name: truncateWords(`${p.id} · ${p.title}`, 100), value: p.id }));
      } catch {
        return []; // half-typed text is not an error worth showing
      }
    },
  };
}
