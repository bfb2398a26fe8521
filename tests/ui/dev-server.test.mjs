// The UI dev workflow works against the real server: `dev-server.mjs --demo` starts the
// binary on demo data and serves assets/ from disk with /api forwarded, so pages can be
// worked on without a hand-written mock. No browser: plain HTTP, like the browser would do.
// Needs UI_SERVER_BIN (run.sh exports it when it starts the server itself).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const BIN = process.env.UI_SERVER_BIN;

/** Start dev-server.mjs with `args`; resolves with its address once it prints it. */
async function startDevServer(args) {
  const env = { ...process.env, UI_SERVER_BIN: BIN };
  const child = spawn(process.execPath, [join(here, 'dev-server.mjs'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const address = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`dev-server did not start:\n${output}`)), 120_000);
    const read = (chunk) => {
      output += chunk;
      const m = /dev server on (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`dev-server exited with ${code}:\n${output}`));
    });
  });
  return {
    url: address,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      return code;
    },
  };
}

test('the dev server serves assets/ from disk and the demo school from the real API', { skip: !BIN && 'needs UI_SERVER_BIN' }, async () => {
  const dev = await startDevServer(['--demo', '--port', '0']);
  const dataDir = /\(demo data in (.+)\)/.exec(dev.output())?.[1];
  try {
    assert.ok(dataDir && existsSync(dataDir), `a temporary data dir: ${dev.output()}`);
    // The demo's logins are printed for the developer.
    assert.match(dev.output(), /admin@demo\.example\.com/);

    // Files come from the working tree, as they are on disk (no build step).
    const js = await fetch(`${dev.url}/js/money.js`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type'), /text\/javascript/);
    assert.equal(await js.text(), await readFile(join(here, '../../assets/js/money.js'), 'utf8'));
    // Client-side routes fall back to the right shell, with the binary's CSP.
    const admin = await fetch(`${dev.url}/admin/products/new`);
    assert.match(await admin.text(), /<!doctype html/i);
    assert.match(admin.headers.get('content-security-policy'), /default-src 'self'/);
    const page = await fetch(`${dev.url}/courses/anything`);
    assert.equal(await page.text(), await readFile(join(here, '../../assets/index.html'), 'utf8'));

    // The API is the real one, with the demo's catalogue and settings.
    const courses = await (await fetch(`${dev.url}/api/courses`)).json();
    assert.ok(courses.items.length >= 3, `demo courses: ${JSON.stringify(courses).slice(0, 200)}`);
    const settings = await (await fetch(`${dev.url}/api/settings`)).json();
    assert.match(settings.currency, /^[A-Z]{3}$/);
    // A real error from the real server, not a stand-in's guess at its shape.
    const missing = await fetch(`${dev.url}/api/courses/no-such-course`);
    assert.equal(missing.status, 404);
    assert.match(missing.headers.get('content-type'), /application\/problem\+json/);

    // Signing in through the dev server works as on the binary: same origin, refresh cookie.
    const login = await fetch(`${dev.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'admin@demo.example.com', password: 'demo-admin-password' }),
    });
    assert.equal(login.status, 200, await login.clone().text());
    const { access_token: token } = await login.json();
    assert.ok(token);
    assert.ok(login.headers.get('set-cookie'), 'the refresh cookie reaches the browser');
    const orders = await fetch(`${dev.url}/api/orders`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(orders.status, 200);
    assert.ok((await orders.json()).items.length > 0, 'the demo has orders');
  } finally {
    assert.equal(await dev.stop(), 0, 'the dev server stops cleanly and takes its server with it');
  }
  assert.ok(!existsSync(dataDir), 'the temporary demo data dir is removed');
});

test('the removed mock API is refused with the way to the real server', async () => {
  const child = spawn(process.execPath, [join(here, 'dev-server.mjs'), '--mock-api'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c) => { err += c; });
  const [code] = await once(child, 'exit');
  assert.equal(code, 2);
  assert.match(err, /--demo/);
});
