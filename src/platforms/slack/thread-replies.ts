/**
 * Thread mode's messages on Slack: replies under the digest's header, and finding a
 * message the bot posted by the idempotency key in its metadata (render.ts postArgs), for
 * a delivery retried after a crash. conversations.history lists only a
 * channel's top-level messages, so a paper posted in a digest's thread (thread mode) is
 * looked for among the thread's replies first (conversations.replies on the header's ts),
 * then in the channel, where it went if the thread could not be used.
 */
import { UpstreamError } from '../../core/errors.js';
import type { Logger, PostedRef } from '../../core/ports.js';
import { slackErrorCode } from './errors.js';
import { METADATA_EVENT_TYPE } from './render.js';

type Listed = { messages?: { ts?: string; metadata?: { event_type?: string; event_payload?: { key?: unknown } } }[] };

/** The Web API call, in the message's conversation (the caller joins the channel or opens the DM). */
export type ConversationCall = (method: 'conversations.history' | 'conversations.replies', args: Record<string, unknown>) => Promise<Listed>;

export function keyedMessage(res: Listed, idempotencyKey: string): PostedRef | null {
  const hit = (res.messages ?? []).find((m) => m.metadata?.event_type === METADATA_EVENT_TYPE && m.metadata.event_payload?.key === idempotencyKey && typeof m.ts === 'string');
  return hit ? { messageId: hit.ts! } : null;
}

/** Ours with this key among the last `limit` messages of the thread under `threadTs` (if any), then of the channel. */
export async function findKeyed(call: ConversationCall, idempotencyKey: string, opts: { limit: number; threadTs?: string }): Promise<PostedRef | null> {
  if (opts.threadTs) {
    const inThread = keyedMessage(await call('conversations.replies', { ts: opts.threadTs, limit: opts.limit, include_all_metadata: true }), idempotencyKey);
    if (inThread) return inThread;
  }
  return keyedMessage(await call('conversations.history', { limit: opts.limit, include_all_metadata: true }), idempotencyKey);
}

/** Refusals that mean "no reply here" (a header gone or of a kind that takes none): Slack did nothing. */
const NO_THREAD: ReadonlySet<string> = new Set(['thread_not_found', 'invalid_thread_ts', 'cannot_reply_to_message']);

/** Sends a reply under `threadTs`; where the header takes no replies, the message goes in the channel instead. */
export async function replyOrPost<T>(conversation: string, threadTs: string | undefined, send: (conversation: string, threadTs?: string) => Promise<T>, log: Logger): Promise<T> {
  if (!threadTs) return send(conversation);
  try {
    return await send(conversation, threadTs);
  } catch (err) {
    const code = err instanceof UpstreamError ? slackErrorCode(err.cause) : undefined;
    if (!code || !NO_THREAD.has(code)) throw err;
    log.warn({ channel: conversation, header: threadTs, code }, "slack: the digest's header takes no replies; posting its paper in the channel");
    return send(conversation, '');
  }
}
