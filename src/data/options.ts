import { OptionError, ValueError, checkOptionNames, describe } from '../errors.js';

/** The options object (`{}` when omitted), checked for unknown or misspelled names. */
export function readOptions<T extends object>(where: string, options: T | undefined, allowed: readonly (keyof T & string)[]): Partial<T> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new OptionError(`${where}: options must be an object, got ${describe(options)}`);
  }
  checkOptionNames(where, options, allowed);
  return options;
}

/** An integer in [0, size): a class id, a column, a feature index. */
export function indexIn(where: string, name: string, value: unknown, size: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= size) {
    throw new (typeof value === 'number' ? ValueError : OptionError)(`${where}: ${name} must be an integer in [0, ${size}), got ${describe(value)}`);
  }
  return value;
}
