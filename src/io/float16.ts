/*
 * Decoders of the 16-bit float formats to float32. Every half and bfloat16 value is exactly
 * representable in float32, so these are exact.
 */

/** IEEE 754 binary16 (1 sign, 5 exponent, 10 mantissa bits; bias 15) → its value. */
export function float16ToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24; // ±0 and subnormals
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

const bfloat16Scratch = new Float32Array(1);
const bfloat16Bits = new Uint32Array(bfloat16Scratch.buffer);

/** bfloat16 (the upper 16 bits of a float32) → its value. */
export function bfloat16ToNumber(bits: number): number {
  bfloat16Bits[0] = bits << 16;
  return bfloat16Scratch[0]!;
}
