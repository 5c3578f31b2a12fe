import { describe, expect, it } from 'vitest';
import { LINK_CARDS_MAX, linkCardsReply, paperIdInUrl, papersLinkedIn } from '../../src/core/linked-papers.js';
import { commands } from '../../commands/index.js';
import { createHandlers } from '../../src/core/bot.js';
import type { LinkCardsRequest } from '../../src/core/linked-papers.js';
import { PLATFORMS } from '../../src/platforms/index.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { makeTestServices } from '../support/bot-harness.js';
import { makePaper } from '../support/papers.js';

describe('paperIdInUrl', () => {
  it.each([
    ['https://arxiv.org/abs/2405.15738', '2405.15738'],
    ['https://arxiv.org/abs/2405.15738v3', '2405.15738'],
    ['http://arxiv.org/pdf/2405.15738', '2405.15738'],
    ['https://arxiv.org/pdf/2405.15738v2.pdf', '2405.15738'],
    ['https://www.arxiv.org/abs/2405.15738/', '2405.15738'],
    ['https://export.arxiv.org/abs/2405.15738?context=cs', '2405.15738'],
    ['https://arxiv.org/html/2405.15738v1#S3', '2405.15738'],
    ['https://ARXIV.org/abs/hep-th/9901001v2', 'hep-th/9901001'],
    ['https://huggingface.co/papers/2405.15738', '2405.15738'],
    ['https://hf.co/papers/2405.15738#community', '2405.15738'],
  ])('%s → %s', (url, id) => expect(paperIdInUrl(url)).toBe(id));

  it.each([
    'https://arxiv.org.evil.example/abs/2405.15738',
    'https://evilarxiv.org/abs/2405.15738',
    'https://evil.arxiv.org/abs/2405.15738',
    'https://arxiv.org@evil.example/abs/2405.15738',
    'https://user:pw@arxiv.org/abs/2405.15738',
    'https://arxiv.org:8080/abs/2405.15738',
    'javascript:alert(1)//arxiv.org/abs/2405.15738',
    'ftp://arxiv.org/abs/2405.15738',
    'https://arxiv.org/list/2405.15738',
    'https://arxiv.org/abs/',
    'https://arxiv.org/abs/2405.15738/extra',
    'https://arxiv.org/abs/2405.15738%00',
    'https://arxiv.org/abs/%E0%A4%A',
    'https://huggingface.co/2405.15738',
    'https://huggingface.co/papers/2405.15738/../../models',
    'https://huggingface.co/datasets/2405.15738',
    'not a url',
    `https://arxiv.org/abs/2405.15738?${'x'.repeat(3000)}`,
  ])('%s → none', (url) => expect(paperIdInUrl(url)).toBeNull());
});

describe('papersLinkedIn', () => {
  it('finds links in prose, Slack markup and arXiv: ids, once each, in order', () => {
    const text = [
      'Have you seen https://huggingface.co/papers/2406.00001? And <https://arxiv.org/abs/2405.15738v2|ConvLLaVA>.',
      'PDF: (https://arxiv.org/pdf/2405.15738) — same paper. Also arXiv:2407.00002v1, and https://arxiv.org/abs/2406.00001.',
      'Not these: 2408.00003, https://example.com/abs/2408.00004, https://arxiv.org.evil.example/abs/2408.00005',
    ].join('\n');
    expect(papersLinkedIn(text)).toEqual(['2406.00001', '2405.15738', '2407.00002']);
  });

  it(`stops at ${LINK_CARDS_MAX}`, () => {
    const text = Array.from({ length: 40 }, (_, i) => `https://arxiv.org/abs/2401.${String(10000 + i)}`).join(' ');
    const ids = papersLinkedIn(text);
    expect(ids).toHaveLength(LINK_CARDS_MAX);
    expect(ids[0]).toBe('2401.10000');
  });

  it('survives hostile text: nothing, huge, control characters, markup', () => {
    expect(papersLinkedIn('')).toEqual([]);
    expect(papersLinkedIn('<!channel> @everyone <@U123> **bold**')).toEqual([]);
    expect(papersLinkedIn('https://'.repeat(20_000))).toEqual([]);
    expect(papersLinkedIn(`${'a'.repeat(100_000)} https://arxiv.org/abs/2405.15738`)).toEqual([]); // past what is read
    expect(papersLinkedIn('\u202ehttps://arxiv.org/abs/2405.15738\u0000')).toEqual(['2405.15738']);
  });
});

describe('linkCardsReply', () => {
  const store = new MemoryStore();
  const ready = store.upsertPapers([makePaper({ id: '2405.15738', title: 'ConvLLaVA' }), makePaper({ id: '2406.00001', title: 'Another' })]);

  it('lists the known papers, names the unknown, ephemeral unless public', async () => {
    await ready;
    const reply = await linkCardsReply(store, { text: 'https://arxiv.org/abs/2401.99999 https://arxiv.org/abs/2405.15738 https://hf.co/papers/2406.00001', public: false });
    expect(reply).toMatchObject({ kind: 'papers', heading: 'The 2 papers linked in that message', notice: "I don't know 2401.99999.", ephemeral: true });
    expect(reply.kind === 'papers' && reply.papers.map((p) => p.id)).toEqual(['2405.15738', '2406.00001']);
    expect(await linkCardsReply(store, { text: 'arXiv:2405.15738', public: true })).toMatchObject({ kind: 'papers', heading: 'The paper linked in that message', ephemeral: false });
  });

  it("says it doesn't know the paper, or that there is no link", async () => {
    await ready;
    expect(await linkCardsReply(store, { text: 'https://arxiv.org/abs/2401.99999', public: false })).toMatchObject({ kind: 'text', text: expect.stringMatching(/^I don't know that paper \(2401\.99999\)/) });
    expect(await linkCardsReply(store, { text: 'https://arxiv.org/abs/2401.99999 arXiv:2401.99998', public: false })).toMatchObject({ kind: 'text', text: expect.stringMatching(/^I don't know any of those papers \(2401\.99999 and 2401\.99998\)/) });
    expect(await linkCardsReply(store, { text: 'just words', public: false })).toMatchObject({ kind: 'text', text: 'I found no arXiv or Hugging Face paper link in that message.' });
  });
});

describe('the linkCards handler', () => {
  const req = (via: LinkCardsRequest['via']): LinkCardsRequest => ({
    platform: 'discord',
    workspaceId: 'g1',
    channelId: 'c1',
    id: 'i1',
    userId: 'u1',
    text: 'https://arxiv.org/abs/2401.99999',
    public: false,
    via,
    permissions: { manageChannel: false, workspaceAdmin: false },
  });

  it("spends the person's command budget when asked, nothing on an unfurl", async () => {
    const keys: string[] = [];
    const { services } = await makeTestServices({ throttle: { tryTake: async (key) => (keys.push(key), 7) }, platformFor: () => undefined });
    const handlers = createHandlers(services, commands, PLATFORMS);
    expect(await handlers.linkCards!(req('command'))).toMatchObject({ kind: 'text', tone: 'error', text: expect.stringMatching(/Slow down/) });
    expect(keys).toEqual(['cmd:discord:g1:u1']);
    expect(await handlers.linkCards!(req('unfurl'))).toMatchObject({ kind: 'text', text: expect.stringMatching(/^I don't know that paper/) });
    expect(keys).toHaveLength(1);
  });

  it('answers a failing store with a short error, never a throw', async () => {
    const { services } = await makeTestServices({ platformFor: () => undefined });
    services.store.getPapers = async () => {
      throw new Error('disk on fire');
    };
    const handlers = createHandlers(services, commands, PLATFORMS);
    expect(await handlers.linkCards!(req('command'))).toMatchObject({ kind: 'text', tone: 'error' });
  });
});
