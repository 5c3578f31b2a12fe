/**
 * The `/papers` application command, built from the one command list (commands/index.ts),
 * and its registration through REST. `buildCommand` is pure and snapshot-tested;
 * `validateCommand` checks Discord's documented limits so a bad spec fails here, with its
 * path, rather than as a 400 from Discord.
 *
 * Permissions: Discord only honours `default_member_permissions` on a top-level command,
 * never on a subcommand. Setting Manage Channels on `/papers` would hide search and
 * bookmarks from everyone else, so `/papers` is open to all and subscribe, unsubscribe
 * and settings are checked at run time by the core (bot.ts) against the member's
 * permissions in the channel, which Discord resolves with overwrites and sends with
 * every interaction. Server admins can still narrow `/papers` as a whole in
 * Server Settings → Integrations. See docs/discord.md.
 *
 * Installs: a server (guild install) or a person (user install), in every context: a
 * server channel, the DM with the bot, a group DM. Outside a server the bot is in, nobody
 * has channel permissions (translate.ts), so subscribing is refused there by the core.
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  PermissionFlagsBits,
  REST,
  Routes,
  type APIApplicationCommand,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import { COMMAND_ROOT, type CommandSpec, type OptionSpec } from '../../core/command-spec/spec.js';
import { cut } from './limits.js';
import { MESSAGE_COMMANDS } from './message-cards.js';

export const ROOT_DESCRIPTION = 'Trending AI papers from Hugging Face Daily Papers: search, digests, bookmarks';

/**
 * What the bot needs in a channel: View Channel, Send Messages, Embed Links, Attach Files
 * (bookmark exports), Add Reactions (the 🔖 hint), Read Message History (reactions on
 * older messages).
 */
export const BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.ReadMessageHistory |
  // Thread mode (settings --threads on): a thread on the digest header, the papers in it.
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.SendMessagesInThreads;

export function inviteUrl(appId: string): string {
  const q = new URLSearchParams({ client_id: appId, permissions: BOT_PERMISSIONS.toString(), scope: 'bot applications.commands' });
  return `https://discord.com/oauth2/authorize?${q.toString()}`;
}

/** Options the bot sets itself (help's `unknown`, from the text parser) are not offered on Discord. */
export function isInternalOption(_spec: CommandSpec, o: OptionSpec): boolean {
  return o.hidden === true;
}

function option(o: OptionSpec): APIApplicationCommandBasicOption {
  const base = { name: o.name, description: cut(o.description, 100), required: o.required === true };
  switch (o.type) {
    case 'boolean':
      return { ...base, type: ApplicationCommandOptionType.Boolean };
    case 'role':
      // A role picker: the interaction carries the role's id and, in data.resolved.roles, the role.
      return { ...base, type: ApplicationCommandOptionType.Role };
    case 'integer':
      return {
        ...base,
        type: ApplicationCommandOptionType.Integer,
        ...(o.min !== undefined ? { min_value: o.min } : {}),
        ...(o.max !== undefined ? { max_value: o.max } : {}),
        ...(o.choices ? { choices: o.choices.slice(0, 25).map((c) => ({ name: c.name, value: Number(c.value) })) } : {}),
      };
    case 'string': {
      const common = { ...base, type: ApplicationCommandOptionType.String as const, ...(o.maxLength !== undefined ? { max_length: Math.min(o.maxLength, 6000) } : {}) };
      // Discord allows choices or autocomplete on an option, not both; fixed choices win.
      if (o.choices) return { ...common, choices: o.choices.slice(0, 25).map((c) => ({ name: c.name, value: c.value })) };
      if (o.autocomplete) return { ...common, autocomplete: true };
      return common;
    }
  }
}

function subcommand(spec: CommandSpec): APIApplicationCommandSubcommandOption {
  const opts = spec.options.filter((o) => !isInternalOption(spec, o)).map(option);
  // Discord requires required options first; the order is otherwise the spec's.
  const ordered = [...opts.filter((o) => o.required), ...opts.filter((o) => !o.required)];
  return {
    type: ApplicationCommandOptionType.Subcommand,
    name: spec.name,
    description: cut(spec.description + (spec.permission === 'manageChannel' && !spec.openWhen ? ' (Manage Channels)' : ''), 100),
    options: ordered,
  };
}

/** The JSON of the one `/papers` chat-input command. */
export function buildCommand(specs: readonly CommandSpec[]): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return {
    type: ApplicationCommandType.ChatInput,
    name: COMMAND_ROOT,
    description: ROOT_DESCRIPTION,
    // Open to everyone: see the note at the top of this file.
    default_member_permissions: null,
    // Installable by a server and by a user, so /papers works in servers, in the DM with
    // the bot, and (user installs) in group DMs and servers without the bot.
    ...EVERYWHERE,
    options: specs.map(subcommand),
  };
}

/** Where /papers is: a server, the DM with the bot, a group DM; by a server's or a person's install. */
const EVERYWHERE = {
  contexts: [InteractionContextType.Guild, InteractionContextType.BotDM, InteractionContextType.PrivateChannel],
  integration_types: [ApplicationIntegrationType.GuildInstall, ApplicationIntegrationType.UserInstall],
};

/** The "Paper cards" message commands (message-cards.ts), offered wherever /papers is. */
export function buildMessageCommands(): RESTPostAPIContextMenuApplicationCommandsJSONBody[] {
  return MESSAGE_COMMANDS.map((name) => ({ type: ApplicationCommandType.Message, name, default_member_permissions: null, ...EVERYWHERE }));
}

/** A message command's limits: a name of 1–32 characters (mixed case and spaces allowed), no description, no options. */
export function validateMessageCommand(cmd: RESTPostAPIContextMenuApplicationCommandsJSONBody): string[] {
  const problems: string[] = [];
  const n = [...cmd.name].length;
  if (n < 1 || n > 32 || cmd.name.trim() !== cmd.name) problems.push(`"${cmd.name}": a message command's name must be 1–32 characters, no outer spaces`);
  if ('description' in cmd && (cmd as { description?: string }).description) problems.push(`"${cmd.name}": a message command has no description`);
  if ('options' in cmd) problems.push(`"${cmd.name}": a message command has no options`);
  return problems;
}

const NAME = /^[-_\p{Ll}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** Problems with a command against Discord's documented limits; empty when it is valid. */
export function validateCommand(cmd: RESTPostAPIChatInputApplicationCommandsJSONBody): string[] {
  const problems: string[] = [];
  let chars = 0;
  const text = (path: string, s: string | undefined, min: number, max: number) => {
    const n = s?.length ?? 0;
    chars += n;
    if (n < min || n > max) problems.push(`${path}: length ${n}, must be ${min}–${max}`);
  };
  const name = (path: string, s: string) => {
    text(path, s, 1, 32);
    if (!NAME.test(s)) problems.push(`${path}: "${s}" is not a valid lowercase command or option name`);
  };
  name('name', cmd.name);
  text('description', cmd.description, 1, 100);
  const subs = cmd.options ?? [];
  if (subs.length > 25) problems.push(`options: ${subs.length} subcommands, at most 25`);
  const seen = new Set<string>();
  subs.forEach((sub, i) => {
    const p = `options[${i}] (${sub.name})`;
    if (seen.has(sub.name)) problems.push(`${p}: duplicate name`);
    seen.add(sub.name);
    name(`${p}.name`, sub.name);
    text(`${p}.description`, sub.description, 1, 100);
    if (sub.type !== ApplicationCommandOptionType.Subcommand) return;
    const opts = sub.options ?? [];
    if (opts.length > 25) problems.push(`${p}: ${opts.length} options, at most 25`);
    let optional = false;
    const names = new Set<string>();
    opts.forEach((o, j) => {
      const q = `${p}.options[${j}] (${o.name})`;
      if (names.has(o.name)) problems.push(`${q}: duplicate name`);
      names.add(o.name);
      name(`${q}.name`, o.name);
      text(`${q}.description`, o.description, 1, 100);
      if (o.required && optional) problems.push(`${q}: a required option after an optional one`);
      if (!o.required) optional = true;
      const choices = 'choices' in o ? (o.choices ?? []) : [];
      if (choices.length > 25) problems.push(`${q}: ${choices.length} choices, at most 25`);
      if (choices.length && 'autocomplete' in o && o.autocomplete) problems.push(`${q}: choices and autocomplete together`);
      choices.forEach((c, k) => {
        text(`${q}.choices[${k}].name`, c.name, 1, 100);
        if (typeof c.value === 'string') text(`${q}.choices[${k}].value`, c.value, 1, 100);
      });
      if ('max_length' in o && o.max_length !== undefined && (o.max_length < 1 || o.max_length > 6000)) problems.push(`${q}: max_length must be 1–6000`);
      if ('min_value' in o && 'max_value' in o && o.min_value !== undefined && o.max_value !== undefined && o.min_value > o.max_value) {
        problems.push(`${q}: min_value above max_value`);
      }
    });
  });
  // Names, descriptions and choice names and values together.
  if (chars > 8000) problems.push(`the command totals ${chars} characters, at most 8000`);
  return problems;
}

export interface RegisterOptions {
  rest: REST;
  appId: string;
  /** Registers in this guild only (instant, handy while testing); globally otherwise. */
  guildId?: string;
  specs: readonly CommandSpec[];
}

/**
 * Bulk-overwrites the application's commands (global or in one guild) with `/papers` and
 * the "Paper cards" message commands: running it again is harmless, and a command of ours
 * that no longer exists is removed.
 */
export async function registerCommands(opts: RegisterOptions): Promise<APIApplicationCommand[]> {
  const cmd = buildCommand(opts.specs);
  const problems = validateCommand(cmd);
  if (problems.length) throw new Error(`the /${cmd.name} command breaks Discord's limits:\n  ${problems.join('\n  ')}`);
  const menus = buildMessageCommands();
  const menuProblems = menus.flatMap(validateMessageCommand);
  if (menuProblems.length) throw new Error(`the message commands break Discord's limits:\n  ${menuProblems.join('\n  ')}`);
  const route = opts.guildId ? Routes.applicationGuildCommands(opts.appId, opts.guildId) : Routes.applicationCommands(opts.appId);
  return (await opts.rest.put(route, { body: [cmd, ...menus] })) as APIApplicationCommand[];
}
