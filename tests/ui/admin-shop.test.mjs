// Admin area, shop side: an admin creates a physical product, a customer
// orders it, the admin records the payment and ships the order with a
// tracking number; the dashboard chart shows the sale. Also:
// the admin navigation works with the keyboard alone.
//
// Accounts are made with the CLI (UI_SERVER_BIN, UI_DATA_DIR from run.sh).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL, launch, newSession, foreignRequests, screenshot, newAccount, expectHeading, logIn,
} from './support.mjs';
import { createAccount, canUseCli, apiLogin, apiCall } from './fixtures.mjs';

let browser;
const admin = newAccount('shopadmin');
let ready = false;

before(async () => {
  browser = await launch();
  if (canUseCli()) {
    createAccount(admin, 'admin');
    ready = true;
  }
});

after(async () => {
  if (browser) await browser.close();
});

test('an admin records a payment, ships a physical order with a tracking number and sees the sale', async (t) => {
  if (!ready) {
    t.skip('needs UI_SERVER_BIN and UI_DATA_DIR to create an admin');
    return;
  }
  const productName = `Glazed mug ${Date.now().toString(36)}`;
  const tracking = `1Z${Date.now().toString(36).toUpperCase()}`;
  const { context, page, requests, errors } = await newSession(browser);
  try {
    await page.goto(`${BASE_URL}/admin/products`);
    await expectHeading(page, 'Log in');
    await logIn(page, admin.email, admin.password);
    await expectHeading(page, 'Products');

    // The product, through the form.
    await page.getByRole('link', { name: 'New product' }).first().click();
    await expectHeading(page, 'New product');
    await page.getByLabel('Name').fill(productName);
    await page.getByLabel('Kind').selectOption('physical');
    await page.getByLabel(/^Price/).fill('24.50');
    await page.getByLabel('SKU').fill(`MUG-${Date.now().toString(36)}`);
    await page.getByLabel('Status').selectOption('published');
    await page.getByLabel('Stock').fill('5');
    await page.getByLabel('Description').fill('Stoneware, **dishwasher safe**.');
    await page.getByRole('button', { name: 'Create product' }).click();
    await expectHeading(page, productName);
    const productId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
    await screenshot(page, 'admin-product');

    // A customer orders two mugs (over the API, as the storefront would).
    const buyer = newAccount('buyer');
    const reg = await fetch(`${BASE_URL}/api/auth/register`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(buyer),
    });
    assert.equal(reg.status, 201);
    const buyerToken = await apiLogin(buyer.email, buyer.password);
    await apiCall('POST', '/cart', { item_type: 'product', item_id: productId, quantity: 2 }, buyerToken);
    const order = await apiCall('POST', '/orders', {
      shipping_address: { name: buyer.name, line1: '1 Kiln Lane', city: 'Springfield', postal_code: '12345', country: 'US' },
      shipping_method: 'standard',
      billing_country: 'US',
    }, buyerToken);
    assert.equal(order.status, 'pending');
    // The buyer chooses to pay by bank transfer; staff record the money when it arrives.
    const payment = await apiCall('POST', '/payments', { order_id: order.id, gateway: 'manual' }, buyerToken);
    assert.equal(payment.status, 'pending');

    // Find it among the orders by its number.
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Orders' }).click();
    await expectHeading(page, 'Orders');
    await page.getByRole('searchbox', { name: 'Number or email' }).fill(order.number);
    await page.getByRole('button', { name: 'Apply' }).click();
    const row = page.locator('tbody tr', { hasText: order.number });
    await row.waitFor();
    assert.equal(await page.locator('tbody tr').count(), 1);
    // Staff and buyer read the same words for a status.
    assert.match(await row.innerText(), /Awaiting payment/);
    await row.getByRole('link', { name: order.number }).click();
    await expectHeading(page, `Order ${order.number}`);
    await page.getByRole('cell', { name: productName }).or(page.getByRole('rowheader', { name: productName })).first().waitFor();

    // Payment received (bank transfer at the office), then shipped with tracking.
    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('button', { name: 'Confirm payment' }).click();
    await page.locator('.status-line .pill', { hasText: 'Paid' }).waitFor();
    assert.equal(await page.getByLabel('New status').inputValue(), 'shipped');
    await page.getByLabel('Tracking number').fill(tracking);
    await page.getByRole('button', { name: 'Mark as shipped' }).click();
    await page.locator('.status-line .pill', { hasText: 'Shipped' }).waitFor();
    await page.locator('.tracking', { hasText: tracking }).waitFor();
    const history = await page.locator('.timeline').innerText();
    assert.match(history, /Awaiting payment\s*→\s*Paid/);
    assert.match(history, /Paid\s*→\s*Shipped/);
    await screenshot(page, 'admin-order-shipped');

    const stored = await apiCall('GET', `/orders/${order.id}`, undefined, buyerToken);
    assert.equal(stored.status, 'shipped');
    assert.equal(stored.tracking_number, tracking);

    // The list, filtered by status, shows it as shipped.
    await page.goto(`${BASE_URL}/admin/orders?status=shipped&q=${encodeURIComponent(order.number)}`);
    await expectHeading(page, 'Orders');
    assert.match(await page.locator('tbody tr', { hasText: order.number }).innerText(), /Shipped/);
    assert.equal(await page.getByLabel('Status').inputValue(), 'shipped');

    // Stock went down by the two mugs sold.
    const product = await (await fetch(`${BASE_URL}/api/products/${productId}`)).json();
    assert.equal(product.stock_quantity, 3);

    const nav = page.getByRole('navigation', { name: 'Admin sections' });
    await nav.getByRole('link', { name: 'Dashboard' }).click();
    await expectHeading(page, 'Dashboard');
    const bars = page.locator('svg.chart rect.chart-bar');
    await bars.first().waitFor({ state: 'attached' });
    const nets = await bars.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-net'))));
    assert.ok(nets.some((n) => n >= order.total_cents), `a bar holds the sale of ${order.total_cents}: ${nets}`);
    await screenshot(page, 'admin-dashboard');
    assert.deepEqual(errors, []);
    assert.deepEqual(foreignRequests(requests), []);
  } catch (err) {
    await screenshot(page, 'admin-shop-failure').catch(() => {});
    throw err;
  } finally {
    await context.close();
  }
});

/** Put the sequential focus starting point at the top of the document. */
async function focusTop(page) {
  await page.evaluate(() => {
    document.body.setAttribute('tabindex', '-1');
    document.body.focus();
    document.body.removeAttribute('tabindex');
  });
}

test('the admin navigation works with the keyboard alone', async (t) => {
  if (!ready) {
    t.skip('needs UI_SERVER_BIN and UI_DATA_DIR to create an admin');
    return;
  }
  const { context, page, requests, errors } = await newSession(browser);
  try {
    await page.goto(`${BASE_URL}/admin/users`);
    await expectHeading(page, 'Log in');
    // Log in with the keyboard too.
    await page.getByLabel('Email').focus();
    await page.keyboard.type(admin.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(admin.password);
    await page.keyboard.press('Enter');
    await expectHeading(page, 'Users');

    // The skip link is the first stop and moves focus to the content.
    await focusTop(page);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to content');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'main');

    // Tab forward from the top to every section link, each with a visible focus ring.
    const labels = await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link').allInnerTexts();
    assert.ok(labels.includes('Orders') && labels.includes('Coupons') && labels.includes('Users'), `admin sections: ${labels}`);
    await focusTop(page);
    const seen = [];
    for (let i = 0; i < 40 && !seen.includes('Coupons'); i += 1) {
      await page.keyboard.press('Tab');
      const info = await page.evaluate(() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        return { inNav: Boolean(el.closest('#admin-nav')), text: el.textContent.trim(), outline: style.outlineStyle, width: style.outlineWidth };
      });
      if (info.inNav) {
        seen.push(info.text);
        assert.ok(info.outline !== 'none' && info.width !== '0px', `focus ring on ${info.text}`);
      }
    }
    assert.deepEqual(seen, labels.slice(0, labels.indexOf('Coupons') + 1), 'section links are reached in order');
    await page.keyboard.press('Enter');
    await expectHeading(page, 'Coupons');
    assert.equal(await page.evaluate(() => document.activeElement.tagName), 'H1', 'focus moves to the new page heading');
    assert.equal(await page.getByRole('link', { name: 'Coupons' }).first().getAttribute('aria-current'), 'page');

    // Shift+Tab back into the navigation and open Orders.
    let guard = 0;
    while (guard < 40) {
      guard += 1;
      await page.keyboard.press('Shift+Tab');
      const text = await page.evaluate(() => (document.activeElement.closest('#admin-nav') ? document.activeElement.textContent.trim() : ''));
      if (text === 'Orders') break;
    }
    await page.keyboard.press('Enter');
    await expectHeading(page, 'Orders');
    await screenshot(page, 'admin-keyboard-orders');
    assert.deepEqual(errors, []);
    assert.deepEqual(foreignRequests(requests), []);
  } finally {
    await context.close();
  }
});
