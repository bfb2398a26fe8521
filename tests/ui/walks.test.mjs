// Two walks through the whole UI (issue 33) that fail on any console error, any failed
// request and any sideways scrolling: a learner on a 390 px phone from the catalogue to a
// verified certificate, and an admin through every section of the admin area at 1280 px.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL, launch, newAccount, expectHeading, logIn, foreignRequests,
} from './support.mjs';
import { apiCall, canUseCli, staffAccount, makeCourse } from './fixtures.mjs';

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
});

/**
 * A context whose page records every console error, failed request and 4xx/5xx answer
 * (`problems`), and every request URL (`requests`).
 */
async function watchedSession(options) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  const problems = [];
  const requests = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => {
    // A navigation away aborts what the old page still loaded; that is not a failure.
    if (req.failure() && /ERR_ABORTED/.test(req.failure().errorText)) return;
    problems.push(`failed: ${req.method()} ${req.url()} ${req.failure() && req.failure().errorText}`);
  });
  page.on('request', (req) => requests.push(req.url()));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`${res.status()} ${res.request().method()} ${new URL(res.url()).pathname}`);
  });
  return { context, page, problems, requests };
}

/**
 * The problems without the UI's own question GET /api/i18n while the server does not answer it
 * yet (issue 29's server side; assets/js/i18n.js then falls back to the browser's languages):
 * its 404 and the console line Chromium writes for it. Drop this once the endpoint is merged.
 */
function withoutMissingI18n(problems) {
  let missing = problems.filter((p) => p === '404 GET /api/i18n').length;
  return problems.filter((p) => {
    if (p === '404 GET /api/i18n') return false;
    if (missing > 0 && p === 'console: Failed to load resource: the server responded with a status of 404 (Not Found)') {
      missing -= 1;
      return false;
    }
    return true;
  });
}

/**
 * Waits for the page to settle, then records it when it is wider than `width`, or when one of
 * its tables is cut off inside its scrolling frame.
 */
async function settleAndMeasure(page, width, path, wide) {
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"], .loading'));
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  if (scroll > width) wide.push(`${path}: ${scroll}px`);
  const clipped = await page.evaluate(() => [...document.querySelectorAll('.table-wrap')]
    .filter((t) => t.offsetParent !== null && t.scrollWidth > t.clientWidth + 1)
    .map((t) => `${t.getAttribute('aria-label') || 'a table'} (${t.scrollWidth}px in ${t.clientWidth}px)`));
  if (width > 390) for (const c of clipped) wide.push(`${path}: ${c} is cut off`);
}

test('a learner walks from the catalogue to a verified certificate on a phone with no error, no failed request and no sideways scroll', { skip: !canUseCli() && 'needs UI_SERVER_BIN and UI_DATA_DIR' }, async () => {
  const instructor = await staffAccount('instructor');
  const { course } = await makeCourse(instructor.token, {
    title: 'Birdsong by ear',
    lessons: [
      { content_type: 'reading', title: 'Listening first', is_preview: true, body_markdown: 'Sit still for **five minutes**.' },
      { content_type: 'reading', title: 'The robin', body_markdown: 'A clear, fluting phrase.' },
    ],
  });
  const account = newAccount('walker');
  const { context, page, problems, requests } = await watchedSession({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const wide = [];
  try {
    await page.goto(`${BASE_URL}/`);
    await expectHeading(page, 'Catalogue');
    await settleAndMeasure(page, 390, '/', wide);
    await page.goto(`${BASE_URL}/courses/${course.id}`);
    await expectHeading(page, course.title);
    await settleAndMeasure(page, 390, 'course page', wide);
    await page.locator('.outline').getByRole('link', { name: 'Listening first' }).click();
    await expectHeading(page, 'Listening first');
    await settleAndMeasure(page, 390, 'preview', wide);
    // Chosen as a visitor: sign up first, then the enrolment happens.
    await page.getByRole('link', { name: 'Enrol for free' }).click();
    await expectHeading(page, 'Log in');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await expectHeading(page, 'Create an account');
    await page.getByLabel('Name').fill(account.name);
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.locator('.buy-box .enrolled', { hasText: 'You are enrolled in this course.' }).waitFor();
    await settleAndMeasure(page, 390, 'course page, enrolled', wide);
    await page.getByRole('link', { name: 'Start the course' }).click();
    await expectHeading(page, 'Listening first');
    await settleAndMeasure(page, 390, 'player', wide);
    await page.getByRole('button', { name: 'Complete and continue' }).click();
    await expectHeading(page, 'The robin');
    await page.getByRole('button', { name: 'Mark as complete' }).click();
    await page.getByRole('heading', { name: /You completed this course/ }).waitFor();
    await settleAndMeasure(page, 390, 'player, completed', wide);
    await page.getByLabel('4 stars').check();
    await page.getByRole('button', { name: 'Post review' }).click();
    await page.locator('main').getByText('Thank you! Your review is posted.').waitFor();
    // A reload keeps the session and the review form knows the review is there.
    await page.reload();
    await page.getByRole('button', { name: 'Update review' }).waitFor();

    await page.goto(`${BASE_URL}/my-courses`);
    await expectHeading(page, 'My courses');
    await settleAndMeasure(page, 390, '/my-courses', wide);
    const mine = await page.evaluate(async () => (await import('/js/api.js')).get('/users/me/courses'));
    const serial = mine.items.find((c) => c.title === course.title).certificate_serial;
    await page.goto(`${BASE_URL}/certificates/${serial}`);
    await expectHeading(page, 'Valid certificate');
    await settleAndMeasure(page, 390, 'certificate', wide);
    for (const [path, heading] of [['/orders', 'Your orders'], ['/cart', 'Your cart'], ['/account', 'Your account']]) {
      await page.goto(`${BASE_URL}${path}`);
      await expectHeading(page, heading);
      await settleAndMeasure(page, 390, path, wide);
    }
    assert.deepEqual(withoutMissingI18n(problems), [], 'console errors or failed requests on the learner walk');
    assert.deepEqual(wide, [], 'pages wider than the phone');
    assert.deepEqual(foreignRequests(requests), []);
  } finally {
    await context.close();
  }
});

test('an admin walks through every section of the admin area with no error, no failed request and nothing clipped', { skip: !canUseCli() && 'needs UI_SERVER_BIN and UI_DATA_DIR' }, async () => {
  const admin = await staffAccount('admin');
  // Something to look at: an order awaiting a manual payment.
  const vendor = await staffAccount('vendor');
  const product = await apiCall('POST', '/products', { name: 'Field notebook', kind: 'physical', price_cents: 900, stock_quantity: 5, status: 'published' }, vendor.token);
  const buyer = newAccount('walkbuyer');
  await apiCall('POST', '/auth/register', buyer);
  const buyerToken = (await apiCall('POST', '/auth/login', { email: buyer.email, password: buyer.password })).access_token;
  const order = await apiCall('POST', '/orders', {
    items: [{ item_type: 'product', item_id: product.id, quantity: 1 }],
    shipping_address: { name: buyer.name, line1: '2 Elm Row', city: 'Leeds', postal_code: 'LS1 1AA', country: 'GB' },
    billing_country: 'GB',
  }, buyerToken);
  await apiCall('POST', '/payments', { order_id: order.id, gateway: 'manual' }, buyerToken);
  // A course with sales, so the dashboard's "Top courses" table has rows to fit.
  const instructor = await staffAccount('instructor');
  const { course: sold } = await makeCourse(instructor.token, { title: 'A course with a rather long title about kiln firing', price_cents: 2500, lessons: [{ content_type: 'reading', title: 'Heat', body_markdown: 'x' }] });
  const courseOrder = await apiCall('POST', '/orders', { items: [{ item_type: 'course', item_id: sold.id }] }, buyerToken);
  const started = await apiCall('POST', '/payments', { order_id: courseOrder.id, gateway: 'manual' }, buyerToken);
  await apiCall('POST', `/admin/payments/${started.id}/confirm`, {}, admin.token);
  // And one paid in cash at the office without choosing anything online.
  const cash = await apiCall('POST', '/orders', {
    items: [{ item_type: 'product', item_id: product.id, quantity: 1 }],
    shipping_address: { name: buyer.name, line1: '2 Elm Row', city: 'Leeds', postal_code: 'LS1 1AA', country: 'GB' },
  }, buyerToken);

  const { context, page, problems, requests } = await watchedSession({ viewport: { width: 1280, height: 800 } });
  const wide = [];
  try {
    await page.goto(`${BASE_URL}/login`);
    await expectHeading(page, 'Log in');
    await logIn(page, admin.email, admin.password);
    await page.waitForURL((url) => url.pathname.startsWith('/admin'));
    const sections = [
      ['Dashboard', 'Dashboard'], ['Courses', 'Courses'], ['Products', 'Products'], ['Orders', 'Orders'],
      ['Refunds', 'Refunds'], ['Coupons', 'Coupons'], ['Users', 'Users'], ['Audit log', 'Audit log'],
      ['Error log', 'Error log'], ['Backups', 'Backups'], ['Settings', 'Settings'],
    ];
    for (const [link, heading] of sections) {
      await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: link, exact: true }).click();
      await expectHeading(page, heading);
      await settleAndMeasure(page, 1280, link, wide);
    }
    await page.goto(`${BASE_URL}/admin/orders/${order.id}`);
    await expectHeading(page, `Order ${order.number}`);
    await settleAndMeasure(page, 1280, 'order', wide);
    page.once('dialog', (d) => d.accept());
    await page.getByRole('button', { name: 'Confirm payment' }).click();
    await page.locator('.status-line .pill', { hasText: 'Paid' }).waitFor();
    await page.goto(`${BASE_URL}/admin/orders/${cash.id}`);
    await expectHeading(page, `Order ${cash.number}`);
    page.once('dialog', (d) => d.accept());
    await page.getByRole('button', { name: 'Record payment received' }).click();
    await page.locator('.status-line .pill', { hasText: 'Paid' }).waitFor();
    // A range without sales draws an axis from $0, never "-$0".
    const axis = await page.evaluate(async () => {
      const { revenueChart } = await import('/js/admin/dashboard.js');
      const quiet = [{ period: '2026-01-01', net_cents: 0, gross_cents: 0, refunds_cents: 0, orders: 0 }];
      return [...revenueChart(quiet, { currency: 'USD', interval: 'day', titleText: 'Sales' }).querySelectorAll('.chart-axis')].map((t) => t.textContent);
    });
    assert.ok(axis.length && !axis.some((label) => label.startsWith('-')), `axis labels: ${axis}`);
    await page.goto(`${BASE_URL}/admin/courses/new`);
    await expectHeading(page, 'New course');
    await settleAndMeasure(page, 1280, 'new course', wide);
    assert.deepEqual(withoutMissingI18n(problems), [], 'console errors or failed requests on the admin walk');
    assert.deepEqual(wide, [], 'admin pages wider than 1280 px');
    assert.deepEqual(foreignRequests(requests), []);
  } finally {
    await context.close();
  }
});
