/**
 * `papers` — the command-line tool (package.json bin). An entry point like main.ts: it
 * reads DATA_DIR like the bot and works on the same store and index; the subcommands
 * live in src/cli/ and take the ports they use (CliDeps).
 *
 * Exit codes: 0 done, 1 failed (upstream, I/O, bug), 2 bad usage or bad input.
 */
import { parseArgs } from 'node:util';
import { chartCommand } from '../cli/chart-command.js';
import { digestCommand } from '../cli/digest-command.js';
import { importCommand } from '../cli/import-command.js';
import { ingestCommand } from '../cli/ingest-command.js';
import { commandHelp, USAGE } from '../cli/cli-help.js';
import { note, printJson, UsageError } from '../cli/cli-output.js';
import { searchCommand } from '../cli/search-command.js';
import { forgetCommand } from '../cli/forget-command.js';
import { showCommand } from '../cli/show-command.js';
import { statsCommand } from '../cli/stats-command.js';
import type { CliDeps } from '../cli/cli-deps.js';
import { loadConfig } from '../config.js';
import { BotError, isUserFault } from '../core/errors.js';
import { createLogger } from '../log.js';
import { PLATFORMS } from '../platforms/index.js';
import { platformCli } from '../platforms/registry.js';
import { terminalStyle } from '../platforms/console/terminal.js';
import { ProgressBar } from '../cli/progress-bar.js';
import type { BuildProgress } from '../search/build-job.js';
import { openCore } from './build.js';
import { quietOnClosedPipe } from './lifecycle.js';
import { privateFileModes } from './private-data-dir.js';

const common = { json: { type: 'boolean', default: false }, verbose: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } as const;

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number, not "${v.slice(0, 20)}"`);
  return n;
}

async function run(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command) throw new UsageError(`which command?\n\n${USAGE}`);
  if (command === 'help' || command === '--help' || command === '-h') {
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
    platform: { type: 'string' },
    user: { type: 'string' },
    week: { type: 'string' },
    out: { type: 'string' },
  } as const;
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values: v, positionals } = parsed;
  if (v.help) {
    process.stdout.write(`${commandHelp(command) ?? USAGE}\n`);
    return;
  }
  const allowed: Record<string, readonly string[]> = {
    import: [],
    ingest: ['from', 'to'],
    search: ['limit', 'stdin', 'from', 'to', 'min-upvotes', 'code'],
    digest: ['date', 'top', 'topic', 'min-upvotes'],
    show: [],
    stats: [],
    forget: ['platform', 'user'],
    chart: ['week', 'out'],
  };
  const own = allowed[command];
  if (!own) throw new UsageError(`unknown command "${command.slice(0, 30)}". Commands: ${Object.keys(allowed).join(', ')}, ${[...platformCli().keys()].join(', ')} (papers --help).`);
  for (const k of Object.keys(v)) {
    if (k in common || own.includes(k)) continue;
    if (v[k as keyof typeof v] !== undefined && v[k as keyof typeof v] !== false) throw new UsageError(`${command} does not take --${k}`);
  }

  const config = loadConfig();
  const log = createLogger({ level: v.verbose ? 'info' : 'warn', file: config.logFile });
  const style = terminalStyle(process.stderr, config.noColor);
  const progress = new ProgressBar(process.stderr, style);
  const onBuildProgress = (p: BuildProgress) => progress.update(p.phase === 'reading' ? 'Updating the search index: reading' : 'Updating the search index', p.done, p.total);
  const opened = await openCore(config, log, { onBuildProgress });
  const core: CliDeps = { ...opened, dataDir: config.dataDir, style: terminalStyle(process.stdout, config.noColor), progress };
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
      case 'chart': {
        // Vega, Vega-Lite and resvg take ~0.4 s to load: only the command that draws pays it.
        const { VegaChartRenderer } = await import('../charts/vega-chart-renderer.js');
        return await chartCommand(core, new VegaChartRenderer(), { json: v.json, ...(v.week !== undefined ? { week: v.week } : {}), ...(v.out !== undefined ? { out: v.out } : {}) });
      }
      case 'forget':
        return await forgetCommand(core, { platform: v.platform, user: v.user, platforms: PLATFORMS.map((p) => p.name), json: v.json });
    }
  } finally {
    progress.finish();
    await opened.close();
    log.flush();
  }
}

/** Exit 2 for bad usage or input, 1 for a failure; with --json the error is a JSON object on stdout. */
function fail(err: unknown, json: boolean): never {
  const usage = err instanceof UsageError;
  const bot = err instanceof BotError ? err : null;
  const code = usage ? 'usage' : (bot?.code ?? 'internal');
  const message = usage ? err.message : bot ? bot.userMessage : err instanceof Error ? (err.stack ?? err.message) : String(err);
  if (json) printJson({ error: { code, message: usage || bot ? message : err instanceof Error ? err.message : message } });
  else note(`papers: ${message}`);
  process.exit(usage || (bot && (isUserFault(bot) || bot.code === 'malformed_data' || bot.code === 'config')) ? 2 : 1);
}

privateFileModes();
quietOnClosedPipe();
const argv = process.argv.slice(2);
run(argv).then(
  () => process.exit(0),
  (err: unknown) => fail(err, argv.includes('--json')),
);
