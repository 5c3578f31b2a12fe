/**
 * Slack Web API failures as core errors:
 *
 * - The channel is gone or closed to the bot (channel_not_found, not_in_channel,
 *   is_archived, …) or the workspace removed the app (account_inactive, token_revoked):
 *   ChannelUnavailableError, so the digest job pauses the subscription instead of retrying.
 * - Rate limits that outlasted our own waiting, 5xx and network failures: UpstreamError
 *   with `retryable: true` (and the SDK error as `cause`), for the job to retry later.
 * - Anything else Slack refused (invalid_blocks, missing_scope, …): UpstreamError with
 *   `retryable: false`; retrying the same request cannot help.
 */
import { webApi } from '@slack/bolt';
import { BotError, ChannelUnavailableError, UpstreamError } from '../../core/errors.js';

/** Slack error codes after which posting to this channel cannot succeed without a human. */
export const CHANNEL_GONE = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'restricted_action',
  'account_inactive',
  'token_revoked',
  'team_access_not_granted',
  'not_installed',
]);

/** The Slack error code of a platform error (`ok: false`), else undefined. */
export function slackErrorCode(err: unknown): string | undefined {
  return err instanceof webApi.WebAPIPlatformError ? err.data.error : undefined;
}

export function mapSlackError(err: unknown, method: string): Error {
  if (err instanceof BotError) return err;
  if (err instanceof webApi.WebAPIPlatformError) {
    const code = err.data.error;
    if (CHANNEL_GONE.has(code)) return new ChannelUnavailableError(code, `${method}: ${code}`);
    if (code === 'ratelimited') {
      return new UpstreamError('Slack is asking the bot to slow down. Try again in a minute.', { status: 429, retryable: true, detail: `${method}: ratelimited`, cause: err });
    }
    const needed = (err.data as unknown as Record<string, unknown>).needed;
    const hint = typeof needed === 'string' ? ` (needs ${needed})` : '';
    return new UpstreamError(`Slack refused the request (${code}).`, { retryable: false, detail: `${method}: ${code}${hint}`, cause: err });
  }
  if (err instanceof webApi.WebAPIRateLimitedError) {
    return new UpstreamError('Slack is asking the bot to slow down. Try again in a minute.', {
      status: 429,
      retryable: true,
      detail: `${method}: rate limited, retry after ${err.retryAfter}s`,
      cause: err,
    });
  }
  if (err instanceof webApi.WebAPIHTTPError) {
    const retryable = err.statusCode >= 500 || err.statusCode === 408;
    return new UpstreamError('Slack did not answer properly. Try again in a moment.', { status: err.statusCode, retryable, detail: `${method}: HTTP ${err.statusCode}`, cause: err });
  }
  if (err instanceof webApi.WebAPIRequestError) {
    return new UpstreamError('Could not reach Slack. Try again in a moment.', { retryable: true, detail: `${method}: ${err.original.message}`, cause: err });
  }
  return err instanceof Error ? err : new Error(String(err));
}
