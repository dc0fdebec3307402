/**
 * Warm-up, then repeated timed runs of one case: median and min in ms, on the benches' clock
 * (bench/clock.ts: wall time, or this process's CPU time with `--cpu-time`).
 */
import { benchClock } from '../clock.js';

const now = benchClock ?? (() => performance.now());

/** Warm-up: repeat for at least this long (and at least once), so V8 and the engines have tiered up. */
const WARMUP_MS = 400;
/**
 * Timed runs: repeat until this much time is spent, at least MIN_RUNS times, at most MAX_RUNS.
 * A case whose warm-up run took longer than SLOW_RUN_MS (tfjs-cpu's W3 training step takes
 * ~20 s) gets SLOW_RUNS runs instead, so the whole bench stays within a few minutes.
 */
const BUDGET_MS = 2000;
const MIN_RUNS = 5;
const MAX_RUNS = 2000;
const SLOW_RUN_MS = 3000;
const SLOW_RUNS = 2;

export interface Timing {
  medianMs: number;
  minMs: number;
  runs: number;
  /** What the first (warm-up) run returned: a training step's loss before any update. */
  first: unknown;
}

/** Runs `run` (awaiting it when it returns a promise) and returns the elapsed ms. */
async function timeOnce(run: () => unknown, keep?: (result: unknown) => void): Promise<number> {
  const start = now();
  let result = run();
  if (result instanceof Promise) result = await result;
  const ms = now() - start;
  keep?.(result);
  return ms;
}

export async function measure(run: () => unknown): Promise<Timing> {
  let first: unknown;
  let warm = await timeOnce(run, (result) => (first = result));
  let slowest = warm;
  while (warm < WARMUP_MS) {
    const ms = await timeOnce(run);
    warm += ms;
    slowest = Math.max(slowest, ms);
  }
  const minRuns = slowest > SLOW_RUN_MS ? SLOW_RUNS : MIN_RUNS;
  const samples: number[] = [];
  let spent = 0;
  while (samples.length < MAX_RUNS && (samples.length < minRuns || (spent < BUDGET_MS && slowest <= SLOW_RUN_MS))) {
    const ms = await timeOnce(run);
    samples.push(ms);
    spent += ms;
  }
  samples.sort((a, b) => a - b);
  const mid = samples.length >> 1;
  const medianMs = samples.length % 2 === 1 ? samples[mid]! : (samples[mid - 1]! + samples[mid]!) / 2;
  return { medianMs, minMs: samples[0]!, runs: samples.length, first };
}
