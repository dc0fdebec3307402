import type { KernelCase } from '../case.js';

export const clipCases: KernelCase[] = [];
