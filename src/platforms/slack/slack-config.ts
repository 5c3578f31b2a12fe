/** Slack's configuration section: the variables it reads and its section built from them. */
import { z } from 'zod';
import type { PlatformConfig } from '../descriptor.js';
import { int, optionalString, url } from '../../env-schema.js';
import { KEY_HELP, parseTokenKey } from './install-cipher.js';

export interface SlackConnection {
  botToken: string | undefined;
  appToken: string | undefined;
  signingSecret: string | undefined;
  oauth: { clientId: string; clientSecret: string; stateSecret: string } | undefined;
  apiUrl: string;
  subscribePolicy: 'everyone' | 'admins';
  port: number;
  /** TOKEN_ENCRYPTION_KEY: installations are stored sealed with it (install-cipher.ts). */
  tokenKey?: Buffer | undefined;
}

export interface SlackSection {
  /** Present when SLACK_BOT_TOKEN or the OAuth client credentials are set. */
  connection: SlackConnection | undefined;
  /** Messages per second per channel (Slack allows about one, with short bursts). */
  messagesPerSecond: number;
  /** Tier 3 calls (reactions.add, conversations.history) per minute per workspace. */
  tier3PerMinute: number;
}

export const slackConfig: PlatformConfig<SlackSection> = {
  env: {
    // SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID/SECRET (OAuth, many) turn Slack on.
    SLACK_BOT_TOKEN: optionalString,
    /** Socket Mode when set (xapp-…): no public URL needed. */
    SLACK_APP_TOKEN: optionalString,
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_CLIENT_ID: optionalString,
    SLACK_CLIENT_SECRET: optionalString,
    SLACK_STATE_SECRET: optionalString,
    SLACK_API_URL: url('https://slack.com/api').transform((s) => `${s}/`),
    /** Who may subscribe a channel by default: everyone in it, or workspace admins and owners. */
    SLACK_SUBSCRIBE_POLICY: z.enum(['everyone', 'admins']).default('admins'),
    /** HTTP port of the Slack events/commands/OAuth endpoints (HTTP mode). */
    PORT: int(3000, 0, 65535),
    SLACK_MESSAGES_PER_SECOND: z.coerce.number().positive().max(1_000).default(1),
    SLACK_TIER3_PER_MINUTE: int(50, 1, 100_000),
    /** 32 bytes (hex or base64): OAuth installations, with their bot tokens, are stored encrypted. */
    TOKEN_ENCRYPTION_KEY: optionalString,
  },
  read(v) {
    const s = (k: string) => v[k] as string | undefined;
    const problems: string[] = [];
    const oauthVars = [s('SLACK_CLIENT_ID'), s('SLACK_CLIENT_SECRET'), s('SLACK_STATE_SECRET')];
    if (oauthVars.some(Boolean) && !oauthVars.every(Boolean)) {
      problems.push('  SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET: set all three for the OAuth install flow, or none');
    }
    const on = Boolean(s('SLACK_BOT_TOKEN')) || oauthVars.every(Boolean);
    if (on && !s('SLACK_APP_TOKEN') && !s('SLACK_SIGNING_SECRET')) {
      problems.push('  SLACK_SIGNING_SECRET: required in HTTP mode (set it, or SLACK_APP_TOKEN for Socket Mode)');
    }
    if (s('SLACK_APP_TOKEN') && !s('SLACK_BOT_TOKEN')) problems.push('  SLACK_BOT_TOKEN: required with SLACK_APP_TOKEN (Socket Mode)');
    const rawKey = s('TOKEN_ENCRYPTION_KEY');
    const tokenKey = rawKey === undefined ? undefined : parseTokenKey(rawKey);
    if (tokenKey === null) problems.push(`  TOKEN_ENCRYPTION_KEY: ${KEY_HELP}`);
    return {
      section: {
        connection: on
          ? {
              botToken: s('SLACK_BOT_TOKEN'),
              appToken: s('SLACK_APP_TOKEN'),
              signingSecret: s('SLACK_SIGNING_SECRET'),
              oauth: oauthVars.every(Boolean) ? { clientId: oauthVars[0]!, clientSecret: oauthVars[1]!, stateSecret: oauthVars[2]! } : undefined,
              apiUrl: s('SLACK_API_URL')!,
              subscribePolicy: v.SLACK_SUBSCRIBE_POLICY as 'everyone' | 'admins',
              port: v.PORT as number,
              tokenKey: tokenKey ?? undefined,
            }
          : undefined,
        messagesPerSecond: v.SLACK_MESSAGES_PER_SECOND as number,
        tier3PerMinute: v.SLACK_TIER3_PER_MINUTE as number,
      },
      problems,
    };
  },
};
