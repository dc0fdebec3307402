import type { Kernels } from '../kernels.js';
import { partition, type Slice } from './partition.js';
import type { GemmOp } from './protocol.js';
import type { WorkerPool } from './worker-pool.js';

type GemmKernels = Pick<Kernels, GemmOp>;

/** The workers a threaded runtime currently has (none after `init({ threads: 1 })` or dispose). */
export interface GemmTeam {
  readonly pool: WorkerPool | null;
  /** Products under this many FLOP (2·m·n·k) stay on the calling thread: the hand-off would cost more. */
  readonly minFlops: number;
}

/**
 * The GEMM entry points of `Kernels`, cut across the team: slice 0 runs on the calling thread with
 * `main`, slices 1.. on the workers, and the call returns when all are done. Below the FLOP
 * threshold, or without workers, the call goes straight to `main`. The kernels themselves are
 * unchanged, so a new kernel under the same entry points needs nothing here.
 */
export function parallelGemms(main: GemmKernels, team: GemmTeam): GemmKernels {
  const general = (op: 'gemmNN' | 'gemmNT' | 'gemmTN') =>
    (c: number, a: number, b: number, m: number, n: number, k: number, lda: number, ldb: number, ldc: number, alpha: number, beta: number): void => {
      const flops = 2 * m * n * k;
      const slices = team.pool === null || flops < team.minFlops ? null : partition(m, n, team.pool.size + 1);
      if (slices === null || slices.length === 1) return main[op](c, a, b, m, n, k, lda, ldb, ldc, alpha, beta);
      const at = (s: Slice) => generalSliceOffsets(op, s, c, a, b, lda, ldb, ldc);
      runSlices(team.pool!, slices, flops, op, (s) => {
        const [cs, as, bs] = at(s);
        return [cs, as, bs, s.rows, s.columns, k, lda, ldb, ldc, alpha, beta];
      }, (s) => {
        const [cs, as, bs] = at(s);
        main[op](cs, as, bs, s.rows, s.columns, k, lda, ldb, ldc, alpha, beta);
      });
    };
  return {
    gemmNN: general('gemmNN'),
    gemmNT: general('gemmNT'),
    gemmTN: general('gemmTN'),
    gemmPacked(c, a, packedB, m, n, k, lda, ldc, alpha, beta) {
      const flops = 2 * m * n * k;
      // Packed B is laid out in column panels: only rows are cut.
      const slices = team.pool === null || flops < team.minFlops ? null : partition(m, n, team.pool.size + 1, true);
      if (slices === null || slices.length === 1) return main.gemmPacked(c, a, packedB, m, n, k, lda, ldc, alpha, beta);
      const rowArgs = (s: Slice) => [c + 4 * s.row * ldc, a + 4 * s.row * lda, packedB, s.rows, n, k, lda, ldc, alpha, beta];
      runSlices(team.pool!, slices, flops, 'gemmPacked', rowArgs, (s) => {
        main.gemmPacked(c + 4 * s.row * ldc, a + 4 * s.row * lda, packedB, s.rows, n, k, lda, ldc, alpha, beta);
      });
    },
  };
}

/** Byte offsets of C, A and B for one slice. A row of C is a row of A (NN, NT) or a column of A (TN, stored [k, m]). */
function generalSliceOffsets(op: 'gemmNN' | 'gemmNT' | 'gemmTN', s: Slice, c: number, a: number, b: number, lda: number, ldb: number, ldc: number): [number, number, number] {
  const cSlice = c + 4 * (s.row * ldc + s.column);
  const aSlice = op === 'gemmTN' ? a + 4 * s.row : a + 4 * s.row * lda;
  // A column of C is a column of B (NN, TN: B is [k, n]) or a row of B (NT: B is [n, k]).
  const bSlice = op === 'gemmNT' ? b + 4 * s.column * ldb : b + 4 * s.column;
  return [cSlice, aSlice, bSlice];
}

function runSlices(pool: WorkerPool, slices: Slice[], flops: number, op: GemmOp, workerArgs: (s: Slice) => number[], runMain: (s: Slice) => void): void {
  for (let i = 1; i < slices.length; i++) pool.post(i - 1, op, workerArgs(slices[i]!));
  try {
    runMain(slices[0]!);
  } finally {
    // Even if the main slice threw, the workers are still writing: wait for them before returning.
    for (let i = 1; i < slices.length; i++) pool.wait(i - 1, flops / slices.length);
  }
}
