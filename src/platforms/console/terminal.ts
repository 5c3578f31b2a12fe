/**
 * How text looks in this terminal: the width to wrap to and whether to use colour and
 * bold. Colour only on a TTY and never under NO_COLOR (no-color.org) or in a pipe, so
 * scripts and logs get plain text.
 */
export interface TerminalStyle {
  /** Columns to wrap to. */
  width: number;
  color: boolean;
}

/** 80 columns when the width is unknown (a pipe); at most 100, since longer lines read badly. */
export function terminalStyle(stream: { isTTY?: boolean; columns?: number }, noColor: boolean): TerminalStyle {
  const columns = stream.isTTY && stream.columns ? stream.columns : 80;
  return { width: Math.max(40, Math.min(100, columns)), color: Boolean(stream.isTTY) && !noColor };
}

export const PLAIN: TerminalStyle = { width: 80, color: false };

const CODES = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], cyan: [36, 39] } as const;
export type Paint = keyof typeof CODES;

/** Wraps already-safe text in ANSI codes when colour is on. */
export function paint(style: TerminalStyle, how: Paint, text: string): string {
  if (!style.color || !text) return text;
  const [on, off] = CODES[how];
  return `\u001b[${on}m${text}\u001b[${off}m`;
}
