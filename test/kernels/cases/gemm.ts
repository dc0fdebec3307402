import type { KernelCase } from '../case.js';

export const gemmCases: KernelCase[] = [];
