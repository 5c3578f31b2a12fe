/**
 * HfDailySource against the PaperSource contract, over HTTP: each directory the contract
 * opens gets its own replay server (test/support/hf-replay-server.ts) serving it.
 */
import { afterAll } from 'vitest';
import { HfDailySource } from '../../src/sources/hf-daily.js';
import { startHfReplayServer, type HfReplayServer } from '../support/hf-replay-server.js';
import { HF_DAILY_DIR } from '../support/tmp.js';
import { sourceContract } from './source-contract.js';

const servers: HfReplayServer[] = [];
// At top level: vitest 4 ignores hooks registered inside beforeAll.
afterAll(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

sourceContract('HfDailySource', HF_DAILY_DIR, async (dataDir) => {
  const srv = await startHfReplayServer({ dataDir });
  servers.push(srv);
  // No retries: the contract's failures are bad bodies, which are not retried anyway.
  return new HfDailySource({ baseUrl: srv.url, timeoutMs: 5_000, retries: 0, pageSize: 100 });
});
