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

/**
 * The arena cannot get the memory it needs: the request would take the heap past its 4 GiB limit
 * (the Wasm32 address space), or the JavaScript engine refused to grow it. Nothing was allocated,
 * so every existing model stays usable; free models (`dispose()`) or use smaller sizes.
 */
export class MemoryError extends WasmRnnError {
  override name = 'MemoryError';
}

/**
 * Largest size option (units, features, time steps, vocabulary, batch size): 2^24. Ids and sizes
 * travel through the float32 heap, where integers are exact up to 2^24, and any larger size would
 * need more than the heap holds anyway. Checked before anything is allocated.
 */
export const MAX_SIZE = 2 ** 24;

/** A positive integer size option no larger than MAX_SIZE; names the option, the limit and the value. */
export function sizeOption(where: string, name: string, value: unknown): number {
  const size = positiveInteger(where, name, value);
  if (size > MAX_SIZE) throw new ValueError(`${where}: ${name} must be at most ${MAX_SIZE} (2^24), got ${describe(size)}`);
  return size;
}

/** Largest number of float32 values in one buffer: what the 4 GiB heap holds, 2^30. */
export const MAX_VALUES = 2 ** 30;

/** A buffer of `count` float32 values (e.g. steps × units) must not exceed MAX_VALUES; checked before allocating it. */
export function valuesWithinLimit(where: string, what: string, count: number): void {
  if (count > MAX_VALUES) throw new ValueError(`${where}: ${what} = ${count} values, more than the ${MAX_VALUES} (2^30, 4 GiB of float32) one buffer may hold`);
}

/** Each number of a shape no larger than MAX_SIZE (nulls, "any length", pass). */
export function shapeWithinLimit(where: string, name: string, shape: readonly (number | null)[]): void {
  const index = shape.findIndex((d) => d !== null && d > MAX_SIZE);
  if (index >= 0) throw new ValueError(`${where}: ${name}[${index}] must be at most ${MAX_SIZE} (2^24), got ${describe(shape[index])}`);
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
