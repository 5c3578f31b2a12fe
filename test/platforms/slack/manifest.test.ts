import { describe, expect, it } from 'vitest';
import { commands } from '../../../commands/index.js';
import { slackCli } from '../../../src/platforms/slack/slack-cli.js';
import { UsageError } from '../../../src/cli/cli-output.js';
import { BOT_SCOPES, buildManifest, usageHint } from '../../../src/platforms/slack/manifest.js';

async function run(args: string[], config?: Parameters<typeof slackCli>[1]): Promise<string> {
  let out = '';
  await slackCli(args, config, (s) => void (out += s));
  return out;
}

const slackConfigured = (appToken?: string) => ({
  slack: { botToken: 'fake-bot-token', appToken, signingSecret: 'fake-secret', oauth: undefined, apiUrl: 'https://slack.com/api/', subscribePolicy: 'everyone' as const, port: 3000 },
});

describe('Slack app manifest', () => {
  it('describes the Socket Mode app: /papers with every subcommand, scopes, events, no URLs', () => {
    const m = buildManifest(commands, { mode: 'socket' });
    expect(m).toMatchSnapshot();
    const s = JSON.stringify(m);
    expect(s).not.toContain('request_url');
    expect(s).not.toContain('redirect_urls');
    for (const c of commands) expect(usageHint(commands)).toContain(c.name);
  });

  it('describes the HTTP app: request URLs, the OAuth redirect and the uninstall events', () => {
    const m = buildManifest(commands, { mode: 'http', url: 'https://papers.example.org/' }) as {
      features: { slash_commands: { url: string; command: string }[] };
      oauth_config: { redirect_urls: string[]; scopes: { bot: string[] } };
      settings: { socket_mode_enabled: boolean; event_subscriptions: { request_url: string; bot_events: string[] }; interactivity: { request_url: string } };
    };
    expect(m.features.slash_commands[0]).toMatchObject({ command: '/papers', url: 'https://papers.example.org/slack/events' });
    expect(m.settings.event_subscriptions.request_url).toBe('https://papers.example.org/slack/events');
    expect(m.settings.interactivity.request_url).toBe('https://papers.example.org/slack/events');
    expect(m.oauth_config.redirect_urls).toEqual(['https://papers.example.org/slack/oauth_redirect']);
    expect(m.settings.event_subscriptions.bot_events).toEqual(['app_home_opened', 'reaction_added', 'reaction_removed', 'link_shared', 'app_uninstalled', 'tokens_revoked']);
    expect((m as unknown as { features: { unfurl_domains: string[] } }).features.unfurl_domains).toEqual(['arxiv.org', 'huggingface.co']);
    expect(m.settings.socket_mode_enabled).toBe(false);
    expect(m.oauth_config.scopes.bot).toEqual(BOT_SCOPES.map((x) => x.scope));
  });
});

describe('papers slack manifest', () => {
  it('prints JSON ready to paste, Socket Mode by default', async () => {
    const m = JSON.parse(await run(['manifest'])) as { settings: { socket_mode_enabled: boolean } };
    expect(m.settings.socket_mode_enabled).toBe(true);
  });

  it('follows the configuration: HTTP when Slack is configured without an app token', async () => {
    await expect(run(['manifest'], slackConfigured())).rejects.toThrow(/--url/);
    expect(JSON.parse(await run(['manifest'], slackConfigured('fake-app-token')))).toMatchObject({ settings: { socket_mode_enabled: true } });
  });

  it('takes --http --url and --name', async () => {
    const m = JSON.parse(await run(['manifest', '--http', '--url', 'https://bot.example.com/base/', '--name', 'Lab Papers'])) as Record<string, any>;
    expect(m.display_information.name).toBe('Lab Papers');
    expect(m.features.bot_user.display_name).toBe('lab-papers');
    expect(m.settings.event_subscriptions.request_url).toBe('https://bot.example.com/base/slack/events');
  });

  it('refuses bad usage with a UsageError', async () => {
    await expect(run(['manifest', '--http'])).rejects.toBeInstanceOf(UsageError);
    await expect(run(['manifest', '--http', '--url', 'http://insecure.example'])).rejects.toThrow(/https/);
    await expect(run(['manifest', '--http', '--url', 'not a url'])).rejects.toThrow(/not a URL/);
    await expect(run(['manifest', '--socket', '--http'])).rejects.toThrow(/one of/);
    await expect(run(['manifest', '--socket', '--url', 'https://x.example'])).rejects.toThrow(/HTTP mode/);
    await expect(run(['manifest', '--frobnicate'])).rejects.toBeInstanceOf(UsageError);
    await expect(run(['install'])).rejects.toThrow(/Unknown slack command/);
    expect(await run([])).toMatch(/Usage: papers slack manifest/);
  });
});
