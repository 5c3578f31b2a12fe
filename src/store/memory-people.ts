/**
 * The PeopleStore port (followed topics, inboxes, pending alerts, forgetting a person) in
 * memory, for tests and the console; see src/core/people.ts. What else the store holds
 * about a person (bookmarks, their inbox channel's posted log and outbox) is the
 * MemoryStore's, so `forget` asks it through `forgetRest`: everything runs synchronously,
 * so nothing can interleave and the whole forget is as atomic as a transaction.
 */
import type { Follow, ForgetReport, Inbox, PeopleStore, PendingAlert } from '../core/people.js';
import type { PaperId } from '../core/paper.js';
import type { PlatformName } from '../core/subscription.js';
import { topicKey } from './people-rows.js';

const clone = <T>(v: T): T => structuredClone(v);
const personKey = (platform: PlatformName, userId: string): string => JSON.stringify([platform, userId]);
const alertKey = (platform: PlatformName, userId: string, paperId: PaperId): string => JSON.stringify([platform, userId, paperId]);

export interface MemoryPeopleHooks {
  /** Throws once the store is closed. */
  live(): void;
  /** Deletes the person's bookmarks and their inbox channel's posted log, planned deliveries and handled slots. */
  forgetRest(platform: PlatformName, userId: string): Pick<ForgetReport, 'bookmarks' | 'posted' | 'deliveries'>;
}

interface Seq<T> {
  value: T;
  /** Insertion order, the tie-breaker SQLite gets from rowid. */
  seq: number;
}

export class MemoryPeopleStore implements PeopleStore {
  private readonly follows: Seq<Follow>[] = [];
  private readonly inboxes = new Map<string, Inbox>();
  private readonly alerts = new Map<string, Seq<PendingAlert>>();
  private seq = 0;

  constructor(private readonly hooks: MemoryPeopleHooks) {}

  async addFollow(f: Follow): Promise<boolean> {
    this.hooks.live();
    const key = topicKey(f.topic);
    if (this.follows.some(({ value: x }) => x.platform === f.platform && x.userId === f.userId && topicKey(x.topic) === key)) return false;
    this.follows.push({ value: clone(f), seq: this.seq++ });
    return true;
  }

  async listFollows(platform: PlatformName, userId: string): Promise<Follow[]> {
    this.hooks.live();
    return this.follows
      .filter(({ value: f }) => f.platform === platform && f.userId === userId)
      .sort((a, b) => byTimeThenSeq(a.value.createdAt, a.seq, b.value.createdAt, b.seq))
      .map(({ value }) => clone(value));
  }

  async removeFollow(platform: PlatformName, userId: string, topic: string): Promise<boolean> {
    this.hooks.live();
    const key = topicKey(topic);
    const i = this.follows.findIndex(({ value: f }) => f.platform === platform && f.userId === userId && topicKey(f.topic) === key);
    if (i < 0) return false;
    this.follows.splice(i, 1);
    return true;
  }

  async getInbox(platform: PlatformName, userId: string): Promise<Inbox | null> {
    this.hooks.live();
    const i = this.inboxes.get(personKey(platform, userId));
    return i ? clone(i) : null;
  }

  async saveInbox(inbox: Inbox): Promise<Inbox> {
    this.hooks.live();
    const key = personKey(inbox.platform, inbox.userId);
    const prev = this.inboxes.get(key);
    const stored = prev ? { ...clone(inbox), createdAt: prev.createdAt } : clone(inbox);
    this.inboxes.set(key, stored);
    return clone(stored);
  }

  async listInboxes(opts: { platform?: PlatformName; includeDisabled?: boolean; instantOnly?: boolean } = {}): Promise<Inbox[]> {
    this.hooks.live();
    return [...this.inboxes.values()]
      .filter((i) => (opts.platform === undefined || i.platform === opts.platform) && (opts.includeDisabled || i.enabled) && (!opts.instantOnly || i.instant))
      .sort((a, b) => compare(a.platform, b.platform) || compare(a.userId, b.userId))
      .map(clone);
  }

  async addPendingAlerts(alerts: readonly PendingAlert[]): Promise<number> {
    this.hooks.live();
    let added = 0;
    for (const a of alerts) {
      const key = alertKey(a.platform, a.userId, a.paperId);
      if (this.alerts.has(key)) continue;
      this.alerts.set(key, { value: clone(a), seq: this.seq++ });
      added++;
    }
    return added;
  }

  async listPendingAlerts(platform: PlatformName, userId: string): Promise<PendingAlert[]> {
    this.hooks.live();
    return this.personAlerts(platform, userId)
      .sort((a, b) => byTimeThenSeq(a.value.addedAt, a.seq, b.value.addedAt, b.seq))
      .map(({ value }) => clone(value));
  }

  async peopleWithPendingAlerts(): Promise<{ platform: PlatformName; userId: string; workspaceId: string }[]> {
    this.hooks.live();
    // One row a person; the workspace of the alert added last (where the person was seen most recently).
    const latest = new Map<string, Seq<PendingAlert>>();
    for (const a of this.alerts.values()) {
      const key = personKey(a.value.platform, a.value.userId);
      const seen = latest.get(key);
      if (!seen || a.seq > seen.seq) latest.set(key, a);
    }
    return [...latest.values()]
      .map(({ value: a }) => ({ platform: a.platform, userId: a.userId, workspaceId: a.workspaceId }))
      .sort((a, b) => compare(a.platform, b.platform) || compare(a.userId, b.userId));
  }

  async clearPendingAlerts(platform: PlatformName, userId: string, paperIds: readonly PaperId[]): Promise<number> {
    this.hooks.live();
    let n = 0;
    for (const id of new Set(paperIds)) if (this.alerts.delete(alertKey(platform, userId, id))) n++;
    return n;
  }

  async forget(platform: PlatformName, userId: string): Promise<ForgetReport> {
    this.hooks.live();
    let follows = 0;
    for (let i = this.follows.length - 1; i >= 0; i--) {
      const f = this.follows[i]!.value;
      if (f.platform === platform && f.userId === userId) {
        this.follows.splice(i, 1);
        follows++;
      }
    }
    const inbox = this.inboxes.delete(personKey(platform, userId));
    let pendingAlerts = 0;
    for (const { value: a } of this.personAlerts(platform, userId)) if (this.alerts.delete(alertKey(platform, userId, a.paperId))) pendingAlerts++;
    return { ...this.hooks.forgetRest(platform, userId), follows, inbox, pendingAlerts };
  }

  private personAlerts(platform: PlatformName, userId: string): Seq<PendingAlert>[] {
    return [...this.alerts.values()].filter(({ value: a }) => a.platform === platform && a.userId === userId);
  }
}

/** Code-unit order, as SQLite's BINARY collation and PostgreSQL's "C" give. */
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byTimeThenSeq = (at: string, aSeq: number, bt: string, bSeq: number): number => compare(at, bt) || aSeq - bSeq;
