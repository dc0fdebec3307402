import { describe, expect, it } from 'vitest';
import { addingData, run } from '../../examples/adding.js';
import { SeededRandom } from '../../examples/lib/random.js';

describe('examples/adding', () => {
  it('makes T pairs with one marker in each half and the marked sum as target', () => {
    const { x, y } = addingData(10, 50, new SeededRandom(3));
    x.forEach((sequence, n) => {
      const marked = sequence.flatMap(([, marker], t) => (marker === 1 ? [t] : []));
      expect(marked).toHaveLength(2);
      expect(marked[0]).toBeLessThan(5);
      expect(marked[1]).toBeGreaterThanOrEqual(5);
      expect(y[n]).toBeCloseTo(sequence[marked[0]!]![0]! + sequence[marked[1]!]![0]!, 12);
    });
  });

  it('short run: an LSTM learns T = 30 (MSE < 0.05, always-1 ≈ 0.167) and the gradient still reaches step 1', async () => {
    const { runs: [lstm] } = await run({ lengths: [30], cells: ['lstm'], trainCount: 4000, testCount: 300, epochs: 8, gradientBatch: 16, outDir: null, quiet: true });
    console.log(`adding T=30: LSTM test MSE ${lstm!.testMse.toFixed(4)} (always 1: ${lstm!.baselineMse.toFixed(3)}), gradient at step 1 ÷ step T after training ${lstm!.reachAfter[0]!.toExponential(2)}`);
    expect(lstm!.baselineMse).toBeGreaterThan(0.12);
    expect(lstm!.testMse).toBeLessThan(0.05);
    expect(lstm!.reachAfter[0]).toBeGreaterThan(1e-2);
  });

  it('short run: in a SimpleRNN at T = 60 the gradient reaching step 1 vanishes (< 1e-3 of the last step\'s) and it does not learn', async () => {
    const { runs: [rnn] } = await run({ lengths: [60], cells: ['simpleRNN'], trainCount: 3000, testCount: 300, epochs: 4, gradientBatch: 16, outDir: null, quiet: true });
    console.log(`adding T=60: SimpleRNN test MSE ${rnn!.testMse.toFixed(4)}, gradient at step 1 ÷ step T ${rnn!.reachBefore[0]!.toExponential(2)} → ${rnn!.reachAfter[0]!.toExponential(2)}`);
    expect(rnn!.reachAfter[0]).toBeLessThan(1e-3);
    expect(rnn!.testMse).toBeGreaterThan(0.8 * rnn!.baselineMse);
  });
});
