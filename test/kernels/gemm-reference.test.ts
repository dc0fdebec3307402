import fc from 'fast-check';
import { describe, it } from 'vitest';
import { createJsRuntime, createWasmRuntime, type Runtime } from '../../src/kernels/runtime.js';
import type { Handle } from '../../src/memory/handle.js';
import { size } from '../helpers/arbitraries.js';
import { expectClose } from '../helpers/close.js';
import { bufferLengths, gemmCall, gemmErrorBound, type GemmKernel, type GemmShape, leadingDims } from './cases/gemm.js';

// Both GEMM backends against the definition, computed here in float64 with a naive triple loop:
// C[i, j] = alpha·Σ_p op(A)[i, p]·op(B)[p, j] + beta·C[i, j], beta = 0 ignoring C. The shapes
// include 1, non-multiples of the 4×8 tile and larger ones that cross the Wasm kernel's blocks
// (K in blocks of 256, M in blocks of 256), all with and without spare columns.

const KERNELS: GemmKernel[] = ['gemmNN', 'gemmNT', 'gemmTN'];

/** op(A)[i, p] and op(B)[p, j], spelled out from the contract in src/kernels/kernels.ts. */
function operandA(kernel: GemmKernel, a: Float32Array, i: number, p: number, lda: number): number {
  return kernel === 'gemmTN' ? a[p * lda + i]! : a[i * lda + p]!;
}
function operandB(kernel: GemmKernel, b: Float32Array, p: number, j: number, ldb: number): number {
  return kernel === 'gemmNT' ? b[j * ldb + p]! : b[p * ldb + j]!;
}

function naiveGemm(kernel: GemmKernel, shape: GemmShape, a: Float32Array, b: Float32Array, c: Float32Array): Float64Array {
  const { lda, ldb, ldc } = leadingDims(kernel, shape);
  const out = Float64Array.from(c);
  for (let i = 0; i < shape.m; i++) {
    for (let j = 0; j < shape.n; j++) {
      let sum = 0;
      for (let p = 0; p < shape.k; p++) sum += operandA(kernel, a, i, p, lda) * operandB(kernel, b, p, j, ldb);
      out[i * ldc + j] = shape.alpha * sum + (shape.beta === 0 ? 0 : shape.beta * c[i * ldc + j]!);
    }
  }
  return out;
}

function run(runtime: Runtime, kernel: GemmKernel, shape: GemmShape, a: Float32Array, b: Float32Array, c: Float32Array): Float64Array {
  const { lda, ldb, ldc } = leadingDims(kernel, shape);
  const upload = (values: Float32Array): Handle => {
    const handle = runtime.arena.alloc(values.length);
    handle.view().set(values);
    return handle;
  };
  const [ha, hb, hc] = [upload(a), upload(b), upload(c)];
  runtime.kernels[kernel](hc.offset, ha.offset, hb.offset, shape.m, shape.n, shape.k, lda, ldb, ldc, shape.alpha, shape.beta);
  const result = Float64Array.from(hc.view());
  for (const handle of [ha, hb, hc]) runtime.arena.release(handle);
  return result;
}

/** Uniform values in [-1, 1] from a seeded generator. */
function values(length: number, random: () => number): Float32Array {
  return Float32Array.from({ length }, () => random() * 2 - 1);
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const shape = (m: number, n: number, k: number, rest: Partial<GemmShape> = {}): GemmShape => ({ m, n, k, alpha: 1, beta: 1, padA: 0, padB: 0, padC: 0, ...rest });

/** Larger shapes: across the K block (256), the M block (256) and many 8-column panels. */
const LARGE: GemmShape[] = [
  shape(67, 129, 300, { padA: 3, padB: 5, padC: 7 }),
  shape(261, 35, 40, { alpha: -0.5, beta: 2, padC: 1 }),
  shape(5, 300, 513, { beta: 0 }),
  shape(2, 77, 270, { padA: 1, padB: 2, padC: 3 }),
  shape(64, 64, 256),
];

/** Random shapes drawn with the parity tests' size() (1..70, tile edges forced), seeded. */
const RANDOM: GemmShape[] = fc.sample(
  fc.record({
    m: size(),
    n: size(),
    k: size(),
    alpha: fc.constantFrom(1, -0.5, 2),
    beta: fc.constantFrom(0, 1, -0.5),
    padA: fc.integer({ min: 0, max: 3 }),
    padB: fc.integer({ min: 0, max: 3 }),
    padC: fc.integer({ min: 0, max: 3 }),
  }),
  { numRuns: 40, seed: 7 },
);

const wasm = createWasmRuntime();
const js = createJsRuntime();

describe.each(KERNELS)('%s against a float64 triple loop', (kernel) => {
  for (const [label, shapes] of [['random sizes 1..70', RANDOM], ['large shapes', LARGE]] as const) {
    it(label, () => {
      const random = mulberry32(20261123);
      for (const s of shapes) {
        const lengths = bufferLengths(kernel, s);
        const a = values(lengths.a, random);
        const b = values(lengths.b, random);
        // With beta = 0, C starts as NaN: a kernel that reads it, or writes a spare column, fails.
        const c = s.beta === 0 ? new Float32Array(lengths.c).fill(NaN) : values(lengths.c, random);
        const expected = naiveGemm(kernel, s, a, b, c);
        const tolerance = gemmErrorBound(kernel, gemmCall(kernel, s, a, b, c));
        const where = `${kernel} m=${s.m} n=${s.n} k=${s.k} pads=${s.padA},${s.padB},${s.padC} alpha=${s.alpha} beta=${s.beta}`;
        expectClose(run(wasm, kernel, s, a, b, c), expected, tolerance, `wasm ${where}`);
        expectClose(run(js, kernel, s, a, b, c), expected, tolerance, `ts ${where}`);
      }
    });
  }
});
