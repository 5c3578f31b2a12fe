/**
 * Slack's side of the conversation towards the bot: the payloads Slack sends (slash
 * commands, block actions, Events API callbacks) and an HTTP sender that signs them with
 * the real algorithm (`v0=` HMAC-SHA256 of `v0:${timestamp}:${body}`), or forges,
 * replays and leaves them unsigned on request.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { DEFAULT_WORKSPACE } from './server.js';

let seq = 0;
const uid = (prefix: string) => `${prefix}${Date.now().toString(36)}${(++seq).toString(36)}`.toUpperCase();

export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SlashCommandInput {
  text: string;
  responseUrl: string;
  teamId?: string;
  channelId?: string;
  channelName?: string;
  userId?: string;
  userName?: string;
  triggerId?: string;
  command?: string;
}

export type SlashCommandPayload = Record<string, string> & { team_id: string; channel_id: string; user_id: string; user_name: string; text: string; trigger_id: string; response_url: string; command: string };

/** A slash command as Slack posts it (form fields). */
export function slashCommand(i: SlashCommandInput): SlashCommandPayload {
  return {
    token: 'deprecated-verification-token',
    team_id: i.teamId ?? DEFAULT_WORKSPACE.teamId,
    team_domain: 'test',
    channel_id: i.channelId ?? 'C0GENERAL',
    channel_name: i.channelName ?? 'general',
    user_id: i.userId ?? 'U0ALICE',
    user_name: i.userName ?? 'alice',
    command: i.command ?? '/papers',
    text: i.text,
    api_app_id: DEFAULT_WORKSPACE.appId,
    is_enterprise_install: 'false',
    response_url: i.responseUrl,
    trigger_id: i.triggerId ?? `${Date.now()}.${++seq}.${randomUUID().slice(0, 8)}`,
  };
}

export interface BlockActionInput {
  actionId: string;
  value?: string;
  userId?: string;
  teamId?: string;
  /** A message in a channel (default) or the App Home view. */
  container?: { type: 'message'; channelId: string; messageTs?: string; isEphemeral?: boolean } | { type: 'view'; viewId?: string };
  responseUrl?: string;
  triggerId?: string;
  url?: string;
}

/** A block_actions interaction (button press), as the `payload` form field carries it. */
export function blockActions(i: BlockActionInput): Record<string, unknown> {
  const teamId = i.teamId ?? DEFAULT_WORKSPACE.teamId;
  const container = i.container ?? { type: 'message', channelId: 'C0GENERAL' };
  const actionTs = `${Math.floor(Date.now() / 1000)}.${String(++seq).padStart(6, '0')}`;
  const body: Record<string, unknown> = {
    type: 'block_actions',
    user: { id: i.userId ?? 'U0ALICE', username: 'alice', name: 'alice', team_id: teamId },
    api_app_id: DEFAULT_WORKSPACE.appId,
    token: 'deprecated-verification-token',
    trigger_id: i.triggerId ?? `${Date.now()}.${++seq}.${randomUUID().slice(0, 8)}`,
    team: { id: teamId, domain: 'test' },
    enterprise: null,
    is_enterprise_install: false,
    actions: [
      {
        type: 'button',
        action_id: i.actionId,
        block_id: uid('b'),
        text: { type: 'plain_text', text: 'button', emoji: true },
        ...(i.value !== undefined ? { value: i.value } : {}),
        ...(i.url !== undefined ? { url: i.url } : {}),
        action_ts: actionTs,
      },
    ],
  };
  if (container.type === 'message') {
    body.container = { type: 'message', message_ts: container.messageTs ?? actionTs, channel_id: container.channelId, is_ephemeral: container.isEphemeral ?? false };
    body.channel = { id: container.channelId, name: 'general' };
    body.response_url = i.responseUrl;
  } else {
    const viewId = container.viewId ?? uid('V');
    body.container = { type: 'view', view_id: viewId };
    body.view = { id: viewId, type: 'home', team_id: teamId, blocks: [] };
  }
  return body;
}

/** An Events API callback wrapping `event`. */
export function eventCallback(event: Record<string, unknown>, o: { teamId?: string; eventId?: string } = {}): Record<string, unknown> {
  const teamId = o.teamId ?? DEFAULT_WORKSPACE.teamId;
  return {
    token: 'deprecated-verification-token',
    team_id: teamId,
    api_app_id: DEFAULT_WORKSPACE.appId,
    event: { ...event, event_ts: event.event_ts ?? `${Math.floor(Date.now() / 1000)}.${String(++seq).padStart(6, '0')}` },
    type: 'event_callback',
    event_id: o.eventId ?? uid('Ev'),
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: teamId, user_id: DEFAULT_WORKSPACE.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}

export function reactionEvent(type: 'reaction_added' | 'reaction_removed', i: { user?: string; reaction?: string; channel: string; ts: string; itemType?: string }): Record<string, unknown> {
  return {
    type,
    user: i.user ?? 'U0ALICE',
    reaction: i.reaction ?? 'bookmark',
    item_user: DEFAULT_WORKSPACE.botUserId,
    item: i.itemType && i.itemType !== 'message' ? { type: i.itemType, file: 'F0001' } : { type: 'message', channel: i.channel, ts: i.ts },
  };
}

export function appHomeOpened(user = 'U0ALICE', tab: 'home' | 'messages' = 'home'): Record<string, unknown> {
  return { type: 'app_home_opened', user, channel: `D${user}`, tab };
}

export interface SendOptions {
  /** Seconds since the epoch (default now): an old one is a replay outside the window. */
  timestamp?: number;
  /** Sign with this secret instead of the sender's (a forgery). */
  secret?: string;
  /** Send no signature headers at all. */
  unsigned?: boolean;
  /** Use this exact signature header. */
  signature?: string;
  retryNum?: number;
  retryReason?: string;
}

export interface SendResult {
  status: number;
  body: string;
}

/** Posts signed requests to the bot's request URL (HTTP mode). */
export class SlackRequestSender {
  constructor(
    /** e.g. http://127.0.0.1:3000/slack/events */
    readonly url: string,
    private readonly signingSecret: string,
  ) {}

  async raw(body: string, contentType: string, o: SendOptions = {}): Promise<SendResult> {
    const ts = o.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = { 'content-type': contentType };
    if (!o.unsigned) {
      headers['x-slack-request-timestamp'] = String(ts);
      headers['x-slack-signature'] = o.signature ?? slackSignature(o.secret ?? this.signingSecret, ts, body);
    }
    if (o.retryNum !== undefined) {
      headers['x-slack-retry-num'] = String(o.retryNum);
      headers['x-slack-retry-reason'] = o.retryReason ?? 'http_timeout';
    }
    const res = await fetch(this.url, { method: 'POST', headers, body });
    return { status: res.status, body: await res.text() };
  }

  command(fields: Record<string, string>, o?: SendOptions): Promise<SendResult> {
    return this.raw(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', o);
  }

  action(payload: Record<string, unknown>, o?: SendOptions): Promise<SendResult> {
    return this.raw(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded', o);
  }

  event(callback: Record<string, unknown>, o?: SendOptions): Promise<SendResult> {
    return this.raw(JSON.stringify(callback), 'application/json', o);
  }
}
