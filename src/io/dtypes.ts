import { bfloat16ToNumber, float16ToNumber } from './float16.js';

/** How to read one element of a safetensors dtype (little-endian) as a number. */
export interface DtypeReader {
  /** Bytes per element. */
  readonly bytes: number;
  /**
   * Integer dtypes load only when every value converts to float32 exactly (|v| ≤ 2²⁴, or a
   * larger integer float32 happens to hold); floating dtypes are rounded to float32.
   */
  readonly integer: boolean;
  readonly read: (view: DataView, byteOffset: number) => number;
}

const float = (bytes: number, read: DtypeReader['read']): DtypeReader => ({ bytes, integer: false, read });
const integer = (bytes: number, read: DtypeReader['read']): DtypeReader => ({ bytes, integer: true, read });

/**
 * The safetensors dtypes wasm-rnn reads, by their header name (safetensors/src/tensor.rs `Dtype`).
 * Not read: F8_E5M2, F8_E4M3, F8_E8M0, F6_E2M3, F6_E3M2, F4, C64 and any other name.
 */
export const DTYPE_READERS: ReadonlyMap<string, DtypeReader> = new Map([
  ['F32', float(4, (v, o) => v.getFloat32(o, true))],
  ['F16', float(2, (v, o) => float16ToNumber(v.getUint16(o, true)))],
  ['BF16', float(2, (v, o) => bfloat16ToNumber(v.getUint16(o, true)))],
  ['F64', float(8, (v, o) => v.getFloat64(o, true))],
  ['BOOL', integer(1, (v, o) => (v.getUint8(o) === 0 ? 0 : 1))],
  ['U8', integer(1, (v, o) => v.getUint8(o))],
  ['I8', integer(1, (v, o) => v.getInt8(o))],
  ['U16', integer(2, (v, o) => v.getUint16(o, true))],
  ['I16', integer(2, (v, o) => v.getInt16(o, true))],
  ['U32', integer(4, (v, o) => v.getUint32(o, true))],
  ['I32', integer(4, (v, o) => v.getInt32(o, true))],
  ['U64', integer(8, (v, o) => exactNumber(v.getBigUint64(o, true)))],
  ['I64', integer(8, (v, o) => exactNumber(v.getBigInt64(o, true)))],
]);

/** The 64-bit integer as a number, or NaN when Number() would round it (so the float32 check rejects it). */
function exactNumber(value: bigint): number {
  const n = Number(value);
  return BigInt(n) === value ? n : Number.NaN;
}
