/** The Slack stand-in's own contract, so later tests (the worker, its benchmark) can rely on it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORKSPACE, startSlackStandin, type SlackStandin } from '../../support/slack-standin/index.js';

let slack: SlackStandin;
beforeAll(async () => {
  slack = await startSlackStandin();
});
afterAll(async () => {
  await slack?.close();
});

async function api(method: string, args: Record<string, unknown>, o: { token?: string | null; json?: boolean } = {}): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const token = o.token === undefined ? DEFAULT_WORKSPACE.botToken : o.token;
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  let body: string;
  if (o.json) {
    headers['content-type'] = 'application/json; charset=utf-8';
    body = JSON.stringify(args);
  } else {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(Object.entries(args).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString();
  }
  const res = await fetch(`${slack.apiUrl}${method}`, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : { raw: text } };
}

describe('Slack stand-in', () => {
  it('checks the bearer token', async () => {
    expect((await api('auth.test', {}, { token: null })).body).toEqual({ ok: false, error: 'not_authed' });
    expect((await api('auth.test', {}, { token: 'wrong' })).body).toEqual({ ok: false, error: 'invalid_auth' });
    expect((await api('auth.test', {})).body).toMatchObject({ ok: true, team_id: 'T0TEST', user_id: 'U0BOT' });
    expect((await api('chat.frobnicate', {})).body).toEqual({ ok: false, error: 'unknown_method' });
  });

  it('accepts form-encoded and JSON bodies and refuses what Slack would', async () => {
    expect((await api('chat.postMessage', { channel: 'CX', text: 'form' })).body).toMatchObject({ ok: true });
    expect((await api('chat.postMessage', { channel: 'CX', text: 'json', blocks: [{ type: 'divider' }] }, { json: true })).body).toMatchObject({ ok: true });
    const tooMany = await api('chat.postMessage', { channel: 'CX', text: 't', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) });
    expect(tooMany.body).toMatchObject({ ok: false, error: 'invalid_blocks' });
    const tooLong = await api('chat.postMessage', { channel: 'CX', text: 't', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }] });
    expect(tooLong.body).toMatchObject({ ok: false, error: 'invalid_blocks', response_metadata: { messages: ['[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]'] } });
    expect((await api('chat.postMessage', { channel: 'CX' })).body).toMatchObject({ ok: false, error: 'no_text' });
    expect((await api('chat.postMessage', { channel: 'CX', text: 'x', metadata: { event_type: 'bad type!' } })).body).toMatchObject({ ok: false, error: 'invalid_metadata_format' });
  });

  it('pages history newest first, with metadata only when asked', async () => {
    for (let i = 0; i < 5; i++) await api('chat.postMessage', { channel: 'CH', text: `m${i}`, metadata: { event_type: 'papers_bot_post', event_payload: { key: `k${i}` } } });
    const first = await api('conversations.history', { channel: 'CH', limit: '2' });
    expect((first.body.messages as { text: string }[]).map((m) => m.text)).toEqual(['m4', 'm3']);
    expect((first.body.messages as Record<string, unknown>[])[0]!.metadata).toBeUndefined();
    const cursor = (first.body.response_metadata as { next_cursor: string }).next_cursor;
    const second = await api('conversations.history', { channel: 'CH', limit: '2', cursor, include_all_metadata: 'true' });
    expect((second.body.messages as { text: string; metadata: { event_payload: { key: string } } }[]).map((m) => m.metadata.event_payload.key)).toEqual(['k2', 'k1']);
  });

  it('enforces a per-channel rate limit with 429 and Retry-After, and injects faults in order', async () => {
    slack.rateLimit = { perSecond: 1, burst: 2 };
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await api('chat.postMessage', { channel: 'CRL', text: `${i}` })).status);
      expect(statuses).toEqual([200, 200, 429]);
      const limited = slack.callsOf('chat.postMessage').filter((c) => c.args.channel === 'CRL').at(-1)!;
      expect(limited).toMatchObject({ status: 429, fault: 'ratelimit' });
      expect((await api('chat.postMessage', { channel: 'COTHER', text: 'x' })).status).toBe(200); // per channel
    } finally {
      slack.rateLimit = null;
    }
    slack.fail('views.publish', { kind: '429', retryAfter: 7 }, { kind: 'error', error: 'channel_not_found' }, { kind: 'http', status: 503 });
    const r1 = await api('views.publish', {});
    expect([r1.status, r1.headers.get('retry-after')]).toEqual([429, '7']);
    expect((await api('views.publish', {})).body).toEqual({ ok: false, error: 'channel_not_found' });
    expect((await api('views.publish', {})).status).toBe(503);
    expect((await api('views.publish', { user_id: 'U1', view: { type: 'home', blocks: [] } })).body).toMatchObject({ ok: true });
  });

  it('records response_url posts, and validates their blocks', async () => {
    const url = slack.responseUrl('abc');
    const ok = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ response_type: 'ephemeral', text: 'hi' }) });
    expect(ok.status).toBe(200);
    expect(slack.responses.at(-1)).toEqual({ id: 'abc', body: { response_type: 'ephemeral', text: 'hi' } });
    const bad = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'x', blocks: [{ type: 'nope' }] }) });
    expect(await bad.json()).toMatchObject({ ok: false, error: 'invalid_blocks' });
  });
});
