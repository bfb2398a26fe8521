// A store that sells in yen (no minor units): the UI shows and takes whole yen everywhere,
// never cents divided by 100. Runs its own server (the real binary on demo data with
// store.currency = "JPY", see demo-server.mjs) beside the one run.sh starts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newSession, expectHeading, logIn, screenshot } from './support.mjs';
import { startDemoServer } from './demo-server.mjs';

const ADMIN = { email: 'admin@demo.example.com', password: 'demo-admin-password' };

test('a yen store prices, lists and charts whole yen, and refuses decimals in a yen price', { skip: !process.env.UI_SERVER_BIN && 'needs UI_SERVER_BIN' }, async () => {
  const server = await startDemoServer({ env: { SCHOOLHOUSE_STORE__CURRENCY: 'JPY' }, quiet: true });
  const browser = await launch();
  try {
    const { page, errors } = await newSession(browser, { locale: 'en-US' });
    const base = server.url;
    assert.equal((await (await fetch(`${base}/api/settings`)).json()).currency, 'JPY');

    // A new product is priced in the store's currency, read from /api/settings.
    await page.goto(`${base}/admin/products/new`);
    await expectHeading(page, 'Log in');
    await logIn(page, ADMIN.email, ADMIN.password);
    await expectHeading(page, 'New product');
    const price = page.getByLabel(/^Price/);
    assert.match(await page.locator('label', { hasText: /^Price/ }).innerText(), /^Price \(JPY\)/);
    const name = `Tea bowl ${Date.now().toString(36)}`;
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('Kind').selectOption('physical');
    await page.getByLabel('Status').selectOption('published');
    await page.getByLabel('Stock').fill('3');

    // Yen have no decimals: "12.5" is refused on the field, with a yen example.
    await price.fill('12.5');
    await page.getByRole('button', { name: 'Create product' }).click();
    await page.getByText('must be an amount such as 1999').waitFor();
    await expectHeading(page, 'New product');

    // "1,200" is twelve hundred yen, stored as 1200 minor units.
    await price.fill('1,200');
    await page.getByRole('button', { name: 'Create product' }).click();
    await expectHeading(page, name);
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() || '');
    const product = await (await fetch(`${base}/api/products/${encodeURIComponent(id)}`)).json();
    assert.equal(product.price_cents, 1200);
    assert.equal(product.currency, 'JPY');
    // The edit form starts with whole yen, not "12.00".
    assert.equal(await price.inputValue(), '1200');

    // The shop shows ¥1,200 on the product page and in the admin list.
    await page.goto(`${base}/products/${encodeURIComponent(id)}`);
    await expectHeading(page, name);
    assert.equal(await page.locator('.buy-box-price').innerText(), '¥1,200');
    await page.goto(`${base}/admin/products?q=${encodeURIComponent(name)}`);
    await page.getByRole('row', { name: new RegExp(name) }).getByText('¥1,200').waitFor();

    // A coupon's fixed amount is in yen too.
    await page.goto(`${base}/admin/coupons/new`);
    await expectHeading(page, 'New coupon');
    await page.getByLabel('Discount type').selectOption('fixed');
    await page.getByLabel('Amount off (JPY)').fill('500');
    await page.getByLabel('Code').fill(`YEN${Date.now().toString(36).toUpperCase()}`);
    await page.getByRole('button', { name: 'Create coupon' }).click();
    await page.getByText('¥500 off').first().waitFor();

    // The dashboard's axis: 5,000 yen of sales reads ¥0 … ¥6K, not ¥0 … ¥60.
    await page.goto(`${base}/admin/dashboard`);
    await expectHeading(page, 'Dashboard');
    const axis = await page.evaluate(async () => {
      const { revenueChart } = await import('/js/admin/dashboard.js');
      const day = [{ period: '2026-01-01', net_cents: 5000, gross_cents: 5000, refunds_cents: 0, orders: 1 }];
      return [...revenueChart(day, { currency: 'JPY', interval: 'day', titleText: 'Sales' }).querySelectorAll('.chart-axis')].map((t) => t.textContent);
    });
    assert.deepEqual(axis.filter((label) => label.startsWith('¥')), ['¥0', '¥2K', '¥4K', '¥6K'], `axis labels: ${axis}`);
    await screenshot(page, 'admin-dashboard-yen');
    assert.deepEqual(errors, [], 'no script errors');
  } finally {
    await browser.close();
    await server.stop();
  }
});
