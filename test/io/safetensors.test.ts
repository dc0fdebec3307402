import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OptionError, ShapeError, ValueError, WasmRnnError } from '../../src/errors.js';
import { ModelFileError } from '../../src/io/model-file-error.js';
import { loadSafetensors, parseSafetensors, saveSafetensors } from '../../src/io/safetensors.js';
import { Tensor } from '../../src/tensor.js';

const fixture = (file: string) => readFileSync(new URL(`../fixtures/pytorch/${file}`, import.meta.url));

/** A safetensors file from a raw header text and data bytes; `headerLength` overrides the length field. */
function rawFile(header: string | object, data: ArrayLike<number> = [], headerLength?: bigint): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const file = new Uint8Array(8 + json.length + data.length);
  new DataView(file.buffer).setBigUint64(0, headerLength ?? BigInt(json.length), true);
  file.set(json, 8);
  file.set(data, 8 + json.length);
  return file;
}

/** Little-endian bytes of float32 values. */
const f32Bytes = (...values: number[]) => new Uint8Array(Float32Array.from(values).buffer);

function expectFileError(bytes: Uint8Array, message: RegExp): void {
  let thrown: unknown;
  try {
    loadSafetensors(bytes);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ModelFileError);
  expect((thrown as Error).message).toMatch(message);
}

describe('saveSafetensors matches the reference writer (safetensors/src/tensor.rs tests)', () => {
  // Expected bytes copied from test_serialization, test_serialization_forced_alignement and test_empty.
  const header = (json: string, padding: number) => [...new TextEncoder().encode(json), ...Array<number>(padding).fill(0x20)];
  const lengthField = (n: number) => [n, 0, 0, 0, 0, 0, 0, 0];
  const data = [...f32Bytes(0, 1, 2, 3, 4, 5)];

  it('writes a 64-byte header that needs no padding', () => {
    const out = saveSafetensors({ 'attn.0': { data: Float32Array.of(0, 1, 2, 3, 4, 5), shape: [1, 2, 3] } });
    expect([...out]).toEqual([...lengthField(64), ...header('{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}', 0), ...data]);
  });

  it('pads the header with spaces to a multiple of 8 bytes so the data is aligned', () => {
    const out = saveSafetensors({ attn0: new Tensor(Float32Array.of(0, 1, 2, 3, 4, 5), [1, 1, 2, 3]) });
    expect([...out]).toEqual([...lengthField(72), ...header('{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}', 7), ...data]);
  });

  it('writes an empty file as {} and puts __metadata__ first', () => {
    expect([...saveSafetensors({})]).toEqual([...lengthField(8), ...header('{}', 6)]);
    expect([...saveSafetensors({}, { framework: 'pt' })]).toEqual([...lengthField(40), ...header('{"__metadata__":{"framework":"pt"}}', 5)]);
  });

  it('orders tensors by name in code point (UTF-8 byte) order and metadata keys likewise, with contiguous offsets', () => {
    const one = (v: number) => ({ data: Float32Array.of(v), shape: [1] });
    // '\u{1F600}' (a surrogate pair in UTF-16) sorts after '\uE000' by code point, before it by UTF-16 unit.
    const out = saveSafetensors({ b: one(2), '\u{1F600}': one(4), a: one(1), '\uE000': one(3), B: one(0) }, { z: '1', a: '2' });
    const n = Number(new DataView(out.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const text = new TextDecoder().decode(out.subarray(8, 8 + n)).trimEnd();
    const parsed = JSON.parse(text) as Record<string, { data_offsets: number[] }>;
    expect(Object.keys(parsed)).toEqual(['__metadata__', 'B', 'a', 'b', '\uE000', '\u{1F600}']);
    expect(Object.keys(parsed.__metadata__!)).toEqual(['a', 'z']);
    expect(['B', 'a', 'b', '\uE000', '\u{1F600}'].map((k) => parsed[k]!.data_offsets)).toEqual([[0, 4], [4, 8], [8, 12], [12, 16], [16, 20]]);
    expect([...new Float32Array(out.slice(8 + n).buffer)]).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('loadSafetensors reads files written by PyTorch (safetensors 0.8, torch 2.13)', () => {
  it('converts F16, BF16, F64 and the integer dtypes exactly as torch .to(float32) does', () => {
    const { tensors, metadata } = parseSafetensors(fixture('dtypes.safetensors'));
    expect(metadata).toEqual({ made_by: 'make_fixtures.py' });
    const names = ['f32', 'f16', 'bf16', 'f64', 'i64', 'i32', 'i16', 'i8', 'u8', 'bool', 'scalar', 'empty'];
    for (const name of names) {
      const [actual, expected] = [tensors[name]!, tensors[`expected.${name}`]!];
      expect(actual.shape, name).toEqual(expected.shape);
      expect([...actual.data].map((v) => Object.is(v, -0) ? '-0' : v), name).toEqual([...expected.data].map((v) => Object.is(v, -0) ? '-0' : v));
    }
    expect(tensors.scalar!.shape).toEqual([]);
    expect(tensors.empty!.shape).toEqual([0, 3]);
    // Spot checks from the binary16 bit patterns: 0x2e66, 0x3555, 0x0001 (smallest subnormal), 0x03ef, 0x7bff (max), 0x9419.
    expect([...tensors.f16!.data.subarray(4)]).toEqual([1638 / 16384, 1365 / 4096, 2 ** -24, 1007 * 2 ** -24, 65504, -1049 / 2 ** 20]);
  });

  it('rejects NaN and ±Infinity with the tensor name unless allowNonFinite', () => {
    const bytes = fixture('nonfinite.safetensors');
    expectFileError(bytes, /tensor "f64" \(F64\) element 0 is Infinity; pass \{ allowNonFinite: true \}/);
    const tensors = loadSafetensors(bytes, { allowNonFinite: true });
    expect([...tensors.f16!.data]).toEqual([Infinity, -Infinity, NaN, 1]);
    expect([...tensors.bf16!.data]).toEqual([-Infinity, 2]);
    expect([...tensors.f32!.data]).toEqual([1, NaN]);
    expect([...tensors.f64!.data]).toEqual([Infinity, 0.5]);
  });

  it('names the tensor and dtype it cannot read', () => {
    expectFileError(fixture('float8.safetensors'), /tensor "f8" has dtype "F8_E4M3", which wasm-rnn does not read; it reads F32, F16, BF16, F64, BOOL/);
  });

  it('returns a prototype-less record in data order, from a Uint8Array at any offset or an ArrayBuffer', () => {
    const file = fixture('rnn_tanh.state.safetensors');
    const shifted = new Uint8Array(file.length + 3);
    shifted.set(file, 3);
    const fromView = loadSafetensors(shifted.subarray(3));
    const fromBuffer = loadSafetensors(file.buffer.slice(file.byteOffset, file.byteOffset + file.length));
    expect(Object.getPrototypeOf(fromView)).toBeNull();
    expect(Object.keys(fromView)).toEqual(['weight_hh_l0', 'weight_ih_l0']);
    expect(fromView.weight_ih_l0!.shape).toEqual([7, 5]);
    expect([...fromBuffer.weight_ih_l0!.data]).toEqual([...fromView.weight_ih_l0!.data]);
  });
});

describe('round trips', () => {
  it('keeps every float32 bit pattern except NaN: ±0, subnormals, extremes', () => {
    const values = Float32Array.of(0, -0, 1.4e-45, -1.17e-38, 3.4028234663852886e38, -3.4028234663852886e38, 1 / 3, Math.PI);
    const loaded = loadSafetensors(saveSafetensors({ v: { data: values, shape: [2, 4] } }));
    expect(loaded.v!.shape).toEqual([2, 4]);
    expect([...loaded.v!.data].every((v, i) => Object.is(v, values[i]))).toBe(true);
  });

  it('keeps names, shapes (rank 0 and empty included), values and metadata (property test)', () => {
    const name = fc.string({ minLength: 0, maxLength: 12, unit: 'binary' }).filter((s) => !['__metadata__', '__proto__', 'constructor', 'prototype'].includes(s));
    const entry = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }).chain((shape) =>
      fc.float32Array({ noNaN: true, noDefaultInfinity: true, minLength: shape.reduce((a, b) => a * b, 1), maxLength: shape.reduce((a, b) => a * b, 1) })
        .map((data) => ({ data, shape })),
    );
    fc.assert(
      fc.property(fc.dictionary(name, entry, { maxKeys: 6 }), fc.dictionary(name, fc.string({ unit: 'binary' }), { maxKeys: 3 }), (record, metadata) => {
        const { tensors, metadata: readBack } = parseSafetensors(saveSafetensors(record, metadata));
        expect(Object.keys(tensors).sort()).toEqual(Object.keys(record).sort());
        for (const [key, { data, shape }] of Object.entries(record)) {
          expect(tensors[key]!.shape).toEqual(shape);
          expect([...tensors[key]!.data].every((v, i) => Object.is(v, data[i]))).toBe(true);
        }
        expect({ ...readBack }).toEqual({ ...metadata });
      }),
      { numRuns: 200, seed: 4242 },
    );
  });
});

describe('loadSafetensors rejects malformed and hostile files with ModelFileError', () => {
  const w = (begin: number, end: number, shape: number[] = [(end - begin) / 4], dtype = 'F32') => ({ dtype, shape, data_offsets: [begin, end] });

  it('is a WasmRnnError', () => {
    expect(new ModelFileError('x')).toBeInstanceOf(WasmRnnError);
    expect(new ModelFileError('x').name).toBe('ModelFileError');
  });

  it('checks the 8-byte header length against the file and the 100 MB cap before reading anything', () => {
    expectFileError(new Uint8Array(5), /the file is 5 bytes long, too short/);
    expectFileError(rawFile('{}', [], 1000n), /header length 1000 runs past the end of the file \(2 bytes follow/);
    expectFileError(rawFile('{}', [], 100_000_001n), /header length 100000001 is over the 100000000-byte limit/);
    expectFileError(rawFile('{}', [], 2n ** 64n - 1n), /header length 18446744073709551615 is over the 100000000-byte limit/);
  });

  it('requires a UTF-8 JSON object and reports where the JSON breaks', () => {
    const invalidUtf8 = rawFile('{"a"}');
    invalidUtf8[10] = 0xff;
    expectFileError(invalidUtf8, /the header is not valid UTF-8/);
    expectFileError(rawFile(''), /not valid JSON: unexpected end at character 0/);
    expectFileError(rawFile('{"w":'), /not valid JSON: unexpected end at character 5/);
    expectFileError(rawFile('{} x'), /not valid JSON: unexpected text after the top-level value at character 3/);
    expectFileError(rawFile("{'w':1}"), /not valid JSON: expected a string key at character 1/);
    expectFileError(rawFile('{"w":01}'), /not valid JSON: expected '}' at character 6/);
    expectFileError(rawFile('{"\\ud800":1}'), /lone UTF-16 surrogate at character 1/);
    expectFileError(rawFile(`${'['.repeat(100)}${']'.repeat(100)}`), /nesting deeper than 64 levels/);
    expectFileError(rawFile('[]'), /the header must be a JSON object, got an array/);
    // Trailing spaces are how writers pad the header; they are fine.
    expect(Object.keys(loadSafetensors(rawFile('{}      ')))).toEqual([]);
  });

  it('rejects duplicate keys (JSON.parse would keep the last one silently)', () => {
    const header = `{"w":${JSON.stringify(w(0, 4))},"w":${JSON.stringify(w(0, 4))}}`;
    expectFileError(rawFile(header, f32Bytes(1)), new RegExp(`duplicate key "w" at character ${header.lastIndexOf('"w"')}$`));
  });

  it('refuses __proto__, constructor and prototype names and never touches Object.prototype', () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      expectFileError(rawFile(`{${JSON.stringify(name)}:${JSON.stringify(w(0, 4))}}`, f32Bytes(1)), new RegExp(`tensor name "${name}" is not allowed`));
    }
    expectFileError(rawFile('{"__metadata__":{"__proto__":"x"}}'), /__metadata__ key "__proto__" is not allowed/);
    // Unknown fields of an entry are ignored, including a nested "__proto__" object.
    const nested = rawFile('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"__proto__":{"polluted":true}}}', f32Bytes(1));
    expect([...loadSafetensors(nested).w!.data]).toEqual([1]);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('validates each entry: fields, dtype, shape, offsets, shape × dtype size = byte length', () => {
    expectFileError(rawFile({ w: 1 }), /tensor "w" must be an object with dtype, shape and data_offsets, got number 1/);
    expectFileError(rawFile({ w: { shape: [1], data_offsets: [0, 4] } }, f32Bytes(1)), /tensor "w" has no dtype/);
    expectFileError(rawFile({ w: { dtype: 'F32', data_offsets: [0, 4] } }, f32Bytes(1)), /tensor "w" has no shape/);
    expectFileError(rawFile({ w: w(0, 4, [1], 'Q4') }, f32Bytes(1)), /tensor "w" has dtype "Q4", which wasm-rnn does not read/);
    expectFileError(rawFile({ w: w(0, 4, [-1]) }, f32Bytes(1)), /tensor "w": shape must hold non-negative integers below 2\^53, but element 0 is number -1/);
    expectFileError(rawFile({ w: w(0, 4, [1.5]) }, f32Bytes(1)), /element 0 is number 1.5/);
    expectFileError(rawFile('{"w":{"dtype":"F32","shape":[9007199254740993],"data_offsets":[0,4]}}', f32Bytes(1)), /below 2\^53, but element 0 is number 9007199254740992/);
    expectFileError(rawFile({ w: { dtype: 'F32', shape: [1], data_offsets: [0] } }, f32Bytes(1)), /data_offsets must be \[begin, end\] with begin ≤ end, got \[0\]/);
    expectFileError(rawFile({ w: { dtype: 'F32', shape: [0], data_offsets: [4, 0] } }, f32Bytes(1)), /got \[4, 0\]/);
    expectFileError(rawFile({ w: w(0, 8, [3]) }, f32Bytes(1, 2)), /tensor "w": shape \[3\] of F32 does not match data_offsets \[0, 8\], which span 8 bytes/);
    expectFileError(rawFile({ w: w(0, 4, [2 ** 40, 2 ** 40]) }, f32Bytes(1)), /shape \[1099511627776, 1099511627776\] of F32 does not match/);
    expectFileError(rawFile({ __metadata__: { a: 1 } }), /__metadata__\["a"\] must be a string, got number 1/);
  });

  it('requires the tensors to tile the data section: no overlap, gap, overrun or trailing bytes', () => {
    expectFileError(rawFile({ a: w(0, 8), b: w(4, 12) }, f32Bytes(1, 2, 3)), /tensor "b" \(data bytes 4–12\) overlaps tensor "a" \(data bytes 0–8\)/);
    expectFileError(rawFile({ a: w(0, 4), b: w(8, 12) }, f32Bytes(1, 2, 3)), /data bytes 4–8 belong to no tensor \(a gap before tensor "b"\)/);
    expectFileError(rawFile({ a: w(4, 8) }, f32Bytes(1, 2)), /data bytes 0–4 belong to no tensor/);
    expectFileError(rawFile({ a: w(0, 12) }, f32Bytes(1, 2)), /tensor "a" ends at data byte 12, past the end of the data section \(8 bytes\)/);
    expectFileError(rawFile({ a: w(0, 4) }, f32Bytes(1, 2)), /data bytes 4–8 belong to no tensor \(trailing bytes\)/);
    // Header order does not matter; empty tensors take no bytes.
    const loaded = loadSafetensors(rawFile({ b: w(4, 8), e: w(4, 4, [0, 2]), a: w(0, 4) }, f32Bytes(1, 2)));
    expect(Object.keys(loaded)).toEqual(['a', 'e', 'b']);
  });

  it('loads integer tensors only when float32 holds every value exactly', () => {
    const int = (dtype: string, bytes: number, write: (v: DataView) => void) => {
      const data = new Uint8Array(bytes);
      write(new DataView(data.buffer));
      return rawFile({ n: { dtype, shape: [1], data_offsets: [0, bytes] } }, data);
    };
    expectFileError(int('I64', 8, (v) => v.setBigInt64(0, 2n ** 24n + 1n, true)), /tensor "n" \(I64\) element 0 has no exact float32 value/);
    expectFileError(int('I64', 8, (v) => v.setBigInt64(0, 2n ** 53n + 1n, true)), /tensor "n" \(I64\) element 0 has no exact float32 value/);
    expectFileError(int('U32', 4, (v) => v.setUint32(0, 2 ** 32 - 1, true)), /tensor "n" \(U32\) element 0 has no exact float32 value/);
    expect([...loadSafetensors(int('U64', 8, (v) => v.setBigUint64(0, 2n ** 63n, true))).n!.data]).toEqual([2 ** 63]);
    expect([...loadSafetensors(int('I32', 4, (v) => v.setInt32(0, -(2 ** 31), true))).n!.data]).toEqual([-(2 ** 31)]);
  });

  it('rejects F64 values beyond the float32 range, and rounds the others', () => {
    const f64 = (value: number) => rawFile({ d: { dtype: 'F64', shape: [1], data_offsets: [0, 8] } }, new Uint8Array(Float64Array.of(value).buffer));
    expectFileError(f64(1e300), /tensor "d" \(F64\) element 0 is 1e\+300, beyond the float32 range/);
    expect(loadSafetensors(f64(0.1)).d!.data[0]).toBe(Math.fround(0.1));
  });

  it('names the argument when given something other than bytes or bad options', () => {
    expect(() => loadSafetensors('model.safetensors' as unknown as Uint8Array)).toThrow(ValueError);
    expect(() => loadSafetensors('model.safetensors' as unknown as Uint8Array)).toThrow(/expected the file's bytes as a Uint8Array or ArrayBuffer, got "model.safetensors" \(read the file first/);
    expect(() => loadSafetensors(saveSafetensors({}), { allowNonFinit: true } as never)).toThrow(OptionError);
    expect(() => loadSafetensors(saveSafetensors({}), { allowNonFinite: 'yes' } as never)).toThrow(/allowNonFinite must be true or false/);
  });
});

describe('saveSafetensors refuses what it could not write or read back', () => {
  it('names the tensor with a non-finite value, a wrong shape or a wrong type', () => {
    expect(() => saveSafetensors({ w: { data: Float32Array.of(1, NaN), shape: [2] } })).toThrow(ValueError);
    expect(() => saveSafetensors({ w: { data: Float32Array.of(1, NaN), shape: [2] } })).toThrow(/tensor "w" must be finite, but element 1 is NaN/);
    expect(() => saveSafetensors({ w: { data: Float32Array.of(1, 2), shape: [3] } })).toThrow(ShapeError);
    expect(() => saveSafetensors({ w: { data: Float32Array.of(1, 2), shape: [3] } })).toThrow(/tensor "w" has shape \[3\] \(3 values\) but 2 values/);
    expect(() => saveSafetensors({ w: { data: [1, 2], shape: [2] } as never })).toThrow(/tensor "w" must be a Tensor or \{ data: Float32Array, shape: number\[\] \}/);
    expect(() => saveSafetensors(new Tensor(Float32Array.of(1), [1]) as never)).toThrow(/expected an object mapping tensor names to Tensors/);
  });

  it('refuses reserved names, lone surrogates and non-string metadata', () => {
    const one = { data: Float32Array.of(1), shape: [1] };
    expect(() => saveSafetensors({ __metadata__: one })).toThrow(/the tensor name "__metadata__" is reserved/);
    expect(() => saveSafetensors(Object.fromEntries([['__proto__', one]]))).toThrow(/the tensor name "__proto__" is reserved/);
    expect(() => saveSafetensors({ '\ud800': one })).toThrow(/lone UTF-16 surrogate/);
    expect(() => saveSafetensors({}, { version: 2 } as never)).toThrow(/metadata\["version"\] must be a string, got 2/);
  });
});
