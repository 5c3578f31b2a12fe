/**
 * Tokens never reach a log line: through the app's own logger factory (what every process
 * uses), to a file, with the shapes a token really arrives in — a Slack Installation, an
 * error whose message quotes it, an SDK's debug text, request headers, a child logger.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, maskTokens } from '../../src/log.js';
import { slackSdkLogger } from '../../src/platforms/slack/web.js';
import { tempDir } from '../support/tmp.js';

// Fake values with real tokens' shapes, put together at run time so the source holds
// nothing a secret scanner would take for a token.
const fake = (...parts: string[]) => parts.join('-');
const SLACK_BOT = fake('xoxb', 'FAKE', 'NOT', 'A', 'REAL', 'TOKEN');
const SLACK_USER = fake('xoxp', 'FAKE', 'NOT', 'A', 'REAL', 'TOKEN');
const SLACK_APP = fake('xapp', '1', 'FAKE', 'NOT', 'A', 'REAL', 'TOKEN');
const DISCORD = ['FAKEnotArealDISCORDtoken0', 'FAKE00', 'notArealDiscordTokenJustItsShape'].join('.');

describe('secrets in logs', () => {
  it('prints no token whatever shape it is logged in, and keeps the rest of the line', () => {
    const file = path.join(tempDir(), 'bot.log');
    const log = createLogger({ level: 'debug', file });
    const installation = { team: { id: 'T0LAB' }, bot: { token: SLACK_BOT, userId: 'U0BOT' }, user: { token: SLACK_USER, id: 'U1' } };
    log.info({ installation }, 'stored installation');
    log.info(installation, 'installation at the top level');
    log.child({ platform: 'slack' }).warn({ req: { headers: { authorization: `Bearer ${SLACK_BOT}` } }, botToken: SLACK_BOT }, 'request failed');
    log.error({ err: new Error(`auth.test refused ${SLACK_BOT}`) }, 'Slack token check failed');
    log.info({ config: { appToken: SLACK_APP, clientSecret: 'shh-client', signingSecret: 'shh-signing', stateSecret: 'shh-state' } }, 'config');
    log.info({}, `Discord login with ${DISCORD}`);
    slackSdkLogger(log).debug('http request headers', { Authorization: `Bearer ${SLACK_BOT}` });
    log.flush();

    const out = fs.readFileSync(file, 'utf8');
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(7);
    for (const secret of ['xoxb-', 'xoxp-', 'xapp-', DISCORD, 'shh-client', 'shh-signing', 'shh-state']) expect([secret, out.includes(secret)]).toEqual([secret, false]);
    // Only the secrets went: the line still says what happened and to whom.
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'stored installation', installation: { team: { id: 'T0LAB' }, bot: { token: '[redacted]', userId: 'U0BOT' }, user: { token: '[redacted]' } } });
    expect(JSON.parse(lines[3]!)).toMatchObject({ msg: 'Slack token check failed', err: { message: 'auth.test refused [redacted]' } });
    expect(JSON.parse(lines[5]!).msg).toBe('Discord login with [redacted]');
  });

  it('masks token-shaped strings only', () => {
    expect(maskTokens(`a ${SLACK_BOT} b`)).toBe('a [redacted] b');
    for (const plain of ['arXiv 2401.00005v2', 'https://huggingface.co/papers/2401.00005', 'xox-not-a-token', 'T0LAB C0GENERAL U0BOT']) expect(maskTokens(plain)).toBe(plain);
  });
});
