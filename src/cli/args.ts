import { parseArgs } from 'node:util';

/** A mistake in the command line or its input files: printed with a hint, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

export type ParsedOptions = Record<string, string | boolean | undefined>;

/**
 * The options of `wasm-rnn <command>` (Node's util.parseArgs), checked: unknown options get a
 * did-you-mean, a string option needs a value, a flag takes none, and nothing else may appear.
 * `--help` / `-h` is always accepted.
 */
export function parseOptions(command: string, argv: readonly string[], spec: OptionSpec): ParsedOptions {
  const where = `wasm-rnn ${command}`;
  const options: OptionSpec = { ...spec, help: { type: 'boolean', short: 'h' } };
  const { values, positionals } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true });
  if (values.help === true) return { help: true };
  const unknown = Object.keys(values).find((name) => !Object.hasOwn(options, name));
  if (unknown !== undefined) throw usage(command, `${where}: unknown option ${dashes(unknown)}${didYouMean(unknown, Object.keys(options), dashes)}`);
  for (const [name, value] of Object.entries(values)) {
    const type = options[name]!.type;
    if (type === 'string' && typeof value !== 'string') throw usage(command, `${where}: --${name} needs a value, e.g. --${name} <value>`);
    if (type === 'boolean' && typeof value !== 'boolean') throw usage(command, `${where}: --${name} is a flag and takes no value, got --${name}=${String(value)}`);
  }
  if (positionals.length > 0) throw usage(command, `${where}: unexpected argument '${positionals[0]}'; every input is given by an option such as --csv <file>`);
  return values as ParsedOptions;
}

/** ' (did you mean …?)' naming the candidate closest to `name` in edit distance, if any is close. */
export function didYouMean(name: string, candidates: readonly string[], show: (candidate: string) => string = (c) => `'${c}'`): string {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best === undefined ? '' : ` (did you mean ${show(best)}?)`;
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    previous = current;
  }
  return previous[b.length]!;
}

const dashes = (name: string) => `'--${name}'`;

/** A UsageError whose message ends with where to find help. */
export function usage(command: string, message: string): UsageError {
  return new UsageError(`${message}\nRun 'wasm-rnn ${command} --help' for the options.`);
}

/** Reads typed values of parsed options, failing with messages that name the option. */
export class OptionReader {
  constructor(
    private readonly command: string,
    private readonly values: ParsedOptions,
  ) {}

  string(name: string): string | undefined {
    const value = this.values[name];
    return typeof value === 'string' ? value : undefined;
  }

  required(name: string, example: string): string {
    const value = this.string(name);
    if (value === undefined || value === '') throw this.fail(`--${name} is required, e.g. --${name} ${example}`);
    return value;
  }

  flag(name: string): boolean {
    return this.values[name] === true;
  }

  /** An integer ≥ min (default 1). */
  integer(name: string, fallback: number, min = 1): number {
    const text = this.string(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min) throw this.fail(`--${name} must be an integer ≥ ${min}, got '${text}'`);
    return value;
  }

  /** A finite number in [min, max] (exclusive bounds when `open`). */
  number(name: string, fallback: number, range: { min: number; max: number; open?: boolean }): number {
    const text = this.string(name);
    if (text === undefined) return fallback;
    const value = Number(text);
    const { min, max, open = false } = range;
    const inside = open ? value > min && value < max : value >= min && value <= max;
    if (text.trim() === '' || !Number.isFinite(value) || !inside) {
      const bounds = open ? `in (${min}, ${max})` : max === Infinity ? `≥ ${min}` : `in [${min}, ${max}]`;
      throw this.fail(`--${name} must be a number ${bounds}, got '${text}'`);
    }
    return value;
  }

  choice<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const text = this.string(name);
    if (text === undefined) return fallback;
    if ((allowed as readonly string[]).includes(text)) return text as T;
    throw this.fail(`--${name} must be one of ${allowed.join(', ')}, got '${text}'${didYouMean(text, allowed)}`);
  }

  /** A UsageError for this command. */
  fail(message: string): UsageError {
    return usage(this.command, `wasm-rnn ${this.command}: ${message}`);
  }
}
