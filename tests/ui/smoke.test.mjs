// Smoke test of the storefront: the catalogue renders, a visitor registers
// through the form, logs out, logs in again (by mouse and by keyboard only),
// sees the account page; no page contacts any host but the app's own.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL, launch, newSession, foreignRequests, screenshot, newAccount, expectHeading,
} from './support.mjs';

let browser;
const account = newAccount('smoke');

before(async () => {
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
});

test('the catalogue lists courses and products', async () => {
  const { context, page, requests, errors } = await newSession(browser);
  try {
    await page.goto(`${BASE_URL}/`);
    await expectHeading(page, 'Catalogue');
    assert.match(await page.title(), /Courses/);
    // Either course cards or the empty state: the list finished loading.
    await page.locator('main .card-grid, main .empty').first().waitFor();
    // After navigation focus sits on the main heading.
    assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.tagName), 'H1');
    await screenshot(page, 'catalogue');

    await page.getByRole('link', { name: 'Products' }).first().click();
    await expectHeading(page, 'Catalogue');
    await page.waitForURL(/\/products$/);
    await page.locator('main .card-grid, main .empty').first().waitFor();
    await screenshot(page, 'catalogue-products');
    assert.deepEqual(errors, [], 'no uncaught errors in the page');
    assert.deepEqual(foreignRequests(requests), [], 'no request may go to another host');
  } finally {
    await context.close();
  }
});

test('a visitor registers, logs out and logs in again', async () => {
  const { context, page, requests, errors } = await newSession(browser);
  try {
    await page.goto(`${BASE_URL}/`);
    await expectHeading(page, 'Catalogue');

    // Register through the form.
    await page.getByRole('link', { name: 'Sign up' }).click();
    await expectHeading(page, 'Create an account');
    await screenshot(page, 'register');
    // A too-short password is refused next to the field, before any request.
    await page.getByLabel('Name').fill(account.name);
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.locator('.field-invalid .field-error').first().waitFor();
    assert.equal(await page.getByLabel('Password').getAttribute('aria-invalid'), 'true');
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Create account' }).click();

    // Registered and signed in: the account page shows the new address.
    await expectHeading(page, 'Your account');
    await page.waitForURL(/\/account$/);
    await page.locator('.account-email', { hasText: account.email }).waitFor();
    assert.equal(await page.getByLabel('Name').inputValue(), account.name);

    // Log out, then log in through the form.
    await page.getByRole('button', { name: 'Log out' }).click();
    await expectHeading(page, 'Catalogue');
    await page.getByRole('link', { name: 'Log in' }).click();
    await expectHeading(page, 'Log in');
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill('not the right password');
    await page.getByRole('button', { name: 'Log in' }).click();
    // A wrong password shows the API's message in the form's alert.
    const alert = page.locator('form .form-summary[role="alert"]');
    await alert.waitFor();
    assert.ok((await alert.innerText()).trim().length > 0);
    await screenshot(page, 'login-error');

    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expectHeading(page, 'Your account');
    await page.locator('.account-email', { hasText: account.email }).waitFor();
    await screenshot(page, 'account');

    // A reload keeps the session (refresh cookie -> new access token in memory).
    await page.reload();
    await expectHeading(page, 'Your account');
    await page.locator('.account-email', { hasText: account.email }).waitFor();

    // Nothing in memory survives in web storage.
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    assert.equal(stored, '{}{}', 'no token may be written to web storage');

    assert.deepEqual(errors, [], 'no uncaught errors in the page');
    assert.deepEqual(foreignRequests(requests), [], 'no request may go to another host');
    assert.ok(requests.some((u) => u.includes('/api/auth/login')), 'the login went through the API');
  } finally {
    await context.close();
  }
});

test('keyboard-only login works', async () => {
  const { context, page, requests, errors } = await newSession(browser);
  try {
    await page.goto(`${BASE_URL}/login`);
    await expectHeading(page, 'Log in');
    // The router put focus on the heading; Tab goes on from there to the form.
    assert.equal(await page.evaluate(() => document.activeElement.tagName), 'H1');
    let reachedEmail = false;
    for (let i = 0; i < 20 && !reachedEmail; i += 1) {
      await page.keyboard.press('Tab');
      reachedEmail = await page.evaluate(() => document.activeElement && document.activeElement.getAttribute('autocomplete') === 'username');
    }
    assert.ok(reachedEmail, 'the email field is reachable with Tab');
    await page.keyboard.type(account.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(account.password);
    await page.keyboard.press('Enter');
    await expectHeading(page, 'Your account');
    await page.locator('.account-email', { hasText: account.email }).waitFor();
    assert.deepEqual(errors, []);
    assert.deepEqual(foreignRequests(requests), []);
  } finally {
    await context.close();
  }
});

test('a login link whose next page is on another site lands on the account page', async () => {
  const { context, page, requests, errors } = await newSession(browser);
  try {
    await page.goto(`${BASE_URL}/login`);
    await expectHeading(page, 'Log in');
    const judged = await page.evaluate(async (hostile) => {
      const { safeNext } = await import('/js/ui.js');
      return hostile.map((next) => safeNext(next, 'FALLBACK'));
    }, ['//evil.example', '/\\evil.example', '/\t/evil.example', '/\n/evil.example', '/%09/evil.example',
      'https://evil.example/', 'javascript:alert(1)', '/\\/evil.example']);
    // '/%09/...' stays an encoded path of this site; every other one is refused.
    assert.deepEqual(judged, ['FALLBACK', 'FALLBACK', 'FALLBACK', 'FALLBACK', '/%09/evil.example',
      'FALLBACK', 'FALLBACK', 'FALLBACK']);
    assert.equal(await page.evaluate(async () => (await import('/js/ui.js')).safeNext('/courses?page=2#top')),
      '/courses?page=2#top');

    // The reported attack: the decoded tab would have made the browser leave the site.
    await page.goto(`${BASE_URL}/login?next=%2F%09%2Fevil.example`);
    await expectHeading(page, 'Log in');
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expectHeading(page, 'Your account');
    assert.equal(new URL(page.url()).origin, new URL(BASE_URL).origin);
    assert.deepEqual(errors, []);
    assert.deepEqual(foreignRequests(requests), [], 'no request may go to another host');
  } finally {
    await context.close();
  }
});

test('the catalogue and login page fit a phone screen', async () => {
  const { context, page, errors } = await newSession(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  try {
    for (const [path, heading, shot] of [['/', 'Catalogue', 'phone-catalogue'], ['/login', 'Log in', 'phone-login']]) {
      await page.goto(`${BASE_URL}${path}`);
      await expectHeading(page, heading);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${path} scrolls sideways by ${overflow}px on a phone`);
      await screenshot(page, shot);
    }
    // The menu button opens the navigation.
    const toggle = page.getByRole('button', { name: 'Menu' });
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign up' }).waitFor({ state: 'visible' });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('an expired access token is refreshed through the cookie and the request retried', async () => {
  const { context, page, requests, errors } = await newSession(browser);
  try {
    await page.goto(`${BASE_URL}/login`);
    await expectHeading(page, 'Log in');
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expectHeading(page, 'Your account');
    await page.getByRole('link', { name: 'Courses' }).first().click();
    await expectHeading(page, 'Catalogue');

    // The next profile read answers 401 as an expired token would.
    let refused = 0;
    await page.route('**/api/users/me', async (route) => {
      if (refused === 0 && route.request().method() === 'GET') {
        refused += 1;
        await route.fulfill({
          status: 401,
          contentType: 'application/problem+json',
          body: JSON.stringify({ type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'the access token has expired' }),
        });
        return;
      }
      await route.continue();
    });
    const before = requests.filter((u) => u.endsWith('/api/auth/refresh')).length;
    await page.getByRole('link', { name: 'Account' }).click();
    await expectHeading(page, 'Your account');
    await page.locator('.account-email', { hasText: account.email }).waitFor();
    assert.equal(refused, 1);
    assert.equal(requests.filter((u) => u.endsWith('/api/auth/refresh')).length, before + 1, 'exactly one refresh');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the account page saves the profile and changes the password', async () => {
  const person = newAccount('profile');
  const reg = await fetch(`${BASE_URL}/api/auth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: person.name, email: person.email, password: person.password }),
  });
  assert.equal(reg.status, 201);
  const { context, page, requests, errors } = await newSession(browser);
  try {
    await page.goto(`${BASE_URL}/account`);
    // Signed out: the account page sends to the login form and back.
    await expectHeading(page, 'Log in');
    await page.getByLabel('Email').fill(person.email);
    await page.getByLabel('Password').fill(person.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expectHeading(page, 'Your account');

    // Name change.
    await page.getByLabel('Name').fill(`${person.name} Renamed`);
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Your profile was saved.', { exact: true }).first().waitFor();

    // An email change asks for the current password; a wrong one is named next to the field.
    const newEmail = `renamed-${person.email}`;
    await page.getByLabel('Email').fill(newEmail);
    const current = page.locator('form').first().getByLabel(/^Current password/);
    await current.waitFor({ state: 'visible' });
    await current.fill('definitely not it 123');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.locator('.field-invalid .field-error').first().waitFor();
    assert.equal(await current.getAttribute('aria-invalid'), 'true');
    await screenshot(page, 'account-error');
    await current.fill(person.password);
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.locator('.account-email', { hasText: newEmail }).waitFor();

    // Password change, then the new password works and the old one does not.
    const newPassword = `${person.password} renewed`;
    const pwForm = page.locator('form').nth(1);
    await pwForm.getByLabel(/^Current password/).fill(person.password);
    await pwForm.getByLabel(/^New password/).fill(newPassword);
    await pwForm.getByLabel(/^Repeat new password/).fill(newPassword);
    await pwForm.getByRole('button', { name: 'Change password' }).click();
    await page.getByText(/Your password was changed/).first().waitFor();

    await page.reload();
    await expectHeading(page, 'Your account');
    assert.equal(await page.getByLabel('Name').inputValue(), `${person.name} Renamed`);
    const login = async (password) => (await fetch(`${BASE_URL}/api/auth/login`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: newEmail, password }),
    })).status;
    assert.equal(await login(newPassword), 200);
    assert.equal(await login(person.password), 401);
    assert.deepEqual(errors, []);
    assert.deepEqual(foreignRequests(requests), []);
  } finally {
    await context.close();
  }
});

test('a one-time login link from the CLI signs in once', async (t) => {
  const bin = process.env.UI_SERVER_BIN;
  const dataDir = process.env.UI_DATA_DIR;
  if (!bin || !dataDir) {
    t.skip('needs UI_SERVER_BIN and UI_DATA_DIR (run.sh sets them when it starts the server)');
    return;
  }
  const { execFileSync } = await import('node:child_process');
  const person = newAccount('link');
  const reg = await fetch(`${BASE_URL}/api/auth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: person.name, email: person.email, password: person.password }),
  });
  assert.equal(reg.status, 201);
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SCHOOLHOUSE_')));
  const out = execFileSync(bin, ['user', 'login-link', '--email', person.email, '--data-dir', dataDir], { env, encoding: 'utf8' });
  const m = /\/login-link\?token=([A-Za-z0-9_\-.~%]+)/.exec(out);
  assert.ok(m, `no login link in: ${out}`);
  const { context, page, requests, errors } = await newSession(browser);
  try {
    await page.goto(`${BASE_URL}/login-link?token=${m[1]}`);
    await expectHeading(page, 'Your account');
    await page.locator('.account-email', { hasText: person.email }).waitFor();
    assert.ok(!page.url().includes(m[1]), 'the token leaves the address bar');
    // The same link does not work twice.
    await page.getByRole('button', { name: 'Log out' }).click();
    await expectHeading(page, 'Catalogue');
    await page.goto(`${BASE_URL}/login-link?token=${m[1]}`);
    await expectHeading(page, 'Login link not valid');
    await screenshot(page, 'login-link-used');
    assert.deepEqual(errors, []);
    assert.deepEqual(foreignRequests(requests), []);
  } finally {
    await context.close();
  }
});

/**
 * The text of a mail to `to` in the file transport's folder whose decoded body matches `pattern`.
 * Matching the body matters: the sign-up's verification mail to the same address is written
 * by the mail worker at about the same time as the mail under test.
 */
async function waitForMail(dir, to, since, pattern, timeoutMs = 15000) {
  const { readdir, readFile: read, stat } = await import('node:fs/promises');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const names = (await readdir(dir).catch(() => [])).filter((n) => n.endsWith('.eml'));
    for (const name of names) {
      const path = `${dir}/${name}`;
      if ((await stat(path)).mtimeMs < since) continue;
      const raw = await read(path, 'utf8');
      if (!new RegExp(`^To:.*${to.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'mi').test(raw)) continue;
      const text = raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
      if (pattern.test(text)) return text;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no mail to ${to} in ${dir}`);
}

test('a forgotten password is reset through the mailed link', async (t) => {
  const dataDir = process.env.UI_DATA_DIR;
  if (!dataDir) {
    t.skip('needs UI_DATA_DIR with the file mail transport (run.sh sets it when it starts the server)');
    return;
  }
  const person = newAccount('reset');
  const reg = await fetch(`${BASE_URL}/api/auth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: person.name, email: person.email, password: person.password }),
  });
  assert.equal(reg.status, 201);
  const { context, page, requests, errors } = await newSession(browser);
  try {
    await page.goto(`${BASE_URL}/login`);
    await expectHeading(page, 'Log in');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await expectHeading(page, 'Reset your password');
    const since = Date.now() - 1000;
    await page.getByLabel('Email').fill(person.email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByText(/If an account exists for/).waitFor();

    const resetLink = /\/reset-password\?token=([A-Za-z0-9_\-.~%]+)/;
    const mail = await waitForMail(`${dataDir}/mail`, person.email, since, resetLink);
    const m = resetLink.exec(mail);
    assert.ok(m, 'the mail carries a reset link');
    await page.goto(`${BASE_URL}/reset-password?token=${m[1]}`);
    await expectHeading(page, 'Choose a new password');
    const fresh = `${person.password} after reset`;
    await page.getByLabel(/^New password/).fill(fresh);
    await page.getByLabel(/^Repeat new password/).fill(`${fresh} typo`);
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.locator('.field-invalid').first().waitFor();
    await page.getByLabel(/^Repeat new password/).fill(fresh);
    await page.getByRole('button', { name: 'Set new password' }).click();

    await expectHeading(page, 'Log in');
    await page.getByText('Your password has been changed. Log in with the new one.').waitFor();
    await page.getByLabel('Email').fill(person.email);
    await page.getByLabel('Password').fill(fresh);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expectHeading(page, 'Your account');

    // The link works once.
    await page.goto(`${BASE_URL}/reset-password?token=${m[1]}`);
    await page.getByLabel(/^New password/).fill(`${fresh} again`);
    await page.getByLabel(/^Repeat new password/).fill(`${fresh} again`);
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.locator('.form-summary').waitFor();
    await screenshot(page, 'reset-link-used');
    assert.deepEqual(errors, []);
    assert.deepEqual(foreignRequests(requests), []);
  } finally {
    await context.close();
  }
});
