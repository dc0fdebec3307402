/*
 * float32 arrays as base64 text of their little-endian bytes (RFC 4648 §4, with padding), written
 * and read the same way in Node and browsers (no Buffer, no atob), and strict: any character
 * outside the alphabet, a wrong length or misplaced padding is refused, never skipped.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUES = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

/** The base64 of values' float32 little-endian bytes. */
export function encodeFloat32(values: ArrayLike<number>): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true);
  return encodeBytes(bytes);
}

function encodeBytes(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    chunk += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + (i + 1 < bytes.length ? ALPHABET[(n >>> 6) & 63]! : '=') + (i + 2 < bytes.length ? ALPHABET[n & 63]! : '=');
    // Joining bounded pieces keeps long weight strings from building one huge rope.
    if (chunk.length >= 1 << 16) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  return parts.join('');
}

/**
 * Bytes a base64 string decodes to, or a reason why it is not strict base64. Computed from the
 * length alone (plus the padding), so sizes can be checked before anything is decoded.
 */
export function decodedLength(text: string): number | string {
  if (text.length % 4 !== 0) return `its length ${text.length} is not a multiple of 4`;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return (text.length / 4) * 3 - padding;
}

/** Decodes strict base64 of float32 little-endian values; returns a reason string when malformed. */
export function decodeFloat32(text: string): Float32Array | string {
  const length = decodedLength(text);
  if (typeof length === 'string') return length;
  if (length % 4 !== 0) return `it holds ${length} bytes, not a whole number of float32 values`;
  const bytes = new Uint8Array(length);
  const end = text.length;
  for (let i = 0, o = 0; i < end; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const code = text.charCodeAt(i + j);
      const isPadding = code === 61 && i + 4 === end && (j === 3 || (j === 2 && text.charCodeAt(i + 3) === 61));
      const value = isPadding ? 0 : code < 128 ? VALUES[code]! : -1;
      if (value < 0) return `character ${i + j} (${JSON.stringify(text[i + j])}) is not base64`;
      n = (n << 6) | value;
    }
    bytes[o++] = n >>> 16;
    if (o < length) bytes[o++] = (n >>> 8) & 255;
    if (o < length) bytes[o++] = n & 255;
  }
  const view = new DataView(bytes.buffer);
  const values = new Float32Array(length / 4);
  for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(i * 4, true);
  return values;
}
