// Test data through the real API: staff accounts are made with the CLI
// (`schoolhouse user create`), then courses, lessons, quizzes and products
// are created over HTTP exactly as the admin UI would.

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { BASE_URL, newAccount } from './support.mjs';

export const CLI_BIN = process.env.UI_SERVER_BIN || '';
export const DATA_DIR = process.env.UI_DATA_DIR || '';
export const canUseCli = () => Boolean(CLI_BIN && DATA_DIR);

/** Call the API as `token` (or anonymously); throws with the problem on failure. */
export async function apiCall(method, path, body, token) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${BASE_URL}/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (!res.ok) throw new Error(`${method} ${path} -> ${res.status}: ${text}`);
  return data;
}

// The server reads every SCHOOLHOUSE_* variable as configuration (and the
// tests' SCHOOLHOUSE_URL is not one), so the CLI runs without them.
function cliEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SCHOOLHOUSE_')));
}

/** `schoolhouse user create` for `account` ({name, email, password}) with `role`. */
export function createAccount(account, role) {
  execFileSync(CLI_BIN, ['user', 'create', '--email', account.email, '--role', role, '--name', account.name, '--password-stdin', '--data-dir', DATA_DIR],
    { input: `${account.password}\n`, stdio: ['pipe', 'pipe', 'pipe'], env: cliEnv() });
}

/** Logs in over HTTP; resolves with the access token. */
export async function apiLogin(email, password) {
  return (await apiCall('POST', '/auth/login', { email, password })).access_token;
}

/** A staff account of `role` created with the CLI, signed in; resolves with {email, password, token}. */
export async function staffAccount(role) {
  const account = newAccount(role);
  createAccount(account, role);
  const login = await apiCall('POST', '/auth/login', { email: account.email, password: account.password });
  return { email: account.email, password: account.password, token: login.access_token, user: login.user };
}

/**
 * A published course with one section and the given lessons
 * (each {content_type, title, ...LessonBody}); resolves with {course, lessons}.
 */
export async function makeCourse(token, { title, price_cents = 0, lessons }) {
  const course = await apiCall('POST', '/courses', {
    title: `${title} ${randomBytes(3).toString('hex')}`,
    price_cents,
    description: `A course made by the browser tests: ${title}.`,
    status: 'published',
  }, token);
  const section = await apiCall('POST', `/courses/${course.id}/sections`, { title: 'Getting started' }, token);
  const made = [];
  for (const lesson of lessons) {
    made.push(await apiCall('POST', `/courses/${course.id}/lessons`, { section_id: section.id, ...lesson }, token));
  }
  return { course, lessons: made };
}

/** A published physical product with stock; resolves with the product. */
export async function makeProduct(token, { name, price_cents = 1500, stock_quantity = 20 }) {
  return apiCall('POST', '/products', {
    name: `${name} ${randomBytes(3).toString('hex')}`,
    kind: 'physical',
    price_cents,
    stock_quantity,
    description: 'A product made by the browser tests.',
    status: 'published',
  }, token);
}

/** The current RFC 6238 TOTP code (SHA-1, 30 s, 6 digits) for a base32 secret. */
export async function totp(secret, at = Date.now()) {
  const { createHmac } = await import('node:crypto');
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '').replace(/\s+/g, '').toUpperCase()) {
    bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  }
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1000000;
  return String(value).padStart(6, '0');
}
