// Starts the real schoolhouse binary on a data dir filled by `schoolhouse demo`, for UI
// work without a hand-written stand-in for the API (dev-server.mjs --demo, and
// dev-server.test.mjs). The API the pages talk to is the one that ships, so it cannot drift.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, readdirSync, createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (s.address());
      s.close(() => ok(port));
    });
  });
}

/**
 * The binary to run: `bin`, else UI_SERVER_BIN, else target/debug/schoolhouse (built with
 * `cargo build` when it is missing).
 * @param {string} [bin]
 */
export function serverBinary(bin) {
  const chosen = bin || process.env.UI_SERVER_BIN;
  if (chosen) return resolve(chosen);
  const debug = join(repo, 'target/debug/schoolhouse');
  if (!existsSync(debug)) {
    console.log('demo-server: building target/debug/schoolhouse (cargo build)');
    const built = spawnSync('cargo', ['build', '--quiet'], { cwd: repo, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('cargo build failed');
  }
  return debug;
}

// The server treats every SCHOOLHOUSE_* variable as configuration: a developer's shell (or
// tests/ui/run.sh) may hold some meant for another server, so the demo server gets none.
function cleanEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SCHOOLHOUSE_')));
}

/**
 * Start the binary with demo data. `dataDir` that already holds a school is served as it
 * is; otherwise (or with no `dataDir`: a temporary one, removed by stop()) `schoolhouse demo`
 * fills it first. `env` is configuration for this server only (e.g.
 * `{ SCHOOLHOUSE_STORE__CURRENCY: 'JPY' }`). Resolves once /readyz answers.
 * @param {{ bin?: string, dataDir?: string, env?: Record<string, string>, log?: string, quiet?: boolean }} [opts]
 * @returns {Promise<{ url: string, dataDir: string, bin: string, stop: () => Promise<void> }>}
 */
export async function startDemoServer({ bin, dataDir, env: config = {}, log, quiet = false } = {}) {
  const exe = serverBinary(bin);
  const temporary = !dataDir;
  const dir = dataDir ? resolve(dataDir) : mkdtempSync(join(tmpdir(), 'schoolhouse-demo-'));
  const env = { ...cleanEnv(), ...config };
  const fresh = !existsSync(dir) || readdirSync(dir).length === 0;
  if (fresh) {
    const demo = spawnSync(exe, ['--data-dir', dir, 'demo'], { env, encoding: 'utf8' });
    if (demo.status !== 0) {
      if (temporary) rmSync(dir, { recursive: true, force: true });
      throw new Error(`schoolhouse demo failed:\n${demo.stdout}${demo.stderr}`);
    }
    if (!quiet) process.stdout.write(demo.stdout);
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(exe, ['--data-dir', dir, 'serve', '--listen', `127.0.0.1:${port}`], {
    env, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = log ? createWriteStream(log) : null;
  let output = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk) => {
      if (out) out.write(chunk);
      else if (output.length < 20000) output += chunk;
    });
  }
  let exited = false;
  const gone = new Promise((ok) => child.once('exit', () => { exited = true; ok(undefined); }));
  const stop = async () => {
    if (!exited) child.kill('SIGTERM');
    await gone;
    out?.end();
    if (temporary) rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`the server exited during start-up:\n${output}`);
    }
    const ready = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server did not become ready at ${url}:\n${output}`);
    }
    await new Promise((ok) => setTimeout(ok, 100));
  }
  return { url, dataDir: dir, bin: exe, stop };
}
