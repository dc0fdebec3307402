/**
 * Error families. Every message names the argument, what was expected and what came, e.g.
 * `LSTM.forward: x must have shape [T, B, 8], got [5, 2, 3]`.
 */
export class WasmRnnError extends Error {
  override name = 'WasmRnnError';
}
/** A tensor or array has the wrong rank or sizes. */
export class ShapeError extends WasmRnnError {
  override name = 'ShapeError';
}
/** A value is out of its domain: NaN/Infinity, negative sizes, labels out of range, empty data. */
export class ValueError extends WasmRnnError {
  override name = 'ValueError';
}
/** An option is unknown, misspelled or of the wrong type. */
export class OptionError extends WasmRnnError {
  override name = 'OptionError';
}
/** An object is used in a state that does not allow it (disposed, not compiled, not built). */
export class StateError extends WasmRnnError {
  override name = 'StateError';
}

/** Short printable form of any value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return value.length <= 6 ? `[${value.map(describe).join(', ')}]` : `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of length ${(value as unknown as ArrayLike<number>).length}`;
  if (typeof value === 'function') return 'a function';
  return `an object (${Object.keys(value as object).slice(0, 5).join(', ') || 'no keys'})`;
}

/** Throws OptionError for keys not in `allowed`, with a "did you mean" for near misses. */
export function checkOptionNames(where: string, options: object, allowed: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (allowed.includes(key)) continue;
    const guess = closest(key, allowed);
    const hint = guess === undefined ? '' : ` (did you mean '${guess}'?)`;
    throw new OptionError(`${where}: unknown option '${key}'${hint}; expected one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  }
}

/** A positive integer option (units, sizes); names the option on failure. */
export function positiveInteger(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new (typeof value === 'number' ? ValueError : OptionError)(`${where}: ${name} must be a positive integer, got ${describe(value)}`);
  }
  return value;
}

/** One of a fixed set of strings. */
export function oneOf<T extends string>(where: string, name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  const guess = typeof value === 'string' ? closest(value, allowed) : undefined;
  const hint = guess === undefined ? '' : ` (did you mean '${guess}'?)`;
  throw new OptionError(`${where}: ${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describe(value)}${hint}`);
}

/** A boolean option. */
export function bool(where: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new OptionError(`${where}: ${name} must be true or false, got ${describe(value)}`);
  return value;
}

/** The candidate within edit distance 2 (or a third of the word) of `word`, if any. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}
