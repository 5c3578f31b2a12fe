import { describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.js';
import { deliveryKey, SeenDeliveries } from '../../../src/platforms/slack/dedupe.js';
import { mapSlackError } from '../../../src/platforms/slack/errors.js';
import { policyKey, SubscribePolicyService } from '../../../src/platforms/slack/policy.js';
import { actionSurface, parseSlash, toActionEvent, toInvocation, toReactionEvent, type BlockActionsBody, type SlashCommandBody } from '../../../src/platforms/slack/translate.js';
import { webApi } from '@slack/bolt';
import { ChannelUnavailableError, UpstreamError } from '../../../src/core/errors.js';
import { silentLogger } from '../../../src/log.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import { blockActions, eventCallback, reactionEvent, slashCommand } from '../../support/slack-standin/index.js';

const body = (text: string): SlashCommandBody => slashCommand({ text, responseUrl: 'http://x/r' });
const parsed = (text: string) => {
  const p = parseSlash(body(text), commands);
  if (!p.ok) throw new Error(`parse failed: ${p.reply.kind === 'text' ? p.reply.text : ''}`);
  return p;
};

describe('slash command text', () => {
  it('parses quotes and flags into the subcommand options', () => {
    const p = parsed('search "sparse attention" --top 3');
    expect(p.spec.name).toBe('search');
    expect(p.options).toEqual({ query: '"sparse attention"', top: 3 });
    const inv = toInvocation(body('x'), p, { manageChannel: true, workspaceAdmin: false });
    expect(inv).toMatchObject({ platform: 'slack', workspaceId: 'T0TEST', channelId: 'C0GENERAL', userId: 'U0ALICE', userName: 'alice', command: 'search' });
  });

  it('answers help for an empty or unknown subcommand', () => {
    expect(parsed('').spec.name).toBe('help');
    expect(parsed('   ').spec.name).toBe('help');
    const p = parsed('frobnicate now');
    expect(p.spec.name).toBe('help');
    expect(p.options).toEqual({ unknown: 'frobnicate' });
  });

  it('survives unbalanced quotes and 4,000 characters', () => {
    expect(parsed('search "sparse attention --top 3').options.query).toBe('"sparse attention --top 3');
    expect(parsed(`search ${'a'.repeat(4_000)}`).spec.name).toBe('search');
    expect(parsed(`search "${'word '.repeat(2_000)}`).spec.name).toBe('search');
  });

  it('turns a bad flag into a short error reply', () => {
    const p = parseSlash(body('search x --frobnicate 3'), commands);
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.reply).toMatchObject({ kind: 'text', tone: 'error', ephemeral: true, text: expect.stringMatching(/Unknown option --frobnicate/) });
  });
});

describe('events and actions', () => {
  it('maps reactions on messages, and ignores reactions on files', () => {
    const ev = reactionEvent('reaction_added', { channel: 'C1', ts: '1.000001' });
    expect(toReactionEvent('T1', ev as never, 'U0BOT')).toEqual({ platform: 'slack', workspaceId: 'T1', channelId: 'C1', messageId: '1.000001', userId: 'U0ALICE', emoji: 'bookmark', added: true, byBot: false });
    expect(toReactionEvent('T1', reactionEvent('reaction_removed', { channel: 'C1', ts: '1', user: 'U0BOT' }) as never, 'U0BOT')).toMatchObject({ added: false, byBot: true });
    expect(toReactionEvent('T1', reactionEvent('reaction_added', { channel: 'C1', ts: '1', itemType: 'file' }) as never, 'U0BOT')).toBeNull();
  });

  it('maps button presses in messages and in the App Home', () => {
    const inMessage = blockActions({ actionId: 'bm:2401.00001', container: { type: 'message', channelId: 'C9' }, responseUrl: 'http://x' }) as unknown as BlockActionsBody;
    expect(actionSurface(inMessage)).toBe('message');
    expect(toActionEvent(inMessage, { manageChannel: false, workspaceAdmin: false })).toMatchObject({ platform: 'slack', workspaceId: 'T0TEST', channelId: 'C9', userId: 'U0ALICE', actionId: 'bm:2401.00001' });
    const inHome = blockActions({ actionId: 'ub:2401.00001', container: { type: 'view' } }) as unknown as BlockActionsBody;
    expect(actionSurface(inHome)).toBe('home');
    expect(toActionEvent(inHome, { manageChannel: false, workspaceAdmin: false }).channelId).toBe('app_home');
  });
});

describe('retried and replayed deliveries', () => {
  it('keys events by event id and interactions by trigger (and action)', () => {
    const cb = eventCallback({ type: 'app_home_opened', user: 'U1' }, { eventId: 'Ev1' });
    expect(deliveryKey(cb)).toBe('T0TEST:event:Ev1');
    const cmd = slashCommand({ text: 'help', responseUrl: 'http://x', triggerId: 'trig1' });
    expect(deliveryKey(cmd)).toBe('T0TEST:trigger:trig1');
    expect(deliveryKey({})).toBeNull();
    expect(deliveryKey('nope')).toBeNull();
  });

  it('remembers a key for the TTL, then forgets it; stays bounded', () => {
    let now = 0;
    const seen = new SeenDeliveries(1_000, 3, () => now);
    expect(seen.firstTime('a')).toBe(true);
    expect(seen.firstTime('a')).toBe(false);
    now = 1_001;
    expect(seen.firstTime('a')).toBe(true);
    for (const k of ['b', 'c', 'd', 'e', 'f']) seen.firstTime(k);
    expect(seen.size).toBeLessThanOrEqual(3);
  });
});

describe('subscribe policy', () => {
  it('defaults from config, is stored per workspace, and looks admins up only when deciding (cached)', async () => {
    const store = new MemoryStore();
    let lookups = 0;
    let now = 0;
    const admins = new Set(['U0ADMIN']);
    const policy = new SubscribePolicyService({ store, defaultPolicy: 'everyone', log: silentLogger(), ttlMs: 1000, now: () => now, lookupAdmin: async (_t, u) => (lookups++, admins.has(u)) });
    expect(await policy.permissions('T1', 'U0BOB', true)).toEqual({ policy: 'everyone', manageChannel: true, workspaceAdmin: false });
    expect(lookups).toBe(0);
    await policy.set('T1', 'admins');
    expect(await store.getMeta(policyKey('T1'))).toBe('admins');
    expect(await policy.get('T2')).toBe('everyone');
    expect(await policy.permissions('T1', 'U0BOB', false)).toMatchObject({ manageChannel: false });
    expect(lookups).toBe(0);
    expect(await policy.permissions('T1', 'U0BOB', true)).toMatchObject({ manageChannel: false, workspaceAdmin: false });
    expect(await policy.permissions('T1', 'U0ADMIN', true)).toMatchObject({ manageChannel: true, workspaceAdmin: true });
    await policy.permissions('T1', 'U0ADMIN', true);
    expect(lookups).toBe(2);
    now = 2_000;
    await policy.permissions('T1', 'U0ADMIN', true);
    expect(lookups).toBe(3);
  });

  it('counts the installer with the admins, without asking users.info for them', async () => {
    let lookups = 0;
    const policy = new SubscribePolicyService({ store: new MemoryStore(), defaultPolicy: 'admins', log: silentLogger(), installerOf: async (t) => (t === 'T1' ? 'U0INSTALLER' : undefined), lookupAdmin: async () => (lookups++, false) });
    expect(await policy.permissions('T1', 'U0INSTALLER', true)).toMatchObject({ manageChannel: true, workspaceAdmin: true });
    expect(lookups).toBe(0);
    expect(await policy.permissions('T1', 'U0BOB', true)).toMatchObject({ manageChannel: false });
    expect(await policy.permissions('T2', 'U0INSTALLER', true)).toMatchObject({ manageChannel: false });
  });

  it('fails closed when users.info fails', async () => {
    const policy = new SubscribePolicyService({ store: new MemoryStore(), defaultPolicy: 'admins', log: silentLogger(), lookupAdmin: async () => { throw new Error('missing_scope'); } });
    expect(await policy.permissions('T1', 'U0ADMIN', true)).toMatchObject({ manageChannel: false, workspaceAdmin: false });
  });
});

describe('Slack errors as core errors', () => {
  const platform = (error: string) => new webApi.WebAPIPlatformError({ ok: false, error });
  it('pauses on a gone channel, retries rate limits and 5xx, gives up on the rest', () => {
    for (const code of ['channel_not_found', 'not_in_channel', 'is_archived', 'account_inactive', 'token_revoked']) {
      const e = mapSlackError(platform(code), 'chat.postMessage');
      expect(e).toBeInstanceOf(ChannelUnavailableError);
      expect((e as ChannelUnavailableError).platformCode).toBe(code);
    }
    expect(mapSlackError(new webApi.WebAPIRateLimitedError(30), 'chat.postMessage')).toMatchObject({ retryable: true, status: 429 });
    expect(mapSlackError(new webApi.WebAPIHTTPError(503, 'Service Unavailable', {}), 'chat.postMessage')).toMatchObject({ retryable: true, status: 503 });
    expect(mapSlackError(new webApi.WebAPIRequestError(new Error('ECONNRESET')), 'x')).toMatchObject({ retryable: true });
    const refused = mapSlackError(platform('invalid_blocks'), 'chat.postMessage');
    expect(refused).toBeInstanceOf(UpstreamError);
    expect(refused).toMatchObject({ retryable: false, userMessage: 'Slack refused the request (invalid_blocks).' });
  });
});
