/**
 * Link cards on Discord through discord.js and the stand-in: the "Paper cards" message
 * commands are registered beside /papers (type 3, the same installs and contexts), and a
 * member's message with paper links, right-clicked → Apps → Paper cards, is answered
 * with a card per known paper: only to them, or in the channel with "(public)". The bot
 * keeps its intents (no Message Content): the message arrives in the interaction.
 */
import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.js';
import { LINK_CARDS_MAX } from '../../../src/core/linked-papers.js';
import type { PlatformHandlers } from '../../../src/core/ports.js';
import { PAPER_CARDS, PAPER_CARDS_PUBLIC } from '../../../src/platforms/discord/message-cards.js';
import { buildMessageCommands, registerCommands, validateMessageCommand } from '../../../src/platforms/discord/register.js';
import { DEFAULT_CHANNEL, INTENTS, type StoredMessage } from '../../support/discord-standin/index.js';
import { makePaper } from '../../support/papers.js';
import { startDiscordBot, type DiscordBot } from './harness.js';

const EPHEMERAL = 64;
const known = Array.from({ length: 12 }, (_, i) => makePaper({ id: `2601.${String(20000 + i)}`, title: `Known paper ${i}` }));
const [a, b, c] = known.map((p) => p.id) as [string, string, string];

async function register(bot: DiscordBot) {
  await registerCommands({ rest: new REST({ api: bot.discord.apiBase }).setToken(bot.discord.token), appId: bot.discord.appId, specs: commands });
}

async function cardsFor(bot: DiscordBot, content: string, o: { name?: string; embeds?: Record<string, unknown>[] } = {}): Promise<StoredMessage> {
  const m = bot.discord.userMessage(DEFAULT_CHANNEL, { content, ...(o.embeds ? { embeds: o.embeds } : {}) });
  const answer = await bot.discord.answer(bot.discord.messageCommand({ name: o.name ?? PAPER_CARDS, messageId: m.id }));
  return answer.message!;
}

describe('Discord "Paper cards" message commands', () => {
  let bot: DiscordBot;

  beforeAll(async () => {
    bot = await startDiscordBot();
    await bot.store.upsertPapers([...known, makePaper({ id: '2602.00666', title: '@everyone <@200000000000000001> **bold** [click](https://evil.example)' })]);
    await register(bot);
  });
  afterAll(async () => {
    // Nothing the bot sent was refused by "Discord", and every interaction was answered.
    expect(bot.discord.rejected().map((r) => `${r.method} ${r.path} ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`)).toEqual([]);
    expect([...bot.discord.interactions.values()].filter((i) => i.late > 0 || i.callbacks.length === 0).map((i) => i.id)).toEqual([]);
    await bot?.close();
  });

  it('registers two message commands beside /papers, wherever /papers is, without a new intent', () => {
    const all = bot.discord.commands.global as { name: string; type: number; contexts: number[]; integration_types: number[] }[];
    expect(all.map((x) => [x.name, x.type])).toEqual([
      ['papers', 1],
      [PAPER_CARDS, 3],
      [PAPER_CARDS_PUBLIC, 3],
    ]);
    for (const x of all) expect(x).toMatchObject({ contexts: [0, 1, 2], integration_types: [0, 1] });
    expect(buildMessageCommands().flatMap(validateMessageCommand)).toEqual([]);
    expect(validateMessageCommand({ type: 3, name: 'x'.repeat(33) })).toHaveLength(1);
    expect(bot.discord.gateway.identifies[0]!.intents & INTENTS.MessageContent).toBe(0);
  });

  it('answers privately with a card per known paper in the content and the link previews, the unknown named', async () => {
    const content = `Read https://arxiv.org/abs/${a}v2 (PDF: https://arxiv.org/pdf/${a}) and <https://huggingface.co/papers/${b}>, not https://arxiv.org/abs/2401.99999`;
    const reply = await cardsFor(bot, content, { embeds: [{ type: 'link', url: `https://arxiv.org/abs/${c}`, title: 'arXiv preview' }] });
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(reply.embeds.map((e: { title?: string }) => e.title)).toEqual([expect.stringContaining('Known paper 0'), expect.stringContaining('Known paper 1'), expect.stringContaining('Known paper 2')]);
    expect(reply.content).toContain("I don't know 2401.99999.");
    expect(reply.allowedMentions).toEqual({ parse: [] });
    // Each card's 🔖 button bookmarks like a digest's.
    const ids = reply.components.flatMap((r: { components: { custom_id?: string }[] }) => r.components.map((x) => x.custom_id));
    expect(ids).toContain(`bm:${a}`);
  });

  it('posts them for everyone with "Paper cards (public)"', async () => {
    const reply = await cardsFor(bot, `https://hf.co/papers/${b}`, { name: PAPER_CARDS_PUBLIC });
    expect(reply.flags & EPHEMERAL).toBe(0);
    expect(bot.discord.messages(DEFAULT_CHANNEL).map((m) => m.id)).toContain(reply.id);
    expect(reply.embeds).toHaveLength(1);
  });

  it("says it doesn't know the paper, or that the message links none, only to the person who asked", async () => {
    const unknown = await cardsFor(bot, 'look https://arxiv.org/abs/2401.99999', { name: PAPER_CARDS_PUBLIC });
    expect(unknown.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(unknown.content).toMatch(/I don't know that paper \(2401\.99999\)/);
    const none = await cardsFor(bot, 'https://arxiv.org.evil.example/abs/2405.15738 https://example.com/papers/2405.15738');
    expect(none.content).toContain('I found no arXiv or Hugging Face paper link in that message.');
  });

  it(`caps a message full of links at ${LINK_CARDS_MAX} cards`, async () => {
    const reply = await cardsFor(bot, known.map((p) => `https://arxiv.org/abs/${p.id}`).join(' '));
    expect(reply.embeds).toHaveLength(LINK_CARDS_MAX);
  });

  it('pings no one and escapes a hostile title, in public too', async () => {
    const reply = await cardsFor(bot, '@everyone <@&1234> https://arxiv.org/abs/2602.00666', { name: PAPER_CARDS_PUBLIC });
    expect(reply.allowedMentions).toEqual({ parse: [] });
    const title = (reply.embeds[0] as { title: string }).title;
    expect(title).not.toContain('**bold**');
    expect(reply.content).not.toMatch(/(^|[^\\])@everyone/);
  });
});

describe('Discord "Paper cards" when the answer is slow', () => {
  let bot: DiscordBot;
  beforeAll(async () => {
    const slow = (h: PlatformHandlers): PlatformHandlers => ({
      ...h,
      linkCards: async (req) => {
        await new Promise((r) => setTimeout(r, 150));
        return h.linkCards!(req);
      },
    });
    bot = await startDiscordBot({ platform: { deferAfterMs: 20 }, wrapHandlers: slow });
    await bot.store.upsertPapers(known);
    await register(bot);
  });
  afterAll(async () => {
    expect(bot.discord.rejected()).toEqual([]);
    await bot?.close();
  });

  it('defers as asked (public) and edits in the cards', async () => {
    const reply = await cardsFor(bot, `https://arxiv.org/abs/${a}`, { name: PAPER_CARDS_PUBLIC });
    const rec = [...bot.discord.interactions.values()].at(-1)!;
    expect(rec.callbacks.map((x) => x.type)).toEqual([5]);
    expect(reply.flags & EPHEMERAL).toBe(0);
    expect(reply.embeds).toHaveLength(1);
  });

  it('a public ask with nothing known: the public "thinking…" goes, a private note stays', async () => {
    const m = bot.discord.userMessage(DEFAULT_CHANNEL, { content: 'https://arxiv.org/abs/2401.99999' });
    const rec = bot.discord.messageCommand({ name: PAPER_CARDS_PUBLIC, messageId: m.id });
    await bot.discord.waitFor(() => rec.followups.length > 0, { what: 'the follow-up' });
    expect(rec.original?.deleted).toBe(true);
    expect(rec.followups[0]!.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(rec.followups[0]!.content).toMatch(/I don't know that paper/);
  });
});

describe('linkTextOf (the text of a targeted message)', () => {
  it('reads the content, then each embed: URL, title, description, fields', async () => {
    const { linkTextOf } = await import('../../../src/platforms/discord/translate.js');
    const text = linkTextOf({ content: 'see this', embeds: [{ url: 'https://arxiv.org/abs/2405.15738', title: 'T', description: null, fields: [{ value: 'https://hf.co/papers/2406.00001' }] }, {}] });
    expect(text.split('\n')).toEqual(['see this', 'https://arxiv.org/abs/2405.15738', 'T', 'https://hf.co/papers/2406.00001']);
  });
});
