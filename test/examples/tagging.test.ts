import { describe, expect, it } from 'vitest';
import { run } from '../../examples/tagging.js';

describe('examples/tagging (short run)', () => {
  it('a bidirectional LSTM tags every character by its sentence ending; a unidirectional one cannot see it coming', async () => {
    const result = await run({ trainCount: 800, testCount: 200, units: 16, epochs: 6, quiet: true });
    console.log(`tagging: bidirectional ${result.bidirectional.toFixed(4)}, unidirectional ${result.unidirectional.toFixed(4)}, majority ${result.majority.toFixed(4)}`);
    expect(result.bidirectional).toBeGreaterThanOrEqual(0.95);
    expect(result.unidirectional).toBeLessThan(0.6);
    expect(result.sample.truth).toHaveLength(result.sample.text.length);
    expect(result.sample.bidirectional).toHaveLength(result.sample.text.length);
  });
});
