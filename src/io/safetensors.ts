import { ShapeError, ValueError, checkOptionNames, describe } from '../errors.js';
import { Tensor, checkFinite } from '../tensor.js';
import { ModelFileError } from './model-file-error.js';
import { MAX_HEADER_BYTES, METADATA_KEY, RESERVED_NAMES, readHeader, type TensorEntry } from './safetensors-header.js';

/*
 * The safetensors format (github.com/huggingface/safetensors, README "Format" and
 * safetensors/src/tensor.rs): an 8-byte little-endian header length N, N bytes of UTF-8 JSON
 * {"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__"?: {string: string}},
 * then the little-endian, row-major tensor bytes, which the tensors must tile exactly.
 */

export interface LoadSafetensorsOptions {
  /** Load NaN and ±Infinity values instead of throwing (e.g. −∞ attention masks). Default false. */
  allowNonFinite?: boolean;
}

/** Everything in a safetensors file: float32 tensors by name (in data order) and `__metadata__`. */
export interface SafetensorsContents {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
}

/** What `saveSafetensors` writes per name: a Tensor, or float32 data with its shape. */
export type SafetensorsValue = Tensor | { data: Float32Array; shape: readonly number[] };

/**
 * Reads a safetensors file's tensors as float32 Tensors by name, e.g. a PyTorch state dict saved
 * with `safetensors.torch.save_file`, ready for `loadStateDict`. F32, F16 and BF16 load exactly,
 * F64 is rounded to float32, integer dtypes load when every value is exact in float32. The whole
 * header is validated before any tensor is allocated; a malformed, hostile or unsupported file
 * throws ModelFileError naming the tensor or byte range at fault, as do NaN/±Infinity values
 * unless `allowNonFinite`. The returned object has no prototype.
 */
export function loadSafetensors(bytes: Uint8Array | ArrayBuffer, options: LoadSafetensorsOptions = {}): Record<string, Tensor> {
  return readSafetensors('loadSafetensors', bytes, options).tensors;
}

/** Like `loadSafetensors`, also returning the file's `__metadata__` strings. */
export function parseSafetensors(bytes: Uint8Array | ArrayBuffer, options: LoadSafetensorsOptions = {}): SafetensorsContents {
  return readSafetensors('parseSafetensors', bytes, options);
}

function readSafetensors(where: string, bytes: Uint8Array | ArrayBuffer, options: LoadSafetensorsOptions): SafetensorsContents {
  const file = asBytes(where, bytes);
  if (typeof options !== 'object' || options === null) throw new ValueError(`${where}: options must be an object, got ${describe(options)}`);
  checkOptionNames(where, options, ['allowNonFinite']);
  const allowNonFinite = options.allowNonFinite ?? false;
  if (typeof allowNonFinite !== 'boolean') throw new ValueError(`${where}: allowNonFinite must be true or false, got ${describe(allowNonFinite)}`);
  const header = readHeader(file, where);
  const view = new DataView(file.buffer, file.byteOffset + header.dataStart, file.byteLength - header.dataStart);
  const tensors = Object.create(null) as Record<string, Tensor>;
  for (const entry of header.tensors) tensors[entry.name] = new Tensor(decode(where, view, entry, allowNonFinite), entry.shape);
  return { tensors, metadata: header.metadata };
}

function asBytes(where: string, bytes: unknown): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  const hint = typeof bytes === 'string' ? ' (read the file first, e.g. with fs.readFileSync or fetch(…).arrayBuffer())' : '';
  throw new ValueError(`${where}: expected the file's bytes as a Uint8Array or ArrayBuffer, got ${describe(bytes)}${hint}`);
}

/** One tensor's elements as float32, refusing values float32 would change beyond rounding. */
function decode(where: string, view: DataView, entry: TensorEntry, allowNonFinite: boolean): Float32Array {
  const { reader, name, dtype } = entry;
  const label = `tensor ${JSON.stringify(name)} (${dtype})`;
  const out = new Float32Array(entry.size);
  for (let i = 0; i < out.length; i++) {
    const value = reader.read(view, entry.begin + i * reader.bytes);
    const rounded = Math.fround(value);
    if (reader.integer && rounded !== value) {
      throw new ModelFileError(`${where}: ${label} element ${i} has no exact float32 value; integer tensors load only when every value does (|v| ≤ 2^24)`);
    }
    if (!Number.isFinite(rounded)) {
      if (Number.isFinite(value)) throw new ModelFileError(`${where}: ${label} element ${i} is ${value}, beyond the float32 range`);
      if (!allowNonFinite) throw new ModelFileError(`${where}: ${label} element ${i} is ${value}; pass { allowNonFinite: true } to load non-finite values`);
    }
    out[i] = rounded;
  }
  return out;
}

/**
 * Writes float32 tensors as a safetensors file that PyTorch (`safetensors.torch.load_file`)
 * and every safetensors reader accept, laid out as the reference writer does: tensors sorted by
 * name, `__metadata__` first with sorted keys, the JSON header padded with spaces to a multiple
 * of 8 bytes so the data is aligned. Values must be finite.
 */
export function saveSafetensors(record: Record<string, SafetensorsValue>, metadata?: Record<string, string>): Uint8Array {
  const where = 'saveSafetensors';
  if (typeof record !== 'object' || record === null || Array.isArray(record) || record instanceof Tensor) {
    throw new ValueError(`${where}: expected an object mapping tensor names to Tensors, got ${describe(record)}`);
  }
  const names = Object.keys(record).sort(byCodePoint);
  const tensors = names.map((name) => checkedValue(where, name, record[name]));
  const members: string[] = [];
  if (metadata !== undefined) members.push(`${JSON.stringify(METADATA_KEY)}:${metadataJson(where, metadata)}`);
  let offset = 0;
  names.forEach((name, i) => {
    const { shape, data } = tensors[i]!;
    const end = offset + 4 * data.length;
    members.push(`${JSON.stringify(name)}:{"dtype":"F32","shape":[${shape.join(',')}],"data_offsets":[${offset},${end}]}`);
    offset = end;
  });
  const json = new TextEncoder().encode(`{${members.join(',')}}`);
  const headerLength = Math.ceil(json.length / 8) * 8;
  if (headerLength > MAX_HEADER_BYTES) throw new ValueError(`${where}: the header would be ${headerLength} bytes, over the ${MAX_HEADER_BYTES}-byte limit of safetensors readers`);
  const file = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(file.buffer);
  view.setBigUint64(0, BigInt(headerLength), true);
  file.set(json, 8);
  file.fill(0x20, 8 + json.length, 8 + headerLength);
  let cursor = 8 + headerLength;
  for (const { data } of tensors) {
    for (let i = 0; i < data.length; i++, cursor += 4) view.setFloat32(cursor, data[i]!, true);
  }
  return file;
}

function checkedValue(where: string, name: string, value: unknown): { shape: readonly number[]; data: Float32Array } {
  checkName(where, 'tensor name', name);
  const label = `tensor ${JSON.stringify(name)}`;
  if (value instanceof Tensor) {
    checkFinite(where, value.data, label);
    return value;
  }
  const candidate = value as { data?: unknown; shape?: unknown } | null;
  if (typeof value !== 'object' || candidate === null || !(candidate.data instanceof Float32Array) || !Array.isArray(candidate.shape)) {
    throw new ValueError(`${where}: ${label} must be a Tensor or { data: Float32Array, shape: number[] }, got ${describe(value)}`);
  }
  const { data, shape } = candidate as { data: Float32Array; shape: unknown[] };
  if (!shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
    throw new ShapeError(`${where}: ${label} shape must be non-negative integers, got ${describe(shape)}`);
  }
  const size = (shape as number[]).reduce((a, b) => a * b, 1);
  if (size !== data.length) throw new ShapeError(`${where}: ${label} has shape [${shape.join(', ')}] (${size} values) but ${data.length} values`);
  checkFinite(where, data, label);
  return { shape: shape as number[], data };
}

function metadataJson(where: string, metadata: Record<string, string>): string {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new ValueError(`${where}: metadata must be an object of strings, got ${describe(metadata)}`);
  }
  const entries = Object.keys(metadata).sort(byCodePoint).map((key) => {
    checkName(where, 'metadata key', key);
    const text = metadata[key];
    if (typeof text !== 'string') throw new ValueError(`${where}: metadata[${JSON.stringify(key)}] must be a string, got ${describe(text)}`);
    return `${JSON.stringify(key)}:${JSON.stringify(text)}`;
  });
  return `{${entries.join(',')}}`;
}

/** Names `loadSafetensors` would refuse are refused here too: what is saved can be loaded. */
function checkName(where: string, kind: string, name: string): void {
  if (name === METADATA_KEY || RESERVED_NAMES.includes(name)) throw new ValueError(`${where}: the ${kind} ${JSON.stringify(name)} is reserved`);
  if (/\p{Surrogate}/u.test(name)) throw new ValueError(`${where}: the ${kind} ${JSON.stringify(name)} holds a lone UTF-16 surrogate, which UTF-8 cannot store`);
}

/** Code point order = UTF-8 byte order, the reference writer's (Rust String) order; `<` compares UTF-16 units. */
function byCodePoint(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}
