/**
 * The bot in a terminal: what `npm start` runs when no Discord or Slack token is set.
 * One user, one channel. Lines are handled one at a time so output never interleaves:
 *
 *   /papers search sparse attention    a command (the "/papers" prefix is optional)
 *   react 2 🔖 / unreact 2 🔖          react to the 2nd paper of the last list shown
 *   save 2                              the "🔖 Save" button of the 2nd paper
 *   next / prev                         turn the page of the last list
 *   quit                                leave
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { saveAction } from '../../core/actions.js';
import { parseCommandLine } from '../../core/commands/parse-text.js';
import type { CommandSpec } from '../../core/commands/spec.js';
import { userMessageOf } from '../../core/errors.js';
import type { ChannelRef, ChatPlatform, CommandInvocation, Logger, PlatformHandlers, PostedRef } from '../../core/ports.js';
import type { OutboundMessage, Pager, Reply } from '../../core/reply.js';
import { renderOutbound, renderReply, safe } from './render.js';

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
}

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
  private seq = 0;
  private actionSeq = 0;
  private finished!: Promise<void>;
  private readonly user: string;

  constructor(private readonly opts: ConsoleOptions) {
    this.user = opts.user ?? 'you';
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
        if (!(await this.handleLine(line.trim()))) break;
        this.prompt();
      }
      rl.close();
    })();
  }

  async stop(): Promise<void> {
    this.rl?.close();
  }

  async post(_channel: ChannelRef, message: OutboundMessage): Promise<PostedRef> {
    const messageId = `console-${++this.seq}`;
    if (message.kind === 'digestHeader') {
      this.shown.clear();
      this.pager = undefined;
    }
    if (message.kind === 'digestPaper') this.shown.set(message.position, { messageId });
    this.print(`${renderOutbound(message)}\n`);
    return { messageId };
  }

  private prompt(): void {
    if (this.opts.prompt) this.rl?.prompt();
  }

  private print(text: string): void {
    this.opts.output.write(`${text}\n`);
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
        const ev = { ...CONSOLE_CHANNEL, messageId: target.messageId, userId: this.user, emoji: react[3] ?? '🔖', added: !react[1] };
        await h.reaction(target.paperId ? { ...ev, paperId: target.paperId } : ev);
        this.say(react[1] ? `Reaction removed from ${react[2]}.` : `Reacted ${safe(ev.emoji)} to ${react[2]}. (/papers bookmarks lists your bookmarks)`);
        return true;
      }
      const save = /^save\s+(\d{1,3})$/i.exec(line);
      if (save) {
        const target = this.shown.get(Number(save[1]));
        if (!target?.paperId) return this.say(`There is no paper ${save[1]} in the last list.`), true;
        return this.show(await h.action({ ...CONSOLE_CHANNEL, id: `console-act-${++this.actionSeq}`, userId: this.user, actionId: saveAction(target.paperId), permissions: { manageChannel: true, workspaceAdmin: true } })), true;
      }
      if (/^(next|prev|previous|more)$/i.test(line)) {
        const id = /^(next|more)$/i.test(line) ? this.pager?.nextAction : this.pager?.prevAction;
        if (!id) return this.say('No other page to show.'), true;
        return this.show(await h.action({ ...CONSOLE_CHANNEL, id: `console-act-${++this.actionSeq}`, userId: this.user, actionId: id, permissions: { manageChannel: true, workspaceAdmin: true } })), true;
      }
      const { spec, options } = parseCommandLine(line.replace(/^\/?papers\b/i, '').trim() || 'help', this.opts.commands);
      this.show(await h.command(this.invocation(spec.name, options)));
    } catch (err) {
      this.say(`✗ ${userMessageOf(err)}`);
      if (!(err instanceof Error && 'userMessage' in err)) this.opts.log.error({ err }, 'console line failed');
    }
    return true;
  }

  private say(text: string): void {
    this.print(safe(text));
  }

  private show(reply: Reply | null): void {
    if (!reply) return;
    if (reply.kind === 'papers') {
      this.shown.clear();
      this.pager = reply.pager;
      for (const p of reply.papers) if (p.rank !== undefined) this.shown.set(p.rank, { messageId: `console-eph-${p.id}`, paperId: p.id });
    }
    if (reply.kind === 'file') {
      fs.mkdirSync(this.opts.exportDir, { recursive: true });
      const file = path.join(this.opts.exportDir, path.basename(reply.filename));
      fs.writeFileSync(file, reply.content);
      this.print(`${renderReply(reply)}\nWritten to ${file}`);
      return;
    }
    this.print(renderReply(reply));
  }
}
