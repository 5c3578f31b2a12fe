/**
 * A stand-in for Slack on 127.0.0.1: the Web API (point SLACK_API_URL at `apiUrl`), the
 * response_url endpoint, file uploads, the OAuth code exchange, and a Socket Mode
 * WebSocket server. It records everything the bot sends, validates it the way Slack
 * would (block-kit.ts), and can be told to fail. See index.ts for the API in one place.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { mulberry32 } from '../random.js';
import { MESSAGE_LIMITS, validateBlocks, validateMetadata, VIEW_LIMITS } from './block-kit.js';
import { UnfurlBook, type ShareInput, type SharedLinks, type StandinUnfurl } from './unfurls.js';

// ─── Types ───────────────────────────────────────────────────────────────────────────

export interface StandinWorkspace {
  teamId: string;
  teamName: string;
  botToken: string;
  botUserId: string;
  botId: string;
  appId: string;
}

export interface StandinUser {
  id: string;
  teamId: string;
  name?: string;
  isAdmin?: boolean;
  isOwner?: boolean;
  isPrimaryOwner?: boolean;
  isBot?: boolean;
}

/** A user group (usergroups.list): pinged only as `<!subteam^ID>`. */
export interface StandinUsergroup {
  id: string;
  teamId: string;
  /** What people type after @, e.g. "ml-team". */
  handle: string;
  name?: string;
  /** Disabled groups are listed only with include_disabled. */
  disabled?: boolean;
}

/** One answer to impose on the next call of a method (see `fail`). */
export type StandinFault =
  /** 429 with Retry-After (seconds, default 1); Slack did nothing. */
  | { kind: '429'; retryAfter?: number }
  /** An HTTP status without a Slack body (e.g. 500, 503). */
  | { kind: 'http'; status: number }
  /** 200 with `{ ok: false, error }`, e.g. channel_not_found. */
  | { kind: 'error'; error: string }
  /** Does the work (a message IS posted) and then answers 500: the ambiguous failure. */
  | { kind: 'commitThen500' }
  /** Waits before answering normally. */
  | { kind: 'delay'; ms: number }
  /** Destroys the connection without an answer. */
  | { kind: 'reset' };

export interface RateLimitSpec {
  /** Sustained chat.postMessage rate per channel (Slack: about 1 per second). */
  perSecond: number;
  /** Messages a quiet channel may take at once. */
  burst: number;
}

export interface StandinMessage {
  teamId: string;
  channel: string;
  ts: string;
  text: string | undefined;
  blocks: unknown[] | undefined;
  metadata: { event_type: string; event_payload: Record<string, unknown> } | undefined;
  threadTs: string | undefined;
  user: string;
  botId: string;
  reactions: { name: string; users: string[] }[];
  /** Files shared with the message (files.completeUploadExternal with a channel_id). */
  files?: { id: string; name: string }[];
  /** Everything the client sent (unfurl flags …). */
  args: Record<string, unknown>;
  /** chat.update calls that changed it; `edited` as history shows it after the first. */
  edits?: number;
  edited?: { user: string; ts: string };
}

export interface StandinEphemeral {
  teamId: string;
  channel: string;
  user: string;
  text: string | undefined;
  blocks: unknown[] | undefined;
  messageTs: string;
}

export interface StandinResponse {
  /** The id in the response_url. */
  id: string;
  body: { response_type?: string; replace_original?: boolean; delete_original?: boolean; text?: string; blocks?: unknown[]; [k: string]: unknown };
}

export interface StandinView {
  teamId: string;
  userId: string;
  id: string;
  view: { type: string; blocks: unknown[]; [k: string]: unknown };
}

export interface StandinReaction {
  teamId: string;
  channel: string;
  ts: string;
  name: string;
  user: string;
}

export interface StandinFile {
  teamId: string;
  id: string;
  filename: string;
  title: string | undefined;
  content: string;
  /** The bytes as uploaded (a PNG is not text). */
  data: Buffer;
  channel: string | undefined;
  initialComment: string | undefined;
}

export interface StandinCall {
  method: string;
  /** Team of the token, when it was one. */
  teamId: string | undefined;
  token: string | undefined;
  args: Record<string, unknown>;
  /** HTTP status answered. */
  status: number;
  /** Slack error code for ok:false answers. */
  error: string | undefined;
  fault: StandinFault['kind'] | 'ratelimit' | undefined;
  at: number;
}

export interface SocketEnvelopeAck {
  envelope_id: string;
  payload?: unknown;
}

export interface SocketModeStandin {
  /** Open connections. */
  readonly connections: number;
  /** Every ack received, in order. */
  readonly acks: SocketEnvelopeAck[];
  /** Resolves once a client is connected (and has been sent `hello`). */
  connected(timeoutMs?: number): Promise<void>;
  /** Sends an envelope to the (first) connected client; resolves with its ack. */
  send(
    type: 'events_api' | 'slash_commands' | 'interactive',
    payload: Record<string, unknown>,
    opts?: { envelopeId?: string; retryAttempt?: number; retryReason?: string; timeoutMs?: number },
  ): Promise<SocketEnvelopeAck>;
  /** Asks every client to reconnect, as Slack does when it recycles a server. */
  refresh(): void;
}

export interface SlackStandinOptions {
  workspaces?: StandinWorkspace[];
  users?: StandinUser[];
  /** User groups usergroups.list answers with (per workspace). */
  usergroups?: StandinUsergroup[];
  /** App-level token accepted by apps.connections.open. */
  appToken?: string;
  /** Client credentials accepted by oauth.v2.access. */
  oauth?: { clientId: string; clientSecret: string };
  /** Enforce a chat.postMessage rate per channel (429 + Retry-After beyond it). Off by default. */
  rateLimit?: RateLimitSpec | null;
  /** Require the bot to be a member of a channel to post, react or read history there (see `members`). Off by default. */
  enforceMembership?: boolean;
}

export interface SlackStandin {
  /** http://127.0.0.1:port */
  readonly url: string;
  /** `${url}/api/`: give it to the bot as SLACK_API_URL. */
  readonly apiUrl: string;
  readonly workspaces: Map<string, StandinWorkspace>;
  readonly users: Map<string, StandinUser>;
  /** Mutable: usergroups.list answers from it. */
  readonly usergroups: StandinUsergroup[];
  readonly messages: StandinMessage[];
  readonly ephemerals: StandinEphemeral[];
  readonly responses: StandinResponse[];
  readonly views: StandinView[];
  readonly reactions: StandinReaction[];
  readonly files: StandinFile[];
  readonly calls: StandinCall[];
  /** Unfurls that stand (chat.unfurl), one per shared message and URL. */
  readonly unfurls: StandinUnfurl[];
  /** Messages whose links were handed to the app (link_shared). */
  readonly sharedLinks: SharedLinks[];
  /**
   * Someone posts (or types, `source: 'composer'`) a message with these URLs: the
   * link_shared event Slack would send for those on the unfurl domains (arxiv.org,
   * huggingface.co and their subdomains), to deliver with `eventCallback`; null when
   * none is (Slack sends nothing).
   */
  shareLinks(i: Omit<ShareInput, 'teamId'> & { teamId?: string }): Record<string, unknown> | null;
  /** Persistent error for every call naming this channel (e.g. 'channel_not_found', 'is_archived'). */
  readonly channelErrors: Map<string, string>;
  /**
   * Users no DM reaches, with the error Slack answers: conversations.open with them, and
   * posting, reacting or reading in their DM conversation (`D<user>`), fail with it (e.g.
   * 'cannot_dm_bot' for a bot user, 'user_not_found', 'account_inactive' or 'user_disabled'
   * for a deactivated one).
   */
  readonly dmErrors: Map<string, string>;
  /** Enforced chat.postMessage rate per channel; null for none. Mutable. */
  rateLimit: RateLimitSpec | null;
  /**
   * When true, chat.postMessage / reactions.add / conversations.history answer
   * not_in_channel until the bot joins (conversations.join) or is put in `members`.
   */
  enforceMembership: boolean;
  /** Channels the bot is in, as `${teamId}:${channelId}`. */
  readonly members: Set<string>;
  /** Channels conversations.join refuses (private ones): method_not_supported_for_channel_type. */
  readonly privateChannels: Set<string>;
  /** Queue faults for the next calls of `method` ('chat.postMessage', …, or 'response_url'), in order. */
  fail(method: string, ...faults: StandinFault[]): void;
  /**
   * From now on, each call of `method` meets `fault` with probability `fraction` (after
   * the queued ones), drawn from a seeded generator so a run can be repeated.
   */
  failRate(method: string, fault: StandinFault, fraction: number, seed?: number): void;
  /** A fresh response_url for a slash command or interaction. */
  responseUrl(id?: string): string;
  /** Registers a one-time OAuth code that installs `workspace` when exchanged. */
  addOAuthCode(code: string, workspace: StandinWorkspace, opts?: { installerUserId?: string }): void;
  addWorkspace(ws: StandinWorkspace): void;
  addUser(user: StandinUser): void;
  /** Messages in a channel, oldest first. */
  channelMessages(channel: string): StandinMessage[];
  /** Messages in the app's DM with a user (the conversation conversations.open gives), oldest first. */
  dmMessages(userId: string): StandinMessage[];
  /** Calls of one method. */
  callsOf(method: string): StandinCall[];
  /** Polls until `check` returns a truthy value (returned), or throws after `timeoutMs`. */
  waitFor<T>(check: () => T | undefined | null | false, timeoutMs?: number, what?: string): Promise<T>;
  readonly socket: SocketModeStandin;
  close(): Promise<void>;
}

export const DEFAULT_WORKSPACE: StandinWorkspace = {
  teamId: 'T0TEST',
  teamName: 'Test Workspace',
  botToken: 'xoxb-test',
  botUserId: 'U0BOT',
  botId: 'B0BOT',
  appId: 'A0TEST',
};

export const DEFAULT_APP_TOKEN = 'xapp-test';

/** Form fields the Web API client sends as JSON strings. */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata', 'view', 'files', 'unfurls']);
/** Methods whose `channel` (or `channel_id`) names a conversation the channel errors apply to. */
const CHANNEL_METHODS = new Set(['chat.postMessage', 'chat.postEphemeral', 'chat.update', 'reactions.add', 'conversations.history', 'conversations.replies', 'conversations.join', 'files.completeUploadExternal']);
/** Methods that need the bot in the channel when membership is enforced. */
const MEMBER_METHODS = new Set(['chat.postMessage', 'chat.update', 'reactions.add', 'conversations.history', 'conversations.replies', 'files.completeUploadExternal']);

class SlackApiError extends Error {
  constructor(
    readonly error: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(error);
  }
}

// ─── Server ──────────────────────────────────────────────────────────────────────────

export async function startSlackStandin(opts: SlackStandinOptions = {}): Promise<SlackStandin> {
  const appToken = opts.appToken ?? DEFAULT_APP_TOKEN;
  const workspaces = new Map<string, StandinWorkspace>();
  const byToken = new Map<string, StandinWorkspace>();
  const users = new Map<string, StandinUser>();
  const faults = new Map<string, StandinFault[]>();
  const rateFaults = new Map<string, { fault: StandinFault; fraction: number; random: () => number }>();
  const oauthCodes = new Map<string, { ws: StandinWorkspace; installerUserId: string }>();
  const buckets = new Map<string, { tokens: number; at: number }>();
  const uploads = new Map<string, { filename: string; length: number; content: string | undefined; data?: Buffer }>();
  const timers = new Set<NodeJS.Timeout>();
  const book = new UnfurlBook();
  let seq = 0;
  let tsSeq = 0;
  let port = 0;

  const state = {
    workspaces,
    users,
    usergroups: [...(opts.usergroups ?? [])],
    messages: new IndexedMessages(),
    ephemerals: [] as StandinEphemeral[],
    responses: [] as StandinResponse[],
    views: [] as StandinView[],
    reactions: [] as StandinReaction[],
    files: [] as StandinFile[],
    calls: [] as StandinCall[],
    unfurls: book.unfurls,
    sharedLinks: book.shared,
    channelErrors: new Map<string, string>(),
    dmErrors: new Map<string, string>(),
    rateLimit: opts.rateLimit ?? null,
    enforceMembership: opts.enforceMembership ?? false,
    members: new Set<string>(),
    privateChannels: new Set<string>(),
  };

  const addWorkspace = (ws: StandinWorkspace) => {
    workspaces.set(ws.teamId, ws);
    byToken.set(ws.botToken, ws);
  };
  for (const ws of opts.workspaces ?? [DEFAULT_WORKSPACE]) addWorkspace(ws);
  for (const u of opts.users ?? []) users.set(u.id, u);

  const nextTs = () => `${Math.floor(Date.now() / 1000)}.${String(++tsSeq).padStart(6, '0')}`;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  /** Token bucket per channel; returns seconds to wait, or 0 when the call may proceed. */
  const rateLimited = (teamId: string, channel: string): number => {
    const spec = state.rateLimit;
    if (!spec) return 0;
    const key = `${teamId}:${channel}`;
    const now = Date.now();
    const b = buckets.get(key) ?? { tokens: spec.burst, at: now };
    b.tokens = Math.min(spec.burst, b.tokens + ((now - b.at) / 1000) * spec.perSecond);
    b.at = now;
    buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / spec.perSecond));
  };

  const messages = state.messages as IndexedMessages;
  const inChannel = (channel: string): StandinMessage[] => messages.inChannel(channel);
  const tsMessage = (channel: string, ts: string) => messages.byTs(channel, ts);

  /** The Web API methods. Each returns the body of an `ok: true` answer or throws SlackApiError. */
  const methods: Record<string, (args: Record<string, unknown>, ws: StandinWorkspace | undefined) => Record<string, unknown>> = {
    'auth.test': (_a, ws) => ({ url: `https://${ws!.teamName.toLowerCase().replace(/\W+/g, '')}.slack.test/`, team: ws!.teamName, user: 'papers', team_id: ws!.teamId, user_id: ws!.botUserId, bot_id: ws!.botId, is_enterprise_install: false }),

    'apps.connections.open': () => ({ url: `ws://127.0.0.1:${port}/socket-mode?ticket=${++seq}` }),

    'chat.postMessage': (a, ws) => {
      const channel = str(a.channel);
      if (!channel) throw new SlackApiError('channel_not_found');
      checkMessage(a);
      // A reply names a top-level message of the same conversation.
      const parent = optStr(a.thread_ts);
      if (parent !== undefined && !tsMessage(channel, parent)) throw new SlackApiError('thread_not_found');
      const msg: StandinMessage = {
        teamId: ws!.teamId,
        channel,
        ts: nextTs(),
        text: optStr(a.text),
        blocks: Array.isArray(a.blocks) ? a.blocks : undefined,
        metadata: a.metadata as StandinMessage['metadata'],
        threadTs: optStr(a.thread_ts),
        user: ws!.botUserId,
        botId: ws!.botId,
        reactions: [],
        args: a,
      };
      state.messages.push(msg);
      return { channel, ts: msg.ts, message: historyShape(msg, true) };
    },

    'chat.postEphemeral': (a, ws) => {
      const channel = str(a.channel);
      const user = str(a.user);
      if (!channel) throw new SlackApiError('channel_not_found');
      if (!user) throw new SlackApiError('user_not_found');
      checkMessage(a);
      const messageTs = nextTs();
      state.ephemerals.push({ teamId: ws!.teamId, channel, user, text: optStr(a.text), blocks: Array.isArray(a.blocks) ? a.blocks : undefined, messageTs });
      return { message_ts: messageTs };
    },

    // As Slack does: only the app's own messages, by conversation id (a user id finds nothing);
    // metadata given replaces the message's, metadata left out keeps it.
    'chat.update': (a, ws) => {
      const msg = tsMessage(str(a.channel), str(a.ts));
      if (!msg) throw new SlackApiError('message_not_found');
      if (ws && msg.user !== ws.botUserId) throw new SlackApiError('cant_update_message');
      checkMessage(a);
      msg.text = optStr(a.text);
      msg.blocks = Array.isArray(a.blocks) ? a.blocks : undefined;
      if (a.metadata !== undefined) msg.metadata = a.metadata as StandinMessage['metadata'];
      msg.edits = (msg.edits ?? 0) + 1;
      msg.edited = { user: msg.user, ts: nextTs() };
      return { channel: msg.channel, ts: msg.ts, text: msg.text ?? '', message: historyShape(msg, false) };
    },

    'conversations.history': (a) => {
      const channel = str(a.channel);
      const limit = Math.min(999, Math.max(1, Number(a.limit ?? 100) || 100));
      const offset = Number(a.cursor ? Buffer.from(str(a.cursor), 'base64').toString() : 0) || 0;
      // As Slack: the top level only; replies in threads are read with conversations.replies.
      const all = inChannel(channel).filter((m) => !m.threadTs || m.threadTs === m.ts).slice().reverse();
      const page = all.slice(offset, offset + limit);
      const more = offset + limit < all.length;
      const withMeta = a.include_all_metadata === true || a.include_all_metadata === 'true';
      return {
        messages: page.map((m) => historyShape(m, withMeta)),
        has_more: more,
        response_metadata: { next_cursor: more ? Buffer.from(String(offset + limit)).toString('base64') : '' },
      };
    },

    // The thread under `ts`: its parent first, then the replies, oldest first.
    'conversations.replies': (a) => {
      const channel = str(a.channel);
      const parent = tsMessage(channel, str(a.ts));
      if (!parent) throw new SlackApiError('thread_not_found');
      const limit = Math.min(1000, Math.max(1, Number(a.limit ?? 1000) || 1000));
      const replies = inChannel(channel).filter((m) => m.threadTs === parent.ts && m.ts !== parent.ts);
      const withMeta = a.include_all_metadata === true || a.include_all_metadata === 'true';
      return { messages: [parent, ...replies].slice(0, limit).map((m) => historyShape(m, withMeta)), has_more: replies.length + 1 > limit };
    },

    'chat.unfurl': (a, ws) => {
      const refused = book.unfurl(ws!.teamId, a);
      if (refused) throw new SlackApiError(refused.error, refused.messages ? { response_metadata: { messages: refused.messages } } : {});
      return {};
    },

    'conversations.join': (a, ws) => {
      const channel = str(a.channel);
      if (!channel) throw new SlackApiError('channel_not_found');
      if (state.privateChannels.has(channel)) throw new SlackApiError('method_not_supported_for_channel_type');
      const already = state.members.has(`${ws!.teamId}:${channel}`);
      state.members.add(`${ws!.teamId}:${channel}`);
      return { channel: { id: channel }, ...(already ? { warning: 'already_in_channel' } : {}) };
    },

    'conversations.open': (a) => {
      const user = str(a.users).split(',')[0];
      if (!user) throw new SlackApiError('users_list_not_supplied');
      const refused = state.dmErrors.get(user);
      if (refused) throw new SlackApiError(refused);
      return { channel: { id: dmId(user) } };
    },

    'reactions.add': (a, ws) => {
      const channel = str(a.channel);
      const ts = str(a.timestamp);
      const name = str(a.name);
      const msg = tsMessage(channel, ts);
      if (!msg) throw new SlackApiError('message_not_found');
      if (!name) throw new SlackApiError('invalid_name');
      let r = msg.reactions.find((x) => x.name === name);
      if (r?.users.includes(ws!.botUserId)) throw new SlackApiError('already_reacted');
      if (!r) msg.reactions.push((r = { name, users: [] }));
      r.users.push(ws!.botUserId);
      state.reactions.push({ teamId: ws!.teamId, channel, ts, name, user: ws!.botUserId });
      return {};
    },

    'views.publish': (a, ws) => {
      const userId = str(a.user_id);
      const view = a.view as StandinView['view'] | undefined;
      if (!userId) throw new SlackApiError('invalid_arguments');
      if (!view || view.type !== 'home') throw new SlackApiError('invalid_arguments', { response_metadata: { messages: ['[ERROR] view.type must be home'] } });
      const problems = validateBlocks(view.blocks, VIEW_LIMITS);
      if (problems.length) throw new SlackApiError('invalid_blocks', { response_metadata: { messages: problems } });
      const id = `V${++seq}`;
      state.views.push({ teamId: ws!.teamId, userId, id, view });
      return { view: { id, ...view } };
    },

    'usergroups.list': (a, ws) => {
      const all = a.include_disabled === true || a.include_disabled === 'true';
      const usergroups = state.usergroups
        .filter((g) => g.teamId === ws!.teamId && (all || !g.disabled))
        .map((g) => ({ id: g.id, team_id: g.teamId, is_usergroup: true, name: g.name ?? g.handle, handle: g.handle, date_delete: g.disabled ? 1_700_000_000 : 0 }));
      return { usergroups };
    },

    'users.info': (a, ws) => {
      const id = str(a.user);
      if (!id) throw new SlackApiError('user_not_found');
      // Users nobody registered are ordinary members of the caller's workspace.
      const u = users.get(id) ?? { id, teamId: ws!.teamId };
      return {
        user: {
          id: u.id,
          team_id: u.teamId,
          name: u.name ?? u.id.toLowerCase(),
          deleted: false,
          is_admin: Boolean(u.isAdmin || u.isOwner || u.isPrimaryOwner),
          is_owner: Boolean(u.isOwner || u.isPrimaryOwner),
          is_primary_owner: Boolean(u.isPrimaryOwner),
          is_bot: Boolean(u.isBot),
        },
      };
    },

    'files.getUploadURLExternal': (a) => {
      const filename = str(a.filename);
      const length = Number(a.length);
      if (!filename || !Number.isFinite(length)) throw new SlackApiError('invalid_arguments');
      const id = `F${++seq}`;
      uploads.set(id, { filename, length, content: undefined });
      return { upload_url: `http://127.0.0.1:${port}/upload/${id}`, file_id: id };
    },

    'files.completeUploadExternal': (a, ws) => {
      const files = a.files as { id: string; title?: string }[] | undefined;
      if (!Array.isArray(files) || !files.length) throw new SlackApiError('invalid_arguments');
      const channel = optStr(a.channel_id);
      // As Slack: channel_id must name a conversation (a user id is channel_not_found here, unlike chat.postMessage).
      if (channel !== undefined && !/^[CDG][A-Z0-9]+$/.test(channel)) throw new SlackApiError('invalid_channel');
      const done = files.map((f) => {
        const up = uploads.get(f.id);
        if (!up || up.content === undefined) throw new SlackApiError('file_not_found');
        const file: StandinFile = { teamId: ws!.teamId, id: f.id, filename: up.filename, title: f.title, content: up.content, data: up.data ?? Buffer.from(up.content, 'utf8'), channel, initialComment: optStr(a.initial_comment) };
        state.files.push(file);
        return { id: f.id, title: f.title ?? up.filename, name: up.filename };
      });
      // Shared into a conversation, the files appear there as one message of the bot's.
      if (channel) {
        state.messages.push({
          teamId: ws!.teamId, channel, ts: nextTs(), text: optStr(a.initial_comment) ?? '', blocks: undefined, metadata: undefined,
          threadTs: optStr(a.thread_ts), user: ws!.botUserId, botId: ws!.botId, reactions: [], files: done.map((f) => ({ id: f.id, name: f.name })), args: a,
        });
      }
      return { files: done };
    },

    'oauth.v2.access': (a) => {
      if (!opts.oauth) throw new SlackApiError('invalid_client_id');
      if (str(a.client_id) !== opts.oauth.clientId) throw new SlackApiError('invalid_client_id');
      if (str(a.client_secret) !== opts.oauth.clientSecret) throw new SlackApiError('bad_client_secret');
      const grant = oauthCodes.get(str(a.code));
      if (!grant) throw new SlackApiError('invalid_code');
      oauthCodes.delete(str(a.code));
      addWorkspace(grant.ws);
      return {
        app_id: grant.ws.appId,
        authed_user: { id: grant.installerUserId },
        scope: 'commands,chat:write',
        token_type: 'bot',
        access_token: grant.ws.botToken,
        bot_user_id: grant.ws.botUserId,
        team: { id: grant.ws.teamId, name: grant.ws.teamName },
        enterprise: null,
        is_enterprise_install: false,
      };
    },
  };

  function checkMessage(a: Record<string, unknown>): void {
    if (a.text === undefined && a.blocks === undefined) throw new SlackApiError('no_text');
    if (typeof a.text === 'string' && a.text.length > 40_000) throw new SlackApiError('msg_too_long');
    if (a.blocks !== undefined) {
      const problems = validateBlocks(a.blocks, MESSAGE_LIMITS);
      if (problems.length) throw new SlackApiError('invalid_blocks', { response_metadata: { messages: problems } });
    }
    const meta = validateMetadata(a.metadata);
    if (meta.length) throw new SlackApiError('invalid_metadata_format', { response_metadata: { messages: meta } });
  }

  function record(call: Omit<StandinCall, 'at'>): void {
    state.calls.push({ ...call, at: Date.now() });
  }

  async function handleApi(method: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = await readBody(req);
    let args: Record<string, unknown>;
    try {
      args = await parseArgs(req, raw);
    } catch {
      return json(res, 200, { ok: false, error: 'invalid_form_data' });
    }
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : typeof args.token === 'string' ? args.token : undefined;
    const ws = token ? byToken.get(token) : undefined;
    const base = { method, teamId: ws?.teamId, token, args };

    const rated = rateFaults.get(method);
    const fault = faults.get(method)?.shift() ?? (rated && rated.random() < rated.fraction ? rated.fault : undefined);
    if (fault?.kind === 'delay') await sleep(fault.ms);
    if (fault?.kind === 'reset') {
      record({ ...base, status: 0, error: undefined, fault: 'reset' });
      req.socket.destroy();
      return;
    }
    if (fault?.kind === '429') {
      record({ ...base, status: 429, error: 'ratelimited', fault: '429' });
      return json(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(fault.retryAfter ?? 1) });
    }
    if (fault?.kind === 'http') {
      record({ ...base, status: fault.status, error: undefined, fault: 'http' });
      res.writeHead(fault.status, { 'content-type': 'text/plain' });
      return void res.end(`standin: HTTP ${fault.status}`);
    }

    let status = 200;
    let body: Record<string, unknown>;
    try {
      if (fault?.kind === 'error') throw new SlackApiError(fault.error);
      const impl = methods[method];
      if (!impl) throw new SlackApiError('unknown_method');
      if (method !== 'oauth.v2.access') {
        if (!token) throw new SlackApiError('not_authed');
        if (method === 'apps.connections.open' ? token !== appToken : !ws) throw new SlackApiError('invalid_auth');
      }
      // As Slack does: chat.postMessage to a user id posts in the app's DM with that user (no conversations.open).
      if (method === 'chat.postMessage' && /^[UW][A-Z0-9]+$/.test(str(args.channel))) args.channel = dmId(str(args.channel));
      const channel = str(args.channel ?? args.channel_id);
      if (CHANNEL_METHODS.has(method) && channel && state.channelErrors.has(channel)) throw new SlackApiError(state.channelErrors.get(channel)!);
      const dmUser = channel.startsWith('D') ? channel.slice(1) : undefined;
      if (CHANNEL_METHODS.has(method) && dmUser && state.dmErrors.has(dmUser)) throw new SlackApiError(state.dmErrors.get(dmUser)!);
      if (state.enforceMembership && MEMBER_METHODS.has(method) && channel && !state.members.has(`${ws!.teamId}:${channel}`)) throw new SlackApiError('not_in_channel');
      if (method === 'chat.postMessage' && channel) {
        const wait = rateLimited(ws!.teamId, channel);
        if (wait > 0) {
          record({ ...base, status: 429, error: 'ratelimited', fault: 'ratelimit' });
          return json(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(wait) });
        }
      }
      body = { ok: true, ...impl(args, ws) };
    } catch (err) {
      if (!(err instanceof SlackApiError)) throw err;
      body = { ok: false, error: err.error, ...err.extra };
    }
    if (fault?.kind === 'commitThen500') status = 500;
    record({ ...base, status, error: body.ok ? undefined : String(body.error), fault: fault?.kind });
    if (status !== 200) {
      res.writeHead(status, { 'content-type': 'text/plain' });
      return void res.end('standin: internal error after commit');
    }
    json(res, 200, body);
  }

  async function handleResponseUrl(id: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const fault = faults.get('response_url')?.shift();
    if (fault?.kind === 'http' || fault?.kind === 'commitThen500') {
      res.writeHead(fault.kind === 'http' ? fault.status : 500);
      return void res.end();
    }
    let body: StandinResponse['body'];
    try {
      body = JSON.parse(raw.toString('utf8')) as StandinResponse['body'];
    } catch {
      return json(res, 400, { ok: false, error: 'invalid_json' });
    }
    if (body.blocks !== undefined) {
      const problems = validateBlocks(body.blocks, MESSAGE_LIMITS);
      if (problems.length) return json(res, 200, { ok: false, error: 'invalid_blocks', response_metadata: { messages: problems } });
    }
    state.responses.push({ id, body });
    json(res, 200, { ok: true });
  }

  async function handleUpload(id: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const up = uploads.get(id);
    if (!up) {
      res.writeHead(404);
      return void res.end();
    }
    const type = req.headers['content-type'] ?? '';
    if (type.startsWith('multipart/form-data')) {
      const form = await new Request('http://standin/upload', { method: 'POST', headers: { 'content-type': type }, body: raw }).formData();
      const part = [...form.values()][0];
      up.data = typeof part === 'string' ? Buffer.from(part, 'utf8') : part ? Buffer.from(await part.arrayBuffer()) : Buffer.alloc(0);
      up.content = up.data.toString('utf8');
    } else {
      up.data = raw;
      up.content = raw.toString('utf8');
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`OK - ${raw.length}`);
  }

  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://localhost');
    const route = async () => {
      if (req.method === 'POST' && u.pathname.startsWith('/api/')) return handleApi(u.pathname.slice(5), req, res);
      if (req.method === 'POST' && u.pathname.startsWith('/response/')) return handleResponseUrl(decodeURIComponent(u.pathname.slice(10)), req, res);
      if (req.method === 'POST' && u.pathname.startsWith('/upload/')) return handleUpload(u.pathname.slice(8), req, res);
      json(res, 404, { ok: false, error: 'not_found' });
    };
    route().catch((err: unknown) => {
      if (!res.headersSent) json(res, 500, { ok: false, error: `standin: ${(err as Error).message}` });
    });
  });

  // ─── Socket Mode ───────────────────────────────────────────────────────────────────

  const wss = new WebSocketServer({ noServer: true });
  const sockets: WebSocket[] = [];
  const pendingAcks = new Map<string, (ack: SocketEnvelopeAck) => void>();
  const acks: SocketEnvelopeAck[] = [];
  const connectWaiters: (() => void)[] = [];

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const u = new URL(req.url ?? '/', 'http://localhost');
    if (u.pathname !== '/socket-mode') return void socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.push(ws);
      ws.on('message', (data) => {
        let msg: SocketEnvelopeAck;
        try {
          msg = JSON.parse(String(data)) as SocketEnvelopeAck;
        } catch {
          return;
        }
        if (typeof msg.envelope_id !== 'string') return;
        acks.push(msg);
        pendingAcks.get(msg.envelope_id)?.(msg);
        pendingAcks.delete(msg.envelope_id);
      });
      ws.on('close', () => {
        const i = sockets.indexOf(ws);
        if (i >= 0) sockets.splice(i, 1);
      });
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: sockets.length,
          debug_info: { host: 'slack-standin', build_number: 1, approximate_connection_time: 3600 },
          connection_info: { app_id: DEFAULT_WORKSPACE.appId },
        }),
      );
      for (const w of connectWaiters.splice(0)) w();
    });
  });

  const socketApi: SocketModeStandin = {
    get connections() {
      return sockets.length;
    },
    acks,
    connected(timeoutMs = 5_000) {
      if (sockets.length) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('standin: no Socket Mode client connected')), timeoutMs);
        connectWaiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    },
    send(type, payload, o = {}) {
      const ws = sockets[0];
      if (!ws) return Promise.reject(new Error('standin: no Socket Mode client connected'));
      const envelopeId = o.envelopeId ?? randomUUID();
      const envelope: Record<string, unknown> = { envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api' };
      if (type === 'events_api') {
        envelope.retry_attempt = o.retryAttempt ?? 0;
        envelope.retry_reason = o.retryReason ?? '';
      }
      return new Promise<SocketEnvelopeAck>((resolve, reject) => {
        const t = setTimeout(() => {
          pendingAcks.delete(envelopeId);
          reject(new Error(`standin: envelope ${envelopeId} (${type}) was not acknowledged`));
        }, o.timeoutMs ?? 5_000);
        pendingAcks.set(envelopeId, (ack) => {
          clearTimeout(t);
          resolve(ack);
        });
        ws.send(JSON.stringify(envelope));
      });
    },
    refresh() {
      for (const ws of sockets) ws.send(JSON.stringify({ type: 'disconnect', reason: 'refresh_requested' }));
    },
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  const standin: SlackStandin = Object.assign(state, {
    url,
    apiUrl: `${url}/api/`,
    socket: socketApi,
    failRate(method: string, fault: StandinFault, fraction: number, seed = 1) {
      rateFaults.set(method, { fault, fraction, random: mulberry32(seed) });
    },
    fail(method: string, ...fs: StandinFault[]) {
      const q = faults.get(method) ?? [];
      q.push(...fs);
      faults.set(method, q);
    },
    responseUrl(id = randomUUID()) {
      return `${url}/response/${encodeURIComponent(id)}`;
    },
    addOAuthCode(code: string, ws: StandinWorkspace, o: { installerUserId?: string } = {}) {
      oauthCodes.set(code, { ws, installerUserId: o.installerUserId ?? 'U0INSTALLER' });
    },
    addWorkspace,
    shareLinks(i: Omit<ShareInput, 'teamId'> & { teamId?: string }) {
      return book.share({ ...i, teamId: i.teamId ?? DEFAULT_WORKSPACE.teamId });
    },
    addUser(u: StandinUser) {
      users.set(u.id, u);
    },
    channelMessages(channel: string) {
      return inChannel(channel).slice();
    },
    dmMessages(userId: string) {
      return inChannel(dmId(userId)).slice();
    },
    callsOf(method: string) {
      return state.calls.filter((c) => c.method === method);
    },
    async waitFor<T>(check: () => T | undefined | null | false, timeoutMs = 5_000, what = 'condition'): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const v = check();
        if (v) return v;
        if (Date.now() > deadline) throw new Error(`standin: timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
  return standin;
}

// ─── Helpers ─────────────────────────────────────────────────────────────────────────

/**
 * The stand-in's messages, indexed by channel and ts as they are pushed (and kept in step
 * when a test splices one out, as a deletion): a fan-out of 60,000 messages must not make
 * every reaction, history call and tally scan them all.
 */
class IndexedMessages extends Array<StandinMessage> {
  static override get [Symbol.species]() {
    return Array;
  }
  private readonly channels = new Map<string, StandinMessage[]>();
  private readonly stamps = new Map<string, StandinMessage>();
  override push(...items: StandinMessage[]): number {
    for (const m of items) this.index(m);
    return super.push(...items);
  }
  override splice(start: number, deleteCount?: number, ...items: StandinMessage[]): StandinMessage[] {
    const removed = deleteCount === undefined ? super.splice(start) : super.splice(start, deleteCount, ...items);
    for (const m of removed) {
      const list = this.channels.get(m.channel);
      if (list) list.splice(list.indexOf(m), 1);
      this.stamps.delete(`${m.channel}|${m.ts}`);
    }
    for (const m of items) this.index(m);
    return removed;
  }
  private index(m: StandinMessage): void {
    let list = this.channels.get(m.channel);
    if (!list) this.channels.set(m.channel, (list = []));
    list.push(m);
    this.stamps.set(`${m.channel}|${m.ts}`, m);
  }
  inChannel(channel: string): StandinMessage[] {
    return this.channels.get(channel) ?? [];
  }
  byTs(channel: string, ts: string): StandinMessage | undefined {
    return this.stamps.get(`${channel}|${ts}`);
  }
}

/** The app's DM conversation with a user: always the same id, as conversations.open answers. */
export function dmId(userId: string): string {
  return `D${userId}`;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

function optStr(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function historyShape(m: StandinMessage, withMetadata: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { type: 'message', ts: m.ts, user: m.user, bot_id: m.botId, text: m.text ?? '', team: m.teamId };
  if (m.blocks) out.blocks = m.blocks;
  if (m.threadTs) out.thread_ts = m.threadTs;
  if (m.files?.length) out.files = m.files.map((f) => ({ id: f.id, name: f.name }));
  if (m.edited) out.edited = { ...m.edited };
  if (m.reactions.length) out.reactions = m.reactions.map((r) => ({ name: r.name, users: [...r.users], count: r.users.length }));
  if (withMetadata && m.metadata) out.metadata = m.metadata;
  return out;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Web API arguments from a form-encoded, JSON or multipart body (the SDK uses all three). */
async function parseArgs(req: http.IncomingMessage, raw: Buffer): Promise<Record<string, unknown>> {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('application/json')) return raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
  let entries: [string, string][];
  if (type.startsWith('multipart/form-data')) {
    const form = await new Request('http://standin/api', { method: 'POST', headers: { 'content-type': req.headers['content-type']! }, body: raw }).formData();
    entries = [];
    for (const [k, v] of form.entries()) entries.push([k, typeof v === 'string' ? v : await v.text()]);
  } else entries = [...new URLSearchParams(raw.toString('utf8')).entries()];
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    if (JSON_FIELDS.has(k)) {
      try {
        out[k] = JSON.parse(v) as unknown;
        continue;
      } catch {
        /* kept as the string Slack would have choked on */
      }
    }
    out[k] = v;
  }
  return out;
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

