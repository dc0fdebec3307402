import type { KernelCase } from '../case.js';

export const rowsCases: KernelCase[] = [];
