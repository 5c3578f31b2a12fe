/**
 * Thread mode (settings --threads on): a digest's header goes in the channel and its papers
 * in a thread under it, so a busy channel shows one message per digest. The core only says
 * which thread a paper belongs to (its header's message id and the thread's name); the
 * platform makes the thread on first use (Discord: a thread on the header, or in a forum
 * channel a forum post the header opens; Slack: replies with `thread_ts`) and answers where
 * the message landed (`PostedRef.channelId`), where its 🔖 hint and live edits then go.
 *
 * Exactly-once holds as for plain posts: the header's id comes from the posted log, or, for
 * a "More" header the log does not keep, from the platform (`findPosted`) on a retry.
 */
import type { PostedEntry, PostedRef, PostOptions } from '../ports.js';
import type { OutboundMessage } from '../reply.js';

type Header = Extract<OutboundMessage, { kind: 'digestHeader' }>;

/** Discord's limit on a thread name; Slack threads have no name. */
const THREAD_NAME_MAX = 100;

/** The plan's messages with the header marked to head a thread (when `on`). */
export function withThreads(messages: OutboundMessage[], on: boolean | undefined): OutboundMessage[] {
  if (!on) return messages;
  return messages.map((m) => (m.kind === 'digestHeader' ? { ...m, threads: true } : m));
}

/** "Trending papers for Fri 21 Aug 2026", clipped to what a thread name may hold. */
export function threadName(header: Pick<Header, 'title' | 'date'>): string {
  const name = header.title.replace(/\s+/g, ' ').trim() || `Trending papers ${header.date}`;
  return name.length > THREAD_NAME_MAX ? `${name.slice(0, THREAD_NAME_MAX - 1)}…` : name;
}

/**
 * The thread of one delivery: what options each of its messages is posted (and looked up)
 * with. The header's id is known once the header is posted or found in the log; until then
 * (a continued header sent by an attempt that died) `resolve` asks the platform.
 */
export class DigestThread {
  readonly name: string;
  /** The header's message id; null when it cannot be known (the papers then go in the channel). */
  private parent: string | null | undefined;

  constructor(
    /** The header the papers go under (its key is what `resolve` looks up). */
    readonly header: Header,
    dayLog: readonly PostedEntry[],
  ) {
    this.name = threadName(header);
    // A continued header is not in the log: its id is looked up when a paper needs it.
    this.parent = header.continuedFrom ? undefined : dayLog.find((e) => e.kind === 'header')?.messageId;
  }

  /** The plan's thread, or null when thread mode is off. */
  static of(messages: readonly OutboundMessage[], dayLog: readonly PostedEntry[]): DigestThread | null {
    const header = messages.find((m): m is Header => m.kind === 'digestHeader');
    return header?.threads ? new DigestThread(header, dayLog) : null;
  }

  /** Records the header as posted (or found): its papers go under it. */
  headerAt(ref: PostedRef): void {
    this.parent = ref.messageId;
  }

  /** Finds the header's id when nothing told it yet; `lookUp` is the platform's findPosted for the header. */
  async resolve(lookUp: () => Promise<PostedRef | null>): Promise<void> {
    if (this.parent !== undefined) return;
    this.parent = (await lookUp())?.messageId ?? null;
  }

  /** True while a paper would need `resolve` first. */
  get unresolved(): boolean {
    return this.parent === undefined;
  }

  /** The thread options for posting or finding `message`. */
  optionsFor(message: OutboundMessage): Pick<PostOptions, 'thread'> {
    if (message.kind === 'digestHeader') return { thread: { name: this.name } };
    if (message.kind === 'digestPaper' && this.parent) return { thread: { name: this.name, parentMessageId: this.parent } };
    return {};
  }
}
