/**
 * The one recording Logger for tests: every line, in order, with its level; `warnings`
 * and `infos` are the views the search tests assert on. `child()` returns the same
 * logger, so lines from children land in the same list.
 */
import type { Logger } from '../../../src/core/ports.js';

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: object;
  msg: string | undefined;
}

export interface RecordingLogger extends Logger {
  lines: LogLine[];
  warnings: { obj: object; msg?: string }[];
  infos: string[];
}

export function recordingLogger(lines: LogLine[] = []): RecordingLogger {
  const warnings: { obj: object; msg?: string }[] = [];
  const infos: string[] = [];
  const at =
    (level: LogLine['level']) =>
    (obj: object, msg?: string): void => {
      lines.push({ level, obj, msg });
      if (level === 'warn') warnings.push(msg === undefined ? { obj } : { obj, msg });
      if (level === 'info' && msg) infos.push(msg);
    };
  const log: RecordingLogger = {
    lines,
    warnings,
    infos,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => log,
  };
  return log;
}
