/**
 * `papers discord …`: Discord chores from the command line. For now one:
 *
 *   papers discord register [--guild ID] [--json] [--dry-run]
 *
 * registers `/papers` (built from the command list) globally or in one guild, through
 * REST at DISCORD_API_BASE. Bulk overwrite, so running it again is harmless.
 */
import { parseArgs } from 'node:util';
import { DiscordAPIError, REST } from 'discord.js';
import { commands } from '../../../commands/index.js';
import { note, printJson, println, UsageError } from '../../cli/cli-output.js';
import { BotError, ConfigError } from '../../core/errors.js';
import type { DiscordConnection } from './discord-config.js';
import { fromDiscordError } from './errors.js';
import { buildCommand, buildMessageCommands, inviteUrl, registerCommands } from './register.js';

export const DISCORD_USAGE = `Usage: papers discord register [--guild ID] [--json] [--dry-run]

  register          Register /papers and its subcommands with Discord
    --guild ID      in one server only (appears at once; handy while testing), else globally
    --json          print what Discord registered, as JSON
    --dry-run       print the command JSON without calling Discord (no token needed)

Needs DISCORD_TOKEN and DISCORD_APP_ID; DISCORD_API_BASE points REST elsewhere. See docs/discord.md.`;

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  json(value: unknown): void;
}

const stdio: CliIo = { out: println, err: note, json: printJson };

export async function discordCli(args: string[], config: { discord: DiscordConnection | undefined }, io: CliIo = stdio): Promise<void> {
  const [sub, ...rest] = args;
  if (!sub || sub === 'help' || sub === '--help' || sub === '-h') {
    io.out(DISCORD_USAGE);
    return;
  }
  if (sub !== 'register') throw new UsageError(`Unknown discord command "${sub.slice(0, 30)}".\n\n${DISCORD_USAGE}`);
  let values: { guild?: string | undefined; json?: boolean | undefined; 'dry-run'?: boolean | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { guild: { type: 'string' }, json: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, verbose: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n\n${DISCORD_USAGE}`);
  }
  if (values.help) {
    io.out(DISCORD_USAGE);
    return;
  }
  if (values.guild !== undefined && !/^\d{15,25}$/.test(values.guild)) throw new UsageError(
      `--guild takes a server id: a 17–20 digit number such as 1234567890123456789, not "${values.guild.slice(0, 30)}". In Discord, turn on Developer Mode (User Settings → Advanced), then right-click the server icon → Copy Server ID.`,
    );

  if (values['dry-run']) {
    io.json([buildCommand(commands), ...buildMessageCommands()]);
    return;
  }
  const discord = config.discord;
  if (!discord) throw new ConfigError('DISCORD_TOKEN and DISCORD_APP_ID must be set to register commands (see docs/discord.md).');

  const restClient = new REST({ api: discord.apiBase }).setToken(discord.token);
  try {
    const registered = await registerCommands({ rest: restClient, appId: discord.appId, specs: commands, ...(values.guild ? { guildId: values.guild } : {}) });
    if (values.json) {
      io.json(registered);
      return;
    }
    const root = registered.find((c) => c.name === 'papers');
    const subs = root?.options?.length ?? 0;
    const menus = registered.filter((c) => c.type === 3).map((c) => `"${c.name}"`);
    io.out(`Registered /papers with ${subs} subcommands ${values.guild ? `in server ${values.guild}` : 'globally'} (application ${discord.appId}).${menus.length ? ` Message commands: ${menus.join(', ')}.` : ''}`);
    io.out(`Invite the bot with: ${inviteUrl(discord.appId)}`);
  } catch (err) {
    if (err instanceof DiscordAPIError && err.status !== 401) {
      const errors = (err.rawError as { errors?: unknown }).errors;
      throw new BotError('upstream', `Discord refused the commands: ${err.status} (code ${err.code}) ${err.message}${errors ? ` ${JSON.stringify(errors).slice(0, 1500)}` : ''}`, { cause: err });
    }
    throw fromDiscordError(err, 'register commands');
  } finally {
    restClient.clearHashSweeper();
    restClient.clearHandlerSweeper();
  }
}
