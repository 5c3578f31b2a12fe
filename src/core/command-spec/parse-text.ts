/**
 * `/papers <subcommand> <args>` as typed on text platforms (Slack, the console):
 * shell-like words with "double", 'single' and “curly” quotes, `--flag value`,
 * `--flag=value`, bare `--flag` for booleans, and positional words. Lenient where a
 * user would expect it (an unclosed quote runs to the end), strict where a silent
 * guess would surprise (an unknown flag or a bad number is a short error).
 */
import { UserInputError } from '../errors.js';
import { clip, quoted } from '../text.js';
import type { CommandSpec, OptionSpec, OptionValues } from './spec.js';

/** Text beyond this is dropped before parsing: bounded work whatever is pasted. */
export const MAX_COMMAND_TEXT = 4_000;

interface Word {
  /** Quotes removed. */
  value: string;
  /** As typed, quotes kept (a search query keeps its "phrases"). */
  raw: string;
  quoted: boolean;
}

const OPEN_TO_CLOSE: Record<string, string> = { '"': '"', "'": "'", '“': '”', '”': '”', '‘': '’', '«': '»' };

export function splitWords(text: string): Word[] {
  const words: Word[] = [];
  const s = text.slice(0, MAX_COMMAND_TEXT);
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i]!)) i++;
    if (i >= s.length) break;
    const start = i;
    let value = '';
    let quoted = false;
    while (i < s.length && !/\s/.test(s[i]!)) {
      const ch = s[i]!;
      const close = OPEN_TO_CLOSE[ch];
      // An apostrophe inside a word ("don't", "Hinton's") is not a quote.
      const isQuote = close !== undefined && !(ch === "'" && value.length > 0);
      if (isQuote) {
        const end = s.indexOf(close, i + 1);
        const stop = end < 0 ? s.length : end; // unclosed: runs to the end
        value += s.slice(i + 1, stop);
        quoted = true;
        i = end < 0 ? s.length : end + 1;
      } else {
        value += ch;
        i++;
      }
    }
    words.push({ value, raw: s.slice(start, i), quoted });
  }
  return words;
}

function findOption(spec: CommandSpec, flag: string): OptionSpec | undefined {
  const name = flag.toLowerCase().replace(/-/g, '_');
  return spec.options.find((o) => o.name === name || o.aliases?.includes(name));
}

const TRUE = new Set(['true', 'yes', 'on', '1']);
const FALSE = new Set(['false', 'no', 'off', '0']);

/** Converts and checks one value against its option spec; the same rules for every platform. */
export function coerceOption(spec: CommandSpec, opt: OptionSpec, input: string | number | boolean): string | number | boolean {
  const label = `--${opt.name.replace(/_/g, '-')}`;
  if (opt.type === 'boolean') {
    if (typeof input === 'boolean') return input;
    const t = String(input).toLowerCase();
    if (TRUE.has(t)) return true;
    if (FALSE.has(t)) return false;
    throw new UserInputError(`${label} takes yes or no.`);
  }
  if (opt.type === 'integer') {
    const n = typeof input === 'number' ? input : Number(String(input).trim());
    if (!Number.isInteger(n)) throw new UserInputError(`${label} must be a whole number, not "${clip(String(input), 40)}".`);
    if (opt.min !== undefined && n < opt.min) throw new UserInputError(`${label} must be at least ${opt.min}.`);
    if (opt.max !== undefined && n > opt.max) throw new UserInputError(`${label} must be at most ${opt.max}.`);
    return n;
  }
  let s = String(input).trim();
  if (opt.choices) {
    const hit = opt.choices.find((c) => c.value.toLowerCase() === s.toLowerCase() || c.name.toLowerCase() === s.toLowerCase());
    if (!hit) {
      throw new UserInputError(`"${clip(s, 40)}" is not a choice for ${label} in ${spec.name}: use ${opt.choices.map((c) => c.value).join(', ')}.`);
    }
    return hit.value;
  }
  if (opt.maxLength !== undefined && s.length > opt.maxLength) s = s.slice(0, opt.maxLength);
  return s;
}

function accepts(opt: OptionSpec, word: string): boolean {
  if (opt.choices) return opt.choices.some((c) => c.value.toLowerCase() === word.toLowerCase() || c.name.toLowerCase() === word.toLowerCase());
  if (opt.type === 'integer') return /^-?\d+$/.test(word);
  return true;
}

/**
 * Parses the arguments of one subcommand. Required options are checked by the caller
 * (checkRequired) so that typed platforms share the rule.
 */
export function parseArgs(spec: CommandSpec, words: Word[]): OptionValues {
  const out: OptionValues = {};
  const positionals: Word[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    // Only `--flag` (or `—flag`, as some keyboards autocorrect it) is an option: a single
    // dash stays in the text, where the search query reads it as "exclude this word".
    const flag = !w.quoted && /^(?:--|—)([a-zA-Z][\w-]*)(?:=(.*))?$/.exec(w.value);
    if (!flag) {
      positionals.push(w);
      continue;
    }
    const opt = findOption(spec, flag[1]!);
    if (!opt) {
      const known = spec.options.map((o) => `--${o.name.replace(/_/g, '-')}`).join(', ') || 'none';
      throw new UserInputError(`Unknown option --${clip(flag[1]!, 40)} for ${spec.name}. Options: ${known}.`);
    }
    let value: string | undefined = flag[2];
    if (value === undefined) {
      const next = words[i + 1];
      const nextIsValue = next !== undefined && (next.quoted || !/^(?:--|—)[a-zA-Z]/.test(next.value));
      if (opt.type === 'boolean') {
        if (nextIsValue && (TRUE.has(next.value.toLowerCase()) || FALSE.has(next.value.toLowerCase()))) {
          value = next.value;
          i++;
        } else value = 'true';
      } else {
        if (!nextIsValue) throw new UserInputError(`--${opt.name.replace(/_/g, '-')} needs a value.`);
        value = next.value;
        i++;
      }
    }
    out[opt.name] = coerceOption(spec, opt, value);
  }

  const slots = spec.options.filter((o) => o.positional && out[o.name] === undefined);
  let p = 0;
  for (const opt of slots) {
    if (p >= positionals.length) break;
    if (opt.rest) {
      const raw = positionals.slice(p).map((w) => w.raw).join(' ');
      out[opt.name] = coerceOption(spec, opt, raw);
      p = positionals.length;
      break;
    }
    const word = positionals[p]!;
    if (!accepts(opt, word.value) && !opt.required) continue;
    out[opt.name] = coerceOption(spec, opt, word.value);
    p++;
  }
  if (p < positionals.length) {
    const extra = positionals.slice(p).map((w) => w.raw).join(' ');
    // "settings time 9:00": an option name typed without its dashes.
    const asOption = findOption(spec, positionals[p]!.value);
    const hint = asOption ? ` Did you mean --${asOption.name.replace(/_/g, '-')}${positionals[p + 1] ? ` ${positionals[p + 1]!.raw}` : ''}?` : ` Try /papers help ${spec.name}.`;
    throw new UserInputError(`Unexpected ${quoted(extra, 40)} after ${spec.name}.${hint}`);
  }
  return out;
}

export function checkRequired(spec: CommandSpec, values: OptionValues): void {
  const missing = spec.options.filter((o) => o.required && (values[o.name] === undefined || values[o.name] === ''));
  if (missing.length) {
    throw new UserInputError(`${spec.name} needs ${missing.map((o) => `<${o.name}>`).join(' and ')}. Usage: /papers ${spec.usage}`);
  }
}

export interface ParsedCommandLine {
  spec: CommandSpec;
  options: OptionValues;
}

/**
 * Parses everything after `/papers`. An empty or unknown subcommand resolves to `help`
 * (with the unknown word passed on so help can say so).
 */
export function parseCommandLine(text: string, specs: readonly CommandSpec[]): ParsedCommandLine {
  const words = splitWords(text.replace(/^\s*\/?papers\b/i, ''));
  const help = specs.find((s) => s.name === 'help');
  if (!help) throw new Error('parseCommandLine: the command list has no help');
  const first = words[0];
  if (!first) return { spec: help, options: {} };
  const spec = specs.find((s) => s.name === first.value.toLowerCase());
  if (!spec) return { spec: help, options: { unknown: first.value.slice(0, 40) } };
  const options = parseArgs(spec, words.slice(1));
  checkRequired(spec, options);
  return { spec, options };
}
