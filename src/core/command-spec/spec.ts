/**
 * The shape of a slash command, platform-neutral. One list of these (commands/index.ts)
 * feeds Discord registration, the Slack manifest, `/papers help`, the console and the
 * text parser, so a subcommand or option exists everywhere or nowhere.
 */
import type { CommandInvocation } from '../ports.js';
import type { Reply } from '../reply.js';
import type { BotServices } from '../services.js';

/** `role`: a Discord role picker (option type 8, the value is the role id); text platforms read it as text. */
export type OptionType = 'string' | 'integer' | 'boolean' | 'role';

export interface OptionSpec {
  /** Lowercase, [a-z0-9_]{1,32}: valid as a Discord option name and as a `--flag`. */
  name: string;
  /** ≤ 100 characters (Discord's limit). */
  description: string;
  type: OptionType;
  required?: boolean;
  choices?: readonly { name: string; value: string }[];
  min?: number;
  max?: number;
  maxLength?: number;
  autocomplete?: 'paper' | 'timezone';
  /** Text platforms fill positional options in order, skipping choice options that do not accept a word. */
  positional?: boolean;
  /** Takes the rest of the text verbatim (quotes kept), e.g. a search query. */
  rest?: boolean;
  /** Extra `--flag` spellings on text platforms (e.g. `top` for `limit`). */
  aliases?: readonly string[];
  /** Set by the bot, never typed by users: not registered on Discord, not listed by help. */
  hidden?: boolean;
}

export type OptionValues = Record<string, string | number | boolean | undefined>;

export interface CommandContext {
  inv: CommandInvocation;
  services: BotServices;
}

export interface CommandSpec {
  /** Subcommand name: `/papers <name>`. */
  name: string;
  /** ≤ 100 characters. */
  description: string;
  /** Shown by help, e.g. `search <query> [--from YYYY-MM-DD] [--code]`. */
  usage: string;
  options: readonly OptionSpec[];
  /** Checked by the core before the handler runs; adapters also register it as a default. */
  permission?: 'manageChannel';
  /** The permission is not needed when this holds (`digest preview` is open to everyone). */
  openWhen?: (opts: OptionValues) => boolean;
  /** True when the handler may take longer than a platform's acknowledgement window. */
  slow?: boolean;
  handler(ctx: CommandContext, opts: OptionValues): Promise<Reply>;
}

export const COMMAND_ROOT = 'papers';
