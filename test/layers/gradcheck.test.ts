import { afterAll, describe, expect, it } from 'vitest';
import { createJsRuntime, type Runtime } from '../../src/kernels/runtime.js';
import type { Handle } from '../../src/memory/handle.js';
import type { RecurrentLayer } from '../../src/layers/recurrent.js';
import { Random } from '../../src/random.js';
import { checkGradients, dot, type GradientReport, type GradientTarget } from '../helpers/gradcheck.js';
import { describeSpec, makeLayer, randomValues, type LayerSpec } from './layer-kinds.js';

/*
 * Float64 finite-difference checks of every parameter, the input and the initial states, run on
 * the core (arena offsets, time-major) over the float64 TS runtime, so the perturbations are not
 * rounded to f32. L = Σ output ⊙ dOutput + Σ hN ⊙ dhN (+ Σ cN ⊙ dcN) with random upstream
 * gradients. Padded steps (masks) are included: in the core a padded step's output is the carried
 * state, so the check covers the carry of both h and its gradient.
 */

interface GradcheckCase extends LayerSpec {
  T: number;
  B: number;
  /** Per-sequence lengths (right padding) or an explicit [T][B] 0/1 mask. */
  lengths?: number[];
  mask?: number[][];
  /** Pass h0 (and c0); otherwise forward starts from zeros and dh0 is still checked. */
  initialState?: boolean;
  /** Scale of x (small keeps hard-sigmoid gates in their linear part). */
  xScale?: number;
}

const CASES: GradcheckCase[] = [
  { kind: 'rnnTanh', inputSize: 3, hiddenSize: 5, T: 4, B: 3, initialState: true },
  { kind: 'rnnTanh', inputSize: 2, hiddenSize: 3, numLayers: 3, T: 1, B: 1, initialState: true },
  { kind: 'rnnRelu', inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, T: 3, B: 2, lengths: [3, 1] },
  { kind: 'rnnRelu', inputSize: 4, hiddenSize: 5, T: 1, B: 1, initialState: true },
  { kind: 'rnnTanh', inputSize: 3, hiddenSize: 3, bidirectional: true, bias: false, T: 3, B: 2, initialState: true },
  { kind: 'lstm', inputSize: 3, hiddenSize: 5, T: 4, B: 3, initialState: true },
  { kind: 'lstm', inputSize: 2, hiddenSize: 3, numLayers: 2, bidirectional: true, T: 3, B: 3, lengths: [3, 2, 1], initialState: true },
  { kind: 'lstm', inputSize: 3, hiddenSize: 3, numLayers: 3, T: 1, B: 1, initialState: true },
  { kind: 'lstm', inputSize: 2, hiddenSize: 2, bidirectional: true, gateActivation: 'hardSigmoidKeras3', T: 2, B: 2, lengths: [0, 2], xScale: 0.5, initialState: true },
  { kind: 'lstm', inputSize: 3, hiddenSize: 3, bidirectional: true, gateActivation: 'hardSigmoid', T: 3, B: 2, xScale: 0.5, initialState: true },
  { kind: 'lstm', inputSize: 2, hiddenSize: 3, numLayers: 2, bias: false, T: 3, B: 2, mask: [[1, 0], [0, 1], [1, 1]] },
  { kind: 'gruAfter', inputSize: 3, hiddenSize: 5, T: 4, B: 3, initialState: true },
  { kind: 'gruAfter', inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, T: 3, B: 2, lengths: [2, 3] },
  { kind: 'gruAfter', inputSize: 2, hiddenSize: 3, gateActivation: 'hardSigmoid', T: 1, B: 1, xScale: 0.5, initialState: true },
  { kind: 'gruBefore', inputSize: 3, hiddenSize: 5, T: 4, B: 3, initialState: true },
  { kind: 'gruBefore', inputSize: 3, hiddenSize: 3, numLayers: 2, bidirectional: true, T: 3, B: 3, lengths: [1, 3, 2], initialState: true },
  { kind: 'gruBefore', inputSize: 2, hiddenSize: 3, bidirectional: true, gateActivation: 'hardSigmoid', T: 3, B: 3, lengths: [3, 0, 2], xScale: 0.5, initialState: true },
  { kind: 'gruBefore', inputSize: 3, hiddenSize: 3, numLayers: 3, gateActivation: 'hardSigmoidKeras3', bias: false, T: 2, B: 1, xScale: 0.5 },
];

/** Relative error bound of the checks (see test/helpers/gradcheck.ts for the error measure). */
const BOUND = 1e-6;

const worst: { label: string; report: GradientReport }[] = [];

afterAll(() => {
  // Printed for the record: the worst relative error of each case.
  for (const { label, report } of worst) console.log(`gradcheck ${label}: worst ${report.name} ${report.maxRelError.toExponential(2)}`);
});

describe('float64 gradient checks of the recurrent core', () => {
  it.each(CASES.map((c) => [label(c), c] as const))('%s', (_label, testCase) => {
    const runtime = createJsRuntime({ float64: true });
    const layer = makeLayer(testCase, runtime, 11);
    const reports = runCheck(runtime, layer, testCase);
    const caseWorst = reports.reduce((a, b) => (b.maxRelError > a.maxRelError ? b : a));
    worst.push({ label: label(testCase), report: caseWorst });
    for (const report of reports) {
      expect(report.maxRelError, `${report.name}: worst element ${JSON.stringify(report.worst)}`).toBeLessThan(BOUND);
    }
    const names = reports.map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['x', 'h0', ...Object.keys(layer.parameters())]));
    layer.dispose();
  });
});

function label(c: GradcheckCase): string {
  const masking = c.lengths ? ` lengths ${c.lengths.join(',')}` : c.mask ? ' mask' : '';
  return `${describeSpec(c)} T${c.T} B${c.B}${masking}${c.initialState ? ' h0' : ''}`;
}

function runCheck(runtime: Runtime, layer: RecurrentLayer, c: GradcheckCase): GradientReport[] {
  const { T, B } = c;
  const core = layer.core;
  const cellState = core.cell.cellState;
  const D = core.directions;
  const H = layer.hiddenSize;
  const stateSize = layer.numLayers * D * B * H;
  const outputSize = T * B * D * H;
  const random = new Random(101);
  const arena = runtime.arena;
  const buffer = (values: ArrayLike<number> | number): Handle => {
    const handle = arena.alloc(typeof values === 'number' ? values : values.length);
    if (typeof values !== 'number') handle.view().set(values);
    return handle;
  };
  const x = buffer(randomValues(random, T * B * layer.inputSize, c.xScale ?? 1));
  const h0 = buffer(c.initialState ? randomValues(random, stateSize, 0.5) : stateSize);
  const c0 = buffer(c.initialState && cellState ? randomValues(random, stateSize, 0.5) : stateSize);
  const mask = c.lengths || c.mask ? buffer(maskValues(c)) : null;
  const dOutput = buffer(randomValues(random, outputSize));
  const dhN = buffer(randomValues(random, stateSize));
  const dcN = buffer(randomValues(random, stateSize));
  const dx = buffer(x.length);
  const dh0 = buffer(stateSize);
  const dc0 = buffer(stateSize);
  const heapView = (offset: number, n: number) => runtime.arena.storage.data.subarray(offset >>> 2, (offset >>> 2) + n);

  // The analytic run passes 0 for absent initial states; the numeric runs pass the buffers
  // (zeros then), so they also check that "0 = zeros" holds.
  layer.zeroGrad();
  core.forward(x.offset, T, B, c.initialState ? h0.offset : 0, c.initialState && cellState ? c0.offset : 0, mask?.offset ?? 0);
  core.backward(dOutput.offset, dhN.offset, cellState ? dcN.offset : 0, dx.offset, dh0.offset, cellState ? dc0.offset : 0);
  // The heap does not grow from here on (the workspaces are sized), so views stay valid.
  const loss = (): number => {
    core.forward(x.offset, T, B, h0.offset, cellState ? c0.offset : 0, mask?.offset ?? 0);
    let value = dot(heapView(core.output, outputSize), dOutput.view()) + dot(heapView(core.hN, stateSize), dhN.view());
    if (cellState) value += dot(heapView(core.cN, stateSize), dcN.view());
    return value;
  };
  const targets: GradientTarget[] = [
    { name: 'x', values: x.view(), analytic: Float64Array.from(dx.view()) },
    { name: 'h0', values: h0.view(), analytic: Float64Array.from(dh0.view()) },
  ];
  if (cellState) targets.push({ name: 'c0', values: c0.view(), analytic: Float64Array.from(dc0.view()) });
  for (const [name, view] of Object.entries(layer.parameters())) targets.push({ name, values: view.value, analytic: Float64Array.from(view.grad) });
  return checkGradients(loss, targets);
}

/** The [T, B] time-major 0/1 mask of a case. */
function maskValues(c: GradcheckCase): Float64Array {
  const values = new Float64Array(c.T * c.B);
  for (let t = 0; t < c.T; t++) {
    for (let b = 0; b < c.B; b++) values[t * c.B + b] = c.mask ? c.mask[t]![b]! : t < c.lengths![b]! ? 1 : 0;
  }
  return values;
}
