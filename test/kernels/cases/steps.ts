import type { KernelCase } from '../case.js';

export const stepCases: KernelCase[] = [];
