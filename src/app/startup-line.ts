/**
 * The one line every process prints at start: what it runs as, which store and which
 * Redis, so a wrong deployment shows itself at once. Never a password or a token.
 */
import type { Config } from '../config.js';
import type { ResolvedRedis } from '../redis/redis-connection.js';
import { redactRedisUrl } from '../redis/redis-connection.js';
import { enabledPlatforms } from '../platforms/registry.js';

export function storeLabel(config: Config): string {
  if (!config.database) return `SQLite ${config.dbPath}`;
  try {
    const u = new URL(config.database.url);
    return `PostgreSQL ${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname} (schema ${config.database.schema})`;
  } catch {
    return 'PostgreSQL';
  }
}

export function redisLabel(redis: ResolvedRedis | null): string {
  if (!redis) return 'none: digests on demand only';
  if (redis.owned) return `private on :${new URL(redis.owned.url).port}`;
  return redactRedisUrl(redis.url);
}

export function modeLabel(config: Config, headless: boolean): string {
  const on = enabledPlatforms(config).map((p) => p.describe?.(config.platforms[p.name]) ?? p.name);
  if (on.length) return on.join(' + ');
  return headless ? 'headless (no chat token, no terminal)' : 'console';
}

export function startupLine(parts: { process: string; mode: string; config: Config; redis: ResolvedRedis | null; httpPort?: number | undefined }): string {
  const http = parts.httpPort !== undefined ? ` · HTTP :${parts.httpPort}` : '';
  const env = parts.config.envFile ? ` · config from the environment and ${parts.config.envFile}` : '';
  return `${parts.process}: ${parts.mode} · store ${storeLabel(parts.config)} · Redis ${redisLabel(parts.redis)}${http}${env}`;
}
