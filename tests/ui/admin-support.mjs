// Helpers for the admin-area browser tests: accounts made with the CLI on the
// server's data dir, and logging in through the form.

import { execFile } from 'node:child_process';

export function cliAvailable() {
  return Boolean(process.env.UI_SERVER_BIN && process.env.UI_DATA_DIR);
}

// The server reads every SCHOOLHOUSE_* variable as configuration (and the
// tests' SCHOOLHOUSE_URL is not one), so the CLI runs without them.
function cliEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SCHOOLHOUSE_')));
}

/** `schoolhouse user create` with the password on stdin. */
export function createAccount(account, role) {
  return new Promise((resolve, reject) => {
    const child = execFile(process.env.UI_SERVER_BIN, [
      'user', 'create', '--email', account.email, '--role', role, '--name', account.name,
      '--password-stdin', '--data-dir', process.env.UI_DATA_DIR,
    ], { env: cliEnv() }, (err, stdout, stderr) => (err ? reject(new Error(`user create failed: ${stderr || err.message}`)) : resolve(stdout)));
    child.stdin.end(`${account.password}\n`);
  });
}

export async function logIn(page, email, password) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** Log in over HTTP; resolves with the access token. */
export async function apiLogin(base, email, password) {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }),
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`login ${email}: ${res.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

/** Call the API with a bearer token; throws on a non-2xx answer. */
export async function apiCall(base, token, method, path, body) {
  const res = await fetch(`${base}/api${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return data;
}
