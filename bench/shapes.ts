/**
 * Shapes shared by the benches, with the formulas that turn their times into rates.
 *
 * The recurrent shapes follow workload W2 of the design notes: an LSTM with input I = 32 and
 * hidden H = 128 (G·H = 512 gate columns, I + H = 160), batch B = 32, T = 64 steps, so the
 * products over all steps have T·B = 2048 rows.
 */
import type { KernelName } from '../src/kernels/kernels.js';

/** FLOPs of one C[m, n] += A[m, k]·B[k, n]: one multiply and one add per term. */
export function gemmFlops(m: number, n: number, k: number): number {
  return 2 * m * n * k;
}

/** gemmPacked shapes multiply by a B packed once beforehand (packB of a [n, k] weight, transposed). */
export type GemmKernelName = Extract<KernelName, 'gemmNN' | 'gemmNT' | 'gemmTN' | 'gemmPacked'>;

export interface GemmShape {
  /** What the product is, in the model's terms. */
  label: string;
  kernel: GemmKernelName;
  m: number;
  n: number;
  k: number;
}

export const GEMM_SHAPES: readonly GemmShape[] = [
  { label: 'LSTM step [x,h]·Wᵀ [32×160]·[160×512]', kernel: 'gemmNT', m: 32, n: 512, k: 160 },
  { label: 'square 512³', kernel: 'gemmNN', m: 512, n: 512, k: 512 },
  { label: 'square 512³', kernel: 'gemmNT', m: 512, n: 512, k: 512 },
  { label: 'square 512³', kernel: 'gemmTN', m: 512, n: 512, k: 512 },
  { label: 'LSTM input projection X·W_ihᵀ, T·B = 2048', kernel: 'gemmNT', m: 2048, n: 512, k: 32 },
  { label: 'LSTM dW = dGᵀ·[X,H], T·B = 2048', kernel: 'gemmTN', m: 512, n: 160, k: 2048 },
  { label: 'LSTM d[X,H] = dG·W, T·B = 2048', kernel: 'gemmNN', m: 2048, n: 160, k: 512 },
  { label: 'LSTM step dh = dG·W_hh [32×512]·[512×128]', kernel: 'gemmNN', m: 32, n: 128, k: 512 },
  { label: 'LSTM step h·W_hhᵀ, W_hh pre-packed', kernel: 'gemmPacked', m: 32, n: 512, k: 128 },
  { label: 'LSTM step dh = dG·W_hh, W_hh pre-packed', kernel: 'gemmPacked', m: 32, n: 128, k: 512 },
  { label: 'W3 LSTM step h·W_hhᵀ, pre-packed', kernel: 'gemmPacked', m: 64, n: 2048, k: 512 },
  { label: 'tiny step h·W_hhᵀ [1×32]·[32×128]', kernel: 'gemmNT', m: 1, n: 128, k: 32 },
  { label: 'tiny step dh = dG·W_hh [1×128]·[128×32]', kernel: 'gemmNN', m: 1, n: 32, k: 128 },
  { label: 'tiny step h·W_hhᵀ, pre-packed', kernel: 'gemmPacked', m: 1, n: 128, k: 32 },
];
