import { OptionError, ValueError, bool, describe, positiveInteger } from '../errors.js';
import { readOptions } from './options.js';

export const PAD = '<pad>';
export const UNKNOWN = '<unk>';
export const BOS = '<bos>';
export const EOS = '<eos>';

export interface TokenizerFitOptions {
  /** Lower-case texts before splitting (default false for characters, true for words). */
  lowercase?: boolean;
  /** Keep only tokens seen at least this often (default 1). */
  minCount?: number;
  /** Largest vocabSize, reserved ids included; the most frequent tokens are kept. */
  maxVocab?: number;
  /** Reserve ids 2 = '<bos>' and 3 = '<eos>' and wrap every encoded text in them (default false). */
  bosEos?: boolean;
}

/** A fitted vocabulary: the token of each id, reserved ids first. */
export interface VocabularyConfig {
  readonly tokens: readonly string[];
  readonly lowercase: boolean;
  readonly bosEos: boolean;
}

const FIT_OPTIONS = ['lowercase', 'minCount', 'maxVocab', 'bosEos'] as const;

/** The reserved tokens in id order: '<pad>' = 0, '<unk>' = 1, then '<bos>' = 2, '<eos>' = 3 when asked. */
export function reservedTokens(bosEos: boolean): string[] {
  return bosEos ? [PAD, UNKNOWN, BOS, EOS] : [PAD, UNKNOWN];
}

/**
 * Counts the tokens of `texts` and orders them by count (descending), ties by code-unit order of the
 * token (locale-independent, so every machine builds the same ids), after the reserved tokens.
 */
export function fitVocabulary(
  where: string,
  texts: unknown,
  split: (text: string) => string[],
  options: TokenizerFitOptions | undefined,
  defaultLowercase: boolean,
): VocabularyConfig {
  const opts = readOptions(where, options, FIT_OPTIONS);
  const lowercase = bool(where, 'lowercase', opts.lowercase ?? defaultLowercase);
  const bosEos = bool(where, 'bosEos', opts.bosEos ?? false);
  const minCount = positiveInteger(where, 'minCount', opts.minCount ?? 1);
  const reserved = reservedTokens(bosEos);
  const maxVocab = opts.maxVocab === undefined ? Infinity : positiveInteger(where, 'maxVocab', opts.maxVocab);
  if (maxVocab <= reserved.length) {
    throw new OptionError(`${where}: maxVocab counts the ${reserved.length} reserved ids (${reserved.join(', ')}), so it must be at least ${reserved.length + 1}, got ${maxVocab}`);
  }
  const counts = new Map<string, number>();
  for (const text of readTexts(where, texts)) {
    for (const token of split(lowercase ? text.toLowerCase() : text)) counts.set(token, (counts.get(token) ?? 0) + 1);
  }
  if (counts.size === 0) throw new ValueError(`${where}: texts hold no tokens to learn a vocabulary from`);
  const ranked = [...counts]
    .filter(([, count]) => count >= minCount)
    .sort(([a, countA], [b, countB]) => countB - countA || (a < b ? -1 : a > b ? 1 : 0))
    .map(([token]) => token);
  return { tokens: [...reserved, ...ranked.slice(0, maxVocab - reserved.length)], lowercase, bosEos };
}

/** Checks a saved vocabulary: unique non-empty strings with the reserved tokens first. */
export function readVocabulary(where: string, json: unknown, kind: string): VocabularyConfig {
  const data = json as { kind?: unknown; tokens?: unknown; lowercase?: unknown; bosEos?: unknown } | null;
  if (data === null || typeof data !== 'object' || data.kind !== kind) {
    throw new ValueError(`${where}: expected an object with kind '${kind}', got ${describe(data === null || typeof data !== 'object' ? data : data.kind)}`);
  }
  const lowercase = bool(where, 'lowercase', data.lowercase);
  const bosEos = bool(where, 'bosEos', data.bosEos);
  const tokens = data.tokens;
  if (!Array.isArray(tokens) || tokens.some((t) => typeof t !== 'string' || t === '')) {
    throw new ValueError(`${where}: tokens must be an array of non-empty strings, got ${describe(tokens)}`);
  }
  const reserved = reservedTokens(bosEos);
  reserved.forEach((token, id) => {
    if (tokens[id] !== token) throw new ValueError(`${where}: tokens[${id}] must be the reserved '${token}', got ${describe(tokens[id])}`);
  });
  const seen = new Set<string>();
  tokens.forEach((token: string, id) => {
    if (seen.has(token)) throw new ValueError(`${where}: tokens[${id}] ${describe(token)} appears twice; ids must map to distinct tokens`);
    seen.add(token);
  });
  return { tokens, lowercase, bosEos };
}

function readTexts(where: string, texts: unknown): readonly string[] {
  if (typeof texts === 'string') return [texts];
  if (!Array.isArray(texts)) throw new ValueError(`${where}: texts must be a string or an array of strings, got ${describe(texts)}`);
  texts.forEach((text, i) => {
    if (typeof text !== 'string') throw new ValueError(`${where}: texts[${i}] must be a string, got ${describe(text)}`);
  });
  return texts;
}
