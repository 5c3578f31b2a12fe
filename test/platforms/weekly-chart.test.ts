/**
 * Issue 15 part 1: a weekly digest opens with its chart, drawn by the real renderer (loaded
 * lazily, as the app wires it) and posted through the real discord.js REST and Slack Web
 * API clients to the stand-ins: a Discord multipart attachment shown in the header's embed,
 * a Slack files.uploadV2 right under the header, a file under exports on the console.
 * A chart that the platform refuses (no Attach Files, a failed upload) leaves the header
 * and every paper posted, once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { type DigestPlan, type DigestTarget } from '../../src/core/digest/digest-service.js';
import type { ChannelRef, PostedEntry } from '../../src/core/ports.js';
import { silentLogger } from '../../src/log.js';
import { lazyChartRenderer } from '../../src/app/lazy-chart-renderer.js';
import { ConsolePlatform } from '../../src/platforms/console/console-platform.js';
import { DiscordPlatform } from '../../src/platforms/discord/discord-platform.js';
import { SlackPlatform } from '../../src/platforms/slack/slack-platform.js';
import { makeTestServices, type TestServices } from '../support/bot-harness.js';
import { startDiscordStandin, type DiscordStandin } from '../support/discord-standin/index.js';
import { startSlackStandin, type SlackStandin } from '../support/slack-standin/index.js';
import { tempDir } from '../support/tmp.js';
import { slackConfig } from './slack/slack-bot.js';
import { decodePng } from '../charts/png-compare.js';

const GUILD = '300000000000000001';
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];
let discord: DiscordStandin;
let slack: SlackStandin;
let discordPlatform: DiscordPlatform;
let slackPlatform: SlackPlatform;
let t: TestServices;
const charts = lazyChartRenderer();

beforeAll(async () => {
  discord = await startDiscordStandin({ nonceWindowMs: 0, acceptUnknownChannels: true });
  slack = await startSlackStandin();
  discordPlatform = new DiscordPlatform({ token: discord.token, appId: discord.appId, apiBase: discord.apiBase, commands, log: silentLogger(), gateway: false });
  slackPlatform = new SlackPlatform({ slack: slackConfig(slack), store: (await makeTestServices({ platformFor: () => undefined })).store, commands, log: silentLogger(), webOnly: true });
  await slackPlatform.start({} as never);
  t = await makeTestServices({ nowIso: '2026-08-21T10:00:00Z', charts, platformFor: (name) => (name === 'discord' ? discordPlatform : slackPlatform) });
}, 60_000);
afterAll(async () => {
  await discordPlatform?.stop();
  await slackPlatform?.stop();
  await discord?.close();
  await slack?.close();
});

const weekly = (platform: 'discord' | 'slack', channelId: string): DigestTarget => ({
  platform, workspaceId: platform === 'discord' ? GUILD : 'T0TEST', channelId, timezone: 'UTC', topN: 3, minUpvotes: 0, topic: null, every: 'week', order: 'upvotes',
});

async function planFor(sub: DigestTarget): Promise<DigestPlan> {
  const plan = await t.services.digests.plan(sub, 'scheduled');
  if ('skip' in plan) throw new Error(plan.skip);
  return plan;
}

function expectChartPng(data: Uint8Array): void {
  expect([...data.subarray(0, 4)]).toEqual(PNG_MAGIC);
  const img = decodePng(data);
  expect(img.width).toBeGreaterThan(400);
  expect(img.height).toBeGreaterThan(200);
}

describe('the weekly chart on Discord', () => {
  it('is attached to the header and shown in its embed; the papers follow as before', async () => {
    const sub = weekly('discord', '400000000000000101');
    const plan = await planFor(sub);
    const out = await t.services.digests.deliver(sub, plan, discordPlatform);
    expect(out.posted).toBe(3);
    expect(charts.loaded()).toBe(true);
    const [header, ...papers] = discord.messages(sub.channelId);
    expect(header!.attachments).toHaveLength(1);
    const file = header!.attachments[0]!;
    expect(file).toMatchObject({ filename: 'week-2026-W34.png', contentType: 'image/png' });
    expectChartPng(file.data);
    expect(header!.embeds[0].image).toEqual({ url: 'attachment://week-2026-W34.png' });
    expect(header!.allowedMentions).toEqual({ parse: [] });
    expect(papers).toHaveLength(3);
    expect(papers.every((m) => m.attachments.length === 0)).toBe(true);
    expect(discord.rejected()).toEqual([]);
  });

  it('without Attach Files in the channel: refused with the file, posted again without it, nothing twice', async () => {
    const sub = weekly('discord', '400000000000000102');
    discord.noAttachFiles.add(sub.channelId);
    const out = await t.services.digests.deliver(sub, await planFor(sub), discordPlatform);
    expect(out.posted).toBe(3);
    const shown = discord.messages(sub.channelId);
    expect(shown).toHaveLength(4);
    expect(shown[0]!.attachments).toEqual([]);
    expect(shown[0]!.embeds[0].image).toBeUndefined();
    expect(shown[0]!.embeds[0].title).toMatch(/of the week/);
  });

  it('a header that went out with its chart but was not recorded is found, not posted (or drawn) again', async () => {
    const sub = weekly('discord', '400000000000000103');
    const plan = await planFor(sub);
    const real = t.store.recordPosted.bind(t.store);
    t.store.recordPosted = async (e: PostedEntry) => {
      t.store.recordPosted = real;
      throw new Error('crashed before recording');
    };
    let inFlight: string | undefined;
    await expect(t.services.digests.deliver(sub, plan, discordPlatform, { onSending: async (k) => void (inFlight = k) })).rejects.toThrow(/crashed/);
    expect(discord.messages(sub.channelId)).toHaveLength(1);
    await t.services.digests.deliver(sub, plan, discordPlatform, { inFlightKey: inFlight! });
    const shown = discord.messages(sub.channelId);
    expect(shown).toHaveLength(4);
    expect(shown.filter((m) => m.attachments.length > 0)).toHaveLength(1);
  });
});

describe('the weekly chart on Slack', () => {
  it('is uploaded into the channel right under the header, which keeps its metadata for findPosted', async () => {
    const sub = weekly('slack', 'C0WEEK1');
    const plan = await planFor(sub);
    expect((await t.services.digests.deliver(sub, plan, slackPlatform)).posted).toBe(3);
    const [header, chart, ...papers] = slack.channelMessages(sub.channelId);
    expect(header!.metadata?.event_payload).toMatchObject({ key: 'slack:C0WEEK1:' + plan.day + ':header' });
    expect(chart!.files).toEqual([{ id: expect.any(String) as unknown as string, name: 'week-2026-W34.png' }]);
    expect(papers).toHaveLength(3);
    const uploaded = slack.files.find((f) => f.id === chart!.files![0]!.id)!;
    expect(uploaded).toMatchObject({ channel: 'C0WEEK1', filename: 'week-2026-W34.png' });
    expectChartPng(uploaded.data);
    const ref: ChannelRef = { platform: 'slack', workspaceId: 'T0TEST', channelId: sub.channelId };
    expect(await slackPlatform.findPosted(ref, `slack:${sub.channelId}:${plan.day}:header`)).toEqual({ messageId: header!.ts });
  });

  it('a failed upload leaves the header and the papers posted, once', async () => {
    const sub = weekly('slack', 'C0WEEK2');
    slack.fail('files.completeUploadExternal', { kind: 'error', error: 'internal_error' });
    expect((await t.services.digests.deliver(sub, await planFor(sub), slackPlatform)).posted).toBe(3);
    const shown = slack.channelMessages(sub.channelId);
    expect(shown).toHaveLength(4);
    expect(shown.some((m) => m.files?.length)).toBe(false);
  });

  it('a person’s weekly inbox gets it in their DM (the conversation chat.postMessage answered with)', async () => {
    const ref: ChannelRef = { platform: 'slack', workspaceId: 'T0TEST', channelId: 'dm:U0ALICE' };
    const plan = await planFor({ ...weekly('slack', 'C0X'), channelId: 'C0X' });
    const header = plan.messages[0]!;
    const png = await charts.weekPng(header.kind === 'digestHeader' ? header.chart! : (undefined as never));
    await slackPlatform.post(ref, header, { idempotencyKey: 'k-inbox', files: [{ name: 'week-2026-W34.png', data: png, contentType: 'image/png' }] });
    const dm = slack.dmMessages('U0ALICE');
    expect(dm).toHaveLength(2);
    expect(dm[1]!.files).toHaveLength(1);
  });
});

describe('the weekly chart on the console', () => {
  it('is written under the export folder and its path printed under the header', async () => {
    const dir = path.join(tempDir(), 'exports');
    const output = new PassThrough();
    let printed = '';
    output.on('data', (c: Buffer) => void (printed += c.toString('utf8')));
    const con = new ConsolePlatform({ input: new PassThrough(), output, commands, exportDir: dir, log: silentLogger() });
    const header = (await planFor(weekly('discord', '400000000000000199'))).messages[0]!;
    const png = await charts.weekPng(header.kind === 'digestHeader' ? header.chart! : (undefined as never));
    await con.post({ platform: 'console', workspaceId: 'local', channelId: 'terminal' }, header, { files: [{ name: 'week-2026-W34.png', data: png, contentType: 'image/png' }] });
    await new Promise((r) => setImmediate(r));
    const line = /chart: (.+\.png)/.exec(printed);
    expect(line).not.toBeNull();
    expect(path.dirname(line![1]!)).toBe(dir);
    expectChartPng(fs.readFileSync(line![1]!));
  });
});
