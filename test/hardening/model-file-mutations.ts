import fc from 'fast-check';
import { encodeFloat32, decodeFloat32 } from '../../src/io/base64.js';

/*
 * Hostile and damaged variants of a valid model document, as fast-check arbitraries: text-level
 * damage (truncation, character and bit flips, deleted spans, inserted keys, exact duplicates of a
 * key) and structural damage (any value replaced by a hostile one, prototype keys added, NaN
 * weights, future versions).
 */

/** What the fuzz test feeds to modelFromJSON: JSON text, or the object itself. */
export interface HostileFile {
  kind: string;
  input: string | object;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function nested(depth: number, inner: Json, asObject: boolean): Json {
  let value = inner;
  for (let i = 0; i < depth; i++) value = asObject ? { a: value } : [value];
  return value;
}

const PROTO_BOMB = '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"prototype":{"polluted":1}}';

/** Values that replace any part of the document. Built lazily: some are large. */
const HOSTILE_VALUES: readonly (() => Json)[] = [
  () => 1e308, () => -1, () => 0, () => 2 ** 53, () => 1.5, () => -0, () => 1e-320, () => 2 ** 31,
  () => [1e9, 1e9], () => [2 ** 31, 2], () => [-1, 2], () => [0], () => [],
  () => '', () => 'float16', () => 'float64', () => 'int8', () => 'big', () => 'NaN', () => '__proto__', () => 'x'.repeat(5000),
  () => null, () => true, () => ({}),
  () => nested(200, 1, false), () => nested(200, 1, true),
  () => JSON.parse(PROTO_BOMB) as Json,
];
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'polluted', 'toString', 'hasOwnProperty'] as const;
/** Key–value pairs inserted after a '{': duplicates of real keys, prototype keys, deep nesting. */
const INSERTED_PAIRS = [
  '"kind":"seq2seq"', '"formatVersion":2', '"format":"other"', '"weights":{}', '"name":"x"', '"__proto__":{"polluted":1}',
  '"__proto__":{"polluted":1},"__proto__":{"polluted":2}',
  `"deep":${'['.repeat(100_000)}${']'.repeat(100_000)}`, `"deep":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`,
];
const FLIP_CHARS = '{}[]",:0123456789-+eE.aZ\\ \u0000\ud800\u00e9';

/** Every path (list of keys) to a value inside `doc`, the root included. */
function paths(doc: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out = [prefix];
  if (Array.isArray(doc)) doc.forEach((item, i) => out.push(...paths(item, [...prefix, i])));
  else if (doc !== null && typeof doc === 'object') for (const [key, value] of Object.entries(doc)) out.push(...paths(value, [...prefix, key]));
  return out;
}

function setAt(doc: Json, path: (string | number)[], value: Json): Json {
  if (path.length === 0) return value;
  const parent = path.slice(0, -1).reduce<Json>((node, key) => (node as Record<string, Json>)[key]!, doc) as Record<string, Json>;
  // defineProperty makes `__proto__` an own key instead of calling the prototype setter.
  Object.defineProperty(parent, path.at(-1)!, { value, enumerable: true, writable: true, configurable: true });
  return doc;
}

function objectPaths(doc: Json): (string | number)[][] {
  return paths(doc).filter((p) => {
    const node = p.reduce<Json>((n, key) => (n as Record<string, Json>)[key]!, doc);
    return node !== null && typeof node === 'object' && !Array.isArray(node);
  });
}

/** Stands in for a value while the document is stringified, then replaced by the duplicated member. */
const DUPLICATE_MARK = '\u0000duplicate\u0000';

/**
 * The document with member `key` of the record at `path` written twice with the same value: a
 * file JSON.parse would load (the last one wins), which the strict reader must refuse.
 */
function duplicatedKey(doc: Json, path: (string | number)[], key: string): string {
  const parent = path.reduce<Json>((node, k) => (node as Record<string, Json>)[k]!, doc) as Record<string, Json>;
  const member = `${JSON.stringify(key)}:${JSON.stringify(parent[key])}`;
  parent[key] = DUPLICATE_MARK;
  return JSON.stringify(doc).replace(`${JSON.stringify(key)}:${JSON.stringify(DUPLICATE_MARK)}`, `${member},${member}`);
}

/**
 * Hostile variants of any valid JSON document `text`: text-level damage, duplicate and inserted
 * keys, hostile values anywhere, prototype keys. `objects: true` also hands some of the
 * structural variants over as objects instead of text.
 */
export function hostileJson(text: string, objects: boolean): fc.Arbitrary<HostileFile> {
  const fresh = () => JSON.parse(text) as Json;
  const valuePaths = paths(fresh());
  const recordPaths = objectPaths(fresh());
  const members = recordPaths.flatMap((path) => {
    const node = path.reduce<Json>((n, k) => (n as Record<string, Json>)[k]!, fresh()) as Record<string, Json>;
    return Object.keys(node).map((key) => [path, key] as const);
  });
  const at = fc.nat({ max: text.length - 1 });
  const asText = (kind: string, input: string): HostileFile => ({ kind, input });
  const asObject = objects ? fc.boolean() : fc.constant(false);

  return fc.oneof(
    at.map((n) => asText('truncated', text.slice(0, n))),
    fc.tuple(at, fc.constantFrom(...FLIP_CHARS)).map(([i, c]) => asText('char flip', text.slice(0, i) + c + text.slice(i + 1))),
    fc.tuple(at, fc.nat({ max: 15 })).map(([i, bit]) => asText('bit flip', text.slice(0, i) + String.fromCharCode(text.charCodeAt(i) ^ (1 << bit)) + text.slice(i + 1))),
    fc.tuple(at, fc.nat({ max: 40 })).map(([i, n]) => asText('deleted span', text.slice(0, i) + text.slice(i + n))),
    fc.tuple(fc.nat({ max: 50 }), fc.constantFrom(...INSERTED_PAIRS)).map(([n, pair]) => {
      const braces = [...text.matchAll(/\{/g)].map((m) => m.index);
      const i = braces[n % braces.length]! + 1;
      return asText('inserted key', `${text.slice(0, i)}${pair},${text.slice(i)}`);
    }),
    fc.constantFrom(...members).map(([path, key]) => asText('duplicate key', duplicatedKey(fresh(), [...path], key))),
    fc.tuple(fc.constantFrom(...valuePaths), fc.nat({ max: HOSTILE_VALUES.length - 1 }), asObject).map(([path, v, object]) =>
      structural('hostile value', setAt(fresh(), path, HOSTILE_VALUES[v]!()), object)),
    fc.tuple(fc.constantFrom(...recordPaths), fc.constantFrom(...PROTO_KEYS), asObject).map(([path, key, object]) =>
      structural('prototype key', setAt(fresh(), [...path, key], JSON.parse(PROTO_BOMB) as Json), object)),
  );
}

function structural(kind: string, doc: Json, asObject: boolean): HostileFile {
  return { kind, input: asObject ? (doc as object) : JSON.stringify(doc) };
}

/** Hostile variants of `text` (a valid model document): hostileJson's, NaN weights and future versions. */
export function hostileFiles(text: string): fc.Arbitrary<HostileFile> {
  const fresh = () => JSON.parse(text) as Json;
  const tensorCount = (fresh() as { weights: { tensors: unknown[] } }).weights.tensors.length;
  return fc.oneof(
    { arbitrary: hostileJson(text, true), weight: 8 },
    fc.tuple(fc.nat({ max: tensorCount - 1 }), fc.nat({ max: 100 }), fc.constantFrom(NaN, Infinity, -Infinity, 3.4e38), fc.boolean()).map(([t, i, bad, asObject]) => {
      const doc = fresh() as { weights: { tensors: { data: string }[] } };
      const tensor = doc.weights.tensors[t]!;
      const values = decodeFloat32(tensor.data) as Float32Array;
      values[i % values.length] = bad;
      tensor.data = encodeFloat32(values);
      return structural(`weight ${bad}`, doc as unknown as Json, asObject);
    }),
    fc.tuple(fc.integer({ min: 2, max: 2 ** 31 }), fc.boolean()).map(([version, asObject]) =>
      structural('future version', setAt(fresh(), ['formatVersion'], version), asObject)),
  );
}
