/**
 * Slack installations (each holds a workspace's bot token) sealed with AES-256-GCM under
 * TOKEN_ENCRYPTION_KEY before they reach the store, so a copied database file or backup
 * holds no usable token without the key. The whole Installation object is sealed, not
 * only `bot.token`: it also carries user tokens and refresh tokens when those are granted.
 *
 * Stored as `{ v: 1, alg: 'aes-256-gcm', iv, tag, ct }` (base64; a random 12-byte IV per
 * write). The workspace id is the additional authenticated data, so a sealed row copied
 * onto another workspace's row fails to open instead of lending that workspace its token.
 * Pure node:crypto: config reads the key through here without loading Bolt.
 */
import crypto from 'node:crypto';
import { ConfigError } from '../../core/errors.js';

export interface SealedInstall {
  v: 1;
  alg: 'aes-256-gcm';
  iv: string;
  tag: string;
  ct: string;
}

const ALG = 'aes-256-gcm';
export const KEY_HELP = 'must be 32 bytes, as 64 hex characters or base64 (make one with `openssl rand -hex 32`)';

/** The key from TOKEN_ENCRYPTION_KEY: 64 hex characters or base64 of exactly 32 bytes; null when it is neither. */
export function parseTokenKey(raw: string): Buffer | null {
  const s = raw.trim();
  if (/^[0-9a-fA-F]{64}$/.test(s)) return Buffer.from(s, 'hex');
  // Buffer.from(…, 'base64') skips what is not base64; only a canonical string counts.
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(s)) return null;
  const key = Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return key.length === 32 ? key : null;
}

export function isSealed(data: unknown): data is SealedInstall {
  const d = data as Partial<SealedInstall> | null;
  return typeof d === 'object' && d !== null && d.v === 1 && d.alg === ALG && typeof d.ct === 'string';
}

export function sealInstall(key: Buffer, data: unknown, workspaceId: string): SealedInstall {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv(ALG, key, iv);
  cipher.setAAD(Buffer.from(`slack:${workspaceId}`));
  const ct = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]);
  return { v: 1, alg: ALG, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ct: ct.toString('base64') };
}

/** The installation inside; a missing or wrong key (or a tampered row) is a ConfigError naming the variable, never the content. */
export function openInstall(key: Buffer | undefined, sealed: SealedInstall, workspaceId: string): unknown {
  if (!key) throw new ConfigError(`TOKEN_ENCRYPTION_KEY: the Slack installation of ${workspaceId} is encrypted; set the key it was stored with`);
  try {
    const decipher = crypto.createDecipheriv(ALG, key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(`slack:${workspaceId}`));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as unknown;
  } catch {
    // The cause (OpenSSL's "unable to authenticate data") says nothing more, and must not carry the data.
    throw new ConfigError(`TOKEN_ENCRYPTION_KEY: cannot decrypt the Slack installation of ${workspaceId} (a different key than it was stored with, or the row was altered)`);
  }
}
