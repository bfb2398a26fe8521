// Card payments, refunds and the admin's view of them, against the real API
// and the local Stripe emulator (localstripe, whose fake Stripe.js run.sh
// configures as `payments.stripe.js_url`): a student buys a paid course by
// card, learns it, gets the certificate and reviews it; a declined card is
// explained and another card then pays; refunds are approved (the course is
// gone), rejected with a note, or refused by the policy with its reasons, as
// the admin sees them in the queue, on the dashboard chart and in the audit
// log.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  BASE_URL, launch, newSession, foreignRequests, screenshot, newAccount, expectHeading, loginViaUi,
} from './support.mjs';
import { canUseCli, staffAccount, makeCourse, apiCall } from './fixtures.mjs';

const STRIPE_JS_URL = process.env.UI_STRIPE_JS_URL || '';
const STRIPE_API_BASE = (process.env.STRIPE_API_BASE || '').replace(/\/+$/, '');
const PUBLISHABLE_KEY = 'pk_test_schoolhouse_ui';

let browser;
let instructor;

before(async () => {
  browser = await launch();
  if (canUseCli() && STRIPE_JS_URL) instructor = await staffAccount('instructor');
});

after(async () => {
  if (browser) await browser.close();
});

const skipped = (t) => {
  if (instructor) return false;
  t.skip('needs UI_SERVER_BIN, UI_DATA_DIR and the Stripe emulator (run.sh sets them up)');
  return true;
};

/** Stripe.js may be fetched from its configured URL, and it talks to its own API; nothing else is allowed. */
function notStripe(urls) {
  const stripeOrigin = new URL(STRIPE_JS_URL).origin;
  return urls.filter((url) => url !== STRIPE_JS_URL && !url.startsWith(`${stripeOrigin}/v1/payment_intents/`));
}

/** A registered student with a pending order for `course`; resolves with {account, token, order}. */
async function buyerWithOrder(prefix, course) {
  const account = newAccount(prefix);
  await apiCall('POST', '/auth/register', account);
  const { access_token: token } = await apiCall('POST', '/auth/login', { email: account.email, password: account.password });
  await apiCall('POST', '/cart', { item_type: 'course', item_id: course.id, quantity: 1 }, token);
  const order = await apiCall('POST', '/orders', {}, token);
  return { account, token, order };
}

/** Pays an order by card the way Stripe.js would (publishable key + client secret), and waits for it. */
async function payByCard(buyer) {
  const payment = await apiCall('POST', '/payments', { order_id: buyer.order.id, gateway: 'stripe' }, buyer.token);
  const pi = payment.client_secret.match(/^(pi_\w+)_secret_/)[1];
  const res = await fetch(`${STRIPE_API_BASE}/v1/payment_intents/${pi}/confirm`, {
    method: 'POST',
    body: JSON.stringify({
      key: PUBLISHABLE_KEY,
      client_secret: payment.client_secret,
      payment_method_data: { type: 'card', card: { number: '4242424242424242', exp_month: '12', exp_year: '2030', cvc: '123' } },
    }),
  });
  assert.equal(res.status, 200, `the emulator charged the card: ${await res.text()}`);
  for (let i = 0; i < 50; i += 1) {
    const p = await apiCall('GET', `/payments/${payment.id}`, undefined, buyer.token);
    if (p.status === 'completed') return p;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`payment ${payment.id} did not complete`);
}

/** On the payment step: choose the card, type it into the (fake) Card Element and pay. */
async function payInBrowser(page, number) {
  const choice = page.getByRole('radio', { name: /^Card/ });
  await choice.or(page.locator('#card-element')).first().waitFor();
  if (await choice.count()) {
    await choice.check();
    await page.getByRole('button', { name: 'Continue' }).click();
  }
  const element = page.locator('#card-element');
  await element.locator('input[placeholder="number"]').waitFor();
  await element.locator('input[placeholder="number"]').fill(number);
  await element.locator('input[placeholder="exp_month"]').fill('12');
  await element.locator('input[placeholder="exp_year"]').fill('30');
  await element.locator('input[placeholder="cvc"]').fill('123');
  await page.getByRole('button', { name: /^Pay / }).click();
}

test('a student buys a paid course by card, learns it, gets the certificate and reviews it; a late refund is refused with the reasons', async (t) => {
  if (skipped(t)) return;
  const { course } = await makeCourse(instructor.token, {
    title: 'Sourdough masterclass',
    price_cents: 2900,
    lessons: [
      { content_type: 'reading', title: 'The starter', body_markdown: 'Feed it **every day**.' },
      {
        content_type: 'quiz', title: 'Starter quiz', pass_percent: 100,
        questions: [{ kind: 'true_false', prompt: 'A starter needs feeding.', answer: true }],
      },
    ],
  });
  const account = newAccount('cardbuyer');
  const { context, page, requests, errors } = await newSession(browser, { acceptDownloads: true });
  try {
    await page.goto(`${BASE_URL}/register`);
    await page.getByLabel('Name').fill(account.name);
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expectHeading(page, 'Your account');

    // Course page -> cart -> checkout -> order.
    await page.goto(`${BASE_URL}/courses/${course.id}`);
    await expectHeading(page, course.title);
    await screenshot(page, 'course-page-paid');
    await page.getByRole('button', { name: 'Buy this course' }).click();
    await expectHeading(page, 'Your cart');
    await page.getByRole('link', { name: 'Go to checkout' }).click();
    await expectHeading(page, 'Checkout');
    await page.locator('.totals dd.total', { hasText: '29' }).waitFor();
    const beforePayment = requests.length;
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.waitForURL(/\/orders\/[^/]+\/pay$/);
    const orderId = new URL(page.url()).pathname.split('/')[2];
    assert.deepEqual(foreignRequests(requests.slice(0, beforePayment)), [], 'Stripe.js is not loaded before the payment step');

    // The payment step: Stripe.js from the configured URL, the card, paid.
    await expectHeading(page, /Pay for order SH-/);
    await screenshot(page, 'payment-choose');
    await payInBrowser(page, '4242 4242 4242 4242');
    await page.locator('main').getByText('Payment received. Thank you!').waitFor({ timeout: 30000 });
    await screenshot(page, 'payment-card-paid');
    const onPaymentStep = foreignRequests(requests.slice(beforePayment));
    assert.ok(onPaymentStep.includes(STRIPE_JS_URL), `Stripe.js came from ${STRIPE_JS_URL}: ${onPaymentStep}`);
    assert.deepEqual(notStripe(onPaymentStep), [], 'the payment step talks to no host but the app and Stripe');

    // The webhook paid the order and enrolled the buyer: My courses lists it.
    const afterPayment = requests.length;
    await page.getByRole('link', { name: 'Go to My courses' }).click();
    await expectHeading(page, 'My courses');
    await page.locator('.my-course', { hasText: course.title }).getByText('0% complete').waitFor();
    await screenshot(page, 'my-courses-bought');
    await page.getByRole('link', { name: 'Start' }).click();
    await expectHeading(page, 'The starter');
    await page.getByRole('button', { name: 'Complete and continue' }).click();
    await expectHeading(page, 'Starter quiz');
    await page.locator('main').getByText('Course progress: 50%').waitFor();
    await page.getByLabel('True').check();
    await page.getByRole('button', { name: 'Submit answers' }).click();
    await page.locator('main').getByText('You passed!').waitFor();
    await page.getByRole('heading', { name: /You completed this course/ }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download certificate' }).click(),
    ]);
    assert.equal((await readFile(await download.path())).subarray(0, 5).toString(), '%PDF-');
    await page.getByLabel('5 stars').check();
    await page.getByLabel('Comment').fill('Worth every cent.');
    await page.getByRole('button', { name: 'Post review' }).click();
    await page.locator('main').getByText('Thank you! Your review is posted.').waitFor();

    // The order is paid; a refund after the certificate is refused, with the reasons.
    await page.goto(`${BASE_URL}/orders/${orderId}`);
    await page.locator('.page-head .status-chip', { hasText: /Paid|Fulfilled/ }).waitFor();
    await page.getByLabel('Reason').fill('Changed my mind.');
    await page.getByRole('button', { name: 'Request refund' }).click();
    const result = page.locator('.refund-result');
    await result.getByText('Your refund request was not approved.').waitFor();
    await result.getByText('Why it is not eligible:').waitFor();
    const reasons = await result.locator('.refund-reasons').innerText();
    assert.match(reasons, /certificate/i);
    assert.ok(reasons.includes(`“${course.title}”`) && !reasons.includes(course.id), `the reasons name the course: ${reasons}`);
    await screenshot(page, 'refund-refused');

    assert.deepEqual(foreignRequests(requests.slice(afterPayment)), [], 'no other host after the payment step');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a declined card is explained and another card then pays', async (t) => {
  if (skipped(t)) return;
  const { course } = await makeCourse(instructor.token, {
    title: 'Rye breads', price_cents: 1900,
    lessons: [{ content_type: 'reading', title: 'Rye flour', body_markdown: 'Sticky.' }],
  });
  const buyer = await buyerWithOrder('declined', course);
  const { context, page, requests, errors } = await newSession(browser);
  try {
    await loginViaUi(page, buyer.account, `/orders/${buyer.order.id}/pay`);
    // localstripe declines 4000 0000 0000 0341 when it is charged.
    await payInBrowser(page, '4000 0000 0000 0341');
    const cardError = page.locator('#card-error');
    await cardError.getByText('Your card was declined. Try another card.').waitFor();
    // The failure also reaches the server (webhook or re-check): the step says so and offers a retry.
    await page.locator('main').getByText('Your payment did not go through.').waitFor({ timeout: 30000 });
    await page.locator('main').getByText('No money was taken.').waitFor();
    await screenshot(page, 'payment-declined');
    const order = await apiCall('GET', `/orders/${buyer.order.id}`, undefined, buyer.token);
    assert.equal(order.status, 'pending', 'a declined card leaves the order to pay');

    await page.getByRole('button', { name: 'Try again' }).click();
    await payInBrowser(page, '4242424242424242');
    await page.locator('main').getByText('Payment received. Thank you!').waitFor({ timeout: 30000 });
    const courses = await apiCall('GET', '/users/me/courses', undefined, buyer.token);
    assert.ok(courses.items.some((c) => c.course_id === course.id), 'enrolled after the second card');
    assert.deepEqual(notStripe(foreignRequests(requests)), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('an admin sees card sales on the dashboard, approves a refund (the course is gone), rejects one with a note, sees the policy reasons and the audit log', async (t) => {
  if (skipped(t)) return;
  const { course, lessons } = await makeCourse(instructor.token, {
    title: 'Pastry basics', price_cents: 4500,
    lessons: [
      { content_type: 'reading', title: 'Butter', body_markdown: 'Cold butter.' },
      { content_type: 'reading', title: 'Folding', body_markdown: 'Fold three times.' },
    ],
  });
  const approved = await buyerWithOrder('refundok', course);
  const rejected = await buyerWithOrder('refundno', course);
  const tooFar = await buyerWithOrder('refundlate', course);
  for (const b of [approved, rejected, tooFar]) await payByCard(b);
  // Half the course done is beyond the 30 % the policy allows.
  await apiCall('POST', `/courses/${course.id}/progress`, { lesson_id: lessons[0].id, completed: true }, tooFar.token);
  const requestRefund = (b) => apiCall('POST', '/refunds', { order_id: b.order.id, reason: 'Not for me.' }, b.token);
  const late = await requestRefund(tooFar);
  assert.equal(late.status, 'rejected');
  await requestRefund(rejected);

  const admin = await staffAccount('admin');
  const student = await newSession(browser);
  const { context, page, requests, errors } = await newSession(browser);
  try {
    // The buyer asks for a refund in the browser; it waits for the school.
    await loginViaUi(student.page, approved.account, `/orders/${approved.order.id}`);
    await student.page.getByLabel('Reason').fill('The schedule does not suit me.');
    await student.page.getByRole('button', { name: 'Request refund' }).click();
    await student.page.locator('.refund-result').getByText('waits for the school to review it').waitFor();
    // The request stays in sight under Refund, and no second request is offered.
    await student.page.locator('.refund-entry').getByText('waits for the school to review it').waitFor();
    await student.page.getByText('Every item of this order is covered by a refund request').waitFor();
    await student.page.reload();
    await student.page.locator('.refund-entry').getByText('waits for the school to review it').waitFor();
    assert.equal(await student.page.getByRole('button', { name: 'Request refund' }).count(), 0);

    await page.goto(`${BASE_URL}/admin/dashboard`);
    await expectHeading(page, 'Log in');
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expectHeading(page, 'Dashboard');
    const bars = page.locator('svg.chart rect.chart-bar');
    await bars.first().waitFor({ state: 'attached' });
    const nets = await bars.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-net'))));
    assert.ok(nets.some((n) => n >= 3 * 4500), `today's bar holds the three card sales: ${nets}`);
    await screenshot(page, 'admin-dashboard-card-sales');

    // The queue opens on what needs action: each request with the policy's verdict.
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Refunds' }).click();
    await expectHeading(page, 'Refunds');
    assert.equal(await page.getByLabel('Status').inputValue(), 'needs_action');
    // (Each request links its order; the order number shows when the API sends it.)
    const refundOf = (b) => page.locator('.refund', { has: page.locator(`a[href="/admin/orders/${b.order.id}"]`) });
    const okCard = refundOf(approved);
    const noCard = refundOf(rejected);
    await okCard.getByText('Eligible under the refund policy').waitFor();
    await noCard.getByText('Eligible under the refund policy').waitFor();
    await screenshot(page, 'admin-refunds-queue');

    // Rejecting needs a note the customer will see.
    await noCard.getByRole('button', { name: 'Reject' }).click();
    await noCard.locator('.field-error:not([hidden])').waitFor();
    await noCard.getByLabel('Note').fill('Outside our refund terms for group bookings.');
    await noCard.getByRole('button', { name: 'Reject' }).click();
    await noCard.waitFor({ state: 'detached' });

    page.once('dialog', (dialog) => {
      assert.match(dialog.message(), /cannot be undone/);
      dialog.accept();
    });
    await okCard.getByRole('button', { name: 'Approve and refund' }).click();
    await okCard.waitFor({ state: 'detached' });

    // The buyer's access ends at once.
    await student.page.goto(`${BASE_URL}/my-courses`);
    await expectHeading(student.page, 'My courses');
    await student.page.locator('.my-course', { hasText: course.title }).getByText('Your access to this course has ended.').waitFor();
    await screenshot(student.page, 'my-courses-refunded');
    const refunded = await apiCall('GET', `/orders/${approved.order.id}`, undefined, approved.token);
    assert.equal(refunded.status, 'refunded');
    await student.page.goto(`${BASE_URL}/orders/${approved.order.id}`);
    await student.page.locator('.refund-entry').getByText('Your refund was processed.').waitFor();
    await screenshot(student.page, 'order-refund-processed');

    // Refused by the policy: the reasons are shown.
    await page.getByLabel('Status').selectOption('rejected');
    await page.getByRole('button', { name: 'Apply' }).click();
    const lateCard = refundOf(tooFar);
    await lateCard.getByText('Not eligible under the refund policy').waitFor();
    assert.match(await lateCard.locator('.eligibility li').first().innerText(), /progress|completed|%/i);
    await refundOf(rejected).getByText('Outside our refund terms for group bookings.').waitFor();
    await screenshot(page, 'admin-refunds-rejected');

    // The audit log has the decisions, by this admin.
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Audit log' }).click();
    await expectHeading(page, 'Audit log');
    await page.getByRole('searchbox', { name: 'Action' }).fill('refund.*');
    await page.getByRole('button', { name: 'Apply' }).click();
    for (const action of ['refund.approved', 'refund.rejected', 'refund.processed']) {
      await page.locator('tbody tr', { hasText: action }).first().waitFor();
    }
    assert.match(await page.locator('tbody tr', { hasText: 'refund.approved' }).first().innerText(), new RegExp(admin.email.replace(/[.+]/g, '\\$&')));
    await screenshot(page, 'admin-audit-log');

    assert.deepEqual(foreignRequests(requests), []);
    assert.deepEqual(foreignRequests(student.requests), []);
    assert.deepEqual([...errors, ...student.errors], []);
  } catch (err) {
    await screenshot(page, 'admin-refunds-failure').catch(() => {});
    throw err;
  } finally {
    await student.context.close();
    await context.close();
  }
});

test('a student downloads their data and deletes their account', async (t) => {
  if (skipped(t)) return;
  const account = newAccount('leaver');
  await apiCall('POST', '/auth/register', account);
  const { context, page, requests, errors } = await newSession(browser, { acceptDownloads: true });
  try {
    await loginViaUi(page, account, '/account');
    await expectHeading(page, 'Your account');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download my data' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'my-data.zip');
    const zip = await readFile(await download.path());
    assert.equal(zip.subarray(0, 2).toString(), 'PK');
    assert.ok(zip.includes(Buffer.from('data.json')), 'the export holds data.json');
    await page.locator('main').getByText('Your data was downloaded as my-data.zip.').waitFor();

    // A wrong password is refused next to the field; nothing is deleted.
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Delete my account' }) });
    await form.getByLabel('Password').fill('not my password at all');
    await form.getByLabel('I understand that my account will be deleted for good').check();
    await form.getByRole('button', { name: 'Delete my account' }).click();
    await form.locator('.field-error:not([hidden]), .form-summary').first().waitFor();
    await screenshot(page, 'account-delete-refused');
    await form.getByLabel('Password').fill(account.password);
    await form.getByRole('button', { name: 'Delete my account' }).click();
    await page.locator('main').getByText('Your account was deleted.').waitFor();
    await screenshot(page, 'account-deleted');

    // Gone: the old password no longer logs in.
    const res = await fetch(`${BASE_URL}/api/auth/login`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: account.email, password: account.password }),
    });
    assert.equal(res.status, 401);
    assert.deepEqual(foreignRequests(requests), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
