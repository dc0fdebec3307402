/**
 * Where a wasm-rnn step spends its time: a runtime whose kernels are wrapped to accumulate
 * performance.now() time and call counts per kernel name (in the bench only; the library is
 * untouched). Whatever the step spends outside the kernels is JS: layer bookkeeping, arena
 * lookups, loops over steps. The wrappers' own cost is measured and subtracted.
 */
import type { Kernels } from '../../src/kernels/kernels.js';
import type { Runtime } from '../../src/kernels/runtime.js';

export interface KernelStats {
  ms: number;
  calls: number;
}

export interface ProfiledRuntime {
  runtime: Runtime;
  stats: Map<string, KernelStats>;
  reset(): void;
}

type AnyKernel = (...args: number[]) => unknown;

/** A wrapper with exactly the kernel's parameters, so the call into Wasm keeps its arity (no rest parameters or apply). */
function timedKernel(kernel: AnyKernel, stat: KernelStats): AnyKernel {
  const params = Array.from({ length: kernel.length }, (_, i) => `a${i}`).join(', ');
  const make = new Function('kernel', 'stat', 'clock', `return function (${params}) {
    const start = clock.now();
    const result = kernel(${params});
    stat.ms += clock.now() - start;
    stat.calls++;
    return result;
  };`) as (kernel: AnyKernel, stat: KernelStats, clock: Performance) => AnyKernel;
  return make(kernel, stat, performance);
}

/** A copy of `kernels` whose functions add their time and calls to `stats` under their name. */
function wrapKernels(kernels: object, stats: Map<string, KernelStats>): Record<string, unknown> {
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(kernels)) {
    if (typeof value !== 'function') {
      wrapped[name] = value;
      continue;
    }
    const stat = { ms: 0, calls: 0 };
    stats.set(name, stat);
    wrapped[name] = timedKernel(value as AnyKernel, stat);
  }
  return wrapped;
}

/** What the wrapper costs per call: the part counted inside a kernel's time, and the whole. */
export interface WrapperCost {
  insideMs: number;
  totalMs: number;
}

/**
 * Measures the wrapper around the cheapest real kernel call (`fill` of 0 elements), with and
 * without it: medians over batches of calls, so that a batch the OS preempted does not count.
 */
export function wrapperCost(base: Runtime): WrapperCost {
  const stats = new Map<string, KernelStats>();
  const plain = base.kernels.fill;
  const timed = wrapKernels({ fill: plain }, stats).fill as typeof plain;
  const stat = stats.get('fill')!;
  const calls = 2000;
  const batch = (fill: typeof plain) => {
    const start = performance.now();
    for (let i = 0; i < calls; i++) fill(16, 0, 0);
    return (performance.now() - start) / calls;
  };
  const inside: number[] = [];
  const total: number[] = [];
  for (let round = 0; round < 60; round++) {
    const plainMs = batch(plain);
    stat.ms = 0;
    const timedMs = batch(timed);
    inside.push(stat.ms / calls - plainMs);
    total.push(timedMs - plainMs);
  }
  return { insideMs: median(inside.slice(10)), totalMs: median(total.slice(10)) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[sorted.length >> 1]!;
}

export function profiledRuntime(base: Runtime): ProfiledRuntime {
  const stats = new Map<string, KernelStats>();
  return {
    runtime: { name: base.name, arena: base.arena, kernels: wrapKernels(base.kernels, stats) as unknown as Kernels },
    stats,
    reset: () => stats.forEach((stat) => ((stat.ms = 0), (stat.calls = 0))),
  };
}

/** A step slower than this multiple of the typical step was interrupted (the OS ran another process, or GC ran). */
const INTERRUPTED = 1.5;

/**
 * Runs `count` steps and keeps in `profiled.stats` only the steps that took at most INTERRUPTED ×
 * `typicalMs`: on a shared machine a preempted step counts time no kernel spent computing.
 * Returns how many steps were kept and their mean time.
 */
export function profileSteps(profiled: ProfiledRuntime, step: () => unknown, count: number, typicalMs: number): { kept: number; stepMs: number } {
  const entries = [...profiled.stats.values()];
  const ms = new Float64Array(entries.length);
  const calls = new Float64Array(entries.length);
  profiled.reset();
  let kept = 0;
  let total = 0;
  for (let i = 0; i < count; i++) {
    entries.forEach((stat, k) => ((ms[k] = stat.ms), (calls[k] = stat.calls)));
    const start = performance.now();
    step();
    const elapsed = performance.now() - start;
    if (elapsed <= INTERRUPTED * typicalMs) {
      kept++;
      total += elapsed;
    } else entries.forEach((stat, k) => ((stat.ms = ms[k]!), (stat.calls = calls[k]!)));
  }
  return { kept, stepMs: total / Math.max(kept, 1) };
}

/**
 * Rows of the breakdown: per kernel ms per step, share of the step, calls per step; then the
 * time outside the kernels (JS). The wrappers' own cost (measured around an empty kernel) is
 * subtracted: `cost.insideMs` from each call's kernel time, the rest from the time outside.
 * `unprofiledMs` is the same step without wrappers, to check the correction.
 */
export function breakdownRows(stats: Map<string, KernelStats>, steps: number, profiledMs: number, cost: WrapperCost, unprofiledMs: number | null): string[][] {
  const used = [...stats].filter(([, s]) => s.calls > 0).map(([name, s]) => ({
    name, calls: s.calls / steps, ms: Math.max(0, s.ms / steps - (s.calls / steps) * cost.insideMs),
  }));
  used.sort((a, b) => b.ms - a.ms);
  const calls = used.reduce((sum, k) => sum + k.calls, 0);
  const kernelMs = used.reduce((sum, k) => sum + k.ms, 0);
  const stepMs = profiledMs - calls * cost.totalMs;
  const rows: string[][] = [['kernel', 'ms/step', 'share', 'calls/step']];
  for (const k of used) rows.push([k.name, k.ms.toFixed(3), percent(k.ms / stepMs), k.calls.toFixed(0)]);
  rows.push(['all kernels', kernelMs.toFixed(3), percent(kernelMs / stepMs), calls.toFixed(0)]);
  rows.push(['outside kernels (JS)', (stepMs - kernelMs).toFixed(3), percent((stepMs - kernelMs) / stepMs), '']);
  rows.push([`step (profiled ${profiledMs.toFixed(3)} ms − ${(cost.totalMs * 1e6).toFixed(0)} ns × calls)`, stepMs.toFixed(3), '100%', '']);
  if (unprofiledMs !== null) rows.push(['step without the profiler (median above)', unprofiledMs.toFixed(3), '', '']);
  return rows;
}

function percent(fraction: number): string {
  return `${(100 * fraction).toFixed(1)}%`;
}
