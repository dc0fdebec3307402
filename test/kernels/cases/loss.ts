import type { KernelCase } from '../case.js';

export const lossCases: KernelCase[] = [];
