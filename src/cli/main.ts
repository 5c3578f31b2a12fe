/**
 * `papers` — the command-line tool (package.json bin). A composition root like
 * src/main.ts: it reads DATA_DIR like the bot and works on the same store and index.
 *
 * Exit codes: 0 done, 1 failed (upstream, I/O, bug), 2 bad usage or bad input.
 */
import { parseArgs } from 'node:util';
import { openCore, type Core } from '../compose.js';
import { loadConfig } from '../config.js';
import { BotError, isUserFault } from '../core/errors.js';
import { createLogger } from '../log.js';
import { platformCli } from '../platforms/registry.js';
import { digestCommand } from './digest.js';
import { importCommand } from './import.js';
import { ingestCommand } from './ingest.js';
import { note, UsageError } from './output.js';
import { searchCommand } from './search.js';
import { showCommand } from './show.js';
import { statsCommand } from './stats.js';

const USAGE = `Usage: papers <command> [options]

  import <file|dir>…                 Store papers from HF day files (.json), .jsonl or .jsonl.gz
  ingest [--from D] [--to D]         Fetch Daily Papers days from the Hugging Face API (default: today)
  search "<query>" [--limit N]       Search stored papers; --from D --to D --min-upvotes N --code
  search --stdin --json              One query per input line, one JSON array per output line
  digest [--date D] [--top N] [--topic "<q>"] [--min-upvotes N]
                                     The digest a channel would get for a featured day
  show <arXiv id or URL>             One paper
  stats                              What the store holds
${[...platformCli().values()].map((c) => c.usage).join('\n')}

Every command takes --json (stdout then holds only JSON) and --verbose (logs on stderr).
DATA_DIR (default ./data) selects the store, as for the bot.`;

const common = { json: { type: 'boolean', default: false }, verbose: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } as const;

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number, not "${v.slice(0, 20)}"`);
  return n;
}

async function run(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  // Platform chores have options of their own and need no store.
  const platformCommand = platformCli().get(command);
  if (platformCommand) return platformCommand.run(rest, loadConfig());
  const options = {
    ...common,
    limit: { type: 'string' },
    stdin: { type: 'boolean', default: false },
    from: { type: 'string' },
    to: { type: 'string' },
    date: { type: 'string' },
    top: { type: 'string' },
    topic: { type: 'string' },
    'min-upvotes': { type: 'string' },
    code: { type: 'boolean', default: false },
  } as const;
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values: v, positionals } = parsed;
  if (v.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const allowed: Record<string, readonly string[]> = {
    import: [],
    ingest: ['from', 'to'],
    search: ['limit', 'stdin', 'from', 'to', 'min-upvotes', 'code'],
    digest: ['date', 'top', 'topic', 'min-upvotes'],
    show: [],
    stats: [],
  };
  const own = allowed[command];
  if (!own) throw new UsageError(`Unknown command "${command.slice(0, 30)}".\n\n${USAGE}`);
  for (const k of Object.keys(v)) {
    if (k in common || own.includes(k)) continue;
    if (v[k as keyof typeof v] !== undefined && v[k as keyof typeof v] !== false) throw new UsageError(`${command} does not take --${k}`);
  }

  const config = loadConfig();
  const log = createLogger({ level: v.verbose ? 'info' : 'warn', file: config.logFile });
  const core: Core = await openCore(config, log);
  try {
    switch (command) {
      case 'import':
        return await importCommand(core, positionals, v.json);
      case 'ingest':
        return await ingestCommand(core, { ...(v.from ? { from: v.from } : {}), ...(v.to ? { to: v.to } : {}), json: v.json });
      case 'search': {
        if (!v.stdin && !positionals.length) throw new UsageError('search needs a query: papers search "sparse attention"');
        const limit = int('limit', v.limit) ?? 10;
        if (limit < 1 || limit > 100) throw new UsageError('--limit must be 1–100');
        return await searchCommand(core, positionals.join(' '), {
          limit,
          json: v.json,
          stdin: v.stdin,
          ...(v.from ? { from: v.from } : {}),
          ...(v.to ? { to: v.to } : {}),
          ...(v['min-upvotes'] !== undefined ? { minUpvotes: int('min-upvotes', v['min-upvotes'])! } : {}),
          code: v.code,
        });
      }
      case 'digest':
        return await digestCommand(core, {
          json: v.json,
          ...(v.date ? { date: v.date } : {}),
          ...(v.top !== undefined ? { top: int('top', v.top)! } : {}),
          ...(v.topic !== undefined ? { topic: v.topic } : {}),
          ...(v['min-upvotes'] !== undefined ? { minUpvotes: int('min-upvotes', v['min-upvotes'])! } : {}),
        });
      case 'show':
        return await showCommand(core, positionals[0], v.json);
      case 'stats':
        return await statsCommand(core, v.json);
    }
  } finally {
    await core.close();
    log.flush();
  }
}

run(process.argv.slice(2)).then(
  () => process.exit(0),
  (err: unknown) => {
    if (err instanceof UsageError) {
      note(`papers: ${err.message}`);
      process.exit(2);
    }
    if (err instanceof BotError) {
      note(`papers: ${err.userMessage}`);
      process.exit(isUserFault(err) || err.code === 'malformed_data' || err.code === 'config' ? 2 : 1);
    }
    note(`papers: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
