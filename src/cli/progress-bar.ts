/**
 * A one-line progress bar on stderr, for work that takes more than a second (an import,
 * an index build over 75k papers). Only on a TTY: a pipe or a log gets nothing, and
 * stdout (which may hold --json) is never touched. Redrawn at most ten times a second.
 */
import { paint, type TerminalStyle } from '../platforms/console/terminal.js';

interface Out {
  isTTY?: boolean;
  write(s: string): boolean;
}

export class ProgressBar {
  private readonly started: number;
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly out: Out,
    private readonly style: TerminalStyle,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  /** `total` unknown: a count instead of a bar. */
  update(label: string, done: number, total?: number): void {
    if (!this.out.isTTY) return;
    const t = this.now();
    if (t - this.started < 1_000 || t - this.lastDraw < 100) return;
    this.lastDraw = t;
    this.drawn = true;
    const secs = `${Math.round((t - this.started) / 1000)} s`;
    const count = total ? `${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}` : done.toLocaleString('en-US');
    let bar = '';
    if (total) {
      const width = Math.max(10, Math.min(30, this.style.width - label.length - count.length - secs.length - 12));
      const filled = Math.round((Math.min(done, total) / total) * width);
      bar = ` [${paint(this.style, 'green', '█'.repeat(filled))}${'░'.repeat(width - filled)}] ${Math.floor((Math.min(done, total) / total) * 100)}%`;
    }
    this.out.write(`\r\u001b[2K${label}${bar} ${count} · ${secs}`);
  }

  /** Clears the bar (the caller prints its own summary line). */
  finish(): void {
    if (this.drawn) this.out.write('\r\u001b[2K');
    this.drawn = false;
  }
}
