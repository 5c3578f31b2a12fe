/**
 * Adding a platform is one folder plus one line in the list. This test is that folder:
 * a throwaway "pigeon" platform, defined here and nowhere else, registered by passing the
 * list with it appended (the app passes src/platforms/index.ts's list the same way). It
 * gets its config section, its rates, its refusal wording, a subscription stored (in a
 * real SQLite file too), a digest delivered through it and its CLI subcommand, with no
 * edit to any other file.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commands } from '../../commands/index.js';
import { digestDeliverPayload } from '../../jobs/index.js';
import { loadConfig } from '../../src/config.js';
import { createHandlers } from '../../src/core/bot.js';
import { parseCommandLine } from '../../src/core/command-spec/parse-text.js';
import type { ChannelRef, ChatPlatform, CommandInvocation, PostOptions } from '../../src/core/ports.js';
import type { OutboundMessage, Reply } from '../../src/core/reply.js';
import { definePlatform } from '../../src/platforms/descriptor.js';
import { PLATFORMS } from '../../src/platforms/index.js';
import { createBotPlatforms, createPosters, enabledPlatforms, platformCli } from '../../src/platforms/registry.js';
import { platformRates } from '../../src/redis/rate-limited-platform.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { silentLogger } from '../../src/log.js';
import { makeTestServices } from '../support/bot-harness.js';
import { tempDir } from '../support/tmp.js';

/** The platform's own ChatPlatform: it remembers what it was asked to post. */
class Pigeon implements ChatPlatform {
  readonly name = 'pigeon';
  readonly posts: { channel: ChannelRef; message: OutboundMessage; key?: string }[] = [];
  constructor(readonly loft: string) {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async post(channel: ChannelRef, message: OutboundMessage, opts?: PostOptions) {
    this.posts.push({ channel, message, ...(opts?.idempotencyKey ? { key: opts.idempotencyKey } : {}) });
    return { messageId: `p${this.posts.length}` };
  }
}

const cliRuns: { args: string[]; loft: string | undefined }[] = [];

const pigeonPlatform = definePlatform<{ loft: string | undefined; perSecond: number }>({
  name: 'pigeon',
  permissionRefusal: 'Only the keeper of this loft may change its digest.',
  config: {
    env: { PIGEON_LOFT: z.string().trim().optional(), PIGEON_PER_SECOND: z.coerce.number().positive().default(3) },
    read: (v) => ({
      section: { loft: v.PIGEON_LOFT as string | undefined, perSecond: v.PIGEON_PER_SECOND as number },
      problems: v.PIGEON_LOFT === 'nowhere' ? ['  PIGEON_LOFT: a pigeon needs a loft to come back to'] : [],
    }),
  },
  enabled: (s) => Boolean(s.loft),
  rates: (s) => (channel) => ({ key: `pigeon:${channel.channelId}`, rate: { perSecond: s.perSecond, burst: 1 } }),
  createBot: async (s) => new Pigeon(s.loft!),
  createPoster: async (s) => new Pigeon(s.loft!),
  cli: {
    usage: '  pigeon train                       Train the pigeons',
    async run(args, s) {
      cliRuns.push({ args, loft: s.loft });
    },
  },
});

/** "One line in the list." */
const LIST = [...PLATFORMS, pigeonPlatform];
const CHANNEL: ChannelRef = { platform: 'pigeon', workspaceId: 'coop', channelId: 'roof' };
const env = { PIGEON_LOFT: 'north', PIGEON_PER_SECOND: '2', DATA_DIR: tempDir('papers-pigeon-') };

const textOf = (r: Reply): string => (r.kind === 'text' ? r.text : JSON.stringify(r));

describe('a platform added as a plug-in', () => {
  it('gets a config section from its own variables, with its problems reported like any other', () => {
    const config = loadConfig(env, LIST);
    expect(config.platforms.pigeon).toEqual({ loft: 'north', perSecond: 2 });
    expect(enabledPlatforms(config, LIST).map((p) => p.name)).toEqual(['pigeon']);
    expect(() => loadConfig({ ...env, PIGEON_LOFT: 'nowhere' }, LIST)).toThrow(/PIGEON_LOFT: a pigeon needs a loft/);
    expect(() => loadConfig({ ...env, PIGEON_PER_SECOND: '-1' }, LIST)).toThrow(/PIGEON_PER_SECOND/);
    // A worker may be told to post only to it.
    expect(loadConfig({ ...env, WORKER_PLATFORMS: 'pigeon' }, LIST).workerPlatforms).toEqual(['pigeon']);
    expect(() => loadConfig({ ...env, WORKER_PLATFORMS: 'pigeon' })).toThrow(/WORKER_PLATFORMS/);
  });

  it('gets its rates in the limiter', () => {
    const rates = platformRates(loadConfig(env, LIST).rates);
    expect(rates.forCall('pigeon', CHANNEL, 'post')).toEqual({ key: 'pigeon:roof', rate: { perSecond: 2, burst: 1 } });
    expect(platformRates(loadConfig(env).rates).forCall('pigeon', CHANNEL, 'post')).toBeNull();
  });

  it('gets its CLI subcommand, with its usage line', async () => {
    const cli = platformCli(LIST).get('pigeon')!;
    expect(cli.usage).toContain('pigeon train');
    await cli.run(['train', '--fast'], loadConfig(env, LIST));
    expect(cliRuns).toEqual([{ args: ['train', '--fast'], loft: 'north' }]);
    expect(platformCli().has('pigeon')).toBe(false);
  });

  it('is stored by the SQLite store (no platform list in the schema)', async () => {
    const store = SqliteStore.open(`${env.DATA_DIR}/papers.sqlite`);
    try {
      const at = '2026-08-21T10:00:00Z';
      await store.saveSubscription({ ...CHANNEL, hour: 9, minute: 0, timezone: 'UTC', weekdays: [1], every: 'day', topN: 3, minUpvotes: 0, topic: null, order: 'upvotes', paused: false, pausedReason: null, createdBy: 'keeper', createdAt: at, updatedAt: at });
      expect((await store.listSubscriptions({ platform: 'pigeon' })).map((s) => s.channelId)).toEqual(['roof']);
    } finally {
      await store.close();
    }
  });

  it('is refused with its own wording, subscribes, and gets a digest delivered through it', async () => {
    const config = loadConfig(env, LIST);
    const platforms = await createBotPlatforms(config, { store: undefined as never, log: silentLogger(), commands }, LIST);
    const pigeon = platforms.get('pigeon') as Pigeon;
    expect(pigeon.loft).toBe('north');
    const { services, store, index } = await makeTestServices({ platformFor: (name) => platforms.get(name) });
    try {
    const handlers = createHandlers(services, commands, LIST);
    let seq = 0;
    const run = (text: string, manageChannel = true) => {
      const { spec, options } = parseCommandLine(text, commands);
      const inv: CommandInvocation = { ...CHANNEL, id: `i${++seq}`, userId: 'keeper', command: spec.name, options, permissions: { manageChannel, workspaceAdmin: false } };
      return handlers.command(inv);
    };

    expect(textOf(await run('subscribe', false))).toBe('Only the keeper of this loft may change its digest.');
    expect(textOf(await run('subscribe --top 3'))).toMatch(/^Subscribed/);
    expect((await store.getSubscription(CHANNEL))?.topN).toBe(3);

    await run('digest now');
    expect(pigeon.posts.length).toBeGreaterThan(1);
    expect(pigeon.posts.every((p) => p.channel.platform === 'pigeon' && p.channel.channelId === 'roof')).toBe(true);
    // The posted log holds the delivery under the new platform's name (exactly-once works for it too):
    // one header, then one entry per paper message.
    expect((await store.postedPaperIds(CHANNEL)).size).toBe(pigeon.posts.length - 1);
    await run('digest now');
    // A second run the same day comes under a "More trending papers" header of its own.
    expect((await store.postedPaperIds(CHANNEL)).size).toBe(pigeon.posts.length - 2);
  } finally {
      await index.close();
    }
  });

  it('passes the job payload check once the app registers the list', async () => {
    // createPosters registered the list (as the app's registry does at start).
    await createPosters(loadConfig(env, LIST), { store: undefined as never, log: silentLogger(), commands }, LIST);
    const payload = { ...CHANNEL, day: '2026-08-21', mode: 'scheduled', messages: [{ kind: 'notice', text: 'hello' }] };
    expect(digestDeliverPayload.safeParse(payload).success).toBe(true);
    expect(digestDeliverPayload.safeParse({ ...payload, platform: 'carrier' }).success).toBe(false);
  });
});
