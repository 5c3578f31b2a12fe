/**
 * Link cards on Slack through Bolt (HTTP mode, signed requests) and the stand-in: a
 * link_shared event for arxiv.org / huggingface.co links becomes one chat.unfurl with our
 * paper card for each paper the bot knows, keyed by the exact URLs Slack sent, checked
 * the way Slack checks it (unfurls.ts in the stand-in). Unknown papers, odd URLs,
 * repeats, floods of links and hostile titles are covered too.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LINK_CARDS_MAX } from '../../../src/core/linked-papers.js';
import { eventCallback, mentionsIn } from '../../support/slack-standin/index.js';
import { makePaper } from '../../support/papers.js';
import { startSlackBot, type SlackBot } from './slack-bot.js';

let bot: SlackBot;
let known: string[];

beforeAll(async () => {
  bot = await startSlackBot({ mode: 'http' });
  const extra = Array.from({ length: 12 }, (_, i) => makePaper({ id: `2601.${String(10000 + i)}`, title: `Known paper ${i} & friends` }));
  await bot.store.upsertPapers(extra);
  known = extra.map((p) => p.id);
});
afterAll(async () => {
  await bot?.close();
});
beforeEach(() => {
  bot.slack.calls.length = 0;
});

/** Someone posts `urls`; the event reaches the bot; resolves once the bot is done with it. */
async function share(urls: string[], o: { source?: 'composer'; retryNum?: number } = {}) {
  const ev = bot.slack.shareLinks({ urls, ...(o.source ? { source: o.source } : {}) });
  if (!ev) throw new Error('no link on an unfurl domain');
  const cb = eventCallback(ev);
  expect((await bot.send.event(cb)).status).toBe(200);
  await bot.platform.idle();
  return { ev, cb };
}

const unfurlCalls = () => bot.slack.callsOf('chat.unfurl');

describe('Slack link cards (link_shared → chat.unfurl)', () => {
  it('unfurls each known paper once, keyed by the URLs Slack sent, with the paper card', async () => {
    const [a, b] = known as [string, string];
    const paper = (await bot.store.getPaper(a))!;
    const urls = [`https://arxiv.org/abs/${a}v2`, `https://arxiv.org/pdf/${a}`, `https://huggingface.co/papers/${b}?utm_source=x`, 'https://arxiv.org/abs/2401.99999', 'https://github.com/some/repo'];
    const { ev } = await share(urls);
    expect(unfurlCalls()).toHaveLength(1);
    const call = unfurlCalls()[0]!;
    expect(call.error).toBeUndefined();
    expect(call.args).toMatchObject({ unfurl_id: ev.unfurl_id, source: 'conversations_history' });
    // The abs page and the PDF of one paper: one card, on the first; the unknown paper and GitHub: none.
    const unfurls = call.args.unfurls as Record<string, { blocks: unknown[] }>;
    expect(Object.keys(unfurls)).toEqual([urls[0], urls[2]]);
    const standing = bot.slack.unfurls.filter((u) => u.shared.unfurlId === ev.unfurl_id);
    expect(standing.map((u) => u.url)).toEqual([urls[0], urls[2]]);
    const card = JSON.stringify(unfurls[urls[0]!]!.blocks);
    expect(card).toContain(paper.title.slice(0, 20).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    expect(card).toContain(`"action_id":"bm:${a}"`);
  });

  it('leaves a link to a paper it does not know to Slack: no chat.unfurl', async () => {
    await share(['https://arxiv.org/abs/2401.99999', 'https://huggingface.co/papers/2401.99998']);
    expect(unfurlCalls()).toHaveLength(0);
  });

  it('ignores odd URLs on the unfurl domains: other pages, subdomains, credentials, ports', async () => {
    const a = known[0]!;
    await share([`https://evil.arxiv.org/abs/${a}`, `https://arxiv.org/list/${a}`, `https://huggingface.co/${a}`, `https://x@arxiv.org/abs/${a}`, `https://arxiv.org:8443/abs/${a}`, `https://huggingface.co/papers/${a}/../../etc`]);
    expect(unfurlCalls()).toHaveLength(0);
  });

  it('unfurls one delivery once: a Slack retry and the same unfurl in a new envelope do nothing more', async () => {
    const { ev, cb } = await share([`https://arxiv.org/abs/${known[2]}`]);
    expect(unfurlCalls()).toHaveLength(1);
    expect((await bot.send.event(cb, { retryNum: 1, retryReason: 'http_timeout' })).status).toBe(200);
    expect((await bot.send.event(eventCallback(ev))).status).toBe(200);
    await bot.platform.idle();
    expect(unfurlCalls()).toHaveLength(1);
  });

  it('unfurls a link still in the composer by its unfurl id and source', async () => {
    const { ev } = await share([`https://huggingface.co/papers/${known[3]}`], { source: 'composer' });
    expect(unfurlCalls()).toHaveLength(1);
    const call = unfurlCalls()[0]!;
    expect(call.error).toBeUndefined();
    expect(call.args).toMatchObject({ unfurl_id: ev.unfurl_id, source: 'composer' });
    expect(call.args.channel).toBeUndefined();
  });

  it(`caps a message full of links at ${LINK_CARDS_MAX} cards`, async () => {
    await share(known.slice(0, 12).map((id) => `https://arxiv.org/abs/${id}`));
    expect(unfurlCalls()).toHaveLength(1);
    expect(unfurlCalls()[0]!.error).toBeUndefined();
    expect(Object.keys(unfurlCalls()[0]!.args.unfurls as object)).toHaveLength(LINK_CARDS_MAX);
  });

  it('logs a refused chat.unfurl and carries on', async () => {
    bot.slack.fail('chat.unfurl', { kind: 'error', error: 'cannot_unfurl_url' });
    await share([`https://arxiv.org/abs/${known[4]}`]);
    expect(unfurlCalls().map((c) => c.error)).toEqual(['cannot_unfurl_url']);
    await share([`https://arxiv.org/abs/${known[5]}`]);
    expect(unfurlCalls().map((c) => c.error)).toEqual(['cannot_unfurl_url', undefined]);
  });

  it('escapes a hostile title and can ping no one', async () => {
    await bot.store.upsertPapers([makePaper({ id: '2602.00666', title: '<!channel> <@U0BOSS> @here *bold* <https://evil.example|click>', abstract: '<!everyone> hello' })]);
    await share(['https://arxiv.org/abs/2602.00666?ref=<!here>']);
    const call = unfurlCalls()[0]!;
    expect(call.error).toBeUndefined();
    const unfurls = call.args.unfurls as Record<string, unknown>;
    expect(Object.keys(unfurls)).toEqual(['https://arxiv.org/abs/2602.00666?ref=<!here>']);
    expect(mentionsIn(Object.values(unfurls))).toEqual([]);
    expect(JSON.stringify(unfurls)).toContain('&lt;!channel&gt;');
  });
});
