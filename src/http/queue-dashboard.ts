/**
 * Bull Board at /admin/queues, behind HTTP basic auth. Off unless ADMIN_PASSWORD is set;
 * the password is compared in constant time (both sides hashed first, so their lengths
 * say nothing either).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';

export const DASHBOARD_PATH = '/admin/queues';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** True when the request carries exactly this user and password. */
export function basicAuthMatches(req: IncomingMessage, user: string, password: string): boolean {
  const header = req.headers.authorization ?? '';
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  const given = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
  const sep = given.indexOf(':');
  const okUser = timingSafeEqual(digest(sep < 0 ? '' : given.slice(0, sep)), digest(user));
  const okPass = timingSafeEqual(digest(sep < 0 ? '' : given.slice(sep + 1)), digest(password));
  return m !== null && sep >= 0 && okUser && okPass;
}

export function queueDashboard(opts: { queues: readonly Queue[]; user: string; password: string }): RequestListener {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({ queues: opts.queues.map((q) => new BullMQAdapter(q, { readOnlyMode: false })), serverAdapter: adapter });
  const app = adapter.getRouter() as unknown as RequestListener;
  return (req: IncomingMessage, res: ServerResponse) => {
    if (!basicAuthMatches(req, opts.user, opts.password)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="papers-bot queues", charset="UTF-8"', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Sign in with the admin user and ADMIN_PASSWORD.\n');
      return;
    }
    // Mounted under DASHBOARD_PATH: the board's own routes start at "/".
    req.url = req.url!.slice(DASHBOARD_PATH.length) || '/';
    app(req, res);
  };
}
