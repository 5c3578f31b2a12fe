/**
 * One error family for everything that can reach a user. Adapters show `userMessage`
 * (ephemeral where the platform allows) and log the rest; anything that is not a
 * BotError is a bug and is shown as a generic apology.
 */

export type ErrorCode =
  | 'bad_input' // the user typed something we cannot use
  | 'not_found' // an id or a thing that does not exist
  | 'forbidden' // the user lacks a permission
  | 'rate_limited' // a platform or upstream asked us to slow down
  | 'upstream' // an upstream API failed (HTTP error, timeout)
  | 'malformed_data' // a file or body that is not what it claims to be
  | 'config' // the process is configured wrongly
  | 'unavailable' // a dependency is not ready yet (index warming up)
  | 'channel_unavailable' // the channel is gone or the bot may no longer post there
  | 'throttled' // this user sent commands faster than the per-user limit
  | 'busy' // the search pool is full or a query ran past its deadline
  | 'internal';

export interface BotErrorOptions {
  /** Longer text for the log; defaults to the user message. */
  detail?: string;
  cause?: unknown;
}

export class BotError extends Error {
  readonly code: ErrorCode;
  /** Short, safe to show in chat, no stack, no internals. */
  readonly userMessage: string;

  constructor(code: ErrorCode, userMessage: string, opts: BotErrorOptions = {}) {
    super(opts.detail ?? userMessage, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.userMessage = userMessage;
  }
}

export class UserInputError extends BotError {
  constructor(userMessage: string, opts?: BotErrorOptions) {
    super('bad_input', userMessage, opts);
  }
}

export class NotFoundError extends BotError {
  constructor(userMessage: string, opts?: BotErrorOptions) {
    super('not_found', userMessage, opts);
  }
}

export class PermissionError extends BotError {
  constructor(userMessage: string, opts?: BotErrorOptions) {
    super('forbidden', userMessage, opts);
  }
}

/** A user over the per-user command limit (or a channel in its `digest now` cooldown). */
export class SlowDownError extends BotError {
  constructor(readonly waitMs: number, what = 'Slow down') {
    super('throttled', `${what}: try again in ${Math.max(1, Math.ceil(waitMs / 1000))} s.`);
  }
}

/** Too much search work at once: refused at once rather than queued behind the pile-up. */
export class BusyError extends BotError {
  constructor(detail: string) {
    super('busy', 'Search is busy right now; try again in a moment.', { detail });
  }
}

/** An upstream HTTP API failed; `retryable` tells callers whether trying again may help. */
export class UpstreamError extends BotError {
  readonly status: number | undefined;
  readonly retryable: boolean;
  constructor(userMessage: string, opts: BotErrorOptions & { status?: number; retryable?: boolean } = {}) {
    super('upstream', userMessage, opts);
    this.status = opts.status;
    this.retryable = opts.retryable ?? false;
  }
}

/** A file or response body that does not hold what it should. Names the file. */
export class MalformedDataError extends BotError {
  readonly file: string;
  constructor(file: string, problem: string, opts?: BotErrorOptions) {
    super('malformed_data', `${file}: ${problem}`, opts);
    this.file = file;
  }
}

/** A platform asked us to wait (HTTP 429) and the caller decides when to try again. */
export class RateLimitedError extends BotError {
  readonly retryAfterMs: number;
  constructor(retryAfterMs: number, detail: string) {
    super('rate_limited', 'The platform asked me to slow down; please try again in a moment.', { detail });
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * The platform refused a post for good: the channel was deleted, the bot was removed or
 * lost its permissions (Discord 10003/50001/50013; Slack channel_not_found,
 * not_in_channel, is_archived). Retrying cannot help; the subscription is paused.
 */
export class ChannelUnavailableError extends BotError {
  /** The platform's own code, for the log and the pause reason. */
  readonly platformCode: string;
  constructor(platformCode: string, detail: string) {
    super('channel_unavailable', 'I can no longer post in this channel.', { detail });
    this.platformCode = platformCode;
  }
}

export class ConfigError extends BotError {
  constructor(message: string) {
    super('config', message);
  }
}

export const GENERIC_FAILURE = 'Something went wrong on our side. It has been logged; please try again later.';

/** What a user may see for any thrown value. */
export function userMessageOf(err: unknown): string {
  return err instanceof BotError ? err.userMessage : GENERIC_FAILURE;
}

/** True for errors caused by the user (not worth an error-level log line). */
export function isUserFault(err: unknown): boolean {
  return err instanceof BotError && (err.code === 'bad_input' || err.code === 'not_found' || err.code === 'forbidden' || err.code === 'throttled' || err.code === 'busy');
}
