import { describe, ValueError } from '../errors.js';
import { fail, isRecord, parseJsonDocument } from './keras-json.js';
import { readManifest, type TfjsManifest } from './tfjs-manifest.js';

/*
 * Where a tfjs layers model comes from: `{ modelJson, weights }` in memory, a path to model.json
 * in Node (shards read beside it; `node:fs/promises` imported only then), or a URL (fetch;
 * shards resolved relative to it). The manifest is read and checked before any shard is read, and
 * the shards' sizes before their bytes are kept.
 */

/** What loadTfjsModel accepts. */
export type TfjsSource =
  | { modelJson: object | string; weights: ArrayBuffer | ArrayBufferView | readonly (ArrayBuffer | ArrayBufferView)[] }
  | string
  | URL;

export interface TfjsArtifacts {
  manifest: TfjsManifest;
  data: Uint8Array;
}

export async function readTfjsSource(where: string, source: TfjsSource): Promise<TfjsArtifacts> {
  if (isRecord(source) && !(source instanceof URL)) return fromMemory(where, source as Record<string, unknown>);
  const node = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
  const url = source instanceof URL ? source : typeof source === 'string' && /^(https?|blob|data|file):/i.test(source) ? new URL(source) : null;
  if (url !== null && url.protocol === 'file:' && node) return fromFile(where, (await import('node:url')).fileURLToPath(url));
  if (url !== null) return fromUrl(where, url);
  if (typeof source === 'string') return node ? fromFile(where, source) : fromUrl(where, new URL(source, globalThis.location?.href));
  throw new ValueError(`${where}: source must be { modelJson, weights }, a path to model.json (Node) or a URL, got ${describe(source)}`);
}

function manifestOf(where: string, modelJson: unknown): TfjsManifest {
  const parsed = typeof modelJson === 'string' ? parseJsonDocument(where, modelJson, 'model.json') : modelJson;
  return readManifest(where, parsed);
}

function bytesOf(where: string, path: string, value: unknown): Uint8Array {
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw new ValueError(`${where}: ${path} must be an ArrayBuffer or a typed array, got ${describe(value)}`);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

function fromMemory(where: string, source: Record<string, unknown>): TfjsArtifacts {
  const keys = Object.keys(source);
  const unknown = keys.filter((key) => key !== 'modelJson' && key !== 'weights');
  if (unknown.length > 0 || !keys.includes('modelJson') || !keys.includes('weights')) {
    throw new ValueError(`${where}: source must be { modelJson, weights } (model.json as an object or text; the weight data as one ArrayBuffer or an array of shard buffers), got an object with ${describe(keys)}`);
  }
  const manifest = manifestOf(where, source.modelJson);
  const weights = source.weights;
  const shards = Array.isArray(weights) ? weights.map((w, i) => bytesOf(where, `weights[${i}]`, w)) : [bytesOf(where, 'weights', weights)];
  if (Array.isArray(weights) && shards.length !== manifest.paths.length) {
    fail(where, `weights holds ${shards.length} shard buffers, but the manifest lists ${manifest.paths.length} (${manifest.paths.join(', ')})`);
  }
  checkTotal(where, manifest, shards.reduce((n, s) => n + s.byteLength, 0));
  return { manifest, data: concat(shards) };
}

function checkTotal(where: string, manifest: TfjsManifest, bytes: number): void {
  if (bytes !== manifest.totalBytes) {
    fail(where, `the weight shards hold ${bytes} bytes, but weightsManifest describes ${manifest.totalBytes} (${manifest.entries.length} float32 weights)`);
  }
}

/** Shard paths must stay beside model.json: no absolute paths, no `..`. */
function checkShardPath(where: string, path: string): void {
  if (path === '' || path.startsWith('/') || path.startsWith('\\') || /^[a-z]+:/i.test(path) || path.split(/[\\/]/).includes('..')) {
    fail(where, `weightsManifest path ${describe(path)} must be a file name relative to model.json (no absolute paths or '..')`);
  }
}

async function fromFile(where: string, path: string): Promise<TfjsArtifacts> {
  const fs = await import('node:fs/promises');
  const { dirname, join } = await import('node:path');
  const read = async <T>(file: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (cause) {
      return fail(where, `cannot read ${file}: ${(cause as Error).message}`, cause);
    }
  };
  const text = await read(path, () => fs.readFile(path, 'utf8'));
  const manifest = manifestOf(where, text);
  const files = manifest.paths.map((shard) => {
    checkShardPath(where, shard);
    return join(dirname(path), shard);
  });
  const sizes = await Promise.all(files.map((file) => read(file, async () => (await fs.stat(file)).size)));
  checkTotal(where, manifest, sizes.reduce((a, b) => a + b, 0));
  const shards = await Promise.all(files.map((file) => read(file, async () => new Uint8Array(await fs.readFile(file)))));
  checkTotal(where, manifest, shards.reduce((n, s) => n + s.byteLength, 0));
  return { manifest, data: concat(shards) };
}

async function fromUrl(where: string, url: URL): Promise<TfjsArtifacts> {
  const get = async (target: URL): Promise<Response> => {
    let response: Response;
    try {
      response = await fetch(target);
    } catch (cause) {
      return fail(where, `cannot fetch ${target.href}: ${(cause as Error).message}`, cause);
    }
    if (!response.ok) fail(where, `fetching ${target.href} gave HTTP ${response.status}`);
    return response;
  };
  const manifest = manifestOf(where, await (await get(url)).text());
  const shards: Uint8Array[] = [];
  for (const shard of manifest.paths) {
    checkShardPath(where, shard);
    const response = await get(new URL(shard, url));
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > manifest.totalBytes) checkTotal(where, manifest, declared);
    shards.push(new Uint8Array(await response.arrayBuffer()));
  }
  checkTotal(where, manifest, shards.reduce((n, s) => n + s.byteLength, 0));
  return { manifest, data: concat(shards) };
}
