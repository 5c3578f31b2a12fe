/**
 * Slack installations at rest: sealed with AES-256-GCM under TOKEN_ENCRYPTION_KEY, checked
 * through the install store over a real store (the row as SQLite keeps it), and the key's
 * format checked at start like any other setting.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type { Installation } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { ConfigError } from '../../../src/core/errors.js';
import { parseTokenKey } from '../../../src/platforms/slack/install-cipher.js';
import { StoreInstallationStore } from '../../../src/platforms/slack/install-store.js';
import type { SlackSection } from '../../../src/platforms/slack/slack-config.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../../support/tmp.js';

// A fake bot token, put together at run time so the source holds nothing token-shaped.
const TOKEN = ['xoxb', 'FAKE', 'NOT', 'REAL', 'secret'].join('-');
const KEY = crypto.randomBytes(32);
const installation = (teamId: string, token = TOKEN) =>
  ({ team: { id: teamId, name: 'Lab' }, enterprise: undefined, isEnterpriseInstall: false, bot: { token, userId: 'U0BOT', id: 'B0BOT', scopes: ['chat:write'] }, user: { token: ['xoxp', 'FAKE', 'user', 'secret'].join('-'), id: 'U1', scopes: undefined } }) as unknown as Installation;

function sqlite() {
  return SqliteStore.open(path.join(tempDir(), 'papers.sqlite'));
}

/** The row as the store returns it, as one string: what a copied database file shows. */
async function rawRow(store: SqliteStore, teamId: string): Promise<string> {
  return JSON.stringify(await store.getInstall('slack', teamId));
}

async function failure(p: Promise<unknown>): Promise<Error> {
  const err = await p.then(() => null, (e: unknown) => e as Error);
  expect(err).toBeInstanceOf(ConfigError);
  return err!;
}

describe('TOKEN_ENCRYPTION_KEY', () => {
  it('takes 64 hex characters or base64 (padded or url-safe) of 32 bytes, nothing else', () => {
    expect(parseTokenKey(KEY.toString('hex'))).toEqual(KEY);
    expect(parseTokenKey(KEY.toString('base64'))).toEqual(KEY);
    expect(parseTokenKey(KEY.toString('base64url'))).toEqual(KEY);
    for (const bad of ['', 'secret', KEY.toString('hex').slice(2), crypto.randomBytes(16).toString('base64'), crypto.randomBytes(33).toString('base64'), `${KEY.toString('hex').slice(1)}g`]) {
      expect([bad, parseTokenKey(bad)]).toEqual([bad, null]);
    }
  });

  it('a bad key stops the start with the variable named; a good one reaches the Slack section', () => {
    const env = { SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: 's', DATA_DIR: tempDir() };
    expect(() => loadConfig({ ...env, TOKEN_ENCRYPTION_KEY: 'hunter2' })).toThrow(/TOKEN_ENCRYPTION_KEY: must be 32 bytes, as 64 hex characters or base64/);
    const section = loadConfig({ ...env, TOKEN_ENCRYPTION_KEY: KEY.toString('hex') }).platforms.slack as SlackSection;
    expect(section.connection?.tokenKey).toEqual(KEY);
    expect((loadConfig(env).platforms.slack as SlackSection).connection?.tokenKey).toBeUndefined();
  });
});

describe('sealed installations', () => {
  it('stores no token in the row, and reads the installation back whole', async () => {
    const store = sqlite();
    const installs = new StoreInstallationStore(store, { key: KEY });
    await installs.storeInstallation(installation('T1'));
    const raw = await rawRow(store, 'T1');
    expect(raw).not.toContain('xoxb-');
    expect(raw).not.toContain('xoxp-');
    expect(raw).not.toContain('Lab');
    expect((await store.getInstall('slack', 'T1'))!.data).toMatchObject({ v: 1, alg: 'aes-256-gcm' });
    expect(await installs.fetchInstallation({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false })).toEqual(JSON.parse(JSON.stringify(installation('T1'))));
    // A fresh IV per write: the same installation never seals to the same bytes.
    await installs.storeInstallation(installation('T1'));
    expect(await rawRow(store, 'T1')).not.toBe(raw);
    await store.close();
  });

  it('refuses a tampered row, a wrong key, a missing key and a row moved to another workspace, naming TOKEN_ENCRYPTION_KEY and never the token', async () => {
    const store = sqlite();
    const installs = new StoreInstallationStore(store, { key: KEY });
    await installs.storeInstallation(installation('T1'));
    const row = (await store.getInstall('slack', 'T1'))!;
    const sealed = row.data as { ct: string };
    const ct = Buffer.from(sealed.ct, 'base64');
    ct[0] = ct[0]! ^ 1;
    await store.saveInstall({ ...row, workspaceId: 'T2', data: row.data }); // the sealed row copied onto another workspace
    await store.saveInstall({ ...row, workspaceId: 'T3', data: { ...sealed, ct: ct.toString('base64') } });

    const errors = [
      await failure(installs.installation('T3')),
      await failure(installs.installation('T2')),
      await failure(new StoreInstallationStore(store, { key: crypto.randomBytes(32) }).installation('T1')),
      await failure(new StoreInstallationStore(store).installation('T1')),
    ];
    for (const e of errors) {
      expect(e.message).toMatch(/^TOKEN_ENCRYPTION_KEY: /);
      expect(`${e.message} ${String(e.cause ?? '')} ${e.stack}`).not.toContain('xoxb-');
    }
    expect(errors[0]!.message).toContain('cannot decrypt the Slack installation of T3');
    expect(errors[3]!.message).toContain('is encrypted; set the key');
    expect(botToken(await installs.installation('T1'))).toBe(TOKEN);
    await store.close();
  });

  it('reads a row stored before the key was set, and seals it on that first read', async () => {
    const store = sqlite();
    await new StoreInstallationStore(store).storeInstallation(installation('T1'));
    expect(await rawRow(store, 'T1')).toContain(TOKEN);
    const installedAt = (await store.getInstall('slack', 'T1'))!.installedAt;

    const installs = new StoreInstallationStore(store, { key: KEY });
    expect(botToken(await installs.installation('T1'))).toBe(TOKEN);
    const raw = await rawRow(store, 'T1');
    expect(raw).not.toContain('xoxb-');
    expect((await store.getInstall('slack', 'T1'))!.installedAt).toBe(installedAt);
    expect(botToken(await installs.installation('T1'))).toBe(TOKEN);
    // Without a key nothing changes: plain rows stay readable.
    await new StoreInstallationStore(store).storeInstallation(installation('T9', 'xoxb-plain'));
    expect(botToken(await new StoreInstallationStore(store).installation('T9'))).toBe('xoxb-plain');
    expect(await rawRow(store, 'T9')).toContain('xoxb-plain');
    await store.close();
  });
});

const botToken = (i: Installation | null) => i?.bot?.token;
