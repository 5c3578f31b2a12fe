/**
 * The App Home's inbox sections, through the real Bolt app (HTTP mode) and the Slack
 * stand-in, with a fake core: handlers that answer `inbox`, `following`, `unfollow` and
 * `bookmarks` with text, as the core's commands will, and record what they were asked.
 * Opening the tab shows the inbox settings, the numbered topics with an Unfollow button
 * each, and the bookmarks; the buttons run those commands and the tab is published again.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commands as realCommands } from '../../../commands/index.js';
import type { CommandSpec } from '../../../src/core/command-spec/spec.js';
import type { CommandInvocation, PlatformHandlers } from '../../../src/core/ports.js';
import { text, type Reply } from '../../../src/core/reply.js';
import { silentLogger } from '../../../src/log.js';
import { homeView, numberedTopics } from '../../../src/platforms/slack/home.js';
import { SlackPlatform } from '../../../src/platforms/slack/slack-platform.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import { appHomeOpened, blockActions, eventCallback, mentionsIn, SlackRequestSender, startSlackStandin, validateBlocks, VIEW_LIMITS, type SlackStandin } from '../../support/slack-standin/index.js';
import { SIGNING_SECRET, slackConfig } from './slack-bot.js';

/** Stand-ins for the core's commands of the same names (the core writes the real ones). */
const fakeSpec = (name: string): CommandSpec => ({ name, description: name, usage: name, options: [], handler: async () => text(name) });
const specs = [...realCommands, fakeSpec('inbox'), fakeSpec('following'), fakeSpec('unfollow')];

interface FakeCore {
  asked: CommandInvocation[];
  inboxOn: boolean;
  topics: string[];
}

function fakeHandlers(core: FakeCore): PlatformHandlers {
  const answer = (inv: CommandInvocation): Reply => {
    switch (inv.command) {
      case 'inbox':
        if (inv.options.state === 'on') core.inboxOn = true;
        if (inv.options.state === 'off') core.inboxOn = false;
        if (inv.options.state) return text(`Your inbox is ${core.inboxOn ? 'on' : 'off'}.`, 'success');
        return text(core.inboxOn ? 'Your inbox is on: daily at 08:00 Europe/Paris, top 5. Next: Mon 24 Aug 08:00.' : 'Your inbox is off. /papers inbox on starts it.');
      case 'following':
        return core.topics.length ? text(['You follow:', ...core.topics.map((t, i) => `${i + 1}. ${t} — 3 papers last week`)].join('\n')) : text('You follow no topics yet.');
      case 'unfollow': {
        const n = Number(inv.options.topic);
        const [gone] = core.topics.splice(n - 1, 1);
        return gone ? text(`Unfollowed "${gone}".`, 'success') : text(`You have no topic ${n}.`, 'error');
      }
      case 'bookmarks':
        return text('No bookmarks yet.');
      default:
        return text('?');
    }
  };
  return {
    command: async (inv) => (core.asked.push(inv), answer(inv)),
    reaction: async () => {},
    action: async () => null,
  };
}

describe('Slack App Home: inbox and followed topics', () => {
  let slack: SlackStandin;
  let platform: SlackPlatform;
  let send: SlackRequestSender;
  const core: FakeCore = { asked: [], inboxOn: false, topics: [] };

  beforeAll(async () => {
    slack = await startSlackStandin();
    platform = new SlackPlatform({ slack: slackConfig(slack), store: new MemoryStore(), commands: specs, log: silentLogger() });
    await platform.start(fakeHandlers(core));
    send = new SlackRequestSender(`${platform.address!.url}/slack/events`, SIGNING_SECRET);
  });
  afterAll(async () => {
    await platform?.stop();
    await slack?.close();
  });
  beforeEach(() => {
    core.asked.length = 0;
    core.inboxOn = false;
    core.topics = ['speculative decoding', 'author:hinton', '"mixture of experts" -survey <!channel>'];
  });

  const published = async (trigger: () => Promise<unknown>) => {
    const before = slack.views.length;
    await trigger();
    await slack.waitFor(() => slack.views.length > before, 5_000, 'views.publish');
    const v = slack.views.at(-1)!;
    expect(validateBlocks(v.view.blocks, VIEW_LIMITS)).toEqual([]);
    expect(mentionsIn(v.view)).toEqual([]);
    return { view: v, json: JSON.stringify(v.view.blocks) };
  };
  const open = (user: string) => published(() => send.event(eventCallback(appHomeOpened(user))));
  const press = (user: string, actionId: string) => published(() => send.action(blockActions({ actionId, userId: user, container: { type: 'view' } })));

  it('shows the inbox settings, the numbered topics with Unfollow buttons, and the bookmarks', async () => {
    const { view, json } = await open('U0ADA');
    expect(view.userId).toBe('U0ADA');
    expect(json).toContain('📬 Your inbox');
    expect(json).toContain('Your inbox is off.');
    expect(json).toContain('home:inbox:on');
    expect(json).toContain('home:inbox:off');
    expect(json).toContain('1. speculative decoding');
    expect(json.match(/"action_id":"home:unfollow:\d+"/g)).toEqual(['"action_id":"home:unfollow:1"', '"action_id":"home:unfollow:2"', '"action_id":"home:unfollow:3"']);
    expect(json).toContain('No bookmarks yet.');
    expect(json).toContain('&lt;!channel&gt;'); // a topic is shown escaped
    // Asked as the user, from the App Home, with no channel permissions.
    expect(core.asked.map((a) => [a.command, a.options])).toEqual([
      ['bookmarks', { action: 'list' }],
      ['inbox', {}],
      ['following', {}],
    ]);
    expect(core.asked.every((a) => a.userId === 'U0ADA' && a.workspaceId === 'T0TEST' && a.channelId === 'app_home' && !a.permissions.manageChannel)).toBe(true);
  });

  it('turns the inbox on and off from its buttons, then shows the home again with what the core said', async () => {
    const on = await press('U0ADA', 'home:inbox:on');
    expect(core.asked[0]).toMatchObject({ command: 'inbox', options: { state: 'on' } });
    expect(on.json).toContain('Your inbox is on.'); // the notice
    expect(on.json).toContain('Your inbox is on: daily at 08:00'); // the section, read again
    const off = await press('U0ADA', 'home:inbox:off');
    expect(core.inboxOn).toBe(false);
    expect(off.json).toContain('Your inbox is off.');
  });

  it('unfollows a topic by its number and lists the rest', async () => {
    const after = await press('U0ADA', 'home:unfollow:2');
    expect(core.asked[0]).toMatchObject({ command: 'unfollow', options: { topic: 2 } });
    expect(after.json).toContain('Unfollowed \\"author:hinton\\".');
    expect(after.json).not.toContain('1. author:hinton');
    expect(after.json).toContain('2. \\"mixture of experts\\"');
    expect(after.json).not.toContain('home:unfollow:3');
    const bogus = await press('U0ADA', 'home:unfollow:zero');
    expect(bogus.json).toContain('This button no longer works.');
    expect(core.asked.filter((a) => a.command === 'unfollow')).toHaveLength(1);
  });

  it('offers no Unfollow button when nothing is followed', async () => {
    core.topics = [];
    const { json } = await open('U0BOB');
    expect(json).toContain('You follow no topics yet.');
    expect(json).not.toContain('home:unfollow:');
  });
});

describe('App Home layout', () => {
  it('leaves the inbox sections out until the core has those commands', () => {
    const v = homeView({ bookmarks: text('No bookmarks yet.'), canExport: false, policy: 'everyone', isAdmin: false });
    expect(JSON.stringify(v.blocks)).not.toMatch(/home:inbox|home:unfollow|Your inbox/);
  });

  it('stays within 100 blocks with 25 topics and a long bookmark list', () => {
    const following = text(Array.from({ length: 25 }, (_, i) => `${i + 1}. topic ${i + 1}`).join('\n'));
    expect(numberedTopics(following)).toHaveLength(25);
    const papers = Array.from({ length: 60 }, (_, i) => ({ id: `2405.${10000 + i}`, title: `P${i}`, tldr: 't', authorsLine: 'a', authorsCount: 1, upvotes: 1, comments: 0, featuredDate: '2026-08-21', publishedAt: null, links: { hf: 'https://huggingface.co/papers/x', arxiv: 'https://arxiv.org/abs/x', pdf: 'https://arxiv.org/pdf/x', code: null, project: null }, keywords: [], githubStars: null, organization: null, rank: i + 1, saveAction: 'bm:x' }));
    const v = homeView({ bookmarks: { kind: 'papers', heading: 'Your bookmarks', papers, ephemeral: true }, canExport: true, policy: 'everyone', isAdmin: true, inbox: text('on'), following, canUnfollow: true, notice: 'n' });
    expect(validateBlocks(v.blocks, VIEW_LIMITS)).toEqual([]);
    expect(JSON.stringify(v.blocks).match(/home:unfollow:/g)).toHaveLength(25);
    expect(JSON.stringify(v.blocks)).toContain('home:policy:admins');
  });
});
