// `npm run web`: serves the playground (web/) with the built library (dist/) and the sample data
// (data/) on localhost, and prints the URL. Builds dist/ first when it is missing.
// Usage: node scripts/serve-web.mjs [--port N]   (default 8080; 0 picks a free port)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** URL path → file: `/dist/…` and `/data/…` from those folders, everything else from web/; null outside them. */
function fileFor(path) {
  const folder = ['dist', 'data'].find((name) => path.startsWith(`/${name}/`));
  const base = join(ROOT, folder ?? 'web');
  const file = normalize(join(base, folder === undefined ? (path === '/' ? 'index.html' : path) : path.slice(folder.length + 1)));
  return file.startsWith(base + sep) ? file : null;
}

function portFromArgs(args) {
  const at = args.indexOf('--port');
  const port = at === -1 ? 8080 : Number(args[at + 1]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port wants an integer in 0..65535, got ${args[at + 1]}`);
  return port;
}

if (!existsSync(join(ROOT, 'dist/index.js'))) {
  console.log('dist/ is missing: running npm run build first');
  const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const server = createServer((request, response) => {
  const send = (status, body, type) => {
    response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    response.end(body);
  };
  let path;
  try {
    path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
  } catch {
    return send(400, 'malformed URL', 'text/plain');
  }
  const file = fileFor(path);
  if (file === null) return send(404, 'not served', 'text/plain');
  readFile(file).then(
    (bytes) => send(200, bytes, CONTENT_TYPES[extname(file)] ?? 'application/octet-stream'),
    () => send(404, 'not found', 'text/plain'),
  );
});

server.listen(portFromArgs(process.argv.slice(2)), '127.0.0.1', () => {
  console.log(`wasm-rnn playground: http://127.0.0.1:${server.address().port}/`);
});
