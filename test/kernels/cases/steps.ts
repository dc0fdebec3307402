import fc from 'fast-check';
import type { KernelName } from '../../../src/kernels/kernels.js';
import { createJsRuntime, type Runtime } from '../../../src/kernels/runtime.js';
import { floats, size } from '../../helpers/arbitraries.js';
import type { Tolerance } from '../../helpers/close.js';
import { formatNumber, maxAbs } from '../../helpers/tolerance.js';
import { runCall, type KernelCall } from '../call.js';
import type { CaseTolerance, KernelCase } from '../case.js';

// Parity cases of the recurrent step kernels (assembly/{rnn,lstm,gru}-step.ts). Shapes: batch =
// size(9), hidden = size(33); every gate activation code, relu 0/1, resetAfter 0/1, with and
// without a mask. Backward cases get consistent caches by running the forward twin first.
// Outputs that the kernel must write start as NaN, so a skipped element shows up as a mismatch.

// ---- tolerances: derived, not tuned. The Wasm kernels evaluate tanh and sigmoid with the f32x4
// approximations of assembly/approx.ts (which measures ≤ 1.8e-7 relative error; the budget here
// is APPROX = 1e-6) and round every operation to f32; the twins use Math in double and round once.
// An approximation error ε in one activation reaches an output multiplied by whatever that
// activation scales: cPrev in c = f⊙cPrev + i⊙g, h_n in n = tanh(x_n + r⊙h_n), dh in LSTM
// backward's tanh(c). So each absolute tolerance is APPROX times a bound on those factors, read
// from the call's inputs (as GEMM tolerances scale with k). Backward kernels that evaluate no
// approximation (derivatives come from the cached activations) differ only by f32 rounding.
const APPROX = 1e-6;
/** A few f32 roundings (unit roundoff 2^-24 ≈ 6e-8) on products of inputs of magnitude ≤ 1. */
const ROUNDING = 5e-7;

/** Approximation error budget of a forward output: APPROX · amplification, with rel covering f32 rounding. */
const approxTolerance = (amplification: number): Tolerance => ({ abs: APPROX * amplification, rel: 2 * APPROX });

/** The budget of a forward output whose amplification `factor` reads from the call (named by `amplification` in the note). */
function approxBudget(amplification: string, factor: (call: KernelCall) => number): CaseTolerance {
  return {
    tolerance: (call) => approxTolerance(factor(call)),
    toleranceNote: `abs ${formatNumber(APPROX)}·(${amplification}), rel ${formatNumber(2 * APPROX)} (activation budget ${formatNumber(APPROX)} times the values it scales)`,
  };
}

/** No approximation evaluated: only f32 rounding separates Wasm from the twin. */
const roundingTolerance: CaseTolerance = { tolerance: { abs: ROUNDING, rel: 1e-6 }, toleranceNote: 'f32 rounding only: no approximation evaluated' };

// ---- inputs
type Buffers = Record<string, Float32Array>;
type Shape = { batch: number; hidden: number };
const shapes: fc.Arbitrary<Shape> = fc.record({ batch: size(9), hidden: size(33) });
const gateActs = fc.constantFrom(0, 1, 2);
const flags = fc.constantFrom(0, 1);

/** Preactivations: mostly over ±6 (every regime of the gates), some over ±20 (saturated). */
function preactivations(n: number): fc.Arbitrary<Float32Array> {
  return fc
    .array(
      fc.oneof(
        { weight: 4, arbitrary: fc.double({ min: -6, max: 6, noNaN: true }) },
        { weight: 1, arbitrary: fc.double({ min: -20, max: 20, noNaN: true }) },
      ),
      { minLength: n, maxLength: n },
    )
    .map((values) => Float32Array.from(values));
}

/** A [B] mask of 1 (real) / 0 (padding), or null for no mask. */
function masks(batch: number): fc.Arbitrary<Float32Array | null> {
  const mask = fc.array(fc.boolean(), { minLength: batch, maxLength: batch }).map((real) => Float32Array.from(real, (r) => (r ? 1 : 0)));
  return fc.oneof(fc.constant(null), mask);
}

/** Adds the mask to the buffers and returns its argument: the buffer's name, or 0 for no mask. */
function maskArg(buffers: Buffers, mask: Float32Array | null): string | number {
  if (mask === null) return 0;
  buffers.mask = mask;
  return 'mask';
}

const unwritten = (n: number): Float32Array => new Float32Array(n).fill(NaN);

let cacheRuntime: Runtime | undefined;
/** Runs a forward kernel's TS twin (float32) and returns its outputs: the caches of a backward case. */
function runTwin(kernel: KernelName, call: KernelCall): Buffers {
  cacheRuntime ??= createJsRuntime();
  const { outputs } = runCall(cacheRuntime, kernel, call);
  return Object.fromEntries(Object.entries(outputs).map(([name, values]) => [name, Float32Array.from(values)]));
}

/** Draws of the values every step kernel starts from. */
interface StepDraw extends Shape {
  act: number;
  mask: Float32Array | null;
  /** [B, G·H] preactivations (G = 1 SimpleRNN, 4 LSTM, 3 GRU's xProj). */
  pre: Float32Array;
  /** [B, 3H] GRU hProj (empty for the others). */
  hProj: Float32Array;
  /** [B, H] previous hidden state over ±1, previous cell state over ±3. */
  hPrev: Float32Array;
  cPrev: Float32Array;
  /** [B, H] upstream gradients over ±1 (dh, dc, dRh) and a prior dhPrev. */
  dh: Float32Array;
  dc: Float32Array;
  dhPrior: Float32Array;
}

function draws(gates: number, act: fc.Arbitrary<number>): fc.Arbitrary<StepDraw> {
  return fc.tuple(shapes, act).chain(([{ batch, hidden }, actValue]) => {
    const n = batch * hidden;
    return fc
      .record({
        mask: masks(batch),
        pre: preactivations(gates * n),
        hProj: preactivations(gates === 3 ? 3 * n : 0),
        hPrev: floats(n, 1),
        cPrev: floats(n, 3),
        dh: floats(n, 1),
        dc: floats(n, 1),
        dhPrior: floats(n, 1),
      })
      .map((values) => ({ batch, hidden, act: actValue, ...values }));
  });
}

// ---- SimpleRNN (act = relu flag)
function rnnForwardCall(d: StepDraw, alias = false): KernelCall {
  const buffers: Buffers = { pre: d.pre, hPrev: d.hPrev };
  const h = alias ? 'pre' : 'h';
  if (!alias) buffers.h = unwritten(d.batch * d.hidden);
  return { buffers, args: [h, 'pre', 'hPrev', maskArg(buffers, d.mask), d.batch, d.hidden, d.act], outputs: [h] };
}

function rnnBackwardCall(d: StepDraw, alias = false): KernelCall {
  const { h } = runTwin('rnnStepForward', rnnForwardCall(d));
  // dhPrev holds prior values: without a mask the kernel must leave them untouched.
  const buffers: Buffers = { dh: d.dh, h: h!, dhPrev: d.dhPrior };
  const dPre = alias ? 'dh' : 'dPre';
  if (!alias) buffers.dPre = unwritten(d.batch * d.hidden);
  return { buffers, args: [dPre, 'dhPrev', 'dh', 'h', maskArg(buffers, d.mask), d.batch, d.hidden, d.act], outputs: [dPre, 'dhPrev'] };
}

// ---- LSTM
function lstmForwardCall(d: StepDraw): KernelCall {
  const n = d.batch * d.hidden;
  const buffers: Buffers = { h: unwritten(n), c: unwritten(n), gates: d.pre, cPrev: d.cPrev, hPrev: d.hPrev };
  return {
    buffers,
    args: ['h', 'c', 'gates', 'cPrev', 'hPrev', maskArg(buffers, d.mask), d.batch, d.hidden, d.act],
    outputs: ['h', 'c', 'gates'],
  };
}

function lstmBackwardCall(d: StepDraw): KernelCall {
  const { gates, c } = runTwin('lstmStepForward', lstmForwardCall(d));
  const buffers: Buffers = { dGates: unwritten(4 * d.batch * d.hidden), dc: d.dc, dhPrev: d.dhPrior, dh: d.dh, gates: gates!, c: c!, cPrev: d.cPrev };
  return {
    buffers,
    args: ['dGates', 'dc', 'dhPrev', 'dh', 'gates', 'c', 'cPrev', maskArg(buffers, d.mask), d.batch, d.hidden, d.act],
    outputs: ['dGates', 'dc', 'dhPrev'],
  };
}

// ---- GRU (pre = xProj)
function gruResetGateForwardCall(d: StepDraw): KernelCall {
  const buffers: Buffers = { gates: unwritten(3 * d.batch * d.hidden), rh: unwritten(d.batch * d.hidden), xProj: d.pre, hProj: d.hProj, hPrev: d.hPrev };
  return { buffers, args: ['gates', 'rh', 'xProj', 'hProj', 'hPrev', d.batch, d.hidden, d.act], outputs: ['gates', 'rh'] };
}

/** resetAfter = 0 reads r and z from gruResetGateForward; its hProj n block stands for the caller's GEMM result. */
function gruForwardCall(d: StepDraw, resetAfter: number): KernelCall {
  const gates = resetAfter ? unwritten(3 * d.batch * d.hidden) : runTwin('gruResetGateForward', gruResetGateForwardCall(d)).gates!;
  const buffers: Buffers = { h: unwritten(d.batch * d.hidden), gates, xProj: d.pre, hProj: d.hProj, hPrev: d.hPrev };
  return {
    buffers,
    args: ['h', 'gates', 'xProj', 'hProj', 'hPrev', maskArg(buffers, d.mask), d.batch, d.hidden, d.act, resetAfter],
    outputs: ['h', 'gates'],
  };
}

function gruBackwardCall(d: StepDraw, resetAfter: number): KernelCall {
  const { gates } = runTwin('gruStepForward', gruForwardCall(d, resetAfter));
  const n = d.batch * d.hidden;
  const buffers: Buffers = {
    dXProj: unwritten(3 * n), dHProj: unwritten(3 * n), dhPrev: unwritten(n), dh: d.dh, gates: gates!, hProj: d.hProj, hPrev: d.hPrev,
  };
  return {
    buffers,
    args: ['dXProj', 'dHProj', 'dhPrev', 'dh', 'gates', 'hProj', 'hPrev', maskArg(buffers, d.mask), d.batch, d.hidden, d.act, resetAfter],
    outputs: ['dXProj', 'dHProj', 'dhPrev'],
  };
}

/** dXProj, dHProj arrive with their z and n blocks written by gruStepBackward (here: prior values the kernel must keep). */
function gruResetGateBackwardCall(d: StepDraw): KernelCall {
  const { gates } = runTwin('gruResetGateForward', gruResetGateForwardCall(d));
  const isRBlock = (i: number): boolean => Math.floor(i / d.hidden) % 3 === 0;
  // r block unwritten; z and n blocks: any values over ±1 (hProj / 20) that must survive.
  const priorBlocks = (): Float32Array => Float32Array.from(d.hProj, (v, i) => (isRBlock(i) ? NaN : v / 20));
  const buffers: Buffers = { dXProj: priorBlocks(), dHProj: priorBlocks(), dhPrev: d.dhPrior, dRh: d.dh, gates: gates!, hPrev: d.hPrev };
  return {
    buffers,
    args: ['dXProj', 'dHProj', 'dhPrev', 'dRh', 'gates', 'hPrev', maskArg(buffers, d.mask), d.batch, d.hidden, d.act],
    outputs: ['dXProj', 'dHProj', 'dhPrev'],
  };
}

// ---- special calls: the values every activation has an edge at, empty shapes, all-padding batches.

/** ±0, ±Infinity, NaN, saturating inputs, the hard-sigmoid kinks (±2.5, ±3), tiny values: 17 of them (SIMD body + tail). */
const SPECIAL_VALUES = [0, -0, Infinity, -Infinity, NaN, 20, -20, 88, -88, 1e4, -1e4, 2.5, -2.5, 3, -3, 1e-7, -1e-7];

/** A fixed draw: batch 2 × hidden 17, preactivations cycling through SPECIAL_VALUES (shifted between buffers). */
function specialDraw(gates: number, act: number, mask: Float32Array | null, shape: Shape = { batch: 2, hidden: SPECIAL_VALUES.length }): StepDraw {
  const n = shape.batch * shape.hidden;
  const cycle = (count: number, shift: number): Float32Array => Float32Array.from({ length: count }, (_, i) => SPECIAL_VALUES[(i + shift) % SPECIAL_VALUES.length]!);
  const ramp = (scale: number): Float32Array => Float32Array.from({ length: n }, (_, i) => scale * Math.sin(i + 1));
  return {
    ...shape, act, mask,
    pre: cycle(gates * n, 0), hProj: cycle(gates === 3 ? 3 * n : 0, 5),
    hPrev: ramp(0.9), cPrev: ramp(2.5), dh: ramp(0.7), dc: ramp(-0.6), dhPrior: ramp(0.3),
  };
}

const HALF_MASKED = Float32Array.of(1, 0);
const ALL_MASKED = Float32Array.of(0, 0);
const EMPTY_SHAPES: Shape[] = [{ batch: 0, hidden: 5 }, { batch: 3, hidden: 0 }];

/** Special calls of a kernel with `gates` blocks: every act code over the special values, a half- and a fully-masked batch, empty shapes. */
function specials(gates: number, acts: number[], build: (d: StepDraw) => KernelCall): KernelCall[] {
  return [
    ...acts.map((act) => build(specialDraw(gates, act, null))),
    ...acts.map((act) => build(specialDraw(gates, act, HALF_MASKED))),
    build(specialDraw(gates, acts[0]!, ALL_MASKED)),
    ...EMPTY_SHAPES.map((shape) => build(specialDraw(gates, acts[0]!, null, shape))),
  ];
}

// ---- the cases

const rnnForward: KernelCase = {
  kernel: 'rnnStepForward',
  calls: draws(1, flags).map((d) => rnnForwardCall(d)),
  tolerance: approxTolerance(1),
  toleranceNote: `tanh budget ${formatNumber(APPROX)}; relu exact`,
  domain: 'pre ±6 (some ±20), relu 0/1, mask or none; h may alias pre',
  special: [...specials(1, [0, 1], (d) => rnnForwardCall(d)), rnnForwardCall(specialDraw(1, 0, HALF_MASKED), true)],
};

const rnnBackward: KernelCase = {
  kernel: 'rnnStepBackward',
  calls: draws(1, flags).map((d) => rnnBackwardCall(d)),
  ...roundingTolerance,
  domain: 'h from the forward twin, dh ±1, relu 0/1, mask or none; dPre may alias dh',
  special: [...specials(1, [0, 1], (d) => rnnBackwardCall(d)), rnnBackwardCall(specialDraw(1, 1, HALF_MASKED), true)],
};

const lstmForward: KernelCase = {
  kernel: 'lstmStepForward',
  calls: draws(4, gateActs).map(lstmForwardCall),
  // c = f⊙cPrev + i⊙g carries ε·(|cPrev| + 2); h = o⊙tanh(c) adds ε for o and for tanh.
  ...approxBudget('4 + max|cPrev|', (call) => 4 + maxAbs(call.buffers.cPrev!)),
  domain: 'gates ±6 (some ±20), cPrev ±3, hPrev ±1, gateAct 0/1/2, mask or none',
  special: specials(4, [0, 1, 2], lstmForwardCall),
};

const lstmBackward: KernelCase = {
  kernel: 'lstmStepBackward',
  calls: draws(4, gateActs).map(lstmBackwardCall),
  // The only approximation is tanh(c), recomputed: 1 − tanh² is off by ≤ 2ε, times dh·o, and
  // reaches dGates_f multiplied by cPrev; the rest is f32 rounding.
  tolerance: (call) => ({ abs: ROUNDING + 2 * APPROX * maxAbs(call.buffers.dh!) * (1 + maxAbs(call.buffers.cPrev!)), rel: 1e-6 }),
  toleranceNote: `abs ${formatNumber(ROUNDING)} + 2·${formatNumber(APPROX)}·max|dh|·(1 + max|cPrev|), rel 1e-6 (tanh(c) recomputed; the rest f32 rounding)`,
  domain: 'caches from the forward twin (gates ±6, some ±20; cPrev ±3), dh, dc ±1, gateAct 0/1/2, mask or none',
  special: specials(4, [0, 1, 2], lstmBackwardCall),
};

const gruForward: KernelCase = {
  kernel: 'gruStepForward',
  calls: fc.tuple(draws(3, gateActs), flags).map(([d, resetAfter]) => gruForwardCall(d, resetAfter)),
  // r's error ε·|h_n| enters n's preactivation; z's error is scaled by |hPrev − n| ≤ 1 + |hPrev|.
  ...approxBudget('3 + max|hProj| + max|hPrev|', (call) => 3 + maxAbs(call.buffers.hProj!) + maxAbs(call.buffers.hPrev!)),
  domain: 'xProj, hProj ±6 (some ±20), hPrev ±1, gateAct 0/1/2, resetAfter 0/1 (r, z from gruResetGateForward), mask or none',
  special: [...specials(3, [0, 1, 2], (d) => gruForwardCall(d, 1)), ...specials(3, [0, 1, 2], (d) => gruForwardCall(d, 0))],
};

const gruResetGateForward: KernelCase = {
  kernel: 'gruResetGateForward',
  calls: draws(3, gateActs).map(gruResetGateForwardCall),
  // rh = r⊙hPrev carries ε·|hPrev|.
  ...approxBudget('1 + max|hPrev|', (call) => 1 + maxAbs(call.buffers.hPrev!)),
  domain: 'xProj, hProj ±6 (some ±20), hPrev ±1, gateAct 0/1/2',
  special: specials(3, [0, 1, 2], gruResetGateForwardCall),
};

const gruBackward: KernelCase = {
  kernel: 'gruStepBackward',
  calls: fc.tuple(draws(3, gateActs), flags).map(([d, resetAfter]) => gruBackwardCall(d, resetAfter)),
  // dr = dn·h_n·r' scales rounding by |h_n|: relative only. dz = dh·(hPrev − n)·z' cancels: absolute.
  ...roundingTolerance,
  domain: 'caches from the forward twin (xProj, hProj ±6, some ±20), dh ±1, gateAct 0/1/2, resetAfter 0/1, mask or none',
  special: [...specials(3, [0, 1, 2], (d) => gruBackwardCall(d, 1)), ...specials(3, [0, 1, 2], (d) => gruBackwardCall(d, 0))],
};

const gruResetGateBackward: KernelCase = {
  kernel: 'gruResetGateBackward',
  calls: draws(3, gateActs).map(gruResetGateBackwardCall),
  // dhPrev += dRh⊙r cancels against the prior dhPrev: absolute rounding.
  ...roundingTolerance,
  domain: 'r from the forward twin, dRh ±1, prior dhPrev ±1 and z, n blocks kept, gateAct 0/1/2, mask or none',
  special: specials(3, [0, 1, 2], gruResetGateBackwardCall),
};

export const stepCases: KernelCase[] = [rnnForward, rnnBackward, lstmForward, lstmBackward, gruForward, gruResetGateForward, gruBackward, gruResetGateBackward];
