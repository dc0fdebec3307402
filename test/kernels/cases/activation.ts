import type { KernelCase } from '../case.js';

export const activationCases: KernelCase[] = [];
