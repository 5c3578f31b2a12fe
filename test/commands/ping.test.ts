/**
 * Opt-in pings in the core: `--ping` on subscribe and settings, checked before anything is
 * saved (Manage Roles, a known and mentionable target, never @everyone), cleared with
 * none/off or --no-ping; the digest header, and only the header, carries the ping.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { PingResolver, PingTarget } from '../../src/core/ping.js';
import type { Reply } from '../../src/core/reply.js';
import { CHANNEL, makeHarness, type Harness } from '../support/bot-harness.js';

const PAPERS: PingTarget = { kind: 'role', id: '777', name: 'papers', mentionable: true };
const QUIET: PingTarget = { kind: 'role', id: '778', name: 'quiet', mentionable: false };
const EVERYONE: PingTarget = { kind: 'role', id: CHANNEL.workspaceId, name: '@everyone', mentionable: true };

function resolver(roles: PingTarget[], botCanMentionAll = false): PingResolver {
  return {
    botCanMentionAll,
    async resolve(text) {
      const t = text.replace(/^<@&(\d+)>$/, '$1').replace(/^@/, '');
      return roles.find((r) => r.id === t || r.name === t) ?? null;
    },
  };
}
const ROLES = resolver([PAPERS, QUIET, EVERYONE]);
const MANAGER = { manageRoles: true };

function textOf(r: Reply): string {
  if (r.kind !== 'text') throw new Error(`expected text, got ${r.kind}`);
  return r.text;
}

let h: Harness;
beforeEach(async () => {
  h = await makeHarness('2026-08-21T10:00:00Z');
});

describe('settings --ping', () => {
  it('is off by default; set by someone with Manage Roles, shown in the settings, cleared with none, off or --no-ping', async () => {
    await h.run('subscribe');
    expect((await h.store.getSubscription(CHANNEL))!.ping).toBeUndefined();
    expect(textOf(await h.run('settings'))).not.toMatch(/ping/);

    expect(textOf(await h.run('settings --ping 777', { permissions: MANAGER, pings: ROLES }))).toMatch(/^Saved: .*pings @papers/);
    expect((await h.store.getSubscription(CHANNEL))!.ping).toEqual({ kind: 'role', id: '777', name: 'papers' });
    expect(textOf(await h.run('settings'))).toMatch(/pings @papers/);
    // Other settings keep the ping.
    await h.run('settings --top 3');
    expect((await h.store.getSubscription(CHANNEL))!.ping?.id).toBe('777');

    for (const off of ['settings --ping none', 'settings --ping off', 'settings --no-ping yes']) {
      await h.run('settings --ping papers', { permissions: MANAGER, pings: ROLES });
      expect(textOf(await h.run(off, { permissions: MANAGER, pings: ROLES }))).not.toMatch(/ping/);
      expect((await h.store.getSubscription(CHANNEL))!.ping).toBeUndefined();
    }
  });

  it('subscribe --ping sets it with the subscription', async () => {
    expect(textOf(await h.run('subscribe --ping @papers', { permissions: MANAGER, pings: ROLES }))).toMatch(/pings @papers/);
    expect((await h.store.getSubscription(CHANNEL))!.ping?.name).toBe('papers');
  });

  it('refuses someone without Manage Roles, with a short message, and stores nothing (not even the other settings)', async () => {
    await h.run('subscribe');
    const r = await h.run('settings --ping papers --top 2', { pings: ROLES });
    expect(r).toMatchObject({ kind: 'text', tone: 'error' });
    expect(textOf(r)).toBe('Setting a ping needs Manage Roles on Discord (a workspace admin on Slack).');
    expect(await h.store.getSubscription(CHANNEL)).toMatchObject({ topN: 5 });
    expect((await h.store.getSubscription(CHANNEL))!.ping).toBeUndefined();
    // Clearing needs no more than the settings themselves.
    expect(textOf(await h.run('settings --ping none'))).toMatch(/^Saved/);
  });

  it('refuses a role the bot cannot mention, unless it has Mention Everyone', async () => {
    await h.run('subscribe');
    const r = await h.run('settings --ping quiet', { permissions: MANAGER, pings: ROLES });
    expect(textOf(r)).toBe("I can't mention @quiet: make it mentionable or give me Mention Everyone.");
    expect((await h.store.getSubscription(CHANNEL))!.ping).toBeUndefined();
    await h.run('settings --ping quiet', { permissions: MANAGER, pings: resolver([QUIET], true) });
    expect((await h.store.getSubscription(CHANNEL))!.ping?.id).toBe('778');
  });

  it('refuses an unknown role, @everyone, and a platform that cannot ping', async () => {
    await h.run('subscribe');
    expect(textOf(await h.run('settings --ping nobody', { permissions: MANAGER, pings: ROLES }))).toMatch(/^I can't find the role or group "nobody"/);
    expect(textOf(await h.run(`settings --ping ${CHANNEL.workspaceId}`, { permissions: MANAGER, pings: ROLES }))).toMatch(/@everyone, @here and @channel are not offered/);
    expect(textOf(await h.run('settings --ping papers', { permissions: MANAGER }))).toBe('This platform cannot ping a role or group on the digest.');
    expect((await h.store.getSubscription(CHANNEL))!.ping).toBeUndefined();
  });
});

describe('the digest with a ping', () => {
  it('puts it on the header only; without one, no message carries a ping', async () => {
    await h.run('subscribe --ping papers', { permissions: MANAGER, pings: ROLES });
    await h.run('digest now');
    const [header, ...papers] = h.platform.posts.map((p) => p.message);
    expect(header).toMatchObject({ kind: 'digestHeader', ping: { kind: 'role', id: '777' } });
    expect(papers.length).toBeGreaterThan(0);
    for (const m of papers) expect(m).not.toHaveProperty('ping');

    // A later `digest now` on the same day continues under a "More" header: no second ping.
    await h.run('settings --top 2');
    h.platform.posts.length = 0;
    h.clock.set('2026-08-21T11:00:00Z');
    expect(textOf(await h.run('digest now'))).toMatch(/^Posted 2 papers/);
    expect(h.platform.posts[0]!.message).toMatchObject({ kind: 'digestHeader', continuedFrom: expect.any(Number) });
    for (const p of h.platform.posts) expect(p.message).not.toHaveProperty('ping');

    await h.run('settings --ping none');
    const plan = await h.services.digests.plan({ ...(await h.store.getSubscription(CHANNEL))!, channelId: 'c-new' }, 'now');
    if ('skip' in plan) throw new Error(plan.skip);
    expect(plan.messages[0]!.kind).toBe('digestHeader');
    for (const m of plan.messages) expect(m).not.toHaveProperty('ping');
  });
});
