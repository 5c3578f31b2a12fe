/** What the `papers` subcommands use: the ports, built for them by src/app/cli.ts. */
import type { TerminalStyle } from '../platforms/console/terminal.js';
import type { ProgressBar } from './progress-bar.js';
import type { Clock, Logger, PaperIndex, PaperSource, Store } from '../core/ports.js';

export interface CliDeps {
  store: Store;
  index: PaperIndex;
  source: PaperSource;
  clock: Clock;
  log: Logger;
  /** Shown by `papers stats`. */
  dataDir: string;
  /** Width and colour of human output (plain in a pipe or under NO_COLOR). */
  style: TerminalStyle;
  /** Shown on a TTY while an index build runs longer than a second. */
  progress: ProgressBar;
}
