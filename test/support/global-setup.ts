/**
 * Runs once before the suite. Nothing here yet needs a service; Redis is started here
 * once jobs need it (see test/support/redis.ts when it exists).
 */
export default async function setup(): Promise<void> {}
