/**
 * `npm run bench:fanout -- --channels 1000 --json`: a digest (header + 5 papers) fanned
 * out to half as many Discord and half as many Slack channels, by a real worker process,
 * `npm run bench:fanout -- --inboxes 10000 --json` the same to people's inboxes by direct
 * message (each Discord inbox costs one more request: opening the DM),
 * through the local stand-ins enforcing the platforms' limits (Discord: 50 requests in any
 * second for the bot; Slack: one message per second per channel, bursts of 3), answering
 * 429 when they are exceeded.
 *
 * Prints, as one JSON object on its last line,
 *   { wallSeconds, minSeconds, ratio, rateLimited, duplicates, lost }
 * wall = from the ticks being enqueued to the last message arriving (the worker is started
 * and warm before); min = the least time the limits allow for those messages.
 *
 * Lives under test/ (run with tsx) because it drives the stand-ins, which are test code.
 */
import { parseArgs } from 'node:util';
import { startFanout, PAPERS_PER_DIGEST } from '../support/fanout.js';

const { values } = parseArgs({
  options: {
    channels: { type: 'string', default: '1000' },
    inboxes: { type: 'string' },
    json: { type: 'boolean', default: false },
    'discord-limit': { type: 'string', default: '50' },
    'slack-per-second': { type: 'string', default: '1' },
    'slack-burst': { type: 'string', default: '3' },
  },
});

const inboxes = values.inboxes !== undefined;
const channels = Number(values.inboxes ?? values.channels);
if (!Number.isInteger(channels) || channels < 2) throw new Error(`--${inboxes ? 'inboxes' : 'channels'} must be a whole number ≥ 2`);
const what = inboxes ? 'inboxes' : 'channels';
const discordLimit = Number(values['discord-limit']);
const slackRate = { perSecond: Number(values['slack-per-second']), burst: Number(values['slack-burst']) };
const say = (line: string) => {
  if (!values.json) console.log(line);
};

const discordChannels = Math.floor(channels / 2);
const slackChannels = channels - discordChannels;
const perDigest = PAPERS_PER_DIGEST + 1;

const f = await startFanout({
  discordChannels,
  slackChannels,
  discord: { globalRateLimit: discordLimit },
  slackRateLimit: slackRate,
  target: inboxes ? 'inboxes' : 'channels',
  // The bot's own pacing stays a notch under the stand-ins' limits (its defaults: 48/s, 1/s).
  workerEnv: { WORKER_CONCURRENCY: '500', DISCORD_REQUESTS_PER_SECOND: String(discordLimit * 0.96), SLACK_MESSAGES_PER_SECOND: String(slackRate.perSecond * 0.95) },
});
try {
  const worker = f.startWorker();
  say(`fan-out to ${discordChannels} Discord + ${slackChannels} Slack ${what} (${channels * perDigest} messages); warming the worker up…`);
  // Warm: the worker has connected and runs (its schedulers reconciled) before the clock starts.
  await new Promise((r) => setTimeout(r, 4_000));
  if (worker.child.exitCode !== null) throw new Error(`worker exited: ${worker.stderr().slice(-1000)}`);

  const t0 = performance.now();
  await f.enqueueTicks();
  const progress = setInterval(() => {
    const t = f.tally();
    say(`  ${((performance.now() - t0) / 1000).toFixed(0)} s: ${t.delivered}/${t.expected} messages, ${t.rateLimited} × 429`);
  }, 10_000);
  let tally;
  try {
    tally = await f.waitComplete(30 * 60_000);
  } finally {
    clearInterval(progress);
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  // Hints (🔖 reactions) only use capacity the digests leave, so they come after and are not timed.
  // An inbox's first DM on Discord opens the DM channel first: one more request per person.
  const discordMessages = discordChannels * (perDigest + (inboxes ? 1 : 0));
  const discordMin = discordMessages / discordLimit;
  const slackMin = slackChannels ? Math.max(0, perDigest - slackRate.burst) / slackRate.perSecond : 0;
  const minSeconds = Math.max(discordMin, slackMin);
  const result = {
    target: what,
    recipients: channels,
    wallSeconds: Math.round(wallSeconds * 100) / 100,
    minSeconds: Math.round(minSeconds * 100) / 100,
    ratio: Math.round((wallSeconds / minSeconds) * 1000) / 1000,
    rateLimited: tally.rateLimited,
    duplicates: tally.duplicates,
    lost: tally.lost,
  };
  say(`wall ${result.wallSeconds} s, minimum ${result.minSeconds} s (Discord ${discordMessages} requests at ${discordLimit}/s; Slack ${perDigest} per channel at ${slackRate.perSecond}/s, burst ${slackRate.burst}), ratio ${result.ratio}`);
  say(`429s ${result.rateLimited} (Discord ${tally.discord429}, Slack ${tally.slack429}), duplicates ${result.duplicates}, lost ${result.lost}`);
  console.log(JSON.stringify(result));
} finally {
  await f.close();
}
