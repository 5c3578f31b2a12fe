/**
 * Web API calls for the Slack platform: the right bot token for each workspace, a 429
 * waited out in-process (Retry-After), and errors mapped to core errors (errors.ts).
 *
 * The SDK's own retries are off: a 5xx on chat.postMessage may already have posted, so
 * retrying blindly could post twice. The digest job retries instead, after asking
 * `findPosted`. A 429 is different: Slack did nothing, so waiting and trying again is
 * always safe, and the rate limiter of the worker expects exactly that.
 */
import { LogLevel, webApi, type Logger as BoltLogger } from '@slack/bolt';
import type { Installation } from '@slack/bolt';
import { ChannelUnavailableError } from '../../core/errors.js';
import type { Logger } from '../../core/ports.js';
import { mapSlackError } from './errors.js';
import type { StoreInstallationStore } from './install-store.js';

type WebClient = InstanceType<typeof webApi.WebClient>;
export type WebResult = Record<string, unknown> & { ok?: boolean };

export interface SlackWebOptions {
  /** e.g. https://slack.com/api/ (SLACK_API_URL). */
  apiUrl: string;
  /** Single-workspace token (SLACK_BOT_TOKEN). */
  botToken: string | undefined;
  /** Look tokens up in the store's installs (OAuth, many workspaces). */
  oauth: boolean;
  /** The installs, opened (TOKEN_ENCRYPTION_KEY). */
  installs: Pick<StoreInstallationStore, 'installation'>;
  log: Logger;
  /** A Retry-After longer than this is handed back to the caller as a retryable error. Default 30 s. */
  maxRateLimitWaitSec?: number;
  /** How many 429s in a row one call waits out. Default 5. */
  maxRateLimitRetries?: number;
  /** Per-request timeout. Default 20 s. */
  timeoutMs?: number;
}

/** Our pino-style logger as the logger @slack/* packages expect. Debug output stays debug. */
export function slackSdkLogger(log: Logger): BoltLogger {
  let level: LogLevel = LogLevel.INFO;
  const text = (msg: unknown[]) =>
    msg
      .map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : (() => { try { return JSON.stringify(m); } catch { return String(m); } })()))
      .join(' ')
      .slice(0, 2000);
  return {
    debug: (...m: unknown[]) => log.debug({ sdk: 'slack' }, text(m)),
    info: (...m: unknown[]) => log.info({ sdk: 'slack' }, text(m)),
    warn: (...m: unknown[]) => log.warn({ sdk: 'slack' }, text(m)),
    error: (...m: unknown[]) => log.error({ sdk: 'slack' }, text(m)),
    setLevel: (l: LogLevel) => void (level = l),
    getLevel: () => level,
    setName: () => {},
  };
}

/** The bot token of an installation as stored by install-store.ts. */
export function botTokenOf(data: unknown): string | undefined {
  const bot = (data as Partial<Installation> | null)?.bot;
  return typeof bot?.token === 'string' && bot.token ? bot.token : undefined;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class SlackWeb {
  private readonly clients = new Map<string, WebClient>();
  private readonly sdkLogger: BoltLogger;

  constructor(private readonly opts: SlackWebOptions) {
    this.sdkLogger = slackSdkLogger(opts.log.child({ component: 'slack-web' }));
  }

  /** Options for every WebClient we or Bolt create, so all of them talk to the same API URL. */
  clientOptions(): ConstructorParameters<typeof webApi.WebClient>[1] {
    return {
      slackApiUrl: this.opts.apiUrl,
      logger: this.sdkLogger,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: this.opts.timeoutMs ?? 20_000,
    };
  }

  /** The bot token for a workspace: its OAuth installation, else the single SLACK_BOT_TOKEN. */
  async tokenFor(teamId: string): Promise<string> {
    if (this.opts.oauth) {
      const token = botTokenOf(await this.opts.installs.installation(teamId));
      if (token) return token;
    }
    if (this.opts.botToken) return this.opts.botToken;
    throw new ChannelUnavailableError('not_installed', `the app is not installed in workspace ${teamId}`);
  }

  client(token: string): WebClient {
    let c = this.clients.get(token);
    if (!c) {
      c = new webApi.WebClient(token, this.clientOptions());
      this.clients.set(token, c);
    }
    return c;
  }

  /** Calls `method` with the workspace's token; 429s waited out, failures as core errors. */
  async call<T extends WebResult = WebResult>(teamId: string, method: string, args: Record<string, unknown>): Promise<T> {
    const token = await this.tokenFor(teamId);
    return this.callWithToken<T>(token, method, args);
  }

  async callWithToken<T extends WebResult = WebResult>(token: string, method: string, args: Record<string, unknown>): Promise<T> {
    const client = this.client(token);
    const maxWait = this.opts.maxRateLimitWaitSec ?? 30;
    const maxRetries = this.opts.maxRateLimitRetries ?? 5;
    for (let attempt = 0; ; attempt++) {
      try {
        return (await client.apiCall(method, args)) as T;
      } catch (err) {
        if (err instanceof webApi.WebAPIRateLimitedError && attempt < maxRetries && err.retryAfter <= maxWait) {
          this.opts.log.warn({ method, retryAfter: err.retryAfter, attempt: attempt + 1 }, 'Slack rate limit: waiting before retrying');
          await sleep(Math.max(100, err.retryAfter * 1000));
          continue;
        }
        throw mapSlackError(err, method);
      }
    }
  }
}
