import { DTYPE_READERS, type DtypeReader } from './dtypes.js';
import { ModelFileError } from './model-file-error.js';
import { parseStrictJson, type JsonObject, type JsonValue } from './strict-json.js';

/** The reference implementation's cap on the JSON header (safetensors/src/tensor.rs, MAX_HEADER_SIZE). */
export const MAX_HEADER_BYTES = 100_000_000;

/** The header's key for free-form string metadata. */
export const METADATA_KEY = '__metadata__';

/** Names refused for tensors and metadata keys: a caller copying them into a plain object could reach Object.prototype. */
export const RESERVED_NAMES: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** One tensor's header entry, checked against its dtype and the file. */
export interface TensorEntry {
  readonly name: string;
  readonly dtype: string;
  readonly reader: DtypeReader;
  readonly shape: number[];
  /** Number of elements. */
  readonly size: number;
  /** data_offsets: the byte range in the data section. */
  readonly begin: number;
  readonly end: number;
}

export interface SafetensorsHeader {
  /** In data order (by offset). */
  readonly tensors: TensorEntry[];
  /** `__metadata__` (empty when absent), in a prototype-less object. */
  readonly metadata: Record<string, string>;
  /** File offset of the data section: 8 + the header length. */
  readonly dataStart: number;
}

/**
 * Reads and validates a safetensors header without touching the tensor data: the 8-byte
 * little-endian length, UTF-8 JSON, every entry's dtype, shape and offsets, and that the
 * tensors tile the data section exactly (no gap, overlap or trailing byte), as the reference
 * reader requires. Every failure is a ModelFileError naming the part at fault.
 */
export function readHeader(bytes: Uint8Array, where: string): SafetensorsHeader {
  const fail = (problem: string): never => {
    throw new ModelFileError(`${where}: ${problem}`);
  };
  if (bytes.length < 8) fail(`the file is ${bytes.length} bytes long, too short for the 8-byte header length that starts a safetensors file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(MAX_HEADER_BYTES)) fail(`the header length ${headerLength} is over the ${MAX_HEADER_BYTES}-byte limit (not a safetensors file, or a hostile one)`);
  const n = Number(headerLength);
  if (8 + n > bytes.length) fail(`the header length ${n} runs past the end of the file (${bytes.length - 8} bytes follow the length)`);
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    fail('the header is not valid UTF-8');
  }
  const root = parseStrictJson(text, where);
  if (!(root instanceof Map)) return fail(`the header must be a JSON object, got ${jsonKind(root)}`);
  const metadata = readMetadata(root.get(METADATA_KEY), fail);
  const dataStart = 8 + n;
  const tensors: TensorEntry[] = [];
  for (const [name, info] of root) {
    if (name !== METADATA_KEY) tensors.push(readEntry(name, info, fail));
  }
  tensors.sort((a, b) => a.begin - b.begin || a.end - b.end);
  checkTiling(tensors, bytes.length - dataStart, fail);
  return { tensors, metadata, dataStart };
}

function readMetadata(value: JsonValue | undefined, fail: (problem: string) => never): Record<string, string> {
  const metadata = Object.create(null) as Record<string, string>;
  if (value === undefined) return metadata;
  if (!(value instanceof Map)) return fail(`${METADATA_KEY} must be an object of strings, got ${jsonKind(value)}`);
  for (const [key, text] of value) {
    if (RESERVED_NAMES.includes(key)) fail(`${METADATA_KEY} key ${JSON.stringify(key)} is not allowed`);
    if (typeof text !== 'string') fail(`${METADATA_KEY}[${JSON.stringify(key)}] must be a string, got ${jsonKind(text)}`);
    metadata[key] = text as string;
  }
  return metadata;
}

function readEntry(name: string, info: JsonValue, fail: (problem: string) => never): TensorEntry {
  const label = `tensor ${JSON.stringify(name)}`;
  if (RESERVED_NAMES.includes(name)) fail(`the tensor name ${JSON.stringify(name)} is not allowed`);
  if (!(info instanceof Map)) return fail(`${label} must be an object with dtype, shape and data_offsets, got ${jsonKind(info)}`);
  const dtype = field(info, 'dtype', label, fail);
  if (typeof dtype !== 'string') return fail(`${label}: dtype must be a string, got ${jsonKind(dtype)}`);
  const reader = DTYPE_READERS.get(dtype);
  if (reader === undefined) {
    return fail(`${label} has dtype ${JSON.stringify(dtype)}, which wasm-rnn does not read; it reads ${[...DTYPE_READERS.keys()].join(', ')}`);
  }
  const shape = integers(field(info, 'shape', label, fail), `${label}: shape`, fail);
  const offsets = integers(field(info, 'data_offsets', label, fail), `${label}: data_offsets`, fail);
  if (offsets.length !== 2 || offsets[1]! < offsets[0]!) fail(`${label}: data_offsets must be [begin, end] with begin ≤ end, got [${offsets.join(', ')}]`);
  const [begin, end] = offsets as [number, number];
  const byteLength = end - begin;
  // Stop multiplying once the product exceeds what the offsets span: no overflow, no huge numbers.
  let size = shape.includes(0) ? 0 : 1;
  for (const d of shape) {
    if (size * reader.bytes > byteLength) break;
    size *= d;
  }
  if (size * reader.bytes !== byteLength) {
    fail(`${label}: shape [${shape.join(', ')}] of ${dtype} does not match data_offsets [${begin}, ${end}], which span ${byteLength} bytes`);
  }
  return { name, dtype, reader, shape, size, begin, end };
}

function field(info: JsonObject, key: string, label: string, fail: (problem: string) => never): JsonValue {
  const value = info.get(key);
  return value === undefined ? fail(`${label} has no ${key}`) : value;
}

function integers(value: JsonValue, label: string, fail: (problem: string) => never): number[] {
  if (!Array.isArray(value)) return fail(`${label} must be an array of non-negative integers, got ${jsonKind(value)}`);
  const bad = value.findIndex((d) => typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0);
  if (bad >= 0) fail(`${label} must hold non-negative integers below 2^53, but element ${bad} is ${jsonKind(value[bad]!)}`);
  return value as number[];
}

/** The tensors (sorted by offset) must cover the data section exactly, one after another. */
function checkTiling(tensors: readonly TensorEntry[], dataLength: number, fail: (problem: string) => never): void {
  let cursor = 0;
  let previous: TensorEntry | undefined;
  for (const t of tensors) {
    const label = `tensor ${JSON.stringify(t.name)}`;
    if (t.begin < cursor) {
      fail(`${label} (data bytes ${t.begin}–${t.end}) overlaps tensor ${JSON.stringify(previous!.name)} (data bytes ${previous!.begin}–${previous!.end})`);
    }
    if (t.begin > cursor) fail(`data bytes ${cursor}–${t.begin} belong to no tensor (a gap before ${label})`);
    if (t.end > dataLength) fail(`${label} ends at data byte ${t.end}, past the end of the data section (${dataLength} bytes)`);
    cursor = t.end;
    previous = t;
  }
  if (cursor < dataLength) fail(`data bytes ${cursor}–${dataLength} belong to no tensor (trailing bytes)`);
}

function jsonKind(value: JsonValue): string {
  if (value instanceof Map) return 'an object';
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : `${typeof value} ${JSON.stringify(value).slice(0, 40)}`;
}
