/**
 * The HTTP side of a process: /healthz, /readyz over this process's dependencies,
 * /metrics, the queue dashboard when ADMIN_PASSWORD is set, and whatever a platform
 * mounts (Slack's HTTP endpoints). Built from the process's parts; src/http/ knows none of them.
 */
import type { RequestListener } from 'node:http';
import type { Config } from '../config.js';
import type { ChatPlatform, PlatformName } from '../core/ports.js';
import { startHttpSurface, type ReadinessCheck, type RunningHttp } from '../http/http-server.js';
import type { PromMetrics } from '../http/prom-metrics.js';
import { queueDashboard } from '../http/queue-dashboard.js';
import type { Core } from './build.js';
import type { QueueSide } from './queue-side.js';

/** A late-bound slot for a platform's listener: the server starts before the platform does. */
export function httpMount(): { mount: (l: RequestListener) => void; listener: RequestListener | undefined } {
  const slot: { mount: (l: RequestListener) => void; listener: RequestListener | undefined } = {
    listener: undefined,
    mount: (l) => void (slot.listener = l),
  };
  return slot;
}

export function readinessChecks(core: Core, queue: QueueSide | null, platforms: ReadonlyMap<PlatformName, ChatPlatform>): ReadinessCheck[] {
  let indexReady = false;
  void core.index.ready().then(() => void (indexReady = true), () => {});
  const checks: ReadinessCheck[] = [
    { name: 'store', check: async () => (await core.store.countPapers()) >= 0 },
    { name: 'index', check: async () => indexReady },
  ];
  if (queue) checks.push({ name: 'redis', check: async () => queue.redisReady() });
  for (const [name, p] of platforms) if (p.isConnected) checks.push({ name, check: async () => p.isConnected!() });
  return checks;
}

export async function startHttpSide(opts: {
  config: Config;
  port: number;
  metrics: PromMetrics;
  checks: readonly ReadinessCheck[];
  queue: QueueSide | null;
  mounted?: { listener: RequestListener | undefined };
}): Promise<RunningHttp> {
  const { config, queue } = opts;
  const dashboard = config.admin && queue ? queueDashboard({ queues: queue.queues(), ...config.admin }) : undefined;
  return startHttpSurface({
    port: opts.port,
    host: config.http.host,
    checks: opts.checks,
    metrics: () => opts.metrics.exposition(),
    ...(dashboard ? { dashboard } : {}),
    fallback: (req, res) => {
      const l = opts.mounted?.listener;
      if (l) return l(req, res);
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
    },
  });
}
