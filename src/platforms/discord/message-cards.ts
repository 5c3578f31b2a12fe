/**
 * Link cards on Discord: reading messages needs the privileged Message Content intent,
 * which the bot does not ask for, so nothing unfurls by itself. Instead two message
 * commands (right-click a message → Apps), registered beside /papers with the same
 * installs and contexts:
 *
 * - "Paper cards": cards for every paper the message links to, that only the person sees;
 * - "Paper cards (public)": the same cards posted in the channel for everyone.
 *
 * Two commands rather than a "Post publicly" button under the private answer: the choice
 * is made in one step, and nothing has to be kept for a button that would carry up to
 * ten paper ids (more than a custom_id holds) and outlive a restart. A message command's
 * interaction carries the target message with its content and embeds even without the
 * intent (data.resolved.messages), so nothing else is read.
 */
import { MessageFlags, type MessageContextMenuCommandInteraction } from 'discord.js';
import { GENERIC_FAILURE } from '../../core/errors.js';
import type { Logger, PlatformHandlers } from '../../core/ports.js';
import { errorReply, type Reply } from '../../core/reply.js';
import { forLog } from './errors.js';
import { editOptions, renderReply, replyOptions } from './render.js';
import { toLinkCardsRequest } from './translate.js';
import { TIMED_OUT, within } from './within.js';

export const PAPER_CARDS = 'Paper cards';
export const PAPER_CARDS_PUBLIC = 'Paper cards (public)';
export const MESSAGE_COMMANDS = [PAPER_CARDS, PAPER_CARDS_PUBLIC] as const;

/**
 * Answers a message command: within Discord's 3 seconds, or deferred (private or public,
 * as asked) and edited. A private answer to a public ask (nothing known) replaces the
 * public "thinking…" with a follow-up only the person sees.
 */
export async function answerMessageCommand(i: MessageContextMenuCommandInteraction, handlers: PlatformHandlers, o: { log: Logger; deferAfterMs: number }): Promise<void> {
  const asPublic = i.commandName === PAPER_CARDS_PUBLIC;
  const log = o.log.child({ interaction: i.id, channel: i.channelId, guild: i.guildId, command: i.commandName });
  if (!(MESSAGE_COMMANDS as readonly string[]).includes(i.commandName) || !handlers.linkCards) return;
  const req = toLinkCardsRequest(i, i.targetMessage, asPublic);
  const work: Promise<Reply> = handlers.linkCards(req).catch((err: unknown) => {
    log.error({ err: forLog(err) }, 'link cards threw');
    return errorReply(GENERIC_FAILURE);
  });
  try {
    let reply: Reply | typeof TIMED_OUT = await within(work, o.deferAfterMs);
    let deferred = false;
    if (reply === TIMED_OUT) {
      await i.deferReply(asPublic ? {} : { flags: MessageFlags.Ephemeral });
      deferred = true;
      reply = await work;
    }
    const payload = renderReply(reply);
    if (!deferred) await i.reply(replyOptions(payload));
    else if (payload.ephemeral === !asPublic) await i.editReply(editOptions(payload));
    else {
      await i.deleteReply();
      await i.followUp(replyOptions(payload));
    }
  } catch (err) {
    log.error({ err: forLog(err) }, 'message command failed');
    const sorry = { content: `❌ ${GENERIC_FAILURE}`, allowedMentions: { parse: [] }, flags: MessageFlags.Ephemeral as const };
    try {
      if (i.deferred || i.replied) await i.followUp(sorry);
      else await i.reply(sorry);
    } catch (again) {
      log.warn({ err: forLog(again) }, 'could not tell the user about the failure');
    }
  }
}
