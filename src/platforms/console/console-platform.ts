/**
 * The bot in a terminal: what `npm start` runs when no Discord or Slack token is set.
 * One user, one channel. Lines are handled one at a time so output never interleaves:
 *
 *   /papers search sparse attention    a command (the "/papers" prefix is optional)
 *   react 2 🔖 / unreact 2 🔖          react to the 2nd paper of the last list shown
 *   save 2                              the "🔖 Save" button of the 2nd paper
 *   next / prev                         turn the page of the last list
 *   press 1                             the 1st button under the last reply (a confirmation)
 *   quit                                leave
 *
 * Output that arrives while the user types (a digest from the worker) is printed above
 * the prompt, and the prompt is drawn again with what was typed so far. What is sent to
 * the user's own inbox (a `dm:` ref: digests by DM, instant alerts) prints under a
 * "📬 Your inbox" line.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { isBookmarkEmoji, saveAction, unsaveAction } from '../../core/actions.js';
import { parseCommandLine } from '../../core/command-spec/parse-text.js';
import type { CommandSpec } from '../../core/command-spec/spec.js';
import { userMessageOf } from '../../core/errors.js';
import type { ChannelRef, ChatPlatform, CommandInvocation, Logger, PlatformHandlers, PostedRef, PostOptions } from '../../core/ports.js';
import { isInboxChannel } from '../../core/people.js';
import type { OutboundMessage, Pager, Reply, ReplyButton } from '../../core/reply.js';
import { INBOX_LINE, renderOutbound, renderReply, safe } from './render.js';
import { PLAIN, type TerminalStyle } from './terminal.js';

export const CONSOLE_CHANNEL: ChannelRef = { platform: 'console', workspaceId: 'local', channelId: 'terminal' };

export interface ConsoleOptions {
  input: Readable;
  output: Writable;
  commands: readonly CommandSpec[];
  /** Where exported bookmark files are written. */
  exportDir: string;
  user?: string;
  log: Logger;
  /** Show a prompt (interactive terminals only). */
  prompt?: boolean;
  /** Width and colour (terminal.ts); plain 80 columns by default. */
  style?: TerminalStyle;
}

/** The console's own words, listed under /papers help. */
export const CONSOLE_WORDS = 'In this terminal: "next" / "prev" turn pages, "save 3" or "react 3 🔖" bookmarks paper 3, "unreact 3 🔖" removes it, "press 1" presses the 1st button under a reply, "quit" leaves.';

interface Shown {
  messageId: string;
  /** Known for ephemeral lists; digest messages resolve through the posted log like any platform. */
  paperId?: string;
}

export class ConsolePlatform implements ChatPlatform {
  readonly name = 'console' as const;
  private handlers: PlatformHandlers | undefined;
  private rl: readline.Interface | undefined;
  private shown = new Map<number, Shown>();
  private pager: Pager | undefined;
  /** The buttons under the last reply shown ("press 1"). */
  private buttons: readonly ReplyButton[] = [];
  private seq = 0;
  private actionSeq = 0;
  private finished!: Promise<void>;
  private readonly user: string;
  private readonly style: TerminalStyle;
  /** True while a line is being handled: its output needs no prompt redraw. */
  private busy = false;

  constructor(private readonly opts: ConsoleOptions) {
    this.user = opts.user ?? 'you';
    this.style = opts.style ?? PLAIN;
  }

  /** Resolves when the input ends or the user quits. */
  get done(): Promise<void> {
    return this.finished;
  }

  async start(handlers: PlatformHandlers): Promise<void> {
    this.handlers = handlers;
    const rl = readline.createInterface({ input: this.opts.input, output: this.opts.prompt ? this.opts.output : undefined, terminal: false });
    this.rl = rl;
    if (this.opts.prompt) rl.setPrompt('papers> ');
    this.finished = (async () => {
      this.prompt();
      for await (const line of rl) {
        this.busy = true;
        const goOn = await this.handleLine(line.trim());
        this.busy = false;
        if (!goOn) break;
        this.prompt();
      }
      rl.close();
    })();
  }

  async stop(): Promise<void> {
    this.rl?.close();
  }

  async post(channel: ChannelRef, message: OutboundMessage, opts?: PostOptions): Promise<PostedRef> {
    const messageId = `console-${++this.seq}`;
    if (message.kind === 'digestHeader' || message.kind === 'alert') {
      this.shown.clear();
      this.pager = undefined;
    }
    if (message.kind === 'digestPaper') this.shown.set(message.position, { messageId, paperId: message.paper.id });
    if (message.kind === 'alert') message.items.forEach((it, i) => this.shown.set(i + 1, { messageId, paperId: it.paper.id }));
    // The inbox line heads a digest or an alert, not each of its papers.
    const inbox = isInboxChannel(channel.channelId) && message.kind !== 'digestPaper' ? `${INBOX_LINE}\n` : '';
    this.printAsync(`${inbox}${renderOutbound(message, undefined, this.style)}${this.writeFiles(messageId, opts?.files)}\n`);
    return { messageId };
  }

  /** A message's files (a weekly chart) written under exportDir, as "chart: <path>" lines; a failed write is said, not thrown. */
  private writeFiles(messageId: string, files: PostOptions['files']): string {
    if (!files?.length) return '';
    const lines = files.map((f) => {
      const file = path.join(this.opts.exportDir, `${messageId}-${path.basename(f.name)}`);
      try {
        fs.mkdirSync(this.opts.exportDir, { recursive: true });
        fs.writeFileSync(file, f.data);
        return `${f.contentType.startsWith('image/') ? 'chart' : 'file'}: ${file}`;
      } catch (err) {
        this.opts.log.warn({ err, file }, 'could not write a digest file');
        return `(${path.basename(f.name)} not written: ${(err as Error).message})`;
      }
    });
    return `\n${lines.join('\n')}`;
  }

  /** Live counts: a terminal cannot change what it printed, so it says what changed. */
  async edit(_channel: ChannelRef, _messageId: string, message: OutboundMessage): Promise<void> {
    if (message.kind !== 'digestPaper') return;
    const { paper } = message;
    this.printAsync(`↻ ${message.position}. ${safe(paper.title)}: now ${paper.upvotes ?? 0} upvotes, ${paper.comments ?? 0} comments`);
  }

  private prompt(): void {
    if (this.opts.prompt) this.rl?.prompt();
  }

  private print(text: string): void {
    this.opts.output.write(`${text}\n`);
  }

  /** Output nobody typed a line for: above the prompt, which is drawn again with the typed text. */
  private printAsync(text: string): void {
    const out = this.opts.output as Writable & { isTTY?: boolean };
    if (!this.opts.prompt || this.busy || !this.rl || !out.isTTY) return this.print(text);
    readline.clearLine(out, 0);
    readline.cursorTo(out, 0);
    this.print(text);
    this.rl.prompt(true);
  }

  private invocation(command: string, options: CommandInvocation['options']): CommandInvocation {
    return {
      ...CONSOLE_CHANNEL,
      id: `console-cmd-${++this.actionSeq}`,
      userId: this.user,
      userName: this.user,
      command,
      options,
      // One user at their own terminal: they own the channel.
      permissions: { manageChannel: true, workspaceAdmin: true },
    };
  }

  /** Returns false when the user asked to leave. */
  private async handleLine(line: string): Promise<boolean> {
    const h = this.handlers!;
    if (!line) return true;
    try {
      if (/^(quit|exit|:q)$/i.test(line)) return false;
      const react = /^(un)?react\s+(\d{1,3})(?:\s+(\S+))?$/i.exec(line);
      if (react) {
        const target = this.shown.get(Number(react[2]));
        if (!target) return this.say(`There is no paper ${react[2]} in the last list.`), true;
        const emoji = react[3] ?? '🔖';
        if (!isBookmarkEmoji(emoji)) return this.say(`Only 🔖 does something here: it bookmarks the paper. (${safe(emoji)} was not added.)`), true;
        const verb = react[1] ? 'Reaction removed from' : `Reacted ${safe(emoji)} to`;
        if (target.paperId) {
          // The same store change a 🔖 reaction makes, through the Save button, whose answer names the paper and says "already".
          this.say(`${verb} ${react[2]}: ${await this.bookmark(target.paperId, !react[1])}`);
        } else {
          await h.reaction({ ...CONSOLE_CHANNEL, messageId: target.messageId, userId: this.user, emoji, added: !react[1] });
          this.say(`${verb} ${react[2]}.`);
        }
        return true;
      }
      const save = /^save\s+(\d{1,3})$/i.exec(line);
      if (save) {
        const target = this.shown.get(Number(save[1]));
        if (!target?.paperId) return this.say(`There is no paper ${save[1]} in the last list.`), true;
        return this.show(await h.action({ ...CONSOLE_CHANNEL, id: `console-act-${++this.actionSeq}`, userId: this.user, actionId: saveAction(target.paperId), permissions: { manageChannel: true, workspaceAdmin: true } })), true;
      }
      const press = /^press\s+(\d{1,2})$/i.exec(line);
      if (press) {
        const b = this.buttons[Number(press[1]) - 1];
        if (!b) return this.say(this.buttons.length ? `There is no button ${press[1]}: the last reply has ${this.buttons.length}.` : 'The last reply has no buttons.'), true;
        return this.show(await h.action({ ...CONSOLE_CHANNEL, id: `console-act-${++this.actionSeq}`, userId: this.user, actionId: b.actionId, permissions: { manageChannel: true, workspaceAdmin: true } })), true;
      }
      if (/^(next|prev|previous|more)$/i.test(line)) {
        const id = /^(next|more)$/i.test(line) ? this.pager?.nextAction : this.pager?.prevAction;
        if (!id) return this.say('No other page to show.'), true;
        return this.show(await h.action({ ...CONSOLE_CHANNEL, id: `console-act-${++this.actionSeq}`, userId: this.user, actionId: id, permissions: { manageChannel: true, workspaceAdmin: true } })), true;
      }
      const text = line.replace(/^\/?papers\b/i, '').trim() || 'help';
      const first = text.split(/\s+/)[0]!.toLowerCase();
      if (!this.opts.commands.some((c) => c.name === first)) {
        // One line and a way on, not the whole help.
        return this.say(`"${safe(first).slice(0, 30)}" is not a command here. Type "help" for the list, or "search ${safe(text).slice(0, 40)}" to search for it.`), true;
      }
      const { spec, options } = parseCommandLine(text, this.opts.commands);
      this.show(await h.command(this.invocation(spec.name, options)));
    } catch (err) {
      this.say(`✗ ${userMessageOf(err)}`);
      if (!(err instanceof Error && 'userMessage' in err)) this.opts.log.error({ err }, 'console line failed');
    }
    return true;
  }

  private say(text: string): void {
    this.print(renderReply({ kind: 'text', text, tone: text.startsWith('✗') ? 'error' : 'info', ephemeral: true }, this.style));
  }

  /** Saves or removes a bookmark as the Save / Remove buttons do; their answer names the paper. */
  private async bookmark(paperId: string, add: boolean): Promise<string> {
    const r = await this.handlers!.action({ ...CONSOLE_CHANNEL, id: `console-act-${++this.actionSeq}`, userId: this.user, actionId: add ? saveAction(paperId) : unsaveAction(paperId), permissions: { manageChannel: true, workspaceAdmin: true } });
    return r?.kind === 'text' ? r.text.replace(/^🔖 /, '') : '';
  }

  private show(reply: Reply | null): void {
    if (!reply) return;
    this.buttons = reply.kind === 'text' ? (reply.buttons ?? []) : [];
    if (reply.kind === 'papers') {
      this.shown.clear();
      this.pager = reply.pager;
      for (const p of reply.papers) if (p.rank !== undefined) this.shown.set(p.rank, { messageId: `console-eph-${p.id}`, paperId: p.id });
    }
    if (reply.kind === 'help') reply = { ...reply, footer: [reply.footer, CONSOLE_WORDS].filter(Boolean).join(' ') };
    if (reply.kind === 'file') {
      fs.mkdirSync(this.opts.exportDir, { recursive: true });
      const file = path.join(this.opts.exportDir, path.basename(reply.filename));
      fs.writeFileSync(file, reply.content);
      this.print(`${renderReply(reply, this.style)}\nWritten to ${file}`);
      return;
    }
    this.print(renderReply(reply, this.style));
  }
}
