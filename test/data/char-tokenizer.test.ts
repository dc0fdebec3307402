import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CharTokenizer, charTokenizer } from '../../src/data/char-tokenizer.js';
import { OptionError, ShapeError, ValueError } from '../../src/errors.js';
import { tensor } from '../../src/tensor.js';

describe('CharTokenizer', () => {
  it('reserves 0 = <pad> and 1 = <unk>, then orders characters by count, ties in string order', () => {
    const tok = CharTokenizer.fit('cabbac a');
    // counts: a 3, b 2, c 2, " " 1: b and c tie and go in string order; " " comes last by count.
    expect(tok.tokens).toEqual(['<pad>', '<unk>', 'a', 'b', 'c', ' ']);
    expect(tok.vocabSize).toBe(6);
    expect([tok.padId, tok.unknownId, tok.bosId, tok.eosId]).toEqual([0, 1, undefined, undefined]);
    expect(tok.encode('abc d')).toEqual([2, 3, 4, 5, 1]);
    expect(tok.decode([2, 3, 4, 5, 1, 0, 0])).toBe('abc <unk>');
    expect(tok.idOf('b')).toBe(3);
    expect(tok.idOf('z')).toBe(1);
  });

  it('builds the same vocabulary whatever the order of the texts', () => {
    expect(charTokenizer(['ba', 'ab', 'c']).tokens).toEqual(charTokenizer(['c', 'ab', 'ba']).tokens);
  });

  it('keeps case by default and lower-cases on request (in encode too)', () => {
    expect(charTokenizer('Aa').tokens).toEqual(['<pad>', '<unk>', 'A', 'a']);
    const lower = charTokenizer('Aa', { lowercase: true });
    expect(lower.tokens).toEqual(['<pad>', '<unk>', 'a']);
    expect(lower.encode('AaB')).toEqual([2, 2, 1]);
  });

  it('limits the vocabulary with maxVocab (reserved ids included) and minCount', () => {
    expect(charTokenizer('aaabbc', { maxVocab: 4 }).tokens).toEqual(['<pad>', '<unk>', 'a', 'b']);
    expect(charTokenizer('aaabbc', { minCount: 2 }).tokens).toEqual(['<pad>', '<unk>', 'a', 'b']);
    expect(charTokenizer('aaabbc', { minCount: 3, maxVocab: 10 }).tokens).toEqual(['<pad>', '<unk>', 'a']);
  });

  it('with bosEos reserves 2 = <bos>, 3 = <eos>, wraps encoded text and drops them in decode', () => {
    const tok = charTokenizer(['ab'], { bosEos: true });
    expect(tok.tokens).toEqual(['<pad>', '<unk>', '<bos>', '<eos>', 'a', 'b']);
    expect([tok.bosId, tok.eosId]).toEqual([2, 3]);
    expect(tok.encode('ba')).toEqual([2, 5, 4, 3]);
    expect(tok.decode([2, 5, 4, 3, 0])).toBe('ba');
    expect(tok.encode('')).toEqual([2, 3]);
  });

  it('treats a code point outside the BMP (surrogate pair) as one character', () => {
    const tok = charTokenizer('a😀a');
    expect(tok.tokens).toEqual(['<pad>', '<unk>', 'a', '😀']);
    expect(tok.encode('😀')).toEqual([3]);
  });

  it('decodes typed arrays and 1-D tensors of ids', () => {
    const tok = charTokenizer('ab');
    expect(tok.decode(new Int32Array([2, 3]))).toBe('ab');
    expect(tok.decode(tensor([3, 2]))).toBe('ba');
  });

  it('learns the 26 letters of data/words.txt', () => {
    const words = readFileSync(new URL('../../data/words.txt', import.meta.url), 'utf8').split('\n').filter(Boolean);
    const tok = charTokenizer(words);
    expect(tok.vocabSize).toBe(28);
    expect([...tok.tokens.slice(2)].sort().join('')).toBe('abcdefghijklmnopqrstuvwxyz');
    expect(tok.decode(tok.encode(words[0]!))).toBe(words[0]);
  });

  it('round-trips through toJSON / fromJSON', () => {
    const tok = charTokenizer(['Hello, World'], { lowercase: true, bosEos: true });
    const json = JSON.parse(JSON.stringify(tok));
    expect(json).toEqual({ kind: 'charTokenizer', lowercase: true, bosEos: true, tokens: [...tok.tokens] });
    const back = CharTokenizer.fromJSON(json);
    expect(back.tokens).toEqual(tok.tokens);
    expect(back.encode('HELLO?')).toEqual(tok.encode('HELLO?'));
  });

  it('names the problem in bad input', () => {
    expect(() => charTokenizer(42 as never)).toThrow('CharTokenizer.fit: texts must be a string or an array of strings, got 42');
    expect(() => charTokenizer(['a', 2] as never)).toThrow('CharTokenizer.fit: texts[1] must be a string, got 2');
    expect(() => charTokenizer(['', ''])).toThrow('CharTokenizer.fit: texts hold no tokens to learn a vocabulary from');
    expect(() => charTokenizer('abc', { maxVocab: 2 })).toThrow(
      "CharTokenizer.fit: maxVocab counts the 2 reserved ids (<pad>, <unk>), so it must be at least 3, got 2",
    );
    expect(() => charTokenizer('abc', { maxVocab: 4, bosEos: true })).toThrow(/must be at least 5, got 4/);
    expect(() => charTokenizer('abc', { minCount: 0 })).toThrow('CharTokenizer.fit: minCount must be a positive integer, got 0');
    expect(() => charTokenizer('abc', { lowercse: true } as never)).toThrow(/unknown option 'lowercse' \(did you mean 'lowercase'\?\)/);
    expect(() => charTokenizer('abc', { bosEos: 1 } as never)).toThrow(OptionError);
    const tok = charTokenizer('ab');
    expect(() => tok.encode(5 as never)).toThrow('CharTokenizer.encode: text must be a string, got 5');
    expect(() => tok.decode([2, 4])).toThrow('CharTokenizer.decode: ids[1] must be an integer in [0, 4), got 4');
    expect(() => tok.decode([2.5])).toThrow(ValueError);
    expect(() => tok.decode([-1])).toThrow(ValueError);
    expect(() => tok.decode([[2, 3]])).toThrow('CharTokenizer.decode: ids must be 1-D (one sequence), got shape [1, 2]');
    expect(() => tok.decode([[2, 3]])).toThrow(ShapeError);
  });

  it('fromJSON rejects malformed vocabularies naming the field', () => {
    const good = { kind: 'charTokenizer', lowercase: false, bosEos: false, tokens: ['<pad>', '<unk>', 'a'] };
    expect(() => CharTokenizer.fromJSON({ ...good, kind: 'wordTokenizer' })).toThrow(`CharTokenizer.fromJSON: expected an object with kind 'charTokenizer', got "wordTokenizer"`);
    expect(() => CharTokenizer.fromJSON({ ...good, tokens: ['<unk>', '<pad>', 'a'] })).toThrow(`CharTokenizer.fromJSON: tokens[0] must be the reserved '<pad>', got "<unk>"`);
    expect(() => CharTokenizer.fromJSON({ ...good, bosEos: true })).toThrow(`tokens[2] must be the reserved '<bos>', got "a"`);
    expect(() => CharTokenizer.fromJSON({ ...good, tokens: ['<pad>', '<unk>', 'a', 'a'] })).toThrow(`tokens[3] "a" appears twice`);
    expect(() => CharTokenizer.fromJSON({ ...good, tokens: 'abc' })).toThrow('CharTokenizer.fromJSON: tokens must be an array of non-empty strings, got "abc"');
    expect(() => CharTokenizer.fromJSON({ ...good, lowercase: undefined })).toThrow('CharTokenizer.fromJSON: lowercase must be true or false, got undefined');
    expect(() => CharTokenizer.fromJSON('x')).toThrow(/got "x"/);
  });
});
