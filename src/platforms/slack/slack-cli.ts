/**
 * `papers slack manifest [--socket | --http --url https://host] [--name "Papers"]`:
 * prints the Slack app manifest (JSON) to paste into api.slack.com/apps → Create New
 * App → From a manifest. Without --socket/--http the mode follows the configuration:
 * Socket Mode when SLACK_APP_TOKEN is set or nothing is configured, HTTP otherwise.
 */
import { parseArgs } from 'node:util';
import { commands } from '../../../commands/index.js';
import { UsageError } from '../../cli/cli-output.js';
import type { SlackConnection } from './slack-config.js';
import { buildManifest } from './manifest.js';

export const SLACK_USAGE = `Usage: papers slack manifest [--socket | --http --url https://your.host] [--name "Papers"]

  --socket        Socket Mode: no public URL; set SLACK_APP_TOKEN (xapp-…) and SLACK_BOT_TOKEN
  --http          HTTP mode: Slack calls <url>/slack/events; OAuth installs at <url>/slack/install
  --url URL       Public https URL of the bot (HTTP mode)
  --name NAME     App name shown in Slack (default "Papers")`;

export async function slackCli(args: string[], config?: { slack: SlackConnection | undefined }, out: (s: string) => void = (s) => void process.stdout.write(s)): Promise<void> {
  const [sub, ...rest] = args;
  if (!sub || sub === 'help' || sub === '--help' || sub === '-h') {
    out(`${SLACK_USAGE}\n`);
    return;
  }
  if (sub !== 'manifest') throw new UsageError(`Unknown slack command "${sub.slice(0, 30)}".\n\n${SLACK_USAGE}`);
  let values: { socket?: boolean; http?: boolean; url?: string; name?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { socket: { type: 'boolean' }, http: { type: 'boolean' }, url: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n\n${SLACK_USAGE}`);
  }
  if (values.help) {
    out(`${SLACK_USAGE}\n`);
    return;
  }
  if (values.socket && values.http) throw new UsageError('Choose one of --socket and --http.');
  const configured = config?.slack;
  const mode = values.socket ? 'socket' : values.http || values.url ? 'http' : configured && !configured.appToken ? 'http' : 'socket';
  let url: string | undefined;
  if (mode === 'http') {
    if (!values.url) throw new UsageError('HTTP mode needs the public URL Slack will call: --url https://your.host');
    let parsed: URL;
    try {
      parsed = new URL(values.url);
    } catch {
      throw new UsageError(`--url: "${values.url.slice(0, 60)}" is not a URL`);
    }
    if (parsed.protocol !== 'https:') throw new UsageError('--url must be https (Slack only calls https request URLs)');
    url = `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
  } else if (values.url) throw new UsageError('--url is for HTTP mode; Socket Mode needs no public URL');
  const manifest = buildManifest(commands, { mode, ...(url ? { url } : {}), ...(values.name ? { name: values.name } : {}) });
  out(`${JSON.stringify(manifest, null, 2)}\n`);
}
