// Development server for UI layout work, without the Rust binary.
//
//   node tests/ui/dev-server.mjs [--port 8090] [--mock-api | --api http://127.0.0.1:8099]
//
// Serves assets/ like the binary does: files by path, unknown paths under
// /admin get admin/index.html, other unknown non-API paths get index.html.
// With --mock-api it also answers the documented /api shapes from memory
// (see dev-mock-api.mjs) so pages can be clicked through and screenshotted.
// With --api URL it forwards /api/* to a running schoolhouse server instead
// (same origin for the browser, so the refresh cookie works as in production).
// This is a development aid only: the browser tests run against the real
// server (SCHOOLHOUSE_URL).

import { createServer, request } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../assets');
const args = process.argv.slice(2);
const port = Number(args[args.indexOf('--port') + 1]) || Number(process.env.PORT) || 8090;
const mock = args.includes('--mock-api') ? (await import('./dev-mock-api.mjs')).createMockApi() : null;
const upstream = args.includes('--api') ? new URL(args[args.indexOf('--api') + 1]) : null;

function proxy(req, res, url) {
  const out = request({
    host: upstream.hostname, port: upstream.port || 80, method: req.method, path: url.pathname + url.search,
    headers: { ...req.headers, host: upstream.host },
  }, (up) => {
    res.writeHead(up.statusCode, up.headers);
    up.pipe(res);
  });
  out.on('error', () => {
    res.writeHead(502, { 'Content-Type': 'application/problem+json' });
    res.end(JSON.stringify({ type: 'about:blank', title: 'Bad Gateway', status: 502, detail: `The API at ${upstream.origin} did not answer.` }));
  });
  req.pipe(out);
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg',
  '.json': 'application/json', '.woff2': 'font/woff2', '.txt': 'text/plain; charset=utf-8',
};
// The same policy the binary is expected to send, so CSP mistakes show up here.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

async function sendFile(res, file, status = 200) {
  const body = await readFile(file);
  res.writeHead(status, { 'Content-Type': TYPES[extname(file)] || 'application/octet-stream', 'Content-Security-Policy': CSP, 'Cache-Control': 'no-store' });
  res.end(body);
}

createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  try {
    if (url.pathname.startsWith('/api/')) {
      if (upstream) return proxy(req, res, url);
      if (mock) return await mock(req, res, url);
      res.writeHead(404, { 'Content-Type': 'application/problem+json' });
      return res.end(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'No API on the dev server (start it with --mock-api).' }));
    }
    const path = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(root, path);
    if (file.startsWith(root)) {
      const info = await stat(file).catch(() => null);
      if (info && info.isFile()) return await sendFile(res, file);
    }
    if (extname(url.pathname) && !url.pathname.endsWith('.html')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      return res.end('not found');
    }
    const fallback = url.pathname === '/admin' || url.pathname.startsWith('/admin/') ? 'admin/index.html' : 'index.html';
    return await sendFile(res, join(root, fallback));
  } catch (e) {
    console.error(e);
    res.writeHead(500, { 'Content-Type': 'text/plain' });
    res.end('dev server error');
  }
}).listen(port, '127.0.0.1', () => {
  console.log(`dev server on http://127.0.0.1:${port}/ serving ${root}${mock ? ' with mock API' : ''}${upstream ? ` with /api from ${upstream.origin}` : ''}`);
});
