// Automated accessibility audit (axe-core, WCAG 2.1 A and AA rules) of the
// main pages, in the light and the dark colour scheme, signed out and in.
// axe is injected into the page, so these contexts bypass the page's CSP;
// the other tests keep it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { BASE_URL, launch, newAccount, expectHeading } from './support.mjs';
import { canUseCli, staffAccount, makeCourse } from './fixtures.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');

let browser;
const account = newAccount('a11y');

before(async () => {
  browser = await launch();
  const res = await fetch(`${BASE_URL}/api/auth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: account.name, email: account.email, password: account.password }),
  });
  assert.equal(res.status, 201, 'registering the audit account');
});

after(async () => {
  if (browser) await browser.close();
});

async function audit(page) {
  await page.addScriptTag({ content: AXE_SOURCE });
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    resultTypes: ['violations'],
  }));
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} -> ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

async function settle(page, heading) {
  await expectHeading(page, heading);
  // Wait for the page's lists and async sections to finish loading.
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"], .loading'));
}

const PUBLIC_PAGES = [
  ['/', 'Catalogue'],
  ['/products', 'Catalogue'],
  ['/login', 'Log in'],
  ['/register', 'Create an account'],
  ['/forgot-password', 'Reset your password'],
  ['/reset-password?token=example', 'Choose a new password'],
  ['/setup', 'Set up Schoolhouse'],
  ['/no-such-page', 'Page not found'],
  ['/certificates', 'Check a certificate'],
  ['/certificates/SH-CERT-ZZZZ-ZZZZ', 'Certificate not found'],
];

for (const scheme of ['light', 'dark']) {
  test(`public pages have no WCAG A/AA violations (${scheme})`, async () => {
    const context = await browser.newContext({ bypassCSP: true, colorScheme: scheme, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const found = [];
    try {
      for (const [path, heading] of PUBLIC_PAGES) {
        await page.goto(`${BASE_URL}${path}`);
        await settle(page, heading);
        for (const v of await audit(page)) found.push(`${path}: ${v}`);
        // A submitted, invalid form (errors shown) must pass too.
        if (path === '/register') {
          await page.getByRole('button', { name: 'Create account' }).click();
          await page.locator('.field-invalid').first().waitFor();
          for (const v of await audit(page)) found.push(`${path} (with errors): ${v}`);
        }
      }
      // A course page, when the catalogue has one.
      await page.goto(`${BASE_URL}/courses`);
      await settle(page, 'Catalogue');
      const first = page.locator('.card-title a').first();
      if (await first.count()) {
        const title = (await first.innerText()).trim();
        await first.click();
        await settle(page, title);
        for (const v of await audit(page)) found.push(`course page: ${v}`);
      }
    } finally {
      await context.close();
    }
    assert.deepEqual(found, []);
  });
}

test('signed-in pages have no WCAG A/AA violations', async () => {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const found = [];
  try {
    await page.goto(`${BASE_URL}/login`);
    await settle(page, 'Log in');
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await settle(page, 'Your account');
    for (const v of await audit(page)) found.push(`/account: ${v}`);
    await page.getByRole('link', { name: 'Cart' }).click();
    await settle(page, 'Your cart');
    for (const v of await audit(page)) found.push(`/cart: ${v}`);
    // Phone width with the menu open.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('button', { name: 'Menu' }).click();
    for (const v of await audit(page)) found.push(`/cart (phone, menu open): ${v}`);
  } finally {
    await context.close();
  }
  assert.deepEqual(found, []);
});

test('pages added for the learner\'s and staff\'s way have no WCAG A/AA violations', { skip: !canUseCli() && 'needs UI_SERVER_BIN and UI_DATA_DIR' }, async () => {
  const instructor = await staffAccount('instructor');
  const { course, lessons } = await makeCourse(instructor.token, {
    title: 'Audit course',
    price_cents: 1500,
    lessons: [{ content_type: 'reading', title: 'Open to all', is_preview: true, body_markdown: 'A **free** preview.' }],
  });
  const admin = await staffAccount('admin');
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const found = [];
  try {
    const pages = [
      [`/learn/${course.id}/${lessons[0].id}`, 'Open to all', 'preview lesson'],
      ['/certificates/SH-CERT-ZZZZ-ZZZZ', 'Certificate not found', 'certificate check'],
    ];
    for (const [path, heading, name] of pages) {
      await page.goto(`${BASE_URL}${path}`);
      await settle(page, heading);
      for (const v of await audit(page)) found.push(`${name}: ${v}`);
    }
    // A visitor's cart, kept in the browser.
    await page.goto(`${BASE_URL}/courses/${course.id}`);
    await settle(page, course.title);
    await page.getByRole('button', { name: 'Buy this course' }).click();
    await settle(page, 'Your cart');
    for (const v of await audit(page)) found.push(`guest cart: ${v}`);
    // The admin's settings page.
    await page.goto(`${BASE_URL}/admin/settings`);
    await settle(page, 'Log in');
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await settle(page, 'Settings');
    for (const v of await audit(page)) found.push(`admin settings: ${v}`);
  } finally {
    await context.close();
  }
  assert.deepEqual(found, []);
});
