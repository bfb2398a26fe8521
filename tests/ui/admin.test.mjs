// The admin area: first-admin setup through the one-time link, the users
// page (search, role change, disable and enable), and the guard that keeps
// students out.
//
// The setup token comes from UI_SETUP_TOKEN, or from the server log
// named by UI_SERVER_LOG (run.sh sets it when it starts the server).
// Against a server whose admin exists already, set UI_ADMIN_EMAIL and
// UI_ADMIN_PASSWORD instead.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  BASE_URL, launch, newSession, foreignRequests, screenshot, newAccount, expectHeading, logIn,
} from './support.mjs';

let browser;
let admin = null;
const student = newAccount('student');

async function setupToken() {
  if (process.env.UI_SETUP_TOKEN) return process.env.UI_SETUP_TOKEN;
  if (!process.env.UI_SERVER_LOG) return null;
  const log = await readFile(process.env.UI_SERVER_LOG, 'utf8').catch(() => '');
  const m = /\/setup\?token=([A-Za-z0-9_\-.~%]+)/.exec(log);
  return m ? decodeURIComponent(m[1]) : null;
}

async function apiJson(path, body) {
  const res = await fetch(`${BASE_URL}/api${path}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

before(async () => {
  browser = await launch();
  const reg = await apiJson('/auth/register', { name: student.name, email: student.email, password: student.password });
  assert.equal(reg.status, 201, `registering the test student: ${JSON.stringify(reg.body)}`);
});

after(async () => {
  if (browser) await browser.close();
});

test('the first admin is created through the setup link and lands on the users page', async (t) => {
  const token = await setupToken();
  if (!token) {
    if (process.env.UI_ADMIN_EMAIL && process.env.UI_ADMIN_PASSWORD) {
      admin = { email: process.env.UI_ADMIN_EMAIL, password: process.env.UI_ADMIN_PASSWORD };
    }
    t.skip('no setup token (set UI_SERVER_LOG or UI_SETUP_TOKEN)');
    return;
  }
  const account = newAccount('admin');
  const { context, page, requests, errors } = await newSession(browser);
  try {
    await page.goto(`${BASE_URL}/setup?token=${encodeURIComponent(token)}`);
    await expectHeading(page, 'Set up Schoolhouse');
    // The token leaves the address bar once read.
    assert.ok(!page.url().includes(token));
    await page.getByLabel('Your name').fill(account.name);
    await page.getByLabel('Administrator email').fill(account.email);
    await page.getByLabel(/^Password/).fill(account.password);
    await page.getByLabel('Repeat password').fill(account.password);
    await screenshot(page, 'setup');
    await page.getByRole('button', { name: 'Create administrator' }).click();

    await expectHeading(page, 'Log in');
    assert.equal(await page.getByLabel('Email').inputValue(), account.email, 'the new admin email is filled in');
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Log in' }).click();

    // The admin home is the first section (Dashboard when analytics exists).
    await page.waitForURL(/\/admin\/[a-z]+$/);
    admin = account; // the account exists now, whatever the users page does
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Users' }).click();
    await expectHeading(page, 'Users');
    await page.locator('main table').waitFor();
    await page.getByRole('searchbox', { name: 'Search' }).fill(account.email);
    await page.getByRole('button', { name: 'Search' }).click();
    const mine = page.locator('tbody tr', { hasText: account.email });
    await mine.waitFor();
    assert.ok((await mine.innerText()).includes('You'));
    await screenshot(page, 'admin-users');
    assert.deepEqual(errors, []);
    assert.deepEqual(foreignRequests(requests), []);

    // The setup link works once.
    await page.goto(`${BASE_URL}/setup?token=${encodeURIComponent(token)}`);
    await page.getByLabel('Administrator email').fill(newAccount('late').email);
    await page.getByLabel(/^Password/).fill(account.password);
    await page.getByLabel('Repeat password').fill(account.password);
    await page.getByRole('button', { name: 'Create administrator' }).click();
    await page.locator('main .alert').first().waitFor();
    assert.equal(await page.getByRole('button', { name: 'Create administrator' }).count(), 0);
  } finally {
    await context.close();
  }
});

test('an admin finds a user, changes the role, disables and enables the account', async (t) => {
  if (!admin) {
    t.skip('no admin account available');
    return;
  }
  const { context, page, requests, errors } = await newSession(browser);
  try {
    await page.goto(`${BASE_URL}/admin/users`);
    await expectHeading(page, 'Log in');
    await logIn(page, admin.email, admin.password);
    await expectHeading(page, 'Users');

    await page.getByRole('searchbox', { name: 'Search' }).fill(student.email);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/q=/);
    const row = page.locator('tbody tr', { hasText: student.email });
    await row.waitFor();
    assert.equal(await page.locator('tbody tr').count(), 1);

    const roleSelect = page.getByLabel(`Role of ${student.name}`, { exact: true });
    assert.equal(await roleSelect.inputValue(), 'student');
    await roleSelect.selectOption('instructor');
    // The change is confirmed first; declining it changes nothing.
    page.once('dialog', (dialog) => dialog.dismiss());
    await row.getByRole('button', { name: 'Save role' }).click();
    assert.equal((await apiJson('/auth/login', { email: student.email, password: student.password })).body.user.role, 'student');
    page.once('dialog', (dialog) => {
      assert.match(dialog.message(), /instructor/i);
      dialog.accept();
    });
    await row.getByRole('button', { name: 'Save role' }).click();
    await row.locator('.row-msg', { hasText: 'Saved' }).waitFor();

    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('button', { name: `Disable ${student.name}`, exact: true }).click();
    await page.getByRole('button', { name: `Enable ${student.name}`, exact: true }).waitFor();
    assert.match(await row.innerText(), /Disabled/);
    await screenshot(page, 'admin-user-disabled');

    // A disabled account cannot log in.
    const refused = await apiJson('/auth/login', { email: student.email, password: student.password });
    assert.ok(refused.status === 401 || refused.status === 403, `login of a disabled user answered ${refused.status}`);

    await page.getByRole('button', { name: `Enable ${student.name}`, exact: true }).click();
    await page.getByRole('button', { name: `Disable ${student.name}`, exact: true }).waitFor();

    // After a reload the role change is still there (it reached the server).
    await page.reload();
    await expectHeading(page, 'Users');
    await page.locator('tbody tr', { hasText: student.email }).waitFor();
    assert.equal(await page.getByLabel(`Role of ${student.name}`, { exact: true }).inputValue(), 'instructor');

    const allowed = await apiJson('/auth/login', { email: student.email, password: student.password });
    assert.equal(allowed.status, 200);
    assert.deepEqual(errors, []);
    assert.deepEqual(foreignRequests(requests), []);
  } finally {
    await context.close();
  }
});

test('an admin takes a backup and the browser downloads it through a signed link', async (t) => {
  if (!admin) {
    t.skip('no admin account available');
    return;
  }
  const { context, page, requests, errors } = await newSession(browser, { acceptDownloads: true });
  try {
    await page.goto(`${BASE_URL}/admin/backups`);
    await expectHeading(page, 'Log in');
    await logIn(page, admin.email, admin.password);
    await expectHeading(page, 'Backups');
    await page.getByRole('button', { name: 'Back up now' }).click();
    const download = page.getByRole('button', { name: /^Download schoolhouse-/ }).first();
    await download.waitFor({ timeout: 60000 });
    const name = (await download.getAttribute('aria-label')).replace(/^Download /, '');

    const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
    assert.equal(file.suggestedFilename(), name);
    // The browser fetched the archive itself, from the signed link, not as a blob.
    assert.match(file.url(), /\/api\/backup-downloads\/[^?]+\?expires=\d+&sig=[0-9a-f]{64}$/);
    const path = await file.path();
    const bytes = await readFile(path);
    assert.equal(bytes.subarray(0, 2).toString(), 'PK');
    assert.deepEqual(errors, []);
    assert.deepEqual(foreignRequests(requests), []);
  } finally {
    await context.close();
  }
});

test('an admin reads the effective settings with their config keys, secrets hidden', async (t) => {
  if (!admin) {
    t.skip('no admin account available');
    return;
  }
  const { context, page, requests, errors } = await newSession(browser);
  try {
    await page.goto(`${BASE_URL}/admin/settings`);
    await expectHeading(page, 'Log in');
    await logIn(page, admin.email, admin.password);
    await expectHeading(page, 'Settings');
    const row = page.locator('tr', { has: page.locator('code', { hasText: /^orders\.reservation_minutes$/ }) });
    await row.waitFor();
    assert.match(await row.innerText(), /SCHOOLHOUSE_ORDERS__RESERVATION_MINUTES/);
    // run.sh configures a Stripe secret key: the page says it is set, never what it is.
    const secret = page.locator('tr', { has: page.locator('code', { hasText: /^payments\.stripe\.secret_key$/ }) });
    assert.match(await secret.innerText(), /Set \(hidden\)/);
    assert.doesNotMatch(await page.locator('main').innerText(), /sk_test_/);
    await screenshot(page, 'admin-settings');
    assert.deepEqual(errors, []);
    assert.deepEqual(foreignRequests(requests), []);
  } finally {
    await context.close();
  }
});

test('a student who opens /admin is told it is not for them', async () => {
  const other = newAccount('plain');
  const reg = await apiJson('/auth/register', { name: other.name, email: other.email, password: other.password });
  assert.equal(reg.status, 201);
  const { context, page, errors } = await newSession(browser);
  try {
    await page.goto(`${BASE_URL}/admin/users`);
    await expectHeading(page, 'Log in');
    await logIn(page, other.email, other.password);
    await expectHeading(page, 'No access');
    assert.equal(await page.locator('table').count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
