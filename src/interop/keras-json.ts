import { describe } from '../errors.js';
import { ModelFileError } from '../io/model-file-error.js';
import { parseStrictJson, type JsonValue } from '../io/strict-json.js';

/*
 * Reading a Keras / tfjs JSON document (a model topology, a weights manifest) that came from a
 * file: every failure is a ModelFileError naming the path inside the document. Only own
 * properties are read, so keys such as `constructor` or `__proto__` never reach a prototype.
 */

export type JsonRecord = Record<string, unknown>;

export function fail(where: string, problem: string, cause?: unknown): never {
  throw new ModelFileError(`${where}: ${problem}`, cause === undefined ? undefined : { cause });
}

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

export function record(where: string, path: string, value: unknown): JsonRecord {
  if (!isRecord(value)) fail(where, `${path} must be an object, got ${describe(value)}`);
  return value;
}

export function list(where: string, path: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) fail(where, `${path} must be an array, got ${describe(value)}`);
  return value;
}

/** An own property, or undefined. */
export function field(object: JsonRecord, key: string): unknown {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

export function text(where: string, path: string, value: unknown): string {
  if (typeof value !== 'string') fail(where, `${path} must be a string, got ${describe(value)}`);
  return value;
}

/**
 * Parses JSON text strictly (duplicate keys are refused) into null-prototype records and arrays,
 * refusing `__proto__` keys.
 */
export function parseJsonDocument(where: string, source: string, subject: string): unknown {
  return recordsOf(where, parseStrictJson(source, where, subject));
}

function recordsOf(where: string, value: JsonValue): unknown {
  if (Array.isArray(value)) return value.map((item) => recordsOf(where, item));
  if (!(value instanceof Map)) return value;
  const out = Object.create(null) as JsonRecord;
  for (const [key, item] of value) {
    if (key === '__proto__') fail(where, "the document holds a '__proto__' key, which is refused");
    out[key] = recordsOf(where, item);
  }
  return out;
}
