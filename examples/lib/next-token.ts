import type { Sequential } from '../../src/index.js';

/**
 * The model's distribution of the token after `prefix` (a model with a `bosEos` tokenizer
 * attached): the prefix is encoded as `<bos>` + its tokens, without the closing `<eos>`, and the
 * softmax of the last step is read. Ids index the result.
 */
export function nextTokenProbabilities(model: Sequential, prefix: string): Float32Array {
  const tokenizer = model.tokenizer;
  if (tokenizer === null) throw new Error('nextTokenProbabilities: the model has no tokenizer attached');
  const ids = tokenizer.encode(prefix).slice(0, -1);
  const V = tokenizer.vocabSize;
  return model.predict([ids]).data.slice((ids.length - 1) * V, ids.length * V);
}

/** The k most likely tokens of a distribution, leaving out the ids in `hidden`. */
export function topTokens(probabilities: Float32Array, tokens: readonly string[], k: number, hidden: ReadonlySet<number> = new Set()): { token: string; probability: number }[] {
  return Array.from(probabilities, (probability, id) => ({ id, token: tokens[id]!, probability }))
    .filter((entry) => !hidden.has(entry.id))
    .sort((a, b) => b.probability - a.probability)
    .slice(0, k)
    .map(({ token, probability }) => ({ token, probability }));
}
