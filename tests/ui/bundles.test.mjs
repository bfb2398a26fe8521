// Bundles in the browser: an admin makes a bundle of two courses in /admin, a student finds
// it in the storefront, buys it (paid at the office, confirmed by staff) and sees both
// courses in "My courses". Staff accounts come from the CLI (run.sh sets UI_SERVER_BIN and
// UI_DATA_DIR); without them the test is skipped.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL, launch, newSession, foreignRequests, screenshot, newAccount, expectHeading, loginViaUi,
} from './support.mjs';
import { canUseCli, staffAccount, makeCourse, makeProduct, apiCall } from './fixtures.mjs';

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
});

test('an admin makes a bundle, a student buys it and learns in both courses', async (t) => {
  if (!canUseCli()) {
    t.skip('needs UI_SERVER_BIN and UI_DATA_DIR to create staff accounts (run.sh sets them)');
    return;
  }
  const admin = await staffAccount('admin');
  const lesson = [{ content_type: 'reading', title: 'Welcome', body_markdown: 'Hello.' }];
  const { course: first } = await makeCourse(admin.token, { title: 'Watercolour', price_cents: 1500, lessons: lesson });
  const { course: second } = await makeCourse(admin.token, { title: 'Ink drawing', price_cents: 2000, lessons: lesson });
  const name = `Painting path ${Date.now().toString(36)}`;

  const staff = await newSession(browser);
  try {
    await loginViaUi(staff.page, admin, '/admin/bundles');
    await expectHeading(staff.page, 'Bundles');
    await staff.page.getByRole('link', { name: 'New bundle' }).first().click();
    await expectHeading(staff.page, 'New bundle');
    await staff.page.getByLabel('Name').fill(name);
    await staff.page.getByLabel(/^Price/).fill('25.00');
    await staff.page.getByLabel('Status').selectOption('published');
    await staff.page.getByLabel(new RegExp(first.title)).check();
    await staff.page.getByLabel(new RegExp(second.title)).check();
    await staff.page.getByRole('button', { name: 'Create bundle' }).click();
    await expectHeading(staff.page, 'Bundles');
    await staff.page.getByRole('link', { name }).waitFor();
    await screenshot(staff.page, 'admin-bundles');
    assert.deepEqual(foreignRequests(staff.requests), []);
    assert.deepEqual(staff.errors, []);
  } finally {
    await staff.context.close();
  }

  const account = newAccount('bundle-buyer');
  await apiCall('POST', '/auth/register', account);
  const { context, page, requests, errors } = await newSession(browser);
  try {
    await loginViaUi(page, account, '/bundles');
    await expectHeading(page, 'Bundles');
    await page.getByRole('link', { name }).click();
    await expectHeading(page, name);
    await page.getByRole('link', { name: first.title }).waitFor();
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.locator('main').getByText('Added to your cart.').waitFor();
    await page.getByRole('link', { name: 'View cart' }).click();
    await expectHeading(page, 'Your cart');
    await page.locator('main').getByText('Bundle', { exact: true }).waitFor();
    await page.getByRole('link', { name: 'Go to checkout' }).click();
    await expectHeading(page, 'Checkout');
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.waitForURL(/\/orders\/[^/]+\/pay$/);
    const orderId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]);
    const manual = page.getByLabel(/Pay at the office or by bank transfer/);
    await manual.or(page.getByRole('heading', { name: 'How to pay' })).first().waitFor();
    if (await manual.count()) {
      await manual.check();
      await page.getByRole('button', { name: 'Continue' }).click();
    }
    await page.getByRole('heading', { name: 'How to pay' }).waitFor();

    // Staff record the money; the order's payment grants both courses.
    const order = await apiCall('GET', `/orders/${orderId}`, undefined, admin.token);
    assert.equal(order.items[0].item_type, 'bundle');
    const payment = order.payments.find((p) => p.gateway === 'manual');
    await apiCall('POST', `/admin/payments/${payment.id}/confirm`, {}, admin.token);

    await page.getByRole('link', { name: 'My courses' }).click();
    await expectHeading(page, 'My courses');
    await page.locator('main').getByText(first.title).waitFor();
    await page.locator('main').getByText(second.title).waitFor();
    await screenshot(page, 'bundle-my-courses');
    assert.deepEqual(foreignRequests(requests), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('an admin includes a product in a bundle; its page and the cart of a buyer list it', async (t) => {
  if (!canUseCli()) {
    t.skip('needs UI_SERVER_BIN and UI_DATA_DIR to create staff accounts (run.sh sets them)');
    return;
  }
  const admin = await staffAccount('admin');
  const lesson = [{ content_type: 'reading', title: 'Welcome', body_markdown: 'Hello.' }];
  const { course } = await makeCourse(admin.token, { title: 'Pottery', price_cents: 3000, lessons: lesson });
  const product = await makeProduct(admin.token, { name: 'Clay starter kit', price_cents: 1800 });
  const name = `Pottery box ${Date.now().toString(36)}`;

  const staff = await newSession(browser);
  try {
    await loginViaUi(staff.page, admin, '/admin/bundles');
    await staff.page.getByRole('link', { name: 'New bundle' }).first().click();
    await expectHeading(staff.page, 'New bundle');
    await staff.page.getByLabel('Name').fill(name);
    await staff.page.getByLabel(/^Price/).fill('40.00');
    await staff.page.getByLabel('Status').selectOption('published');
    await staff.page.getByLabel(new RegExp(course.title)).check();
    const products = staff.page.getByRole('group', { name: 'Products included' });
    await products.getByLabel(new RegExp(product.name)).check();
    await staff.page.getByRole('button', { name: 'Create bundle' }).click();
    await expectHeading(staff.page, 'Bundles');
    await staff.page.getByRole('link', { name }).click();
    await expectHeading(staff.page, name);
    const box = staff.page.getByRole('group', { name: 'Products included' });
    assert.equal(await box.getByLabel(new RegExp(product.name)).isChecked(), true, 'the saved bundle keeps its product');
    assert.deepEqual(staff.errors, []);
  } finally {
    await staff.context.close();
  }

  const buyer = newAccount('kit-buyer');
  await apiCall('POST', '/auth/register', buyer);
  const { context, page, errors } = await newSession(browser);
  try {
    await loginViaUi(page, buyer, '/bundles');
    await expectHeading(page, 'Bundles');
    await page.getByRole('link', { name }).click();
    await expectHeading(page, name);
    const included = page.getByRole('region', { name: 'Products included' });
    await included.getByText(product.name).waitFor();
    await included.getByText('shipped to you').waitFor();
    await screenshot(page, 'bundle-with-product');
    // The cart names the kit under the bundle's line.
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.getByRole('link', { name: 'View cart' }).click();
    await expectHeading(page, 'Your cart');
    await page.locator('.cart-item').filter({ hasText: name }).getByText(`Includes ${product.name}`).waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
