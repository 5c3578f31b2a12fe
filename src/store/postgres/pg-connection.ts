/** How PostgresStore connects, and how a database URL is shown without its password. */
import type pg from 'pg';

/**
 * Session settings sent in the startup packet, so they hold for every connection the pool
 * opens before its first statement: the search_path, and JIT off. Every query here is
 * short; after a bulk import, until autovacuum refreshes the statistics, the planner
 * overestimates and JIT-compiles them, which made an 80k re-import three times slower.
 * pg lets a connection string's own `?options=` override the config's, so such a URL
 * gets ours appended there.
 */
export function connectionConfig(url: string, schema: string): pg.PoolConfig {
  const options = `-c search_path=${schema} -c jit=off`;
  if (/[?&]options=/.test(url)) {
    const u = new URL(url);
    u.searchParams.set('options', `${u.searchParams.get('options') ?? ''} ${options}`.trim());
    return { connectionString: u.toString() };
  }
  return { connectionString: url, options };
}

/** The URL without its password, for error messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/?#]*):[^@/?#]*@/i, '$1:***@');
}

