/**
 * The gateway half of the stand-in: a `ws` server speaking Discord's gateway protocol
 * v10 in plain JSON (no zlib, as discord.js uses without zlib-sync):
 *
 *   server HELLO (op 10) → client IDENTIFY (op 2) → server READY, one GUILD_CREATE per
 *   guild → client HEARTBEAT (op 1) ↔ server HEARTBEAT_ACK (op 11) → server dispatches.
 *
 * A bad token closes with 4004, privileged intents with 4014 (as when they are not
 * enabled in the developer portal), a wrong version with 4012.
 *
 * Shards: IDENTIFY's `shard: [id, count]` (none is [0, 1]). A guild belongs to shard
 * `(guild_id >> 22) % count`, as on Discord; a session gets READY, GUILD_CREATE and every
 * guild event only for its shard's guilds, and events without a guild (DMs) on shard 0.
 * An id outside 0…count-1 or a malformed pair closes with 4010 (Invalid shard); fewer
 * shards than `requiredShards` (the count GET /gateway/bot recommends) closes with 4011
 * (Sharding required), as Discord does when a shard would hold too many guilds. More
 * shards than recommended are accepted, as on Discord. RESUME is answered with
 * INVALID_SESSION (d: false), so a client that lost its connection identifies again.
 * Events are only sent to sessions whose intents ask for them.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { apiGuild, apiUser, type Json, type StandinGuild, type StandinUser } from './model.js';

export const INTENTS = {
  Guilds: 1 << 0,
  GuildMembers: 1 << 1,
  GuildPresences: 1 << 8,
  GuildMessages: 1 << 9,
  GuildMessageReactions: 1 << 10,
  DirectMessages: 1 << 12,
  DirectMessageReactions: 1 << 13,
  MessageContent: 1 << 15,
} as const;

const PRIVILEGED = INTENTS.GuildMembers | INTENTS.GuildPresences | INTENTS.MessageContent;

/** Which intent an event needs (events not listed are always sent). */
const EVENT_INTENT: Record<string, number> = {
  GUILD_CREATE: INTENTS.Guilds,
  GUILD_DELETE: INTENTS.Guilds,
  CHANNEL_CREATE: INTENTS.Guilds,
  THREAD_CREATE: INTENTS.Guilds,
  MESSAGE_CREATE: INTENTS.GuildMessages,
  MESSAGE_REACTION_ADD: INTENTS.GuildMessageReactions,
  MESSAGE_REACTION_REMOVE: INTENTS.GuildMessageReactions,
};

/** The intent an event needs: reactions and messages in DMs (no guild) have their own. */
function intentFor(t: string, d: Json): number | undefined {
  if (d && typeof d === 'object' && d.guild_id === undefined) {
    if (t === 'MESSAGE_REACTION_ADD' || t === 'MESSAGE_REACTION_REMOVE') return INTENTS.DirectMessageReactions;
    if (t === 'MESSAGE_CREATE') return INTENTS.DirectMessages;
  }
  return EVENT_INTENT[t];
}

export interface IdentifyRecord {
  token: string;
  intents: number;
  shard: [number, number] | undefined;
  properties: Json;
  at: number;
}

interface Session {
  ws: WebSocket;
  seq: number;
  identified: boolean;
  intents: number;
  id: string;
  /** [id, count] from IDENTIFY. */
  shard: [number, number];
}

/** The guild an event is about: `id` for the guild's own events, `guild_id` otherwise. */
function guildOf(t: string, d: Json): string | undefined {
  const id = /^GUILD_(CREATE|UPDATE|DELETE)$/.test(t) ? d?.id : d?.guild_id;
  return typeof id === 'string' ? id : undefined;
}

/** The shard a guild's events go to, as Discord computes it. */
export function shardOf(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

export interface GatewayDeps {
  token: () => string;
  appId: string;
  bot: StandinUser;
  guilds: () => StandinGuild[];
  heartbeatIntervalMs: number;
  gatewayUrl: () => string;
  /** Fewer shards than this in IDENTIFY close with 4011. */
  requiredShards: number;
}

export class StandinGateway {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Set<Session>();
  readonly identifies: IdentifyRecord[] = [];
  heartbeats = 0;
  heartbeatAcks = 0;
  connections = 0;
  /** Close codes the server used, for tests of refused logins. */
  readonly closes: number[] = [];
  private sessionSeq = 0;

  constructor(private readonly deps: GatewayDeps) {}

  /** Hands an HTTP upgrade on /gateway to the ws server. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/gateway') {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, url));
  }

  private onConnection(ws: WebSocket, url: URL): void {
    this.connections++;
    const session: Session = { ws, seq: 0, identified: false, intents: 0, id: `session-${++this.sessionSeq}`, shard: [0, 1] };
    this.sessions.add(session);
    ws.on('close', () => this.sessions.delete(session));
    ws.on('error', () => this.sessions.delete(session));
    if (url.searchParams.get('v') !== '10' || (url.searchParams.get('encoding') ?? 'json') !== 'json' || url.searchParams.has('compress')) {
      this.close(session, 4012, 'Invalid API version or encoding');
      return;
    }
    ws.on('message', (raw) => this.onMessage(session, raw.toString()));
    this.send(session, { op: 10, d: { heartbeat_interval: this.deps.heartbeatIntervalMs }, s: null, t: null });
  }

  private onMessage(session: Session, raw: string): void {
    let msg: Json;
    try {
      msg = JSON.parse(raw);
    } catch {
      this.close(session, 4002, 'Decode error');
      return;
    }
    switch (msg.op) {
      case 1:
        this.heartbeats++;
        this.send(session, { op: 11, d: null, s: null, t: null });
        this.heartbeatAcks++;
        return;
      case 2:
        return this.identify(session, msg.d);
      case 6:
        // No session store here: the client must identify again.
        this.send(session, { op: 9, d: false, s: null, t: null });
        return;
      default:
        return; // presence updates, voice … ignored
    }
  }

  private identify(session: Session, d: Json): void {
    if (session.identified) return this.close(session, 4005, 'Already authenticated');
    this.identifies.push({ token: d?.token, intents: Number(d?.intents ?? 0), shard: d?.shard, properties: d?.properties, at: Date.now() });
    if (d?.token !== this.deps.token()) return this.close(session, 4004, 'Authentication failed');
    const intents = Number(d.intents ?? 0);
    if (intents & PRIVILEGED) return this.close(session, 4014, 'Disallowed intent(s)');
    const shard: unknown = d.shard ?? [0, 1];
    if (!Array.isArray(shard) || shard.length !== 2 || !shard.every((n) => Number.isInteger(n)) || shard[1] < 1 || shard[0] < 0 || shard[0] >= shard[1]) {
      return this.close(session, 4010, 'Invalid shard');
    }
    if (shard[1] < this.deps.requiredShards) return this.close(session, 4011, 'Sharding required');
    session.identified = true;
    session.intents = intents;
    session.shard = [shard[0], shard[1]];
    const guilds = this.deps.guilds().filter((g) => this.owns(session, g.id));
    this.dispatchTo(session, 'READY', {
      v: 10,
      user: apiUser(this.deps.bot),
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.deps.gatewayUrl(),
      shard: session.shard,
      application: { id: this.deps.appId, flags: 0 },
    });
    for (const g of guilds) this.dispatchTo(session, 'GUILD_CREATE', apiGuild(g, this.deps.bot));
  }

  private send(session: Session, payload: Json): void {
    if (session.ws.readyState === session.ws.OPEN) session.ws.send(JSON.stringify(payload));
  }

  private dispatchTo(session: Session, t: string, d: Json): void {
    const need = intentFor(t, d);
    if (need !== undefined && (session.intents & need) === 0) return;
    session.seq++;
    this.send(session, { op: 0, t, s: session.seq, d });
  }

  private close(session: Session, code: number, reason: string): void {
    this.closes.push(code);
    session.ws.close(code, reason);
  }

  /** Whether a guild's events go to this session (no guild: shard 0, as DMs on Discord). */
  private owns(session: Session, guildId: string | undefined): boolean {
    const [id, count] = session.shard;
    return guildId === undefined ? id === 0 : shardOf(guildId, count) === id;
  }

  /**
   * Sends a dispatch to every identified session whose shard holds the event's guild
   * (`d.guild_id`); returns how many received it. `received` gets each one's shard.
   */
  dispatch(t: string, d: Json, received?: [number, number][]): number {
    let n = 0;
    for (const s of this.sessions) {
      if (!s.identified || !this.owns(s, guildOf(t, d))) continue;
      const need = intentFor(t, d);
      if (need !== undefined && (s.intents & need) === 0) continue;
      this.dispatchTo(s, t, d);
      received?.push(s.shard);
      n++;
    }
    return n;
  }

  get readySessions(): number {
    return [...this.sessions].filter((s) => s.identified).length;
  }

  /** [id, count] of every identified session, in the order they identified. */
  get readyShards(): [number, number][] {
    return [...this.sessions].filter((s) => s.identified).map((s) => s.shard);
  }

  /** Drops every connection with `code` (4000: unknown error, which clients reconnect after). */
  disconnectAll(code = 4000): void {
    for (const s of this.sessions) this.close(s, code, 'Stand-in disconnect');
  }

  async shutdown(): Promise<void> {
    for (const s of this.sessions) s.ws.terminate();
    this.sessions.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
