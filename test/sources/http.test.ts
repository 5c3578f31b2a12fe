import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MalformedDataError, UpstreamError } from '../../src/core/errors.js';
import { fetchJson, requestedWaitMs, type FetchJsonOptions } from '../../src/sources/http.js';
import { startHfReplayServer, type HfReplayServer } from '../support/hf-replay-server.js';
import { HF_DAILY_DIR } from '../support/tmp.js';
import { recordingLogger } from '../support/fakes/index.js';

let srv: HfReplayServer;
beforeAll(async () => {
  srv = await startHfReplayServer({ dataDir: HF_DAILY_DIR, slowMs: 2_000 });
});
afterAll(() => srv.close());
afterEach(() => {
  srv.faults.length = 0;
  srv.persistentFault = null;
  srv.requests.length = 0;
});

/** Options with recorded, instant waits and a fixed jitter. */
function setup(over: Partial<FetchJsonOptions> = {}) {
  const waits: number[] = [];
  const opts: FetchJsonOptions = {
    label: 'Hugging Face',
    what: '2024-06-28',
    timeoutMs: 1_000,
    retries: 2,
    maxRetryWaitMs: 60_000,
    baseDelayMs: 100,
    random: () => 0.5,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...over,
  };
  return { waits, opts, url: `${srv.url}/api/daily_papers?date=2024-06-28` };
}

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('fetchJson', () => {
  it('fails at once, in one line, when the host does not resolve (offline): no retries', async () => {
    const { waits, opts } = setup({ retries: 5 });
    const err = await failure(fetchJson('http://papers-bot-test.invalid/api/daily_papers?date=2024-06-28', opts));
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err.message).toMatch(/cannot be reached .*host papers-bot-test\.invalid not found/);
    expect(err.message).not.toContain('\n');
    expect(waits).toEqual([]);
  });

  it('returns the parsed body', async () => {
    const { opts, url, waits } = setup();
    const body = (await fetchJson(url, opts)) as unknown[];
    expect(body).toHaveLength(17);
    expect(waits).toEqual([]);
  });

  it('retries a 500 after an exponential, jittered backoff', async () => {
    srv.faults.push('500', '503');
    const { opts, url, waits } = setup();
    expect(await fetchJson(url, opts)).toHaveLength(17);
    // base 100 ms doubling, times (0.5 + 0.5 * random) = 0.75
    expect(waits).toEqual([75, 150]);
    expect(srv.requests.map((r) => r.fault)).toEqual(['500', '503', null]);
  });

  it('caps the backoff at maxRetryWaitMs', async () => {
    srv.faults.push('500', '500', '500');
    const { opts, url, waits } = setup({ retries: 3, baseDelayMs: 1_000, maxRetryWaitMs: 1_500, random: () => 0.999 });
    await fetchJson(url, opts);
    expect(waits.every((w) => w <= 1_500)).toBe(true);
    expect(waits[2]).toBe(1_499);
  });

  it('waits exactly what Retry-After asks on a 429', async () => {
    srv.faults.push({ kind: '429', retryAfter: 7 });
    const { opts, url, waits } = setup();
    expect(await fetchJson(url, opts)).toHaveLength(17);
    expect(waits).toEqual([7_000]);
  });

  it('honours the IETF RateLimit header (t= seconds)', async () => {
    srv.faults.push({ kind: '429', rateLimit: 30 });
    const { opts, url, waits } = setup();
    await fetchJson(url, opts);
    expect(waits).toEqual([30_000]);
  });

  it('fails fast, saying so, when the server asks for longer than maxRetryWaitMs', async () => {
    srv.faults.push({ kind: '429', retryAfter: 3600 });
    const { opts, url, waits } = setup({ maxRetryWaitMs: 60_000 });
    const err = await failure(fetchJson(url, opts));
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).userMessage).toBe('Hugging Face asked us to wait 60m (429 for 2024-06-28); try again later');
    expect(waits).toEqual([]);
    expect(srv.requests).toHaveLength(1);
  });

  it('gives up on a persistent 429 with a rate-limit message', async () => {
    srv.persistentFault = '429';
    const { opts, url, waits } = setup();
    const err = (await failure(fetchJson(url, opts))) as UpstreamError;
    expect(err.userMessage).toBe('Hugging Face is rate-limiting us (429 for 2024-06-28 after 3 attempts); try again later');
    expect(err.status).toBe(429);
    expect(waits).toEqual([1_000, 1_000]);
  });

  it('gives up on a persistent 500 with the status and the attempts', async () => {
    srv.persistentFault = '500';
    const { opts, url } = setup({ retries: 4, what: '2026-08-21' });
    const err = (await failure(fetchJson(url, opts))) as UpstreamError;
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err.userMessage).toBe('Hugging Face answered 500 for 2026-08-21 after 5 attempts');
    expect(err.retryable).toBe(true);
    expect(srv.requests).toHaveLength(5);
  });

  it('does not retry a 404', async () => {
    srv.faults.push({ kind: 'status', status: 404 });
    const { opts, url, waits } = setup();
    const err = (await failure(fetchJson(url, opts))) as UpstreamError;
    expect(err.userMessage).toBe('Hugging Face answered 404 for 2024-06-28');
    expect(err.status).toBe(404);
    expect(waits).toEqual([]);
    expect(srv.requests).toHaveLength(1);
  });

  it('retries a 408', async () => {
    srv.faults.push({ kind: 'status', status: 408 });
    const { opts, url } = setup();
    expect(await fetchJson(url, opts)).toHaveLength(17);
    expect(srv.requests).toHaveLength(2);
  });

  it('times out a slow answer and retries', async () => {
    srv.faults.push('slow');
    const { opts, url, waits } = setup({ timeoutMs: 150 });
    const t0 = Date.now();
    expect(await fetchJson(url, opts)).toHaveLength(17);
    expect(Date.now() - t0).toBeLessThan(1_500);
    expect(waits).toHaveLength(1);
    expect(srv.requests.map((r) => r.fault)).toEqual(['slow', null]);
  });

  it('says it timed out when every attempt is slow', async () => {
    srv.persistentFault = { kind: 'slow', ms: 1_000 };
    const { opts, url } = setup({ timeoutMs: 100, retries: 1 });
    const err = (await failure(fetchJson(url, opts))) as UpstreamError;
    expect(err.userMessage).toBe('Hugging Face did not answer for 2024-06-28 (timeout after 0.1s, 2 attempts)');
  });

  it('retries a truncated body', async () => {
    srv.faults.push('truncated');
    const { opts, url } = setup();
    expect(await fetchJson(url, opts)).toHaveLength(17);
    expect(srv.requests.map((r) => r.fault)).toEqual(['truncated', null]);
  });

  it('fails clearly when the body is always truncated', async () => {
    srv.persistentFault = 'truncated';
    const { opts, url } = setup();
    const err = (await failure(fetchJson(url, opts))) as UpstreamError;
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err.userMessage).toMatch(/^Hugging Face sent an incomplete answer for 2024-06-28 \(.+, 3 attempts\)$/);
    expect(srv.requests).toHaveLength(3);
  });

  it('does not retry a complete body that is not JSON', async () => {
    srv.faults.push('malformed');
    const { opts, url, waits } = setup();
    const err = await failure(fetchJson(url, opts));
    expect(err).toBeInstanceOf(MalformedDataError);
    expect((err as MalformedDataError).userMessage).toBe('Hugging Face response for 2024-06-28: not JSON; it starts "<html><head><title>502 Bad Gateway</titl"');
    expect(waits).toEqual([]);
    expect(srv.requests).toHaveLength(1);
  });

  it('retries a connection reset', async () => {
    srv.faults.push('reset');
    const { opts, url } = setup();
    expect(await fetchJson(url, opts)).toHaveLength(17);
  });

  it('names a refused connection', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as AddressInfo;
    await new Promise((r) => closed.close(r));
    const { opts } = setup({ retries: 1 });
    const err = (await failure(fetchJson(`http://127.0.0.1:${port}/`, opts))) as UpstreamError;
    expect(err.userMessage).toBe('Hugging Face did not answer for 2024-06-28 (connection refused, 2 attempts)');
  });

  it("stops at once when the caller aborts, with the caller's reason", async () => {
    srv.persistentFault = 'slow';
    const { opts, url } = setup({ timeoutMs: 5_000 });
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(new Error('shutting down')), 50);
    const err = await failure(fetchJson(url, { ...opts, signal: ctl.signal }));
    expect(err.message).toBe('shutting down');
    expect(srv.requests).toHaveLength(1);
  });

  it('logs retries without headers', async () => {
    srv.faults.push('500');
    const log = recordingLogger();
    const { opts, url } = setup({ log, headers: { authorization: 'Bearer hf_secret' } });
    await fetchJson(url, opts);
    expect(log.warnings).toHaveLength(1);
    expect(JSON.stringify(log.lines)).not.toContain('hf_secret');
    expect(log.warnings[0]!.obj).toMatchObject({ attempt: 1, failure: 'HTTP 500' });
  });
});

describe('fetchJson body cap', () => {
  /** A server whose body never ends: 64 KB chunks until the client goes away. Counts what it sent. */
  async function endless(headers: Record<string, string> = {}) {
    const state = { sent: 0, requests: 0 };
    const server = http.createServer((_req, res) => {
      state.requests++;
      res.writeHead(200, { 'content-type': 'application/json', ...headers });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const push = () => {
        while (!res.destroyed && state.sent < 200 * 1024 * 1024) {
          state.sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', push);
        }
      };
      res.write('[');
      push();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    return { url, state, close: () => new Promise((r) => server.close(r)) };
  }

  it('abandons an endless body at the cap with a clear error, without retrying or buffering it', async () => {
    const srv2 = await endless();
    try {
      const { opts } = setup({ maxBodyBytes: 1024 * 1024 });
      const err = (await failure(fetchJson(srv2.url, opts))) as UpstreamError;
      expect(err).toBeInstanceOf(UpstreamError);
      expect(err.userMessage).toBe('Hugging Face sent an answer over 1 MB for 2024-06-28; refused (a real answer is far smaller)');
      expect(err.retryable).toBe(false);
      expect(srv2.state.requests).toBe(1);
      // Socket buffers let a few MB more out; nowhere near the 200 MB the server would send.
      expect(srv2.state.sent).toBeLessThan(20 * 1024 * 1024);
    } finally {
      srv2.close();
    }
  });

  it('refuses at once a body whose Content-Length is over the cap', async () => {
    const srv2 = await endless({ 'content-length': String(50 * 1024 * 1024) });
    try {
      const err = (await failure(fetchJson(srv2.url, setup().opts))) as UpstreamError;
      expect(err.userMessage).toBe('Hugging Face sent an answer over 20 MB for 2024-06-28; refused (a real answer is far smaller)');
      expect(srv2.state.requests).toBe(1);
    } finally {
      srv2.close();
    }
  });

  it('accepts a real day under a small cap, and refuses it under a smaller one', async () => {
    const { opts, url } = setup({ maxBodyBytes: 200 * 1024 });
    expect(await fetchJson(url, opts)).toHaveLength(17);
    const err = (await failure(fetchJson(url, { ...opts, maxBodyBytes: 1024 }))) as UpstreamError;
    expect(err.userMessage).toBe('Hugging Face sent an answer over 1 KB for 2024-06-28; refused (a real answer is far smaller)');
  });
});

describe('requestedWaitMs', () => {
  const now = Date.parse('2026-08-21T10:00:00Z');
  const wait = (h: Record<string, string>) => requestedWaitMs(new Headers(h), now);

  it.each<[Record<string, string>, number | null]>([
    [{ 'retry-after': '12' }, 12_000],
    [{ 'retry-after': 'Fri, 21 Aug 2026 10:00:30 GMT' }, 30_000],
    [{ 'retry-after': 'Fri, 21 Aug 2026 09:00:00 GMT' }, 0],
    [{ ratelimit: '"api";r=0;t=30' }, 30_000],
    [{ ratelimit: '"api";r=5;t=30, "pages";r=0;t=90' }, 90_000],
    [{ ratelimit: '"api";r=5;t=30' }, null],
    [{ ratelimit: 'limit=100, remaining=0, reset=20' }, 20_000],
    [{ 'ratelimit-reset': '15' }, 15_000],
    [{ 'x-ratelimit-reset': String(now / 1000 + 45) }, 45_000],
    [{ 'retry-after': '3', ratelimit: '"api";r=0;t=30' }, 3_000],
    [{}, null],
  ])('%j → %j', (headers, expected) => {
    expect(wait(headers)).toBe(expected);
  });
});
