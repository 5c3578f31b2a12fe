/**
 * The ChatPlatform contract: what every platform adapter does, whatever its SDK. Each
 * implementation's test file supplies a driver that starts the platform with the real
 * handlers (over the shared test core) and can play the user's side through the
 * platform's stand-in. Optional capabilities (reactions, findPosted) are checked where
 * the driver says the platform has them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelRef, ChatPlatform, Store } from '../../src/core/ports.js';
import type { OutboundMessage } from '../../src/core/reply.js';
import { toPaperView } from '../../src/core/views.js';
import { makePaper } from '../support/papers.js';

export interface PlatformDriver {
  /** Started with the bot's handlers. */
  platform: ChatPlatform;
  store: Store;
  /** A channel the platform can post to. */
  channel: ChannelRef;
  /** A user runs `/papers help` there; resolves with the text they were shown. */
  invokeHelp(): Promise<string>;
  /** What the channel shows for a message the bot posted (undefined: not there). */
  shown(messageId: string): Promise<string | undefined>;
  /** A user adds 🔖 to a message; present where the platform delivers reactions. */
  react?(messageId: string, userId: string): Promise<void>;
  /**
   * A person's inbox (a `dm:<user>` ref, core/people.ts) and what that person's direct
   * messages show for a message the bot posted there (undefined: not there).
   */
  inbox: { ref: ChannelRef; shown(messageId: string): Promise<string | undefined> };
  /** Polls until `fn` holds (the platforms deliver events asynchronously). */
  waitFor(fn: () => Promise<boolean>, what: string): Promise<void>;
  close(): Promise<void>;
}

const notice = (text: string): OutboundMessage => ({ kind: 'notice', text });

export function chatPlatformContract(name: string, start: () => Promise<PlatformDriver>, caps: { findPosted: boolean; reactions: boolean }): void {
  describe(`ChatPlatform contract: ${name}`, () => {
    let d: PlatformDriver;
    beforeAll(async () => {
      d = await start();
    });
    afterAll(async () => {
      await d?.close();
    });

    it('has the name the channel refs carry', () => {
      expect(d.platform.name).toBe(d.channel.platform);
    });

    it('answers an invocation after start, with the reply the handlers gave', async () => {
      expect(await d.invokeHelp()).toMatch(/search/);
    });

    it('posts a message and hands back an id the channel shows it under', async () => {
      const a = await d.platform.post(d.channel, notice('contract: first post'));
      const b = await d.platform.post(d.channel, notice('contract: second post'));
      expect(a.messageId).toBeTruthy();
      expect(b.messageId).not.toBe(a.messageId);
      expect(await d.shown(a.messageId)).toContain('contract: first post');
      expect(await d.shown(b.messageId)).toContain('contract: second post');
    });

    it("posts to a person's inbox (dm:<user>) in their direct messages, not in the channel", async () => {
      const a = await d.platform.post(d.inbox.ref, notice('contract: for your inbox'));
      expect(await d.inbox.shown(a.messageId)).toContain('contract: for your inbox');
      expect((await d.shown(a.messageId)) ?? '').not.toContain('contract: for your inbox');
      if (caps.findPosted) {
        const message: OutboundMessage = { kind: 'digestPaper', date: '2026-08-21', paper: toPaperView(makePaper({ id: '2401.00078', title: 'Inbox contract paper' })), position: 1, of: 1, topic: 'contract topic' };
        const posted = await d.platform.post(d.inbox.ref, message, { idempotencyKey: 'contract-inbox-key-1' });
        expect(await d.inbox.shown(posted.messageId)).toContain('contract topic');
        expect(await d.platform.findPosted!(d.inbox.ref, 'contract-inbox-key-1')).toEqual({ messageId: posted.messageId });
      }
    });

    if (caps.findPosted) {
      it('finds a post again by its idempotency key, and nothing for an unknown key', async () => {
        // A digest paper message: the kind a delivery retry looks for.
        const message: OutboundMessage = { kind: 'digestPaper', date: '2026-08-21', paper: toPaperView(makePaper({ id: '2401.00077', title: 'Contract paper' })), position: 1, of: 1 };
        const posted = await d.platform.post(d.channel, message, { idempotencyKey: 'contract-key-1' });
        expect(await d.platform.findPosted!(d.channel, 'contract-key-1')).toEqual({ messageId: posted.messageId });
        expect(await d.platform.findPosted!(d.channel, 'contract-key-unknown')).toBeNull();
      });
    } else {
      it('declares no findPosted', () => {
        expect(d.platform.findPosted).toBeUndefined();
      });
    }

    if (caps.reactions) {
      it('delivers a 🔖 reaction on a posted paper message to the handlers (a bookmark)', async () => {
        const paper = (await d.store.papersFeaturedBetween('2000-01-01', '2100-01-01'))[0]!;
        const posted = await d.platform.post(d.channel, notice(`contract: paper ${paper.id}`));
        await d.store.recordPosted({ ...d.channel, date: '2026-08-21', kind: 'paper', paperId: paper.id, messageId: posted.messageId, postedAt: new Date().toISOString() });
        await d.react!(posted.messageId, 'U0CONTRACT');
        await d.waitFor(async () => (await d.store.listBookmarks(d.channel.platform, 'U0CONTRACT')).some((b) => b.paperId === paper.id), 'the bookmark');
      });
    }

    it('stops, and stopping twice is harmless', async () => {
      await d.platform.stop();
      await d.platform.stop();
    });
  });
}
