/**
 * The Slack app manifest (api.slack.com/apps → Create New App → From a manifest), built
 * from the one command list so the slash command's hint never drifts from what the bot
 * understands. Pure; `papers slack manifest` prints it.
 */
import type { CommandSpec } from '../../core/command-spec/spec.js';
import { COMMAND_ROOT } from '../../core/command-spec/spec.js';

/** Every bot scope the adapter uses, and why; docs/slack.md shows the same list. */
export const BOT_SCOPES: readonly { scope: string; why: string }[] = [
  { scope: 'commands', why: 'the /papers slash command' },
  { scope: 'chat:write', why: 'post digests; answer commands and buttons' },
  { scope: 'channels:join', why: 'join a public channel subscribed with /papers, to post its digest there (private channels: invite the bot)' },
  { scope: 'reactions:read', why: 'receive 🔖 reaction_added / reaction_removed events (bookmarks)' },
  { scope: 'reactions:write', why: 'add the 🔖 hint under each digest paper' },
  { scope: 'channels:history', why: 'find a digest message already posted (by its message metadata) before re-posting after a crash' },
  { scope: 'groups:history', why: 'the same, in private channels the bot was invited to' },
  { scope: 'users:read', why: 'tell workspace admins and owners apart (who may subscribe)' },
  { scope: 'usergroups:read', why: 'find the user group a digest header pings (settings --ping @group), set by an admin' },
  { scope: 'im:write', why: 'open a direct message: personal inbox digests, instant alerts, bookmark exports' },
  { scope: 'im:history', why: 'find an inbox message already posted in a person\'s direct message before re-posting after a crash' },
  { scope: 'files:write', why: 'upload the BibTeX / Markdown export into that direct message, and a weekly digest’s chart under its header' },
  { scope: 'links:read', why: 'receive link_shared events for arxiv.org and huggingface.co links posted in channels (link cards)' },
  { scope: 'links:write', why: 'unfurl those links into the paper card, for papers the bot knows (chat.unfurl)' },
];

/** Domains whose links Slack hands to the app to unfurl (and their subdomains). */
export const UNFURL_DOMAINS = ['arxiv.org', 'huggingface.co'] as const;

export const BOT_EVENTS = ['app_home_opened', 'reaction_added', 'reaction_removed', 'link_shared'] as const;
/** Only meaningful with OAuth installs (HTTP mode): forget a workspace's token when it removes the app. */
export const UNINSTALL_EVENTS = ['app_uninstalled', 'tokens_revoked'] as const;

export const EVENTS_PATH = '/slack/events';
export const INSTALL_PATH = '/slack/install';
export const OAUTH_REDIRECT_PATH = '/slack/oauth_redirect';

export interface ManifestOptions {
  mode: 'socket' | 'http';
  /** Public base URL of the bot (HTTP mode), e.g. https://papers.example.org. */
  url?: string;
  /** App name shown in Slack (default "Papers"). */
  name?: string;
}

/** `search <query> | trending | show <paper> | …`: each subcommand with its required words. */
export function usageHint(specs: readonly CommandSpec[]): string {
  const parts = specs.map((s) => [s.name, ...s.options.filter((o) => o.required && o.positional).map((o) => `<${o.name}>`)].join(' '));
  const hint = parts.join(' | ');
  return hint.length <= 1000 ? hint : `${hint.slice(0, 999)}…`;
}

function displayName(name: string): string {
  const n = name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  return (n || 'papers').slice(0, 80);
}

export function buildManifest(specs: readonly CommandSpec[], opts: ManifestOptions): Record<string, unknown> {
  const name = (opts.name ?? 'Papers').slice(0, 35);
  const http = opts.mode === 'http';
  const base = opts.url?.replace(/\/+$/, '');
  if (http && !base) throw new Error('buildManifest: HTTP mode needs the public URL of the bot');
  const requestUrl = http ? `${base}${EVENTS_PATH}` : undefined;

  const command: Record<string, unknown> = {
    command: `/${COMMAND_ROOT}`,
    description: 'Trending ML papers: search, digests, bookmarks',
    usage_hint: usageHint(specs),
    should_escape: false,
  };
  if (requestUrl) command.url = requestUrl;

  const oauth: Record<string, unknown> = { scopes: { bot: BOT_SCOPES.map((s) => s.scope) } };
  if (http) oauth.redirect_urls = [`${base}${OAUTH_REDIRECT_PATH}`];

  const events: Record<string, unknown> = { bot_events: http ? [...BOT_EVENTS, ...UNINSTALL_EVENTS] : [...BOT_EVENTS] };
  if (requestUrl) events.request_url = requestUrl;

  const interactivity: Record<string, unknown> = { is_enabled: true };
  if (requestUrl) interactivity.request_url = requestUrl;

  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name,
      description: 'Daily trending papers from Hugging Face, Lunr search and 🔖 bookmarks.',
      background_color: '#1f2328',
    },
    features: {
      app_home: { home_tab_enabled: true, messages_tab_enabled: true, messages_tab_read_only_enabled: true },
      bot_user: { display_name: displayName(name), always_online: true },
      slash_commands: [command],
      unfurl_domains: [...UNFURL_DOMAINS],
    },
    oauth_config: oauth,
    settings: {
      event_subscriptions: events,
      interactivity,
      org_deploy_enabled: false,
      socket_mode_enabled: !http,
      token_rotation_enabled: false,
    },
  };
}
