// Typed reads of project keys; every failure is a ProjectError naming the file, the key, what was
// expected and what came.
import { OptionError, checkOptionNames, describe, oneOf } from '../errors.js';
import { ProjectError } from './project-error.js';

export type JsonObject = Record<string, unknown>;

/** Reads keys of one section (`data`, `train.earlyStopping`, …) of a project. */
export class Section {
  constructor(
    readonly source: string,
    /** Dotted path of this section ('' at the top). */
    readonly path: string,
    readonly values: JsonObject,
  ) {}

  /** The section at `key` (an empty one when absent); unknown keys get a did-you-mean. */
  static open(source: string, path: string, value: unknown, allowed: readonly string[]): Section {
    const section = new Section(source, path, {});
    if (value === undefined) return section;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw section.fail('', 'an object', value);
    try {
      checkOptionNames(`${source}: ${path === '' ? 'the project' : path}`, value, allowed);
    } catch (error) {
      if (error instanceof OptionError) throw new ProjectError(error.message.replace('unknown option', 'unknown key'), { cause: error });
      throw error;
    }
    return new Section(source, path, value as JsonObject);
  }

  child(key: string, allowed: readonly string[]): Section {
    return Section.open(this.source, this.name(key), this.values[key], allowed);
  }

  has(key: string): boolean {
    return this.values[key] !== undefined;
  }

  name(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  integer(key: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
    return checkInteger(this, key, this.values[key] ?? fallback, min, max);
  }

  number(key: string, fallback: number, check: (value: number) => boolean, expected: string): number {
    const value = this.values[key] ?? fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || !check(value)) throw this.fail(key, expected, value);
    return value;
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.values[key] ?? fallback;
    if (typeof value !== 'boolean') throw this.fail(key, 'true or false', value);
    return value;
  }

  string(key: string): string | undefined {
    const value = this.values[key];
    if (value !== undefined && (typeof value !== 'string' || value === '')) throw this.fail(key, 'a non-empty string', value);
    return value;
  }

  choice<T extends string>(key: string, fallback: T, allowed: readonly T[]): T {
    return checkChoice(this, key, this.values[key] ?? fallback, allowed);
  }

  /** A ProjectError: `<source>: <path.key> must be <expected>, got <value>`. */
  fail(key: string, expected: string, value: unknown): ProjectError {
    const at = key === '' ? this.path || 'the project' : this.name(key);
    return new ProjectError(`${this.source}: ${at} must be ${expected}, got ${describe(value)}`);
  }
}

export function checkInteger(section: Section, key: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw section.fail(key, max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`, value);
  }
  return value;
}

/** One of `allowed`, with a did-you-mean for a near miss. */
export function checkChoice<T extends string>(section: Section, key: string, value: unknown, allowed: readonly T[]): T {
  try {
    return oneOf(section.source, section.name(key), value, allowed);
  } catch (error) {
    if (error instanceof OptionError) throw new ProjectError(error.message, { cause: error });
    throw error;
  }
}
