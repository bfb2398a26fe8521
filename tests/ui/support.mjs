// Shared helpers for the browser tests: launch the system Chromium, record
// every request a page makes, and save screenshots.

import { chromium } from 'playwright-core';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';

const here = dirname(fileURLToPath(import.meta.url));

export const BASE_URL = (process.env.SCHOOLHOUSE_URL || '').replace(/\/+$/, '');
if (!BASE_URL) {
  throw new Error('SCHOOLHOUSE_URL is not set: point it at a running schoolhouse server (tests/ui/run.sh does this for you).');
}
export const APP_ORIGIN = new URL(BASE_URL).origin;

export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR || resolve(here, '../../test-output/screenshots');

export const LAUNCH_OPTIONS = {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
};

export async function launch() {
  return chromium.launch(LAUNCH_OPTIONS);
}

/** The answers of 400 and above each session's page got, told when a heading never shows. */
const refusedResponses = new WeakMap();

/**
 * A new browser context whose requests are all recorded in `requests`
 * (URLs), with page errors collected in `errors`.
 */
export async function newSession(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const requests = [];
  const errors = [];
  context.on('request', (req) => requests.push(req.url()));
  const page = await context.newPage();
  page.on('pageerror', (err) => errors.push(err.message));
  const refused = [];
  refusedResponses.set(page, refused);
  page.on('response', (res) => {
    if (res.status() >= 400) refused.push(`${res.status()} ${res.request().method()} ${new URL(res.url()).pathname}`);
  });
  page.setDefaultTimeout(15000);
  return { context, page, requests, errors };
}

/** Request URLs that went anywhere but the app's own origin (data: and blob: are local). */
export function foreignRequests(requests) {
  return requests.filter((url) => {
    if (url.startsWith('data:') || url.startsWith('blob:') || url === 'about:blank') return false;
    return new URL(url).origin !== APP_ORIGIN;
  });
}

export async function screenshot(page, name) {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** A unique throwaway account. */
export function newAccount(prefix = 'learner') {
  const tag = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  return {
    name: `Test ${prefix} ${tag}`,
    email: `${prefix}-${tag}@example.com`,
    password: `violet harbour ${randomBytes(4).toString('hex')} lantern`,
  };
}

/** Wait until the page's main heading (h1 in main) has the given text. */
export async function expectHeading(page, text) {
  const heading = page.locator('main h1');
  try {
    await heading.filter({ hasText: text }).first().waitFor({ state: 'visible' });
  } catch (err) {
    // Say what the page showed instead: a timeout alone does not tell a slow page from an
    // error page or a sign-in redirect.
    const shown = await page.evaluate(() => (document.querySelector('main') || document.body)?.innerText || '')
      .catch(() => '(page unreadable)');
    err.message += `\n  at ${page.url()}, the page showed: ${shown.replace(/\s+/g, ' ').slice(0, 600)}`;
    const refused = refusedResponses.get(page) || [];
    if (refused.length) err.message += `\n  answers refused: ${refused.slice(-10).join(', ')}`;
    throw err;
  }
  return heading;
}

/** Fills and submits the login form on the current page. */
export async function logIn(page, email, password) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** Opens the login page with `next`, logs `account` in and waits to land on `next`. */
export async function loginViaUi(page, account, next = '/') {
  await page.goto(`${BASE_URL}/login?next=${encodeURIComponent(next)}`);
  await expectHeading(page, 'Log in');
  await logIn(page, account.email, account.password);
  await page.waitForURL((url) => url.pathname === next.split('?')[0]);
}
