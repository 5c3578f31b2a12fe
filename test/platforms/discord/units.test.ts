import { DiscordAPIError, PermissionsBitField, PermissionFlagsBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { BotError, ChannelUnavailableError, UpstreamError } from '../../../src/core/errors.js';
import { nonceFor } from '../../../src/platforms/discord/discord-platform.js';
import { forLog, fromDiscordError, redactUrl } from '../../../src/platforms/discord/errors.js';
import { botInGuild, dmReactionOf, focusedOf, permissionsOf, toActionEvent, toInvocation, toReactionEvent } from '../../../src/platforms/discord/translate.js';

const apiError = (status: number, code: number, message: string) => new DiscordAPIError({ code, message }, code, status, 'POST', 'https://discord.test/api/v10/channels/1/messages', { body: undefined, files: undefined });

describe('Discord errors → core errors', () => {
  it('pauses-worthy codes become ChannelUnavailableError', () => {
    for (const [status, code] of [[404, 10003], [403, 50001], [403, 50013]] as const) {
      const e = fromDiscordError(apiError(status, code, 'nope'), 'post to channel 1');
      expect(e).toBeInstanceOf(ChannelUnavailableError);
      expect((e as ChannelUnavailableError).platformCode).toBe(String(code));
      expect((e as ChannelUnavailableError).message).toContain('post to channel 1');
    }
  });

  it('other 4xx are final upstream errors, 401 a config error, 5xx and network errors pass through', () => {
    const unknownMessage = fromDiscordError(apiError(404, 10008, 'Unknown Message'), 'x');
    expect(unknownMessage).toBeInstanceOf(UpstreamError);
    expect(unknownMessage).toMatchObject({ retryable: false, status: 404 });
    expect(fromDiscordError(apiError(401, 0, '401: Unauthorized'), 'x')).toMatchObject({ code: 'config' });
    const network = new Error('ECONNRESET');
    expect(fromDiscordError(network, 'x')).toBe(network);
    expect(fromDiscordError(apiError(500, 0, 'oops'), 'x')).not.toBeInstanceOf(BotError);
  });

  it('keeps interaction tokens out of the log', () => {
    expect(redactUrl('https://discord.com/api/v10/interactions/123/aW50ZXJhY3Rpb24/callback?with_response=false')).toBe('https://discord.com/api/v10/interactions/123/[token]/callback?with_response=false');
    expect(redactUrl('https://discord.com/api/v10/webhooks/42/aW50ZXJhY3Rpb24/messages/@original')).toBe('https://discord.com/api/v10/webhooks/42/[token]/messages/@original');
    const e = new DiscordAPIError({ code: 10062, message: 'Unknown interaction' }, 10062, 404, 'POST', 'https://d/api/v10/interactions/1/secret-interaction-token/callback', { body: { content: 'x' }, files: undefined });
    expect(JSON.stringify(forLog(e))).not.toContain('secret-interaction-token');
    expect(forLog(e)).toMatchObject({ status: 404, code: 10062, method: 'POST' });
  });
});

describe('Discord inboxes and user installs → core types', () => {
  const admin = new PermissionsBitField([PermissionFlagsBits.Administrator]);
  const base = { id: '1', channelId: '2', user: { id: 'u1', username: 'ada' }, memberPermissions: admin, commandName: 'papers' };

  it('grants channel permissions only where the bot itself is in the server', () => {
    expect(botInGuild({ guildId: 'g', authorizingIntegrationOwners: { 0: 'g', 1: 'u1' } })).toBe(true);
    expect(botInGuild({ guildId: 'g' })).toBe(true); // no owners given: a guild install
    expect(botInGuild({ guildId: 'g', authorizingIntegrationOwners: { 1: 'u1' } })).toBe(false);
    expect(botInGuild({ guildId: null, authorizingIntegrationOwners: { 0: '0' } })).toBe(false);
    const userInstalled = toInvocation({ ...base, guildId: 'g', authorizingIntegrationOwners: { 1: 'u1' } }, [], 'papers');
    expect(userInstalled).toMatchObject({ workspaceId: 'g', permissions: { manageChannel: false, workspaceAdmin: false } });
    const inDm = toInvocation({ ...base, guildId: null, memberPermissions: null, authorizingIntegrationOwners: { 1: 'u1' } }, [], 'papers');
    expect(inDm).toMatchObject({ workspaceId: '@me', permissions: { manageChannel: false, workspaceAdmin: false } });
    expect(toInvocation({ ...base, guildId: 'g', authorizingIntegrationOwners: { 0: 'g' } }, [], 'papers').permissions).toEqual({ manageChannel: true, workspaceAdmin: true, manageRoles: true });
  });

  it('puts a reaction in a DM on the reactor\'s inbox, read from the raw packet', () => {
    const d = { channel_id: 'dmchan', message_id: 'm1', user_id: 'u1', emoji: { name: '🔖', id: null } };
    expect(dmReactionOf({ t: 'MESSAGE_REACTION_ADD', d }, 'bot')).toEqual({ platform: 'discord', workspaceId: '@me', channelId: 'dm:u1', messageId: 'm1', userId: 'u1', emoji: '🔖', added: true, byBot: false });
    expect(dmReactionOf({ t: 'MESSAGE_REACTION_REMOVE', d }, 'bot')).toMatchObject({ added: false });
    expect(dmReactionOf({ t: 'MESSAGE_REACTION_ADD', d: { ...d, user_id: 'bot' } }, 'bot')).toMatchObject({ byBot: true });
    expect(dmReactionOf({ t: 'MESSAGE_REACTION_ADD', d: { ...d, guild_id: 'g' } }, 'bot')).toBeNull(); // a guild's: discord.js handles it
    expect(dmReactionOf({ t: 'MESSAGE_CREATE', d }, 'bot')).toBeNull();
    expect(dmReactionOf({ t: 'MESSAGE_REACTION_ADD', d: { channel_id: 'x' } }, 'bot')).toBeNull();
  });

  it('maps an undeliverable DM (50007) and an unknown user (10013) to ChannelUnavailableError', () => {
    for (const code of [50007, 10013]) expect(fromDiscordError(apiError(code === 50007 ? 403 : 404, code, 'no'), 'x')).toMatchObject({ code: 'channel_unavailable', platformCode: String(code) });
  });
});

describe('Discord events → core types', () => {
  const member = new PermissionsBitField([PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages]);
  const manager = new PermissionsBitField([PermissionFlagsBits.ViewChannel, PermissionFlagsBits.ManageChannels]);
  const admin = new PermissionsBitField([PermissionFlagsBits.Administrator]);
  const base = { id: 'i1', guildId: 'g1', channelId: 'c1', user: { id: 'u1', username: 'ada' } };

  it('reads Manage Channels (and Administrator, which implies it) from the resolved permissions', () => {
    expect(permissionsOf(member)).toEqual({ manageChannel: false, workspaceAdmin: false, manageRoles: false });
    expect(permissionsOf(manager)).toEqual({ manageChannel: true, workspaceAdmin: false, manageRoles: false });
    expect(permissionsOf(admin)).toEqual({ manageChannel: true, workspaceAdmin: true, manageRoles: true });
    expect(permissionsOf(null)).toEqual({ manageChannel: false, workspaceAdmin: false, manageRoles: false });
    expect(permissionsOf(new PermissionsBitField([PermissionFlagsBits.ManageRoles]))).toEqual({ manageChannel: false, workspaceAdmin: false, manageRoles: true });
  });

  it('resolves a role option from the interaction (by id or <@&id>), and Mention Everyone from app_permissions', async () => {
    const role = { id: '777', name: 'papers', mentionable: false };
    const data = [{ name: 'settings', type: 1, options: [{ name: 'ping', type: 8, value: '777', role }] }];
    const plain = toInvocation({ ...base, commandName: 'papers', memberPermissions: member }, data, 'papers');
    expect(plain.options).toEqual({ ping: '777' });
    expect(plain.pings!.botCanMentionAll).toBe(false);
    expect(await plain.pings!.resolve('777')).toEqual({ kind: 'role', id: '777', name: 'papers', mentionable: false });
    expect(await plain.pings!.resolve('<@&777>')).toMatchObject({ id: '777' });
    expect(await plain.pings!.resolve('778')).toBeNull(); // only roles this interaction resolved
    const withEveryone = toInvocation({ ...base, commandName: 'papers', memberPermissions: member, appPermissions: new PermissionsBitField([PermissionFlagsBits.MentionEveryone]) }, data, 'papers');
    expect(withEveryone.pings!.botCanMentionAll).toBe(true);
  });

  it('turns a subcommand and its options into an invocation, passing unknown ones on', () => {
    const data = [{ name: 'search', type: 1, options: [{ name: 'query', type: 3, value: 'mamba' }, { name: 'top', type: 4, value: 5 }, { name: 'zzz', type: 5, value: true }] }];
    expect(toInvocation({ ...base, commandName: 'papers', memberPermissions: member }, data, 'papers')).toEqual({
      platform: 'discord',
      workspaceId: 'g1',
      channelId: 'c1',
      id: 'i1',
      userId: 'u1',
      userName: 'ada',
      command: 'search',
      options: { query: 'mamba', top: 5, zzz: true },
      permissions: { manageChannel: false, workspaceAdmin: false, manageRoles: false },
      pings: expect.objectContaining({ botCanMentionAll: false }),
    });
    // No subcommand: help; another root command: shown as unknown by the core.
    expect(toInvocation({ ...base, commandName: 'papers', memberPermissions: null }, [], 'papers').command).toBe('help');
    expect(toInvocation({ ...base, commandName: 'other', memberPermissions: null }, [], 'papers').command).toBe('other');
  });

  it('finds the focused option of an autocomplete request', () => {
    expect(focusedOf([{ name: 'show', type: 1, options: [{ name: 'paper', type: 3, value: 'mam', focused: true }] }])).toEqual({ command: 'show', option: 'paper', text: 'mam' });
    expect(focusedOf([{ name: 'show', type: 1, options: [] }])).toBeNull();
  });

  it('marks reactions by the bot itself and by other bots', () => {
    const r = { messageId: 'm1', channelId: 'c1', guildId: 'g1', emoji: { name: '🔖', id: null }, userId: 'u1', userIsBot: false };
    expect(toReactionEvent(r, true, 'bot1')).toEqual({ platform: 'discord', workspaceId: 'g1', channelId: 'c1', messageId: 'm1', userId: 'u1', emoji: '🔖', added: true, byBot: false });
    expect(toReactionEvent({ ...r, userId: 'bot1', userIsBot: null }, true, 'bot1').byBot).toBe(true);
    expect(toReactionEvent({ ...r, userIsBot: true }, false, 'bot1').byBot).toBe(true);
    expect(toActionEvent({ ...base, customId: 'bm:2405.15738', memberPermissions: manager })).toMatchObject({ actionId: 'bm:2405.15738', permissions: { manageChannel: true } });
  });

  it('derives a stable nonce of at most 25 characters from the idempotency key', () => {
    const a = nonceFor('discord:123:2026-08-21:2608.19758');
    expect(a).toHaveLength(25);
    expect(a).toBe(nonceFor('discord:123:2026-08-21:2608.19758'));
    expect(a).not.toBe(nonceFor('discord:123:2026-08-21:2608.19759'));
  });
});
