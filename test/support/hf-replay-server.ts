/**
 * A local stand-in for the Hugging Face Daily Papers API that replays the archived day
 * files (<data dir>/hf-daily/<date>.json, see test/support/real-data.ts) on 127.0.0.1, with faults programmed per
 * request. For source tests and for end-to-end tests of the bot (point HF_BASE_URL at
 * `srv.url`).
 *
 *   const srv = await startHfReplayServer({ dataDir: HF_DAILY_DIR });
 *   srv.faults.push('429', { kind: '429', rateLimit: 30 }, '500');  // next three requests
 *   srv.persistentFault = 'truncated';                                // every request after
 *   srv.days.set('2026-08-24', [...items]);                           // serve a made-up day
 *   srv.requests;                                                     // [{ path, query, fault }]
 *   await srv.close();
 *
 * `GET /api/daily_papers?date=&limit=&p=` slices the day by limit and page like the
 * real API; a day without a file answers `[]` (weekends); no `date` means the newest day.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export type Fault =
  /** 429 with `Retry-After: 1`. */
  | '429'
  | '500'
  | '503'
  /** Headers only after `slowMs` (longer than any test's client timeout). */
  | 'slow'
  /** Content-Length of the full body, half the body, then the socket is destroyed. */
  | 'truncated'
  /** 200 with an HTML body, like a proxy error page. */
  | 'malformed'
  /** The socket is destroyed before any answer. */
  | 'reset'
  | { kind: '429'; retryAfter?: number | string; rateLimit?: number; headers?: Record<string, string> }
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  | { kind: 'slow'; ms: number };

export interface ReplayRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The fault applied to this request, if any. */
  fault: string | null;
}

export interface HfReplayServer {
  /** Base URL without trailing slash, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  /** Faults for the next requests, one per request, first in first out. */
  readonly faults: Fault[];
  /** Applied to every request once `faults` is empty; null for none. */
  persistentFault: Fault | null;
  /** Bodies that take precedence over the files, by date. */
  readonly days: Map<string, unknown>;
  /** Serve every page as p=0, like a server that ignores `p`. */
  ignorePaging: boolean;
  readonly requests: ReplayRequest[];
  close(): Promise<void>;
}

export interface HfReplayOptions {
  /** Directory of YYYY-MM-DD.json files; omit to serve only `days`. */
  dataDir?: string;
  /** Delay of the 'slow' fault (default 5 s). */
  slowMs?: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export async function startHfReplayServer(opts: HfReplayOptions = {}): Promise<HfReplayServer> {
  const slowMs = opts.slowMs ?? 5_000;
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const state: Omit<HfReplayServer, 'url' | 'close'> = {
    faults: [],
    persistentFault: null,
    days: new Map(),
    ignorePaging: false,
    requests: [],
  };

  /** The day's body: usually an array; an override may be anything (to test bad bodies). */
  const dayBody = (date: string | undefined): unknown => {
    const day = date ?? newestDay(state.days, opts.dataDir);
    if (!day || !DAY.test(day)) return [];
    if (state.days.has(day)) return state.days.get(day);
    const file = opts.dataDir && path.join(opts.dataDir, `${day}.json`);
    return file && fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as unknown) : [];
  };

  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://localhost');
    const query = Object.fromEntries(u.searchParams);
    const isApi = req.method === 'GET' && u.pathname === '/api/daily_papers';
    const fault = isApi ? (state.faults.shift() ?? state.persistentFault) : null;
    state.requests.push({ method: req.method ?? 'GET', path: u.pathname, query, fault: fault ? faultName(fault) : null });
    if (!isApi) return send(res, 404, JSON.stringify({ error: 'Not Found' }));

    let body: string;
    try {
      let items = dayBody(query.date);
      const limit = Number(query.limit);
      if (Array.isArray(items) && Number.isInteger(limit) && limit > 0) {
        const page = state.ignorePaging ? 0 : Math.max(0, Number(query.p) || 0);
        items = items.slice(page * limit, (page + 1) * limit);
      }
      body = JSON.stringify(items);
    } catch (err) {
      // A bug in a test's setup should fail fast, not hang a client.
      return send(res, 500, JSON.stringify({ error: `replay server: ${(err as Error).message}` }));
    }
    if (!fault) return send(res, 200, body);
    applyFault(fault, res, body, slowMs, later);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

function send(res: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

function applyFault(fault: Fault, res: http.ServerResponse, body: string, slowMs: number, later: (ms: number, fn: () => void) => void): void {
  const f = typeof fault === 'string' ? fault : fault.kind;
  switch (f) {
    case '429': {
      const spec = typeof fault === 'object' && fault.kind === '429' ? fault : { kind: '429' as const, retryAfter: 1 };
      const headers: Record<string, string> = { ...spec.headers };
      if (spec.retryAfter !== undefined) headers['retry-after'] = String(spec.retryAfter);
      if (spec.rateLimit !== undefined) headers.ratelimit = `"api";r=0;t=${spec.rateLimit}`;
      return send(res, 429, JSON.stringify({ error: 'You are being rate limited' }), headers);
    }
    case '500':
    case '503':
      return send(res, Number(f), JSON.stringify({ error: 'Internal Error' }));
    case 'status': {
      const spec = fault as Extract<Fault, { kind: 'status' }>;
      return send(res, spec.status, spec.body ?? JSON.stringify({ error: `status ${spec.status}` }), spec.headers);
    }
    case 'slow':
      return later(typeof fault === 'object' && fault.kind === 'slow' ? fault.ms : slowMs, () => send(res, 200, body));
    case 'truncated': {
      const bytes = Buffer.from(body);
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(bytes.length) });
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
      // Let the half reach the client before the connection drops.
      return later(20, () => res.socket?.destroy());
    }
    case 'malformed': {
      const html = '<html><head><title>502 Bad Gateway</title></head><body>Bad Gateway</body></html>';
      return send(res, 200, html, { 'content-type': 'text/html' });
    }
    case 'reset':
      res.socket?.destroy();
      return;
  }
}

function faultName(f: Fault): string {
  if (typeof f === 'string') return f;
  if (f.kind === 'status') return String(f.status);
  if (f.kind === 'slow') return `slow ${f.ms}ms`;
  return f.rateLimit !== undefined ? `429 ratelimit t=${f.rateLimit}` : `429 retry-after ${f.retryAfter ?? '-'}`;
}

function newestDay(days: Map<string, unknown>, dataDir: string | undefined): string | undefined {
  const files = dataDir && fs.existsSync(dataDir) ? fs.readdirSync(dataDir).filter((f) => /^\d{4}-\d{2}-\d{2}\.json$/.test(f)).map((f) => f.slice(0, 10)) : [];
  return [...files, ...days.keys()].sort().at(-1);
}
