import { describe, expect, it } from 'vitest';
import { createJsRuntime } from '../../src/kernels/runtime.js';
import type { Handle } from '../../src/memory/handle.js';

// The backward step kernels are the exact derivatives of the forward ones: float64 central
// differences through the TS twins (llm.c's habit): L = Σ out ⊙ dOut with random dOut over the
// step's outputs (h, and c for LSTM), each input perturbed by ±1e-6, compared with the
// backward kernels' gradients. The Wasm kernels are tied to the twins by the parity tests.
//
// A "step" here is what the caller sees between its GEMMs: the kernel(s) with pre-activations,
// projections and previous state as independent inputs. For reset-before GRU it includes the
// caller's GEMM (r⊙hPrev)·W_hnᵀ, emulated below with a plain loop, so the check also covers
// gruResetGateForward / gruResetGateBackward and the rh cache.

const runtime = createJsRuntime({ float64: true });
const k = runtime.kernels;

const STEP = 1e-6;
const MAX_RELATIVE_ERROR = 1e-6;
/**
 * Relative error is measured against max(|analytic|, |numeric|, FLOOR): the differences carry
 * rounding noise of about 2^-53·|L|/STEP ≈ 1e-9, so gradients below FLOOR are held to 1e-8 absolute.
 */
const FLOOR = 1e-2;

const B = 3;
const H = 5;
/** Row 1 is padding: its state passes through and it gets no gradient. */
const MASK = Float64Array.of(1, 0, 1);

type Arrays = Record<string, Float64Array>;
type Regions = Record<string, Handle>;

/** mulberry32: a small seeded generator, so every run checks the same points. */
function uniform(seed: number): (lo: number, hi: number) => number {
  let state = seed >>> 0;
  return (lo, hi) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  };
}

/** Copies the arrays into fresh float64 heap regions, runs `body` on them, returns their final contents. */
function onHeap(arrays: Arrays, body: (at: Regions) => void): Arrays {
  const regions: Regions = {};
  for (const [name, values] of Object.entries(arrays)) {
    regions[name] = runtime.arena.alloc(values.length);
    regions[name].view().set(values);
  }
  body(regions);
  const result: Arrays = {};
  for (const [name, region] of Object.entries(regions)) {
    result[name] = Float64Array.from(region.view());
    runtime.arena.release(region);
  }
  return result;
}

/** The mask argument: the region's offset, or 0 for no mask. */
const maskAt = (at: Regions): number => at.mask?.offset ?? 0;
const maskArrays = (masked: boolean): Arrays => (masked ? { mask: MASK } : {});

/** A step as a function of named inputs: its outputs, and the gradients of L = Σ out ⊙ dOut. */
interface Step {
  inputs: Arrays;
  forward(inputs: Arrays): Arrays;
  backward(inputs: Arrays, dOut: Arrays): Arrays;
}

/** Central differences of L for every input element; returns the largest relative error against `backward`. */
function maxGradientError(step: Step, seed: number): number {
  const random = uniform(seed);
  const outputs = step.forward(step.inputs);
  const dOut: Arrays = Object.fromEntries(Object.entries(outputs).map(([name, v]) => [name, Float64Array.from(v, () => random(-1, 1))]));
  const loss = (inputs: Arrays): number => {
    let sum = 0;
    for (const [name, out] of Object.entries(step.forward(inputs))) out.forEach((v, i) => (sum += v * dOut[name]![i]!));
    return sum;
  };
  const analytic = step.backward(step.inputs, dOut);
  let worst = 0;
  for (const [name, x] of Object.entries(step.inputs)) {
    const gradient = analytic[name];
    if (!gradient) throw new Error(`backward returned no gradient for '${name}'`);
    for (let i = 0; i < x.length; i++) {
      const shifted = (delta: number): Arrays => ({ ...step.inputs, [name]: x.map((v, j) => (j === i ? v + delta : v)) });
      const numeric = (loss(shifted(STEP)) - loss(shifted(-STEP))) / (2 * STEP);
      const error = Math.abs(gradient[i]! - numeric) / Math.max(Math.abs(gradient[i]!), Math.abs(numeric), FLOOR);
      worst = Math.max(worst, error);
    }
  }
  return worst;
}

// ---- inputs. Finite differences need smooth points: every preactivation that meets a kink
// (relu at 0, the hard sigmoids at ±2.5 / ±3) is kept at least KINK_GAP away from it.
const KINK_GAP = 1e-3;
const GATE_KINKS: Record<number, number[]> = { 0: [], 1: [-2.5, 2.5], 2: [-3, 3] };

function awayFromKinks(value: number, kinks: number[]): number {
  for (const kink of kinks) if (Math.abs(value - kink) < KINK_GAP) return kink + (value < kink ? -KINK_GAP : KINK_GAP);
  return value;
}

/** n values in [lo, hi], kept away from `kinks`. */
function values(random: (lo: number, hi: number) => number, n: number, lo: number, hi: number, kinks: number[] = []): Float64Array {
  return Float64Array.from({ length: n }, () => awayFromKinks(random(lo, hi), kinks));
}

/** Makes xProj + hProj stay away from the gate kinks in the r and z blocks of a [B,3H] pair. */
function gateSumsAwayFromKinks(xProj: Float64Array, hProj: Float64Array, kinks: number[]): void {
  for (let i = 0; i < xProj.length; i++) {
    if (Math.floor(i / H) % 3 === 2) continue; // n block: tanh, no kink
    xProj[i] = awayFromKinks(xProj[i]! + hProj[i]!, kinks) - hProj[i]!;
  }
}

// ---- the steps

function rnnStep(relu: number, masked: boolean, seed: number): Step {
  const random = uniform(seed);
  const forward = (x: Arrays): Arrays => {
    const { h } = onHeap({ h: new Float64Array(B * H), ...x, ...maskArrays(masked) }, (at) =>
      k.rnnStepForward(at.h!.offset, at.pre!.offset, at.hPrev!.offset, maskAt(at), B, H, relu));
    return { h: h! };
  };
  return {
    inputs: { pre: values(random, B * H, -4, 4, relu ? [0] : []), hPrev: values(random, B * H, -1, 1) },
    forward,
    backward(x, dOut) {
      const { h } = forward(x);
      const grads = onHeap({ dPre: new Float64Array(B * H), dhPrev: new Float64Array(B * H), dh: dOut.h!, h: h!, ...maskArrays(masked) }, (at) =>
        k.rnnStepBackward(at.dPre!.offset, at.dhPrev!.offset, at.dh!.offset, at.h!.offset, maskAt(at), B, H, relu));
      // Without a mask dhPrev is left untouched (the caller's GEMM writes it); it starts at 0 here.
      return { pre: grads.dPre!, hPrev: grads.dhPrev! };
    },
  };
}

function lstmStep(gateAct: number, masked: boolean, seed: number): Step {
  const random = uniform(seed);
  /** Forward with every buffer: h, c and the gates' activations (the backward caches). */
  const run = (x: Arrays): Arrays =>
    onHeap({ h: new Float64Array(B * H), c: new Float64Array(B * H), ...x, ...maskArrays(masked) }, (at) =>
      k.lstmStepForward(at.h!.offset, at.c!.offset, at.gates!.offset, at.cPrev!.offset, at.hPrev!.offset, maskAt(at), B, H, gateAct));
  return {
    inputs: {
      gates: values(random, 4 * B * H, -4, 4, GATE_KINKS[gateAct]),
      cPrev: values(random, B * H, -2, 2),
      hPrev: values(random, B * H, -1, 1),
    },
    forward(x) {
      const { h, c } = run(x);
      return { h: h!, c: c! };
    },
    backward(x, dOut) {
      const cache = run(x);
      const grads = onHeap(
        { dGates: new Float64Array(4 * B * H), dc: dOut.c!, dhPrev: new Float64Array(B * H), dh: dOut.h!, gates: cache.gates!, c: cache.c!, cPrev: x.cPrev!, ...maskArrays(masked) },
        (at) =>
          k.lstmStepBackward(
            at.dGates!.offset, at.dc!.offset, at.dhPrev!.offset, at.dh!.offset, at.gates!.offset, at.c!.offset, at.cPrev!.offset, maskAt(at), B, H, gateAct,
          ),
      );
      return { gates: grads.dGates!, cPrev: grads.dc!, hPrev: grads.dhPrev! };
    },
  };
}

function gruInputs(gateAct: number, seed: number): Arrays {
  const random = uniform(seed);
  const xProj = values(random, 3 * B * H, -3, 3);
  const hProj = values(random, 3 * B * H, -3, 3);
  gateSumsAwayFromKinks(xProj, hProj, GATE_KINKS[gateAct]!);
  return { xProj, hProj, hPrev: values(random, B * H, -1, 1) };
}

function gruResetAfterStep(gateAct: number, masked: boolean, seed: number): Step {
  const run = (x: Arrays): Arrays =>
    onHeap({ h: new Float64Array(B * H), gates: new Float64Array(3 * B * H), ...x, ...maskArrays(masked) }, (at) =>
      k.gruStepForward(at.h!.offset, at.gates!.offset, at.xProj!.offset, at.hProj!.offset, at.hPrev!.offset, maskAt(at), B, H, gateAct, 1));
  return {
    inputs: gruInputs(gateAct, seed),
    forward: (x) => ({ h: run(x).h! }),
    backward(x, dOut) {
      const { gates } = run(x);
      const grads = onHeap(
        { dXProj: new Float64Array(3 * B * H), dHProj: new Float64Array(3 * B * H), dhPrev: new Float64Array(B * H), dh: dOut.h!, gates: gates!, ...x, ...maskArrays(masked) },
        (at) =>
          k.gruStepBackward(
            at.dXProj!.offset, at.dHProj!.offset, at.dhPrev!.offset, at.dh!.offset, at.gates!.offset, at.hProj!.offset, at.hPrev!.offset,
            maskAt(at), B, H, gateAct, 1,
          ),
      );
      return { xProj: grads.dXProj!, hProj: grads.dHProj!, hPrev: grads.dhPrev! };
    },
  };
}

/**
 * Reset-before: hProj's n block is the caller's GEMM result (r⊙hPrev)·W_hnᵀ plus a term that stands
 * for b_hn (the `hProj` input's n block), so the step's inputs are xProj, hProj (r, z blocks and
 * that term), hPrev and W_hn: [H, H].
 */
function gruResetBeforeStep(gateAct: number, masked: boolean, seed: number): Step {
  const nBlock = (b: number, i: number): number => (3 * b + 2) * H + i;
  /** Forward with every buffer: h, gates, rh and the full hProj (the backward caches). */
  const run = (x: Arrays): Arrays =>
    onHeap({ h: new Float64Array(B * H), gates: new Float64Array(3 * B * H), rh: new Float64Array(B * H), ...x, ...maskArrays(masked) }, (at) => {
      k.gruResetGateForward(at.gates!.offset, at.rh!.offset, at.xProj!.offset, at.hProj!.offset, at.hPrev!.offset, B, H, gateAct);
      const [rh, wHn, hProj] = [at.rh!.view(), at.wHn!.view(), at.hProj!.view()];
      for (let b = 0; b < B; b++) {
        for (let i = 0; i < H; i++) {
          for (let j = 0; j < H; j++) hProj[nBlock(b, i)] += rh[b * H + j]! * wHn[i * H + j]!;
        }
      }
      k.gruStepForward(at.h!.offset, at.gates!.offset, at.xProj!.offset, at.hProj!.offset, at.hPrev!.offset, maskAt(at), B, H, gateAct, 0);
    });
  const random = uniform(seed + 1);
  return {
    inputs: { ...gruInputs(gateAct, seed), wHn: values(random, H * H, -0.5, 0.5) },
    forward: (x) => ({ h: run(x).h! }),
    backward(x, dOut) {
      const cache = run(x);
      const dWHn = new Float64Array(H * H);
      const grads = onHeap(
        {
          dXProj: new Float64Array(3 * B * H), dHProj: new Float64Array(3 * B * H), dhPrev: new Float64Array(B * H), dRh: new Float64Array(B * H),
          dh: dOut.h!, gates: cache.gates!, hProj: cache.hProj!, hPrev: x.hPrev!, ...maskArrays(masked),
        },
        (at) => {
          k.gruStepBackward(
            at.dXProj!.offset, at.dHProj!.offset, at.dhPrev!.offset, at.dh!.offset, at.gates!.offset, at.hProj!.offset, at.hPrev!.offset,
            maskAt(at), B, H, gateAct, 0,
          );
          // The caller's GEMMs: dRh = dHProj_n·W_hn and dW_hn = dHProj_nᵀ·rh.
          const [dHProj, dRh] = [at.dHProj!.view(), at.dRh!.view()];
          for (let b = 0; b < B; b++) {
            for (let i = 0; i < H; i++) {
              for (let j = 0; j < H; j++) {
                dRh[b * H + j] += dHProj[nBlock(b, i)]! * x.wHn![i * H + j]!;
                dWHn[i * H + j] += dHProj[nBlock(b, i)]! * cache.rh![b * H + j]!;
              }
            }
          }
          k.gruResetGateBackward(at.dXProj!.offset, at.dHProj!.offset, at.dhPrev!.offset, at.dRh!.offset, at.gates!.offset, at.hPrev!.offset, maskAt(at), B, H, gateAct);
        },
      );
      return { xProj: grads.dXProj!, hProj: grads.dHProj!, hPrev: grads.dhPrev!, wHn: dWHn };
    },
  };
}

// ---- the checks

const GATE_ACTS = [
  { gateAct: 0, label: 'sigmoid' },
  { gateAct: 1, label: 'hard sigmoid (tfjs)' },
  { gateAct: 2, label: 'hard sigmoid (Keras 3)' },
];
const MASKING = [
  { masked: false, label: 'no mask' },
  { masked: true, label: 'mask' },
];

describe('backward step kernels are the derivatives of the forward ones (float64 central differences)', () => {
  describe.each(MASKING)('$label', ({ masked }) => {
    it.each([
      { relu: 0, label: 'tanh' },
      { relu: 1, label: 'relu' },
    ])('SimpleRNN $label', ({ relu }) => {
      expect(maxGradientError(rnnStep(relu, masked, 11 + relu), 101)).toBeLessThanOrEqual(MAX_RELATIVE_ERROR);
    });

    it.each(GATE_ACTS)('LSTM, $label gates', ({ gateAct }) => {
      expect(maxGradientError(lstmStep(gateAct, masked, 21 + gateAct), 102)).toBeLessThanOrEqual(MAX_RELATIVE_ERROR);
    });

    it.each(GATE_ACTS)('GRU reset-after, $label gates', ({ gateAct }) => {
      expect(maxGradientError(gruResetAfterStep(gateAct, masked, 31 + gateAct), 103)).toBeLessThanOrEqual(MAX_RELATIVE_ERROR);
    });

    it.each(GATE_ACTS)('GRU reset-before (with the caller\'s W_hn GEMM), $label gates', ({ gateAct }) => {
      expect(maxGradientError(gruResetBeforeStep(gateAct, masked, 41 + gateAct), 104)).toBeLessThanOrEqual(MAX_RELATIVE_ERROR);
    });
  });
});

describe('dhPrev without a mask', () => {
  // RNN and LSTM leave it to the caller's GEMM (beta = 0): the kernels must not touch it.
  const SENTINEL = 7;
  it('SimpleRNN and LSTM backward leave it untouched', () => {
    const n = B * H;
    const sentinel = (): Float64Array => new Float64Array(n).fill(SENTINEL);
    const ones = (count: number): Float64Array => new Float64Array(count).fill(0.5);
    const rnn = onHeap({ dPre: new Float64Array(n), dhPrev: sentinel(), dh: ones(n), h: ones(n) }, (at) =>
      k.rnnStepBackward(at.dPre!.offset, at.dhPrev!.offset, at.dh!.offset, at.h!.offset, 0, B, H, 0));
    const lstm = onHeap(
      { dGates: new Float64Array(4 * n), dc: ones(n), dhPrev: sentinel(), dh: ones(n), gates: ones(4 * n), c: ones(n), cPrev: ones(n) },
      (at) => k.lstmStepBackward(at.dGates!.offset, at.dc!.offset, at.dhPrev!.offset, at.dh!.offset, at.gates!.offset, at.c!.offset, at.cPrev!.offset, 0, B, H, 0),
    );
    expect(Array.from(rnn.dhPrev!)).toEqual(Array.from(sentinel()));
    expect(Array.from(lstm.dhPrev!)).toEqual(Array.from(sentinel()));
  });
});
