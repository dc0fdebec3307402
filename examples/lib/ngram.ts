/**
 * Count-based baselines for the language-model examples: the perplexity a unigram or a bigram
 * model reaches on held-out sequences, to show what the recurrent model adds over counting.
 * Sequences are token ids with a start token first; every later token is predicted.
 */

export interface NgramPerplexities {
  /** Add-one smoothed token frequencies. */
  unigram: number;
  /**
   * Bigram maximum likelihood interpolated with the unigram (Jelinek–Mercer, λ = 0.7 on the
   * bigram), so unseen pairs keep a probability.
   */
  bigram: number;
}

const LAMBDA = 0.7;

export function ngramPerplexities(train: readonly (readonly number[])[], heldOut: readonly (readonly number[])[], vocabSize: number): NgramPerplexities {
  const unigramCounts = new Float64Array(vocabSize);
  const pairCounts = new Map<number, number>();
  const previousCounts = new Float64Array(vocabSize);
  let total = 0;
  for (const sequence of train) {
    for (let t = 1; t < sequence.length; t++) {
      const previous = sequence[t - 1]!;
      const token = sequence[t]!;
      unigramCounts[token]!++;
      total++;
      previousCounts[previous]!++;
      pairCounts.set(previous * vocabSize + token, (pairCounts.get(previous * vocabSize + token) ?? 0) + 1);
    }
  }
  const unigram = (token: number) => (unigramCounts[token]! + 1) / (total + vocabSize);
  const bigram = (previous: number, token: number) => {
    const seen = previousCounts[previous]!;
    const ml = seen === 0 ? 0 : (pairCounts.get(previous * vocabSize + token) ?? 0) / seen;
    return LAMBDA * ml + (1 - LAMBDA) * unigram(token);
  };
  let unigramNll = 0;
  let bigramNll = 0;
  let count = 0;
  for (const sequence of heldOut) {
    for (let t = 1; t < sequence.length; t++) {
      unigramNll -= Math.log(unigram(sequence[t]!));
      bigramNll -= Math.log(bigram(sequence[t - 1]!, sequence[t]!));
      count++;
    }
  }
  return { unigram: Math.exp(unigramNll / count), bigram: Math.exp(bigramNll / count) };
}
