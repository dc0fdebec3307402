import type { KernelCase } from '../case.js';

export const optimCases: KernelCase[] = [];
