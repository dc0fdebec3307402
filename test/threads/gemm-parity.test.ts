import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packedPanelLength } from '../../src/kernels/packing.js';
import { createWasmRuntime, type Runtime } from '../../src/kernels/runtime.js';
import { createThreadedRuntime, type ThreadedRuntime } from '../../src/kernels/threads/threaded-runtime.js';
import { preferredWasmBuild } from '../../src/kernels/wasm/instantiate.js';
import { Random } from '../../src/random.js';

/*
 * Each output element is computed by exactly one thread with the unchanged kernel, so threaded
 * GEMMs must equal one-thread GEMMs bit for bit, on any shape, leading dimension, alpha and beta.
 * minFlops 0 sends every product through the workers, the smallest shapes included.
 */

type Op = 'gemmNN' | 'gemmNT' | 'gemmTN' | 'gemmPacked';

interface Case {
  op: Op;
  m: number;
  n: number;
  k: number;
  /** Extra elements per row of A, B and C (leading dimension > minimum). */
  pad: number;
  alpha: number;
  beta: number;
  seed: number;
}

/** Runs one case on `runtime` and returns C. Operands are filled from the case's seed, so both runtimes see the same data. */
function runCase(runtime: Runtime, c: Case): Float32Array {
  const { op, m, n, k, pad, alpha, beta } = c;
  const random = new Random(c.seed);
  // A: [m, k] (NN, NT, packed) or [k, m] (TN); B: [k, n] (NN, TN, packed source) or [n, k] (NT).
  const [aRows, aCols] = op === 'gemmTN' ? [k, m] : [m, k];
  const [bRows, bCols] = op === 'gemmNT' ? [n, k] : [k, n];
  const lda = aCols + pad;
  const ldb = bCols + pad;
  const ldc = n + pad;
  const handles = [runtime.arena.alloc(Math.max(1, aRows * lda)), runtime.arena.alloc(Math.max(1, bRows * ldb)), runtime.arena.alloc(Math.max(1, m * ldc))];
  const [a, b, out] = handles as [typeof handles[0], typeof handles[0], typeof handles[0]];
  for (const h of handles) {
    const view = h.view();
    for (let i = 0; i < view.length; i++) view[i] = random.uniform(-1, 1);
  }
  if (op === 'gemmPacked') {
    const packed = runtime.arena.alloc(Math.max(1, packedPanelLength(k, n)));
    runtime.kernels.packB(packed.offset, b.offset, k, n, ldb, 0);
    runtime.kernels.gemmPacked(out.offset, a.offset, packed.offset, m, n, k, lda, ldc, alpha, beta);
    runtime.arena.release(packed);
  } else {
    runtime.kernels[op](out.offset, a.offset, b.offset, m, n, k, lda, ldb, ldc, alpha, beta);
  }
  const result = Float32Array.from(out.view());
  for (const h of handles) runtime.arena.release(h);
  return result;
}

const build = preferredWasmBuild();
let single: Runtime;
const teams: ThreadedRuntime[] = [];

beforeAll(async () => {
  single = createWasmRuntime(build);
  teams.push(await createThreadedRuntime(2, build, 0), await createThreadedRuntime(3, build, 0));
}, 60_000);

afterAll(async () => {
  await Promise.all(teams.map((t) => t.setThreads(1)));
});

const size = fc.oneof(fc.integer({ min: 1, max: 70 }), fc.constantFrom(1, 3, 4, 5, 7, 8, 9, 17, 33, 64, 65, 130));
const cases = fc.record({
  op: fc.constantFrom<Op>('gemmNN', 'gemmNT', 'gemmTN', 'gemmPacked'),
  m: size,
  n: size,
  k: size,
  pad: fc.constantFrom(0, 0, 3),
  alpha: fc.constantFrom(1, 0.5, -1.25),
  beta: fc.constantFrom(0, 1, 0.75),
  seed: fc.integer({ min: 1, max: 1e6 }),
});

describe('threaded GEMM', () => {
  it('is bitwise identical to one thread for random shapes (2 and 3 threads)', () => {
    fc.assert(
      fc.property(cases, (c) => {
        const expected = runCase(single, c);
        for (const team of teams) expect(runCase(team, c)).toEqual(expected);
      }),
      { seed: 11, numRuns: 120 },
    );
  });

  it('is bitwise identical on shapes past the kernel blocking (KC = MC = 256) and with B = 1', () => {
    // W3's recurrent step [B=64, H=512]·[512, 2048] (packed); k > 256, m > 256; column cuts across NC = 1024 and for B = 1.
    const shapes: Case[] = [
      { op: 'gemmPacked', m: 64, n: 2048, k: 512, pad: 0, alpha: 1, beta: 1, seed: 1 },
      { op: 'gemmNT', m: 520, n: 72, k: 300, pad: 0, alpha: 1, beta: 0, seed: 2 },
      { op: 'gemmTN', m: 300, n: 96, k: 530, pad: 2, alpha: 1, beta: 1, seed: 3 },
      { op: 'gemmNN', m: 1, n: 2048, k: 512, pad: 0, alpha: 1, beta: 0, seed: 4 },
      { op: 'gemmNN', m: 40, n: 2100, k: 300, pad: 1, alpha: 1, beta: 1, seed: 5 },
    ];
    for (const c of shapes) expect(runCase(teams[0]!, c), c.op).toEqual(runCase(single, c));
  });

  it('reports its thread count and can shrink to one thread and grow back', async () => {
    const team = await createThreadedRuntime(2, build, 0);
    expect(team.threads).toBe(2);
    const c: Case = { op: 'gemmNN', m: 40, n: 33, k: 9, pad: 1, alpha: 1, beta: 0, seed: 5 };
    const expected = runCase(single, c);
    await team.setThreads(1);
    expect(team.threads).toBe(1);
    expect(runCase(team, c)).toEqual(expected);
    await team.setThreads(3);
    expect(team.threads).toBe(3);
    expect(runCase(team, c)).toEqual(expected);
    await team.setThreads(1);
  }, 60_000);
});
