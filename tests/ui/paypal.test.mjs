// PayPal in the browser (issue 25): a student buys a paid course with "Pay with PayPal", is
// sent to the PayPal stand-in's approval page (behind the validating proxy run.sh starts),
// approves, comes back and lands on My courses; the proxy saw no contract violation.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL, launch, newSession, screenshot, newAccount, loginViaUi,
} from './support.mjs';
import { canUseCli, staffAccount, makeCourse, apiCall } from './fixtures.mjs';

const PAYPAL_API_BASE = (process.env.PAYPAL_API_BASE || '').replace(/\/+$/, '');

let browser;
let instructor;

before(async () => {
  browser = await launch();
  if (canUseCli() && PAYPAL_API_BASE) instructor = await staffAccount('instructor');
});

after(async () => {
  if (browser) await browser.close();
});

test('a student buys a course with PayPal through the approval page and lands on My courses', async (t) => {
  if (!instructor) {
    t.skip('needs UI_SERVER_BIN, UI_DATA_DIR and the PayPal stand-in (run.sh sets them up)');
    return;
  }
  const { course } = await makeCourse(instructor.token, {
    title: 'Bread with PayPal',
    price_cents: 3900,
    lessons: [{ content_type: 'reading', title: 'Flour', body_markdown: 'Use **strong** flour.' }],
  });
  const account = newAccount('paypal');
  await apiCall('POST', '/auth/register', account);
  const { access_token: token } = await apiCall('POST', '/auth/login', { email: account.email, password: account.password });
  await apiCall('POST', '/cart', { item_type: 'course', item_id: course.id, quantity: 1 }, token);
  const order = await apiCall('POST', '/orders', {}, token);

  const { page, context, errors } = await newSession(browser);
  try {
    await loginViaUi(page, account, `/orders/${order.id}/pay`);
    const choice = page.getByRole('radio', { name: /^Pay with PayPal/ });
    await choice.check();
    await page.getByRole('button', { name: 'Continue' }).click();
    // PayPal's page (the stand-in's): the amount, then "Pay Now".
    await page.waitForURL((url) => url.href.startsWith(`${PAYPAL_API_BASE}/checkoutnow`));
    assert.match(await page.locator('#amount').innerText(), /39\.00/);
    await page.locator('#approve').click();
    await page.waitForURL((url) => url.pathname === '/paypal/return');
    await page.getByText('Payment received through PayPal').waitFor();
    await screenshot(page, 'paypal-returned');
    await page.getByRole('link', { name: 'Go to My courses' }).click();
    await page.waitForURL((url) => url.pathname === '/my-courses');
    await page.getByText(course.title).first().waitFor();
    assert.deepEqual(errors, []);
    const violations = await (await fetch(`${PAYPAL_API_BASE}/__violations`)).json();
    assert.deepEqual(violations, [], 'the app and the stand-in kept PayPal\'s OpenAPI contract');
  } finally {
    await context.close();
  }
  assert.ok(BASE_URL);
});
