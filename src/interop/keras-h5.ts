import type { Dataset, Group } from 'jsfive';
import { describe } from '../errors.js';
import { ModelFileError } from '../io/model-file-error.js';

/*
 * HDF5 files (a .keras archive's model.weights.h5, a legacy Keras .h5) read with jsfive, a pure-JS
 * HDF5 reader, imported only when a file is opened. jsfive throws strings and plain errors on
 * malformed files; every failure here becomes a ModelFileError naming the object path.
 */

export type H5Group = Group;
export type H5Dataset = Dataset;

/** The 8-byte HDF5 signature, at offset 0 in files Keras writes (no user block). */
const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Floating dtypes (numpy's names, jsfive's `dtype`): read and rounded to float32. */
const FLOAT_DTYPES = new Map([['<f4', 4], ['>f4', 4], ['<f8', 8], ['>f8', 8], ['<f2', 2], ['>f2', 2]]);

export function isHdf5(bytes: Uint8Array): boolean {
  return bytes.length >= SIGNATURE.length && SIGNATURE.every((byte, i) => bytes[i] === byte);
}

export async function openH5(where: string, bytes: Uint8Array, subject: string): Promise<H5Group> {
  if (!isHdf5(bytes)) throw new ModelFileError(`${where}: ${subject} is not an HDF5 file (no HDF5 signature at its start)`);
  const { File } = await import('jsfive');
  const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return guarded(where, subject, () => new File(copy, subject));
}

/** Runs a jsfive call, turning whatever it throws into a ModelFileError about `subject`. */
export function guarded<T>(where: string, subject: string, read: () => T): T {
  try {
    return read();
  } catch (cause) {
    if (cause instanceof ModelFileError) throw cause;
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ModelFileError(`${where}: cannot read ${subject}: ${reason}; the file is corrupt or truncated`, { cause });
  }
}

/** jsfive's Dataset extends Array (so it has a `keys` method); a Group's `keys` is a list. */
export function isGroup(node: Group | Dataset): node is Group {
  return Array.isArray((node as Group).keys);
}

/** The child at a slash-separated path, or undefined when a step is missing. */
export function child(where: string, group: H5Group, path: string): H5Group | H5Dataset | undefined {
  let node: H5Group | H5Dataset = group;
  for (const step of path.split('/')) {
    if (!isGroup(node)) return undefined;
    const parent: H5Group = node;
    if (!guarded(where, `the HDF5 group holding ${path}`, () => parent.keys).includes(step)) return undefined;
    node = guarded(where, `the HDF5 object ${path}`, () => parent.get(step));
  }
  return node;
}

export function groupAt(where: string, group: H5Group, path: string, subject: string): H5Group {
  const node = child(where, group, path);
  if (node === undefined || !isGroup(node)) throw new ModelFileError(`${where}: ${subject} has no HDF5 group ${path}`);
  return node;
}

export function keysOf(where: string, group: H5Group, path: string): string[] {
  return guarded(where, `the HDF5 group ${path}`, () => group.keys);
}

export function attribute(where: string, node: H5Group | H5Dataset, name: string, path: string): unknown {
  const attrs = guarded(where, `the attributes of ${path}`, () => node.attrs);
  return Object.hasOwn(attrs, name) ? attrs[name] : undefined;
}

/**
 * Reads a floating dataset as float32 after checking its dtype and shape, so nothing of a size
 * the file did not declare for it is allocated. `label` names the weight in messages.
 */
export function readFloat32(where: string, label: string, node: H5Group | H5Dataset | undefined, shape: readonly number[], fileBytes: number): Float32Array {
  if (node === undefined) throw new ModelFileError(`${where}: ${label} is missing`);
  if (isGroup(node)) throw new ModelFileError(`${where}: ${label} is an HDF5 group, expected a dataset`);
  const dtype = guarded(where, label, () => node.dtype);
  const itemBytes = typeof dtype === 'string' ? FLOAT_DTYPES.get(dtype) : undefined;
  if (itemBytes === undefined) {
    throw new ModelFileError(`${where}: ${label} has dtype ${describe(dtype)}; weights load from float32, float64 or float16 (${[...FLOAT_DTYPES.keys()].join(', ')})`);
  }
  const got = guarded(where, label, () => node.shape);
  if (!Array.isArray(got) || got.length !== shape.length || got.some((size, i) => size !== shape[i])) {
    throw new ModelFileError(`${where}: ${label} has shape ${describe(got)}, expected [${shape.join(', ')}]`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  // Keras stores weights uncompressed: a dataset larger than the whole file is a forged header.
  if (count * itemBytes > fileBytes) throw new ModelFileError(`${where}: ${label} declares ${count * itemBytes} bytes, more than the file's ${fileBytes}`);
  const values = guarded(where, label, () => node.value);
  if (values.length !== count) throw new ModelFileError(`${where}: ${label} holds ${values.length} values, expected ${count}`);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const value = values[i]!;
    const rounded = Math.fround(value);
    if (!Number.isFinite(rounded)) {
      throw new ModelFileError(`${where}: ${label} element ${i} is ${value}${Number.isFinite(value) ? ', beyond the float32 range' : ''}; weights must be finite`);
    }
    out[i] = rounded;
  }
  return out;
}
