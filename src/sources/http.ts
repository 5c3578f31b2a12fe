/**
 * GET a JSON body over Node's global fetch, with the retry policy every upstream gets:
 *
 * - per-attempt timeout (headers and body), combined with the caller's signal;
 * - retried: network errors, timeouts, 408, 429, 5xx, and truncated bodies (the body
 *   read fails, or it is shorter than Content-Length and does not parse);
 * - waits: exponential backoff with jitter, except that a 429/503 saying how long to
 *   wait (Retry-After, RateLimit `t=`, RateLimit-Reset, X-RateLimit-Reset) is obeyed.
 *   A wait longer than `maxRetryWaitMs` is not attempted: we fail at once and say when
 *   to try again, rather than burn the remaining attempts too early;
 * - not retried: other 4xx, a complete body that is not JSON (MalformedDataError), and a
 *   body larger than `maxBodyBytes` (20 MB by default; HF's largest day is ~0.3 MB), which
 *   is read as a stream and abandoned at the cap, never buffered whole.
 *
 * Final failures are UpstreamError with a message a user can read. Headers are never
 * logged (they may carry tokens), and URLs are logged without credentials.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { MalformedDataError, UpstreamError } from '../core/errors.js';
import type { Logger } from '../core/ports.js';

export interface FetchJsonOptions {
  /** Who we are talking to, for messages: "Hugging Face". */
  label: string;
  /** What we asked for, for messages: "2026-08-21" → "… answered 500 for 2026-08-21". */
  what?: string;
  timeoutMs: number;
  /** Retries after the first attempt (attempts = retries + 1). */
  retries: number;
  /** Longest single wait between attempts; longer server-requested waits fail fast. Default 60 s. */
  maxRetryWaitMs?: number;
  /** Largest body accepted, in bytes after decompression. Default 20 MB. */
  maxBodyBytes?: number;
  /** First backoff step; doubles per attempt. Default 500 ms. */
  baseDelayMs?: number;
  signal?: AbortSignal;
  log?: Logger;
  headers?: Record<string, string>;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** In [0, 1); drives the jitter. */
  random?: () => number;
  /** Epoch ms; used to turn an HTTP-date Retry-After into a wait. */
  now?: () => number;
}

export const DEFAULT_MAX_BODY_BYTES = 20 * 1024 * 1024;

const defaultSleep = (ms: number, signal?: AbortSignal) => delay(ms, undefined, signal ? { signal } : undefined);

/** Why one attempt failed, and whether another may help. */
type Failure =
  | { kind: 'timeout' }
  | { kind: 'network'; reason: string }
  | { kind: 'status'; status: number; waitMs: number | null }
  | { kind: 'truncated'; reason: string };

class Retryable extends Error {
  constructor(readonly failure: Failure) {
    super(failure.kind);
  }
}

export async function fetchJson(url: string, opts: FetchJsonOptions): Promise<unknown> {
  const attempts = Math.max(0, Math.floor(opts.retries)) + 1;
  const sleep = opts.sleep ?? defaultSleep;
  const random = opts.random ?? Math.random;
  const maxWait = opts.maxRetryWaitMs ?? 60_000;
  const base = opts.baseDelayMs ?? 500;
  const safeUrl = redact(url);
  let last: Failure = { kind: 'timeout' };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await attemptOnce(url, opts);
    } catch (err) {
      if (!(err instanceof Retryable)) throw err;
      last = err.failure;
    }
    const asked = last.kind === 'status' ? last.waitMs : null;
    if (asked !== null && asked > maxWait) throw finalError(opts, last, attempt, asked);
    if (attempt === attempts) break;
    const backoff = Math.min(maxWait, base * 2 ** (attempt - 1)) * (0.5 + random() / 2);
    const waitMs = Math.round(asked ?? backoff);
    opts.log?.warn({ url: safeUrl, attempt, of: attempts, failure: describeFailure(last, opts), waitMs }, `${opts.label}: retrying`);
    await sleep(waitMs, opts.signal);
  }
  throw finalError(opts, last, attempts, null);
}

async function attemptOnce(url: string, opts: FetchJsonOptions): Promise<unknown> {
  opts.signal?.throwIfAborted();
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  // Distinguishes our timeout from the caller's abort, which must propagate untouched.
  const rethrow = (err: unknown, during: 'request' | 'body'): never => {
    if (opts.signal?.aborted) throw opts.signal.reason;
    if (timeout.aborted) throw new Retryable({ kind: 'timeout' });
    if (during === 'body') throw new Retryable({ kind: 'truncated', reason: networkReason(err) });
    const reason = networkReason(err);
    // No DNS answer means no network (or a wrong host): retrying only delays the one line
    // the user needs. The schedule tries again in half an hour anyway.
    if (reason === 'host not found') throw new UpstreamError(`${opts.label} cannot be reached${forWhat(opts)}: host ${hostOf(url)} not found (offline, or a wrong base URL?)`, { retryable: true });
    throw new Retryable({ kind: 'network', reason });
  };

  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/json', ...opts.headers }, signal });
  } catch (err) {
    return rethrow(err, 'request');
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    const status = res.status;
    if (status === 408 || status === 429 || status >= 500) {
      throw new Retryable({ kind: 'status', status, waitMs: requestedWaitMs(res.headers, opts.now?.() ?? Date.now()) });
    }
    throw new UpstreamError(`${opts.label} answered ${status}${forWhat(opts)}`, { status, retryable: false });
  }

  const cap = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const declared = Number(res.headers.get('content-length'));
  // Content-Length counts encoded bytes, so it can only refuse early, never accept.
  if (declared > cap) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge(opts, cap);
  }
  let text: string;
  try {
    text = await readCapped(res, cap, opts);
  } catch (err) {
    if (err instanceof UpstreamError) throw err;
    return rethrow(err, 'body');
  }
  try {
    return JSON.parse(text);
  } catch {
    const expected = Number(res.headers.get('content-length'));
    const received = Buffer.byteLength(text);
    // Content-Length counts encoded bytes; only compare it for identity bodies.
    if (!res.headers.get('content-encoding') && expected > received) {
      throw new Retryable({ kind: 'truncated', reason: `${received} of ${expected} bytes` });
    }
    const where = `${opts.label} response${forWhat(opts)}`;
    const start = text.trim().slice(0, 40);
    throw new MalformedDataError(where, start ? `not JSON; it starts ${JSON.stringify(start)}` : 'an empty body, not JSON');
  }
}

function tooLarge(opts: FetchJsonOptions, cap: number): UpstreamError {
  const size = cap >= 1024 * 1024 ? `${Number((cap / 1024 / 1024).toFixed(1))} MB` : `${Math.ceil(cap / 1024)} KB`;
  return new UpstreamError(`${opts.label} sent an answer over ${size}${forWhat(opts)}; refused (a real answer is far smaller)`, { retryable: false });
}

/** The body as UTF-8 text (a BOM dropped, as Response.text() does), cancelled once past `cap` bytes. */
async function readCapped(res: Response, cap: number, opts: FetchJsonOptions): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > cap) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(opts, cap);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/**
 * How long the server asked us to wait, in ms, or null when it did not say.
 * Retry-After (seconds or HTTP date) first, then the IETF RateLimit header
 * (`"api";r=0;t=30`, or the older `limit=…, remaining=0, reset=30`), then
 * RateLimit-Reset / X-RateLimit-Reset (seconds, or an epoch in seconds).
 */
export function requestedWaitMs(headers: Headers, nowMs: number): number | null {
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Number(retryAfter) * 1000;
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - nowMs);
  }
  const rateLimit = headers.get('ratelimit');
  if (rateLimit && /\bremaining=/.test(rateLimit)) {
    // Older draft: `limit=100, remaining=0, reset=30`.
    const reset = /\breset=(\d+)/.exec(rateLimit);
    if (reset && /\bremaining=0\b/.test(rateLimit)) return Number(reset[1]) * 1000;
  } else if (rateLimit) {
    // Current draft: one `"policy";r=remaining;t=seconds` entry per policy; wait for the
    // longest exhausted one (an entry without r= is taken as exhausted: we got a 429).
    const waits = rateLimit.split(',').flatMap((entry) => {
      const r = /;\s*r=(\d+)/.exec(entry);
      const t = /;\s*t=(\d+)/.exec(entry);
      return t && (!r || r[1] === '0') ? [Number(t[1]) * 1000] : [];
    });
    if (waits.length) return Math.max(...waits);
  }
  for (const name of ['ratelimit-reset', 'x-ratelimit-reset']) {
    const v = headers.get(name)?.trim();
    if (v && /^\d+(\.\d+)?$/.test(v)) {
      const n = Number(v);
      // Epoch seconds (GitHub style) vs a delta; no delta is 30 years long.
      return n > 1e9 ? Math.max(0, n * 1000 - nowMs) : n * 1000;
    }
  }
  return null;
}

function forWhat(opts: FetchJsonOptions): string {
  return opts.what ? ` for ${opts.what}` : '';
}

function seconds(ms: number): string {
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return s ? `${m}m${s}s` : `${m}m`;
}

function describeFailure(f: Failure, opts: FetchJsonOptions): string {
  switch (f.kind) {
    case 'timeout':
      return `timeout after ${seconds(opts.timeoutMs)}`;
    case 'network':
      return f.reason;
    case 'truncated':
      return `truncated body (${f.reason})`;
    case 'status':
      return `HTTP ${f.status}`;
  }
}

function finalError(opts: FetchJsonOptions, f: Failure, attempts: number, tooLongMs: number | null): UpstreamError {
  const tries = `${attempts} attempt${attempts === 1 ? '' : 's'}`;
  const { label } = opts;
  if (f.kind === 'status') {
    const msg =
      tooLongMs !== null
        ? `${label} asked us to wait ${seconds(tooLongMs)} (${f.status}${forWhat(opts)}); try again later`
        : f.status === 429
          ? `${label} is rate-limiting us (429${forWhat(opts)} after ${tries}); try again later`
          : `${label} answered ${f.status}${forWhat(opts)} after ${tries}`;
    return new UpstreamError(msg, { status: f.status, retryable: true });
  }
  if (f.kind === 'truncated') {
    return new UpstreamError(`${label} sent an incomplete answer${forWhat(opts)} (${f.reason}, ${tries})`, { retryable: true });
  }
  return new UpstreamError(`${label} did not answer${forWhat(opts)} (${describeFailure(f, opts)}, ${tries})`, { retryable: true });
}

/** undici wraps the useful part in `cause`; turn its codes into words. */
function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? (err as { code?: string })?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection closed early';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connection timed out';
    default:
      return cause?.message ?? (err instanceof Error ? err.message : 'network error');
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid url)';
  }
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return '(invalid url)';
  }
}
