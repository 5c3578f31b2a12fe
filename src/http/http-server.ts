/**
 * The process's own HTTP surface on HTTP_PORT: /healthz (alive), /readyz (every
 * dependency answers), /metrics (Prometheus) and the queue dashboard. Slack's HTTP
 * receiver shares the port: requests for anything else go to its request listener.
 */
import http, { type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DASHBOARD_PATH } from './queue-dashboard.js';

/** One dependency of readiness: resolves true when it is usable; false or a throw means not ready. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<boolean>;
}

export interface HttpSurfaceOptions {
  port: number;
  host?: string;
  checks: readonly ReadinessCheck[];
  metrics?: () => Promise<{ contentType: string; body: string }>;
  /** The dashboard's listener (with its own auth), or undefined when it is off. */
  dashboard?: RequestListener;
  /** Everything else (Slack's receiver in HTTP mode). */
  fallback?: RequestListener;
}

export interface RunningHttp {
  port: number;
  url: string;
  close(): Promise<void>;
}

const CHECK_TIMEOUT_MS = 2_000;

async function runCheck(c: ReadinessCheck): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([c.check(), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), CHECK_TIMEOUT_MS)))]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

export function startHttpSurface(opts: HttpSurfaceOptions): Promise<RunningHttp> {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/healthz') return send(res, 200, 'ok\n');
    if (path === '/readyz') {
      const results = await Promise.all(opts.checks.map(async (c) => [c.name, await runCheck(c)] as const));
      const ready = results.every(([, ok]) => ok);
      return send(res, ready ? 200 : 503, `${JSON.stringify({ ready, checks: Object.fromEntries(results) })}\n`, 'application/json');
    }
    if (path === '/metrics' && opts.metrics) {
      const m = await opts.metrics();
      return send(res, 200, m.body, m.contentType);
    }
    if (path === DASHBOARD_PATH || path.startsWith(`${DASHBOARD_PATH}/`)) {
      if (!opts.dashboard) return send(res, 404, 'The queue dashboard is off: set ADMIN_PASSWORD to turn it on.\n');
      return opts.dashboard(req, res);
    }
    if (opts.fallback) return opts.fallback(req, res);
    send(res, 404, 'Not found\n');
  };
  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'Internal error\n');
      else res.end();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      resolve({
        port,
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((r) => {
            server.close(() => r());
            server.closeAllConnections();
          }),
      });
    });
  });
}
