/**
 * Issue 15 part 1: paper cards with the paper's HF thumbnail (a Discord embed thumbnail, a
 * Slack image accessory), and exactly as before without one or with one that is not http(s).
 * A 404 image is the platform's business: we never fetch it, Discord and Slack show nothing.
 */
import { describe, expect, it } from 'vitest';
import type { OutboundMessage, PaperView, Reply } from '../../src/core/reply.js';
import { pictureOf, toPaperView } from '../../src/core/views.js';
import { messageBody, renderOutbound as discordOutbound, renderReply as discordReply, replyOptions } from '../../src/platforms/discord/render.js';
import { renderOutbound as slackOutbound, renderReply as slackReply, type Block } from '../../src/platforms/slack/render.js';
import { renderOutbound as consoleOutbound } from '../../src/platforms/console/render.js';
import { validateMessage } from '../support/discord-standin/validate.js';
import { convLlava } from '../support/papers.js';
import { validateBlocks } from '../support/slack-standin/index.js';

const THUMB = 'https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2405.15738.png';
const withThumb = toPaperView(convLlava({ thumbnail: THUMB }), { rank: 1 });
const without = toPaperView(convLlava(), { rank: 1 });
const digestPaper = (paper: PaperView): OutboundMessage => ({ kind: 'digestPaper', date: '2024-05-27', paper, position: 1, of: 5 });
const hostile = ['javascript:alert(1)', 'data:image/png;base64,AAAA', 'ftp://cdn.example/x.png', 'https://cdn.example/a b.png', ' ', 'attachment://week.png'];

const discordValid = (msg: OutboundMessage) => {
  const p = discordOutbound(msg);
  expect(validateMessage(messageBody(p, 'nonce'), { context: 'channel', fileCount: 0 })).toEqual([]);
  return p;
};
const slackValid = (blocks: Block[]) => {
  expect(validateBlocks(blocks)).toEqual([]);
  return blocks;
};

describe('paper cards with thumbnails', () => {
  it('PaperView carries the thumbnail only when the paper has one', () => {
    expect(withThumb.thumbnail).toBe(THUMB);
    expect('thumbnail' in without).toBe(false);
    expect(pictureOf(withThumb)).toBe(THUMB);
    for (const t of hostile) expect(pictureOf({ thumbnail: t })).toBeNull();
  });

  it('Discord: a digest card shows it as the embed thumbnail, and without one renders as before', () => {
    const p = discordValid(digestPaper(withThumb));
    expect(p.embeds[0]!.thumbnail).toEqual({ url: THUMB });
    expect(p).toMatchSnapshot();
    const plain = discordValid(digestPaper(without));
    expect(plain.embeds[0]!.thumbnail).toBeUndefined();
    expect(plain).toMatchSnapshot();
    // Nothing else about the card changes.
    const { thumbnail: _t, ...rest } = p.embeds[0]!;
    expect(rest).toEqual(plain.embeds[0]);
  });

  it('Discord: a page of results has one per card, the detail view shows it full width, an alert per paper', () => {
    const page: Reply = { kind: 'papers', heading: 'Results', papers: [withThumb, toPaperView(convLlava({ id: '2405.15739' }), { rank: 2 })], ephemeral: true };
    const list = discordReply(page);
    expect(list.embeds.map((e) => e.thumbnail?.url ?? null)).toEqual([THUMB, null]);
    const detail = discordReply({ kind: 'paper', paper: withThumb, abstract: 'Abstract.', ephemeral: false });
    expect(detail.embeds[0]!.image).toEqual({ url: THUMB });
    expect(detail.embeds[0]!.thumbnail).toBeUndefined();
    for (const p of [list, detail]) expect(validateMessage({ ...replyOptions(p), allowed_mentions: p.allowed_mentions }, { context: 'interaction', fileCount: 0 })).toEqual([]);
    const alert = discordValid({ kind: 'alert', batch: '2024-05-27T14', title: '2 new papers', items: [{ paper: withThumb, topic: 'vision' }, { paper: toPaperView(convLlava({ id: '2405.15739' })), topic: 'llm' }] });
    expect(alert.embeds.map((e) => e.thumbnail?.url ?? null)).toEqual([THUMB, null]);
  });

  it('Slack: a digest card has it as the section image accessory, and without one renders as before', () => {
    const blocks = slackValid(slackOutbound(digestPaper(withThumb)).blocks);
    expect(blocks[0]).toMatchObject({ type: 'section', accessory: { type: 'image', image_url: THUMB, alt_text: expect.stringContaining('ConvLLaVA') as unknown as string } });
    expect(blocks).toMatchSnapshot();
    const plain = slackValid(slackOutbound(digestPaper(without)).blocks);
    expect(plain[0]).not.toHaveProperty('accessory');
    expect(plain).toMatchSnapshot();
    expect(blocks.slice(1)).toEqual(plain.slice(1));
    const detail = slackValid(slackReply({ kind: 'paper', paper: withThumb, abstract: 'Abstract.', ephemeral: false }).blocks);
    expect(detail[0]).toMatchObject({ accessory: { type: 'image', image_url: THUMB } });
  });

  it('a thumbnail that is not http(s) (a job written by anyone) is dropped: the card renders without it', () => {
    for (const t of hostile) {
      const bad = { ...withThumb, thumbnail: t };
      expect(discordValid(digestPaper(bad))).toEqual(discordValid(digestPaper(without)));
      expect(slackValid(slackOutbound(digestPaper(bad)).blocks)).toEqual(slackOutbound(digestPaper(without)).blocks);
    }
  });

  it('the stand-ins refuse what Discord and Slack would: a bad image URL, an image where only buttons go', () => {
    const p = discordOutbound(digestPaper(withThumb));
    const body = messageBody({ ...p, embeds: [{ ...p.embeds[0]!, thumbnail: { url: 'javascript:alert(1)' } }] }, 'nonce');
    expect(validateMessage(body, { context: 'channel', fileCount: 0 })).toEqual([expect.stringContaining('embeds[0].thumbnail.url')]);
    const missing = messageBody({ ...p, embeds: [{ ...p.embeds[0]!, image: { url: 'attachment://week.png' } }] }, 'nonce');
    expect(validateMessage(missing, { context: 'channel', fileCount: 0 })).toEqual([expect.stringContaining('no uploaded file named week.png')]);
    expect(validateMessage(missing, { context: 'channel', fileCount: 1, fileNames: ['week.png'] })).toEqual([]);
    const image = { type: 'image', image_url: THUMB, alt_text: 'x' };
    expect(validateBlocks([{ type: 'section', text: { type: 'mrkdwn', text: 'x' }, accessory: { ...image, image_url: 'javascript:x' } }])).toHaveLength(1);
    expect(validateBlocks([{ type: 'section', text: { type: 'mrkdwn', text: 'x' }, accessory: { ...image, alt_text: '' } }])).toHaveLength(1);
    expect(validateBlocks([{ type: 'actions', elements: [image] }])).toHaveLength(1);
  });

  it('the console renders a card the same with or without one (a terminal shows no pictures)', () => {
    expect(consoleOutbound(digestPaper(withThumb))).toEqual(consoleOutbound(digestPaper(without)));
  });
});
