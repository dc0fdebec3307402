import { describe, expect, it } from 'vitest';
import { run } from '../../examples/chars.js';

describe('examples/chars (short run)', () => {
  it('predicts held-out words better than a bigram count model, and completes and invents words', async () => {
    const result = await run({ words: 3000, units: 32, epochs: 5, outDir: null, quiet: true });
    console.log(`chars: held-out perplexity ${result.heldOutPerplexity.toFixed(2)}, bigram ${result.baselines.bigram.toFixed(2)}, unigram ${result.baselines.unigram.toFixed(2)}`);
    expect(result.heldOutPerplexity).toBeLessThan(result.baselines.bigram);
    for (const completion of result.completions) {
      expect(completion.next).toHaveLength(3);
      expect(completion.next[0]!.probability).toBeGreaterThanOrEqual(completion.next[1]!.probability);
      expect(completion.completion).toMatch(/^[a-z]*$/);
    }
    expect(result.invented.map((row) => row.temperature)).toEqual([0.5, 1]);
    for (const row of result.invented) for (const { word } of row.words) expect(word).toMatch(/^[a-z]+$/);
  });
});
