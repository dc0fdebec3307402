import { describe, expect, it } from 'vitest';
import { proseSentences, run } from '../../examples/words.js';

describe('examples/words', () => {
  it('reads the prose of Markdown: no code blocks, tables, headings or sentences under 4 words; inline code and links kept as text', () => {
    const markdown = [
      '# Title', '', 'Too short.', 'The model reads `ids` one by one. It learns very [fast](docs/X.md)!', '', '```ts', 'const x = 1;', '```',
      '| a | b |', '| - | - |', '- A list item with four words.', '<!-- generated -->',
    ].join('\n');
    expect(proseSentences(markdown)).toEqual(['The model reads ids one by one.', 'It learns very fast!', 'A list item with four words.']);
  });

  it('short run: held-out perplexity per word well below the unigram model, top-3 suggestions are words', async () => {
    const result = await run({ units: 32, epochs: 10, learningRate: 0.01, quiet: true });
    console.log(`words: ${result.sentences} sentences, held-out perplexity ${result.heldOutPerplexity.toFixed(1)}, bigram ${result.baselines.bigram.toFixed(1)}, unigram ${result.baselines.unigram.toFixed(1)}, top-3 ${result.top3Accuracy.toFixed(3)}`);
    expect(result.heldOutPerplexity).toBeLessThan(0.85 * result.baselines.unigram);
    expect(result.top3Accuracy).toBeGreaterThan(0.15);
    for (const { next } of result.suggestions) {
      expect(next).toHaveLength(3);
      for (const { word } of next) expect(word).toMatch(/[\p{L}\p{N}]/u);
    }
  });
});
