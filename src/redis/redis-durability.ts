/**
 * What a Redis will keep: BullMQ needs every key kept (maxmemory-policy noeviction), and
 * a Redis without persistence forgets the schedules and queued deliveries on restart. The
 * sweep (jobs/sweep.ts) rebuilds both from the store, so nothing is lost, but every
 * restart costs a catch-up; hence still a warning.
 * Read from INFO (allowed on managed Redis too), and CONFIG GET save where permitted.
 */
import type { Redis } from 'ioredis';

export interface RedisDurability {
  maxmemoryPolicy: string | null;
  aof: boolean | null;
  /** RDB snapshot rules ("3600 1 300 100"), "" when off, null when CONFIG is not allowed. */
  rdbSave: string | null;
}

function infoField(info: string, name: string): string | null {
  const m = new RegExp(`^${name}:(.*)$`, 'm').exec(info);
  return m ? m[1]!.trim() : null;
}

export async function readDurability(redis: Redis): Promise<RedisDurability> {
  const [memory, persistence] = await Promise.all([redis.info('memory'), redis.info('persistence')]);
  let rdbSave: string | null = null;
  try {
    const r = (await redis.config('GET', 'save')) as string[];
    rdbSave = r[1] ?? '';
  } catch {
    rdbSave = null; // CONFIG disabled (managed Redis): say nothing about RDB
  }
  const aof = infoField(persistence, 'aof_enabled');
  return { maxmemoryPolicy: infoField(memory, 'maxmemory_policy'), aof: aof === null ? null : aof === '1', rdbSave };
}

/** The warnings a start-up should print for this Redis (empty when it is fit for BullMQ). */
export function durabilityWarnings(d: RedisDurability): string[] {
  const out: string[] = [];
  if (d.maxmemoryPolicy && d.maxmemoryPolicy !== 'noeviction') {
    out.push(`Redis evicts keys (maxmemory-policy ${d.maxmemoryPolicy}): BullMQ needs noeviction, or jobs can vanish. Set maxmemory-policy noeviction.`);
  }
  if (d.aof === false && d.rdbSave === '') {
    out.push('Redis keeps nothing on disk (no AOF, no RDB snapshots): after a restart the digest schedules and queued deliveries are rebuilt from the store, with delays. Turn on appendonly yes.');
  }
  return out;
}
