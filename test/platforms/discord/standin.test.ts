/**
 * The Discord stand-in itself, driven with raw HTTP and a raw WebSocket (no discord.js),
 * so later suites (the BullMQ worker, the fan-out benchmark) can trust what it enforces.
 */
import { REST, Routes } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEFAULT_CHANNEL, INTENTS, startDiscordStandin, type DiscordStandin } from '../../support/discord-standin/index.js';

let discord: DiscordStandin | undefined;
afterEach(async () => {
  await discord?.close();
  discord = undefined;
});

async function call(d: DiscordStandin, method: string, path: string, body?: unknown, auth = true): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${d.apiBase}/v10${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bot ${d.token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

/** A bare gateway client: connects, identifies, collects dispatches. */
async function rawGateway(d: DiscordStandin, intents: number, token = d.token) {
  const ws = new WebSocket(`${d.gatewayUrl}?v=10&encoding=json`);
  const events: { t: string; d: any }[] = [];
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  ws.on('message', (raw) => {
    const msg = JSON.parse(raw.toString());
    if (msg.op === 10) ws.send(JSON.stringify({ op: 2, d: { token, intents, properties: { os: 'linux', browser: 'test', device: 'test' } } }));
    if (msg.op === 0) events.push({ t: msg.t, d: msg.d });
  });
  return { ws, events, closed };
}

describe('Discord stand-in', () => {
  it('speaks the gateway: READY and GUILD_CREATE after IDENTIFY, heartbeat ACKs, refusals with the real close codes', async () => {
    discord = await startDiscordStandin();
    const ok = await rawGateway(discord, INTENTS.Guilds);
    await discord.waitFor(() => ok.events.length >= 2);
    expect(ok.events.map((e) => e.t)).toEqual(['READY', 'GUILD_CREATE']);
    expect(ok.events[0]!.d.user.id).toBe(discord.appId);
    ok.ws.send(JSON.stringify({ op: 1, d: 2 }));
    await discord.waitFor(() => discord!.gateway.heartbeatAcks === 1);
    // Events follow intents: no reaction events without GuildMessageReactions.
    discord.react({ channelId: DEFAULT_CHANNEL, messageId: '1', emoji: '🔖' });
    expect(discord.dispatch('MESSAGE_REACTION_ADD', {})).toBe(0);
    ok.ws.close();

    const badToken = await rawGateway(discord, INTENTS.Guilds, 'wrong-test-token');
    expect(await badToken.closed).toBe(4004);
    const privileged = await rawGateway(discord, INTENTS.Guilds | INTENTS.MessageContent);
    expect(await privileged.closed).toBe(4014);
  });

  it('deduplicates a post by nonce within the window only, and only with enforce_nonce', async () => {
    discord = await startDiscordStandin({ nonceWindowMs: 1000 }); // wide enough for a loaded machine
    const path = `/channels/${DEFAULT_CHANNEL}/messages`;
    const a = await call(discord, 'POST', path, { content: 'one', nonce: 'n1', enforce_nonce: true });
    const b = await call(discord, 'POST', path, { content: 'one again', nonce: 'n1', enforce_nonce: true });
    expect(b.body.id).toBe(a.body.id);
    expect(discord.messages(DEFAULT_CHANNEL)).toHaveLength(1);
    await call(discord, 'POST', path, { content: 'no enforce', nonce: 'n1' });
    expect(discord.messages(DEFAULT_CHANNEL)).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 1050));
    await call(discord, 'POST', path, { content: 'later', nonce: 'n1', enforce_nonce: true });
    expect(discord.messages(DEFAULT_CHANNEL)).toHaveLength(3);
    expect(discord.deduplicated).toBe(1);
  });

  it('refuses what Discord refuses: no token, unknown channel, over-long embeds, an empty message', async () => {
    discord = await startDiscordStandin();
    expect((await call(discord, 'POST', `/channels/${DEFAULT_CHANNEL}/messages`, { content: 'x' }, false)).status).toBe(401);
    expect((await call(discord, 'POST', '/channels/1234/messages', { content: 'x' })).body.code).toBe(10003);
    const long = await call(discord, 'POST', `/channels/${DEFAULT_CHANNEL}/messages`, { embeds: [{ title: 't'.repeat(257) }] });
    expect(long).toMatchObject({ status: 400, body: { code: 50035 } });
    expect((await call(discord, 'POST', `/channels/${DEFAULT_CHANNEL}/messages`, {})).status).toBe(400);
    expect(discord.rejected().map((r) => r.status)).toEqual([401, 404, 400, 400]);
  });

  it('injects faults: rate limits with headers, 5xx, lost responses, lasting channel states', async () => {
    discord = await startDiscordStandin();
    const path = `/channels/${DEFAULT_CHANNEL}/messages`;
    discord.fault({ kind: 'rateLimit', path, retryAfter: 1.5, global: true });
    const limited = await call(discord, 'POST', path, { content: 'x' });
    expect(limited).toMatchObject({ status: 429, body: { retry_after: 1.5, global: true } });
    expect(limited.headers.get('retry-after')).toBe('1.5');
    expect(limited.headers.get('x-ratelimit-global')).toBe('true');
    discord.fault({ kind: 'serverError', path, status: 502, afterCommit: true });
    expect((await call(discord, 'POST', path, { content: 'lost' })).status).toBe(502);
    expect(discord.messages(DEFAULT_CHANNEL).map((m) => m.content)).toEqual(['lost']);
    discord.channelFault(DEFAULT_CHANNEL, 'missingAccess');
    expect((await call(discord, 'POST', path, { content: 'x' })).body.code).toBe(50001);
    expect((await call(discord, 'GET', `/channels/${DEFAULT_CHANNEL}`)).body.code).toBe(50001);
    discord.clearFaults();
    expect((await call(discord, 'POST', path, { content: 'back' })).status).toBe(200);
  });

  it('enforces a global rate limit, which @discordjs/rest waits out without losing a post', async () => {
    discord = await startDiscordStandin({ globalRateLimit: 10, acceptUnknownChannels: true });
    // The client's own limiter is opened wide so the stand-in's limit is what bites.
    const rest = new REST({ api: discord.apiBase, globalRequestsPerSecond: 1000 }).setToken(discord.token);
    try {
      const channels = Array.from({ length: 15 }, (_, i) => `77700000000000${String(i).padStart(4, '0')}`);
      await Promise.all(channels.map((c) => rest.post(Routes.channelMessages(c), { body: { content: `to ${c}` } })));
      for (const c of channels) expect(discord.messages(c)).toHaveLength(1);
      const s = discord.stats();
      expect(s.globalRateLimited).toBeGreaterThan(0);
      // Never more than 10 accepted bot requests in any second.
      const accepted = discord.requests.filter((r) => r.status === 200).map((r) => r.at);
      for (const t of accepted) expect(accepted.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(10);
    } finally {
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
    }
  });

  it('holds interactions to the 3-second rule and to one acknowledgement', async () => {
    discord = await startDiscordStandin({ ackDeadlineMs: 50 });
    const gw = await rawGateway(discord, INTENTS.Guilds);
    await discord.waitFor(() => gw.events.length >= 2);
    const late = discord.slashCommand({ subcommand: 'help' });
    await new Promise((r) => setTimeout(r, 80));
    expect((await call(discord, 'POST', `/interactions/${late.id}/${late.token}/callback`, { type: 4, data: { content: 'late' } }, false)).body.code).toBe(10062);
    expect(late.late).toBe(1);

    const twice = discord.slashCommand({ subcommand: 'help' });
    expect((await call(discord, 'POST', `/interactions/${twice.id}/${twice.token}/callback`, { type: 5 }, false)).status).toBe(204);
    expect((await call(discord, 'POST', `/interactions/${twice.id}/${twice.token}/callback`, { type: 4, data: { content: 'x' } }, false)).body.code).toBe(40060);
    expect((await call(discord, 'PATCH', `/webhooks/${discord.appId}/${twice.token}/messages/@original`, { content: 'done' }, false)).status).toBe(200);
    expect(await discord.answer(twice)).toMatchObject({ kind: 'message', deferred: true, message: { content: 'done' } });
    expect(gw.events.filter((e) => e.t === 'INTERACTION_CREATE')).toHaveLength(2);
    gw.ws.close();
  });
});
