import { ApplicationCommandOptionType, REST, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.js';
import { discordCli, type CliIo } from '../../../src/platforms/discord/discord-cli.js';
import { UsageError } from '../../../src/cli/cli-output.js';
import { ConfigError } from '../../../src/core/errors.js';
import { BOT_PERMISSIONS, buildCommand, buildMessageCommands, inviteUrl, registerCommands, validateCommand } from '../../../src/platforms/discord/register.js';
import { DEFAULT_GUILD, startDiscordStandin, type DiscordStandin } from '../../support/discord-standin/index.js';
import { validateCommand as standinValidate } from '../../support/discord-standin/validate.js';

describe('/papers application command', () => {
  const cmd = buildCommand(commands);

  it('is one chat-input command whose subcommands are the command list (snapshot)', () => {
    expect(cmd).toMatchSnapshot();
    expect(cmd.options!.map((o) => o.name)).toEqual(commands.map((c) => c.name));
    expect(cmd.options!.every((o) => o.type === ApplicationCommandOptionType.Subcommand)).toBe(true);
  });

  it("is within Discord's limits, by our check and by the stand-in's", () => {
    expect(validateCommand(cmd)).toEqual([]);
    expect(standinValidate(cmd)).toEqual([]);
    expect(JSON.stringify(cmd).length).toBeLessThan(16_000);
  });

  it('types options: integers with bounds, choice lists, autocomplete for papers and timezones', () => {
    const sub = (name: string) => cmd.options!.find((o) => o.name === name) as unknown as { options: Record<string, unknown>[] };
    const opt = (s: string, o: string) => sub(s).options.find((x) => x.name === o)!;
    expect(opt('search', 'top')).toMatchObject({ type: ApplicationCommandOptionType.Integer, min_value: 1, max_value: 50 });
    expect(opt('search', 'query')).toMatchObject({ type: ApplicationCommandOptionType.String, required: true, max_length: 4000 });
    expect(opt('search', 'code')).toMatchObject({ type: ApplicationCommandOptionType.Boolean });
    expect(opt('trending', 'period')).toMatchObject({ choices: [{ name: 'today', value: 'today' }, { name: 'this week', value: 'week' }] });
    expect(opt('show', 'paper')).toMatchObject({ autocomplete: true });
    expect(opt('subscribe', 'timezone')).toMatchObject({ autocomplete: true });
    expect(opt('subscribe', 'top')).toMatchObject({ type: ApplicationCommandOptionType.Integer, min_value: 1, max_value: 10 });
    // Text-parser plumbing is not offered on Discord.
    expect(sub('help').options.map((o) => o.name)).toEqual(['command']);
  });

  it('can be installed by a server or a user, and used in servers, the DM with the bot and group DMs', () => {
    expect(cmd.integration_types).toEqual([0, 1]);
    expect(cmd.contexts).toEqual([0, 1, 2]);
    expect(standinValidate({ ...cmd, contexts: [0, 3] })).toEqual(['contexts: 3 is not one of 0, 1, 2']);
    expect(standinValidate({ ...cmd, integration_types: [] })).toEqual(['integration_types: must be a non-empty array']);
  });

  it('leaves /papers open to everyone and names the permission on the subcommands that need it', () => {
    expect(cmd.default_member_permissions).toBeNull();
    for (const name of ['subscribe', 'unsubscribe', 'settings']) {
      expect(cmd.options!.find((o) => o.name === name)!.description).toMatch(/\(Manage Channels\)$/);
    }
    expect(cmd.options!.find((o) => o.name === 'search')!.description).not.toMatch(/Manage/);
  });

  it('catches what Discord would refuse', () => {
    const bad = {
      name: 'Papers',
      description: '',
      options: [
        {
          type: 1,
          name: 'sub',
          description: 'x'.repeat(101),
          options: [
            { type: 3, name: 'a', description: 'a' },
            { type: 3, name: 'b', description: 'b', required: true, choices: [{ name: 'x', value: 'x' }], autocomplete: true },
          ],
        },
      ],
    } as unknown as RESTPostAPIChatInputApplicationCommandsJSONBody;
    const problems = validateCommand(bad).join('\n');
    expect(problems).toMatch(/^name: /m);
    expect(problems).toMatch(/description: length 0/);
    expect(problems).toMatch(/description: length 101/);
    expect(problems).toMatch(/required option after an optional one/);
    expect(problems).toMatch(/choices and autocomplete together/);
  });

  it('invites the bot with exactly the permissions it needs and both scopes', () => {
    expect(BOT_PERMISSIONS).toBe(309_237_763_136n);
    expect(inviteUrl('123456789012345678')).toBe('https://discord.com/oauth2/authorize?client_id=123456789012345678&permissions=309237763136&scope=bot+applications.commands');
  });
});

describe('registration through REST (stand-in)', () => {
  let discord: DiscordStandin;
  let rest: REST;

  beforeAll(async () => {
    discord = await startDiscordStandin();
    rest = new REST({ api: discord.apiBase }).setToken(discord.token);
  });
  afterAll(async () => {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
    await discord.close();
  });

  it('bulk-overwrites the global commands, keeping the id on a second run', async () => {
    const first = await registerCommands({ rest, appId: discord.appId, specs: commands });
    const second = await registerCommands({ rest, appId: discord.appId, specs: commands });
    expect(second.map((c) => c.id)).toEqual(first.map((c) => c.id));
    expect(discord.commands.global.map((c: { name: string }) => c.name)).toEqual(['papers', 'Paper cards', 'Paper cards (public)']);
    expect(discord.commands.global[0]).toMatchObject({ integration_types: [0, 1], contexts: [0, 1, 2] });
    expect(discord.requests.filter((r) => r.method === 'PUT').map((r) => r.path)).toEqual([`/applications/${discord.appId}/commands`, `/applications/${discord.appId}/commands`]);
  });

  it('registers in one guild', async () => {
    await registerCommands({ rest, appId: discord.appId, guildId: DEFAULT_GUILD, specs: commands });
    expect(discord.commands.guild.get(DEFAULT_GUILD)![0].options).toHaveLength(commands.length);
  });

  describe('papers discord register', () => {
    function io() {
      const out: string[] = [];
      const json: unknown[] = [];
      const sink: CliIo = { out: (l) => void out.push(l), err: (l) => void out.push(l), json: (v) => void json.push(v) };
      return { out, json, sink };
    }
    const config = () => ({ discord: { token: discord.token, appId: discord.appId, apiBase: discord.apiBase } });

    it('registers globally and prints the invite URL', async () => {
      const { out, sink } = io();
      await discordCli(['register'], config(), sink);
      expect(out[0]).toBe(`Registered /papers with ${commands.length} subcommands globally (application ${discord.appId}). Message commands: "Paper cards", "Paper cards (public)".`);
      expect(out[1]).toContain('permissions=309237763136&scope=bot+applications.commands');
    });

    it('registers in a guild with --guild, and prints JSON with --json', async () => {
      const { json, sink } = io();
      await discordCli(['register', '--guild', DEFAULT_GUILD, '--json'], config(), sink);
      expect(json[0]).toEqual([expect.objectContaining({ name: 'papers', guild_id: DEFAULT_GUILD }), expect.objectContaining({ name: 'Paper cards', type: 3 }), expect.objectContaining({ name: 'Paper cards (public)', type: 3 })]);
    });

    it('prints the JSON without a token with --dry-run', async () => {
      const { json, sink } = io();
      await discordCli(['register', '--dry-run'], { discord: undefined }, sink);
      expect(json[0]).toEqual([buildCommand(commands), ...buildMessageCommands()]);
    });

    it('says clearly what is missing or wrong', async () => {
      await expect(discordCli(['register'], { discord: undefined }, io().sink)).rejects.toThrow(new ConfigError('DISCORD_TOKEN and DISCORD_APP_ID must be set to register commands (see docs/discord.md).'));
      await expect(discordCli(['register', '--guild', 'my-server'], config(), io().sink)).rejects.toBeInstanceOf(UsageError);
      // A short number is what a user types from memory: say what a server id looks like and where to copy one.
      await expect(discordCli(['register', '--guild', '123'], config(), io().sink)).rejects.toThrow(/a 17–20 digit number such as \d+, not "123"\. .*Copy Server ID/);
      await expect(discordCli(['register', '--bogus'], config(), io().sink)).rejects.toBeInstanceOf(UsageError);
      await expect(discordCli(['unregister'], config(), io().sink)).rejects.toBeInstanceOf(UsageError);
      const badToken = { discord: { ...config().discord, token: 'wrong-test-token' } };
      await expect(discordCli(['register'], badToken, io().sink)).rejects.toMatchObject({ code: 'config' });
    });
  });
});
