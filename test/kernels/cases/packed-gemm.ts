import fc from 'fast-check';
import { packB as packPanels } from '../../../src/kernels/js/gemm.js';
import { packedPanelLength } from '../../../src/kernels/packing.js';
import { mixedFloats, size } from '../../helpers/arbitraries.js';
import type { KernelCall } from '../call.js';
import type { KernelCase } from '../case.js';
import { pads, productErrorBound, ramp, scalars } from './gemm.js';

// packB / gemmPacked: a weight packed once into panels [⌈n/8⌉][k][8], then multiplied many times.

interface PackShape {
  k: number;
  n: number;
  transB: number;
  padB: number;
}

function packCall({ k, n, transB, padB }: PackShape, b: Float32Array): KernelCall {
  // dst starts as a ramp: every element, the zero padding included, must be written.
  const dst = ramp(packedPanelLength(k, n), 5);
  return { buffers: { dst, b }, args: ['dst', 'b', k, n, (transB !== 0 ? k : n) + padB, transB], outputs: ['dst'] };
}

function bLength({ k, n, transB, padB }: PackShape): number {
  return transB !== 0 ? n * (k + padB) : k * (n + padB);
}

const packShapes: fc.Arbitrary<PackShape> = fc.record({ k: size(), n: size(), transB: fc.constantFrom(0, 1), padB: pads });

const packBCase: KernelCase = {
  kernel: 'packB',
  calls: packShapes.chain((shape) => mixedFloats(bLength(shape)).map((b) => packCall(shape, b))),
  tolerance: { abs: 0, rel: 0 },
  toleranceNote: 'a copy: every element, padding included, bit for bit',
  domain: 'k, n in 1..70, transB 0 / 1, ldb + 0..5, values in [-1, 1] with some ±1e4',
  special: [
    packCall({ k: 9, n: 17, transB: 0, padB: 3 }, ramp(bLength({ k: 9, n: 17, transB: 0, padB: 3 }), 1)),
    packCall({ k: 9, n: 17, transB: 1, padB: 2 }, ramp(bLength({ k: 9, n: 17, transB: 1, padB: 2 }), 1)),
    packCall({ k: 1, n: 8, transB: 1, padB: 0 }, ramp(8, 1)), // exactly one panel, k = 1
  ],
};

interface PackedShape extends PackShape {
  m: number;
  alpha: number;
  beta: number;
  padA: number;
  padC: number;
}

/** A gemmPacked call whose packedB is B packed by the TS twin of packB (the Wasm packB is checked on its own). */
function packedCall(shape: PackedShape, a: Float32Array, b: Float32Array, c: Float32Array): KernelCall {
  const { m, n, k, transB, padB, padA, padC, alpha, beta } = shape;
  const ldb = (transB !== 0 ? k : n) + padB;
  const packedB = new Float32Array(b.length + packedPanelLength(k, n));
  packedB.set(b);
  packPanels(packedB, b.length * 4, 0, k, n, ldb, transB);
  return {
    buffers: { c, a, packedB: packedB.subarray(b.length) },
    args: ['c', 'a', 'packedB', m, n, k, k + padA, n + padC, alpha, beta],
    outputs: ['c'],
  };
}

function packedLengths({ m, n, k, padA, padC }: PackedShape): { a: number; c: number } {
  return { a: m * (k + padA), c: m * (n + padC) };
}

const packedShapes: fc.Arbitrary<PackedShape> = fc.record({
  m: size(), n: size(), k: size(), transB: fc.constantFrom(0, 1), padB: pads, padA: pads, padC: pads, alpha: scalars, beta: scalars,
});

function fixedPackedCall(shape: Partial<PackedShape> & Pick<PackedShape, 'm' | 'n' | 'k'>, fillC?: number): KernelCall {
  const full: PackedShape = { transB: 1, padB: 0, padA: 0, padC: 0, alpha: 1, beta: 1, ...shape };
  const { a, c } = packedLengths(full);
  return packedCall(full, ramp(a, 1), ramp(bLength(full), 2), fillC === undefined ? ramp(c, 3) : new Float32Array(c).fill(fillC));
}

const gemmPackedCase: KernelCase = {
  kernel: 'gemmPacked',
  calls: packedShapes.chain((shape) => {
    const { a, c } = packedLengths(shape);
    return fc.tuple(mixedFloats(a), mixedFloats(bLength(shape)), mixedFloats(c)).map(([av, bv, cv]) => packedCall(shape, av, bv, cv));
  }),
  tolerance: (call) => {
    const [, , , m, n, k, lda, ldc, alpha, beta] = call.args as [string, string, string, number, number, number, number, number, number, number];
    const { a, packedB, c } = call.buffers as { a: Float32Array; packedB: Float32Array; c: Float32Array };
    const panelAt = (p: number, j: number) => packedB[Math.floor(j / 8) * k * 8 + p * 8 + (j % 8)]!;
    return productErrorBound({ m, n, k, alpha, beta }, (i, p) => a[i * lda + p]!, panelAt, (i, j) => c[i * ldc + j]!);
  },
  toleranceNote: 'abs (k + 4)·u·max_ij(|alpha|·Σ_p |A_ip·B_pj| + |beta·C_ij|), rel 0 (as gemmNN)',
  domain: 'm, n, k in 1..70, B packed from [k, n] or [n, k], lda/ldb/ldc + 0..5, alpha, beta in {1, 0, -0.5, 2}, values in [-1, 1] with some ±1e4',
  special: [
    fixedPackedCall({ m: 5, n: 9, k: 0, beta: -0.5, padC: 3 }), // k = 0: C = beta·C
    fixedPackedCall({ m: 9, n: 17, k: 33, beta: 0, padC: 2 }, NaN), // beta = 0 overwrites a NaN C
    fixedPackedCall({ m: 9, n: 17, k: 300, alpha: -0.5, beta: 2, padA: 1, padC: 1, transB: 0 }), // two K blocks
    fixedPackedCall({ m: 1, n: 37, k: 19, padA: 2, padC: 2 }), // one row (the 1×8 panel path), odd k
    fixedPackedCall({ m: 3, n: 21, k: 8, beta: 0 }), // three rows, even k
    fixedPackedCall({ m: 4, n: 8, k: 1 }), // exactly one tile, k = 1
  ],
};

export const packedGemmCases: KernelCase[] = [packBCase, gemmPackedCase];
