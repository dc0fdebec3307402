// A tiny static server for the browser tests: the repository's dist/ and test/browser/page/ as
// files, plus pages and scripts a test hands it in memory. Listens on 127.0.0.1, random port.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** URL prefixes served from the repository; nothing else on disk is reachable. */
const SERVED_FOLDERS = ['/dist/', '/test/browser/page/'];

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** A blank page to run scripts in, on the bundle's origin. */
const BLANK_PAGE = '<!doctype html><meta charset="utf-8"><title>wasm-rnn</title>';

export interface StaticServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** Serves `body` at `path` (e.g. '/example.html'), typed by the path's extension. */
  put(path: string, body: string | Uint8Array): void;
  close(): Promise<void>;
}

export async function startStaticServer(): Promise<StaticServer> {
  const inMemory = new Map<string, string | Uint8Array>([['/', BLANK_PAGE]]);
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const respond = (status: number, body: string | Uint8Array) => {
      response.writeHead(status, { 'content-type': CONTENT_TYPES[extname(path)] ?? CONTENT_TYPES['.html']!, 'cache-control': 'no-store' });
      response.end(body);
    };
    if (path === '/favicon.ico') return respond(204, '');
    const stored = inMemory.get(path);
    if (stored !== undefined) return respond(200, stored);
    const file = normalize(join(ROOT, path));
    const allowed = SERVED_FOLDERS.some((folder) => path.startsWith(folder)) && file.startsWith(ROOT) && !file.includes(`${sep}..${sep}`);
    if (!allowed) return respond(404, 'not served');
    readFile(file).then((bytes) => respond(200, bytes), () => respond(404, 'not found'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    put: (path, body) => void inMemory.set(path, body),
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
