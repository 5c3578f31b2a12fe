/** The shared FakePlatform's inbox support, which the core's inbox tests lean on. */
import { describe, expect, it } from 'vitest';
import { ChannelUnavailableError } from '../../src/core/errors.js';
import { inboxRef } from '../../src/core/people.js';
import { FakePlatform } from '../support/fakes/index.js';

describe('FakePlatform inboxes', () => {
  it('records posts to dm:<user> per person, and refuses unreachable ones as a closed DM', async () => {
    const p = new FakePlatform({ name: 'discord' });
    const ada = inboxRef({ platform: 'discord', workspaceId: '@me', userId: 'ada' });
    const bob = inboxRef({ platform: 'discord', workspaceId: '@me', userId: 'bob' });
    await p.post(ada, { kind: 'notice', text: 'hi' }, { idempotencyKey: 'k1' });
    await p.post({ platform: 'discord', workspaceId: 'g', channelId: 'c' }, { kind: 'notice', text: 'channel' });
    p.unreachable.set('bob', '50007');
    const err = await p.post(bob, { kind: 'notice', text: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChannelUnavailableError);
    expect(err).toMatchObject({ platformCode: '50007' });
    expect(p.inbox('ada').map((c) => c.key)).toEqual(['k1']);
    expect(p.inbox('bob')).toEqual([]);
  });
});
