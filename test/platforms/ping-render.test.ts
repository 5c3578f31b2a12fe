/**
 * The header ping in each renderer and in the delivery job's schema: the one role or group
 * a header names is mentioned, a malformed id quietly posts the plain header, and the
 * wrong platform's kind is ignored.
 */
import { describe, expect, it } from 'vitest';
import { outboundMessage } from '../../jobs/outbound-message-schema.js';
import type { OutboundMessage } from '../../src/core/reply.js';
import { messageBody, renderOutbound as discordRender } from '../../src/platforms/discord/render.js';
import { postArgs, renderOutbound as slackRender } from '../../src/platforms/slack/render.js';
import { mentionsIn } from '../support/slack-standin/index.js';

const header = (ping?: { kind: 'role' | 'usergroup'; id: string }): OutboundMessage => ({
  kind: 'digestHeader',
  date: '2026-08-21',
  title: 'Trending papers · Fri 21 Aug 2026 @everyone <@&1>',
  themesLine: 'Themes: agents <!channel>',
  count: 5,
  ...(ping ? { ping } : {}),
});

describe('header pings in the renderers', () => {
  it('Discord: content mentions the role, allowed_mentions names exactly it; otherwise parse [] and no roles', () => {
    const body = messageBody(discordRender(header({ kind: 'role', id: '900000000000000777' })));
    expect(body.content).toBe('<@&900000000000000777>');
    expect(body.allowed_mentions).toEqual({ parse: [], roles: ['900000000000000777'] });
    for (const m of [header(), header({ kind: 'role', id: '12; <@&1>' }), header({ kind: 'usergroup', id: 'S0MLTEAM' })]) {
      const b = messageBody(discordRender(m));
      expect(b.allowed_mentions).toEqual({ parse: [] });
      expect(b.content ?? '').toBe('');
    }
  });

  it('Slack: text and first block start with <!subteam^ID>, the only mention; a bad id or a role posts the plain header', () => {
    const args = postArgs('C1', header({ kind: 'usergroup', id: 'S0MLTEAM' }), 'k');
    expect(args.text).toMatch(/^<!subteam\^S0MLTEAM> /);
    expect(mentionsIn({ text: args.text, blocks: args.blocks })).toEqual(['<!subteam^S0MLTEAM>', '<!subteam^S0MLTEAM>']);
    for (const m of [header(), header({ kind: 'usergroup', id: 'S0X>|<!channel' }), header({ kind: 'role', id: '900000000000000777' })]) {
      const r = slackRender(m);
      expect(mentionsIn({ text: r.text, blocks: r.blocks })).toEqual([]);
    }
  });

  it('the delivery schema keeps a well-formed ping and refuses a malformed one', () => {
    expect(outboundMessage.parse(header({ kind: 'role', id: '900000000000000777' }))).toMatchObject({ ping: { kind: 'role', id: '900000000000000777' } });
    expect(outboundMessage.safeParse(header({ kind: 'usergroup', id: 'S0X>|<!channel' })).success).toBe(false);
    expect(outboundMessage.safeParse({ ...header(), ping: { kind: 'everyone', id: '1' } }).success).toBe(false);
  });
});
