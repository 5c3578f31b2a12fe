/** The invalid-request breaker: counts 401/403/429 over a sliding ten minutes and stops sending at its limit. */
import { afterAll, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.js';
import { RateLimitedError } from '../../../src/core/errors.js';
import { noMetrics } from '../../../src/core/metrics.js';
import { silentLogger } from '../../../src/log.js';
import { DiscordPlatform } from '../../../src/platforms/discord/discord-platform.js';
import { INVALID_WINDOW_MS, InvalidRequestBreaker } from '../../../src/platforms/discord/invalid-requests.js';
import { startDiscordStandin, type DiscordStandin } from '../../support/discord-standin/index.js';

let discord: DiscordStandin | undefined;
let poster: DiscordPlatform | undefined;
afterAll(async () => {
  await poster?.stop();
  await discord?.close();
});

describe('InvalidRequestBreaker', () => {
  it('opens at the limit, refuses with the wait until the oldest counted answers age out, then closes', () => {
    let now = 0;
    const changes: boolean[] = [];
    const b = new InvalidRequestBreaker(3, { changed: (open) => changes.push(open) }, () => now);
    for (const status of [200, 404, 500, 401]) b.record(status);
    now = 1000;
    b.record(403);
    b.check(); // two counted: still closed
    now = 2000;
    b.record(429);
    expect(b.isOpen).toBe(true);
    const err = (() => {
      try {
        b.check();
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAfterMs).toBe(INVALID_WINDOW_MS - 2000); // the 401 at t=0 ages out at 10 min
    now = INVALID_WINDOW_MS + 1;
    expect(b.isOpen).toBe(false);
    expect(b.count).toBe(2);
    expect(changes).toEqual([true, false]);
  });

  it('in the Discord platform: past the limit nothing more reaches Discord, and the metrics say so', async () => {
    discord = await startDiscordStandin({ acceptUnknownChannels: true });
    const invalid: number[] = [];
    const circuit: boolean[] = [];
    const metrics = { ...noMetrics, invalidRequest: (_p: string, s: number) => void invalid.push(s), circuit: (_p: string, open: boolean) => void circuit.push(open) };
    poster = new DiscordPlatform({ token: discord.token, appId: discord.appId, apiBase: discord.apiBase, commands, log: silentLogger(), gateway: false, invalidRequestsOpenAt: 4, metrics });
    const ref = { platform: 'discord' as const, workspaceId: '1', channelId: '500000000000000001' };
    discord.channelFault(ref.channelId, 'missingPermissions');
    for (let i = 0; i < 4; i++) await expect(poster.post(ref, { kind: 'notice', text: 'x' })).rejects.toThrow();
    const sent = discord.requests.length;
    await expect(poster.post(ref, { kind: 'notice', text: 'x' })).rejects.toBeInstanceOf(RateLimitedError);
    expect(discord.requests.length).toBe(sent);
    expect(invalid).toEqual([403, 403, 403, 403]);
    expect(circuit).toEqual([true]);
  });
});
