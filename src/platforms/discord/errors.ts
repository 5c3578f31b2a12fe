/**
 * Discord REST failures → the core's error family, so the digest path knows what to do:
 *
 * - 10003 Unknown Channel, 50001 Missing Access, 50013 Missing Permissions: the channel is
 *   gone or closed to the bot → ChannelUnavailableError (the subscription gets paused).
 * - 50007 Cannot send messages to this user (DMs closed, or no server shared with the bot
 *   any more) and 10013 Unknown User, on a person's inbox (dm-channels.ts): the same, so
 *   the inbox gets paused.
 * - 401: the token was refused → ConfigError (nothing will work until it is fixed).
 * - any other 4xx: Discord refused this request for good → UpstreamError, not retryable.
 * - 5xx (after @discordjs/rest's own retries) and network errors are returned unchanged:
 *   a later attempt may succeed, and the nonce keeps a retried post from showing twice.
 *
 * - a 429 the client was told to hand back (rejectOnRateLimit: every limit but an
 *   interaction's, see index.ts) → RateLimitedError with the wait, for the shared limiter.
 *   The invalid-request breaker (invalid-requests.ts) refuses with one too.
 */
import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import { BotError, ChannelUnavailableError, RateLimitedError, UpstreamError } from '../../core/errors.js';

export const CHANNEL_GONE_CODES: ReadonlySet<number> = new Set([10003, 50001, 50013]);
/** A direct message that cannot be delivered: only ever answered on DM routes. */
export const DM_UNDELIVERABLE_CODES: ReadonlySet<number> = new Set([50007, 10013]);

/** `what` says what was attempted, for the log ("post to 123", "add 🔖 to 456"). */
export function fromDiscordError(err: unknown, what: string): unknown {
  if (err instanceof RateLimitError) return new RateLimitedError(Math.max(1, err.retryAfter), `${what}: Discord rate limit (${err.global ? 'global' : err.route}), retry after ${err.retryAfter} ms`);
  if (!(err instanceof DiscordAPIError)) return err;
  const code = typeof err.code === 'number' ? err.code : Number(err.code);
  const detail = `${what}: Discord ${err.status} (code ${err.code}) ${err.message}`;
  if (CHANNEL_GONE_CODES.has(code) || DM_UNDELIVERABLE_CODES.has(code)) return new ChannelUnavailableError(String(code), detail);
  if (err.status === 401) return new BotError('config', 'Discord refused the bot token (401). Check DISCORD_TOKEN.', { detail, cause: err });
  if (err.status >= 400 && err.status < 500) {
    return new UpstreamError('Discord refused the request.', { status: err.status, retryable: false, detail, cause: err });
  }
  return err;
}

/** Interaction and webhook URLs carry the interaction's token: never log them whole. */
export function redactUrl(url: string): string {
  return url.replace(/\/(interactions\/\d+|webhooks\/\d+)\/[^/?#]+/g, '/$1/[token]');
}

/**
 * An error fit for the log: Discord REST errors keep their status, code, method and a
 * redacted URL, and lose the request body and the token-bearing URL pino would print.
 */
export function forLog(err: unknown): unknown {
  if (err instanceof DiscordAPIError || err instanceof HTTPError) {
    return {
      type: err.name,
      message: err.message,
      status: err.status,
      method: err.method,
      url: redactUrl(err.url),
      ...(err instanceof DiscordAPIError ? { code: err.code } : {}),
      stack: err.stack,
    };
  }
  return err;
}
