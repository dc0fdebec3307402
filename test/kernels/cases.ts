import type { KernelCase } from './case.js';
import { activationCases } from './cases/activation.js';
import { clipCases } from './cases/clip.js';
import { gemmCases } from './cases/gemm.js';
import { lossCases } from './cases/loss.js';
import { packedGemmCases } from './cases/packed-gemm.js';
import { optimCases } from './cases/optim.js';
import { rowsCases } from './cases/rows.js';
import { stepCases } from './cases/steps.js';

/** Every kernel's parity case, one entry per kernel (checked by abi.test.ts). */
export const cases: readonly KernelCase[] = [...gemmCases, ...packedGemmCases, ...rowsCases, ...activationCases, ...lossCases, ...clipCases, ...optimCases, ...stepCases];
