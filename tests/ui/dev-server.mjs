// Development server for UI work: serves assets/ from disk (edit, reload, no cargo build)
// with /api from the real schoolhouse server.
//
//   node tests/ui/dev-server.mjs --demo [--data-dir DIR] [--port 8090]
//   node tests/ui/dev-server.mjs --api http://127.0.0.1:8080 [--port 8090]
//
// Serves assets/ like the binary does: files by path, unknown paths under
// /admin get admin/index.html, other unknown non-API paths get index.html.
// With --demo it starts the binary (UI_SERVER_BIN, else target/debug/schoolhouse)
// on a data dir filled by `schoolhouse demo` (a temporary one unless --data-dir
// names one; see demo-server.mjs) and stops it on exit. With --api URL it uses a
// server that is already running. Either way /api/* and /media/* are forwarded
// (same origin for the browser, so the refresh cookie works as in production).
// --port 0 picks a free port; the first line printed names the address.

import { createServer, request } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemoServer } from './demo-server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../assets');
const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
if (args.includes('--mock-api')) {
  console.error('dev-server: the mock API is gone; use --demo (the real server with demo data) or --api URL.');
  process.exit(2);
}
if (!args.includes('--demo') && !option('--api')) {
  console.error('usage: node tests/ui/dev-server.mjs (--demo [--data-dir DIR] | --api URL) [--port 8090]');
  process.exit(2);
}
const port = Number(option('--port') ?? process.env.PORT ?? 8090);
const demo = args.includes('--demo') ? await startDemoServer({ dataDir: option('--data-dir') }) : null;
const upstream = new URL(demo ? demo.url : option('--api'));
if (demo) {
  const stop = () => demo.stop().finally(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

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
    // The server's own paths (web.rs keeps them from the UI's fallback too).
    if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/media/')) return proxy(req, res, url);
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
}).listen(port, '127.0.0.1', function listening() {
  const { port: bound } = this.address();
  console.log(`dev server on http://127.0.0.1:${bound}/ serving ${root} with /api from ${upstream.origin}${demo ? ` (demo data in ${demo.dataDir})` : ''}`);
});
