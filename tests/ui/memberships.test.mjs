// Memberships in the browser, against the real API and the local Stripe emulator: an admin
// creates a monthly all-access plan in /admin; a student picks it on /membership, pays by card
// (the fake Stripe.js makes the PaymentMethod, the server starts the subscription), opens a
// paid course through the membership, sees the next charge in My membership and cancels at the
// period's end (access stays until then); the admin sees the member in the list. The three
// pages pass an axe WCAG 2.1 A/AA audit.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import {
  BASE_URL, launch, newSession, foreignRequests, screenshot, newAccount, expectHeading, loginViaUi, logIn,
} from './support.mjs';
import { canUseCli, staffAccount, makeCourse, apiCall } from './fixtures.mjs';

const STRIPE_JS_URL = process.env.UI_STRIPE_JS_URL || '';
const AXE_SOURCE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
});

/** Stripe.js from its configured URL and the PaymentMethod it creates; nothing else is allowed. */
function notStripe(urls) {
  const stripeOrigin = new URL(STRIPE_JS_URL).origin;
  return urls.filter((url) => url !== STRIPE_JS_URL && url !== `${stripeOrigin}/v1/payment_methods`);
}

async function audit(page, path, heading) {
  await page.goto(`${BASE_URL}${path}`);
  await expectHeading(page, heading);
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"], .loading'));
  await page.addScriptTag({ content: AXE_SOURCE });
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    resultTypes: ['violations'],
  }));
  return result.violations.map((v) => `${path}: ${v.id} (${v.impact}): ${v.help} -> ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

test('an admin creates a monthly plan; a student pays it by card, learns a paid course through it and cancels at the period end', async (t) => {
  if (!canUseCli() || !STRIPE_JS_URL) {
    t.skip('needs UI_SERVER_BIN, UI_DATA_DIR and the Stripe emulator (run.sh sets them up)');
    return;
  }
  const admin = await staffAccount('admin');
  const { course, lessons } = await makeCourse(admin.token, {
    title: 'Wheel throwing',
    price_cents: 4900,
    lessons: [{ content_type: 'reading', title: 'Centring the clay', body_markdown: 'Wet hands, **steady** elbows.' }],
  });
  const planName = `All access ${Date.now().toString(36)}`;

  // The admin creates the plan in the admin UI.
  const staff = await newSession(browser);
  try {
    await loginViaUi(staff.page, admin, '/admin/memberships');
    await expectHeading(staff.page, 'Memberships');
    await staff.page.getByRole('link', { name: 'New plan' }).click();
    await expectHeading(staff.page, 'New plan');
    await staff.page.getByLabel('Name').fill(planName);
    await staff.page.getByLabel(/^Price/).fill('19.00');
    await staff.page.getByLabel('Billing period').selectOption('month');
    await staff.page.getByLabel('Covers').selectOption('all');
    await staff.page.getByRole('button', { name: 'Create plan' }).click();
    await expectHeading(staff.page, 'Memberships');
    const row = staff.page.getByRole('row', { name: new RegExp(planName) });
    await row.getByText('Every course').waitFor();
    assert.match(await row.innerText(), /19\.00 a month/);
    await screenshot(staff.page, 'admin-membership-plans');
    assert.deepEqual(foreignRequests(staff.requests), []);
    assert.deepEqual(staff.errors, []);
  } finally {
    await staff.context.close();
  }

  const account = newAccount('member');
  await apiCall('POST', '/auth/register', account);
  const { context, page, requests, errors } = await newSession(browser);
  page.on('dialog', (dialog) => dialog.accept());
  try {
    // The plan, its price per month and what it covers; then the card step.
    await loginViaUi(page, account, '/membership');
    await expectHeading(page, 'Membership plans');
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: planName }) });
    await card.getByText('Every course').waitFor();
    assert.match(await card.locator('.plan-price').innerText(), /^\$19\.00 a month$/);
    const beforeCard = requests.length;
    await card.getByRole('button', { name: `Choose ${planName}` }).click();
    await page.getByRole('heading', { name: `Subscribe to ${planName}` }).waitFor();
    await page.locator('main').getByText(/You pay \$19\.00 today, then every month until you cancel\./).waitFor();
    const element = page.locator('#card-element');
    await element.locator('input[placeholder="number"]').fill('4242424242424242');
    await element.locator('input[placeholder="exp_month"]').fill('12');
    await element.locator('input[placeholder="exp_year"]').fill('30');
    await element.locator('input[placeholder="cvc"]').fill('123');
    await screenshot(page, 'membership-card-step');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.locator('main').getByText('Welcome! Your membership is active.').waitFor({ timeout: 30000 });
    const onCardStep = foreignRequests(requests.slice(beforeCard));
    assert.ok(onCardStep.includes(STRIPE_JS_URL), `Stripe.js came from ${STRIPE_JS_URL}: ${onCardStep}`);
    assert.deepEqual(notStripe(onCardStep), [], 'the card step talks to no host but the app and Stripe');
    const afterCard = requests.length;

    // A paid course the member never bought: included, and its lesson opens.
    await page.goto(`${BASE_URL}/courses/${course.id}`);
    await expectHeading(page, course.title);
    await page.locator('main').getByText(`Included in your membership (${planName}).`).waitFor();
    await screenshot(page, 'membership-course-page');
    await page.getByRole('button', { name: 'Start the course' }).click();
    await expectHeading(page, 'Centring the clay');

    // My membership: the plan, active, the next charge; cancel at the end of the period.
    await page.goto(`${BASE_URL}/account/membership`);
    await expectHeading(page, 'My membership');
    const panel = page.getByRole('region', { name: planName, exact: true });
    await panel.locator('.status-chip', { hasText: 'Active' }).waitFor();
    const next = await panel.locator('.membership-next').innerText();
    assert.match(next, /^Next charge: \$19\.00 on \w+ \d{1,2}, \d{4}\.$/);
    await panel.getByRole('cell', { name: '$19.00' }).waitFor();
    await page.getByRole('button', { name: 'Cancel at the end of the period' }).click();
    await page.locator('main').getByText(/^Your membership is cancelled\. It ends on .+; your courses stay open until then\.$/).waitFor();
    const after = page.getByRole('region', { name: planName, exact: true });
    await after.locator('.status-chip', { hasText: 'Active' }).waitFor();
    assert.match(await after.locator('.membership-next').innerText(), /^Cancelled: your membership ends on \w+ \d{1,2}, \d{4}\. Your courses stay open until then\.$/);
    await after.getByRole('button', { name: 'Keep my membership' }).waitFor();
    await screenshot(page, 'my-membership-cancelled');
    const [mine] = await apiCall('GET', '/memberships', undefined, (await apiCall('POST', '/auth/login', { email: account.email, password: account.password })).access_token);
    assert.equal(mine.status, 'active');
    assert.equal(mine.cancel_at_period_end, true);
    assert.equal(mine.next_charge, null, 'nothing more is charged');

    // Access stays until the period ends.
    await page.goto(`${BASE_URL}/learn/${course.id}/${lessons[0].id}`);
    await expectHeading(page, 'Centring the clay');
    await page.locator('main').getByText('steady').waitFor();
    assert.deepEqual(foreignRequests(requests.slice(afterCard)), [], 'no other host after the card step');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }

  // The admin finds the member among the active ones.
  const back = await newSession(browser);
  try {
    await loginViaUi(back.page, admin, '/admin/memberships?status=active');
    await expectHeading(back.page, 'Memberships');
    const member = back.page.getByRole('row', { name: new RegExp(account.email) });
    await member.getByText(planName).waitFor();
    await member.getByText('ends at the period\'s end').waitFor();
    await member.getByRole('button', { name: `Cancel now: the membership of ${account.email}` }).waitFor();
    await screenshot(back.page, 'admin-members');
    assert.deepEqual(foreignRequests(back.requests), []);
    assert.deepEqual(back.errors, []);
  } finally {
    await back.context.close();
  }

  // The three pages pass axe (injected, so these contexts bypass the CSP).
  const problems = [];
  const learner = await newSession(browser, { bypassCSP: true });
  try {
    await loginViaUi(learner.page, account, '/account');
    problems.push(...await audit(learner.page, '/membership', 'Membership plans'));
    problems.push(...await audit(learner.page, '/account/membership', 'My membership'));
  } finally {
    await learner.context.close();
  }
  const auditor = await newSession(browser, { bypassCSP: true });
  try {
    await loginViaUi(auditor.page, admin, '/admin/memberships');
    problems.push(...await audit(auditor.page, '/admin/memberships', 'Memberships'));
  } finally {
    await auditor.context.close();
  }
  assert.deepEqual(problems, []);
});

test('a declined card starts no membership and says so on the card step', async (t) => {
  if (!canUseCli() || !STRIPE_JS_URL) {
    t.skip('needs UI_SERVER_BIN, UI_DATA_DIR and the Stripe emulator (run.sh sets them up)');
    return;
  }
  const admin = await staffAccount('admin');
  const plan = await apiCall('POST', '/admin/membership-plans', {
    name: `Yearly pass ${Date.now().toString(36)}`, interval: 'year', price_cents: 12000, trial_days: 0, scope: 'all',
  }, admin.token);
  const account = newAccount('declined-member');
  await apiCall('POST', '/auth/register', account);
  const { context, page, errors } = await newSession(browser);
  try {
    // Chosen before signing in: the login comes back to the plan's card step.
    await page.goto(`${BASE_URL}/membership`);
    await expectHeading(page, 'Membership plans');
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: plan.name }) });
    assert.match(await card.locator('.plan-price').innerText(), /^\$120\.00 a year$/);
    await card.getByRole('button', { name: `Choose ${plan.name}` }).click();
    await expectHeading(page, 'Log in');
    await logIn(page, account.email, account.password);
    await page.getByRole('heading', { name: `Subscribe to ${plan.name}` }).waitFor();
    const element = page.locator('#card-element');
    await element.locator('input[placeholder="number"]').fill('4000000000000341');
    await element.locator('input[placeholder="exp_month"]').fill('12');
    await element.locator('input[placeholder="exp_year"]').fill('30');
    await element.locator('input[placeholder="cvc"]').fill('123');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.locator('#card-error').getByText('Your card was declined. Nothing was charged and no membership was started. Try another card.').waitFor({ timeout: 30000 });
    await page.getByRole('button', { name: 'Subscribe' }).waitFor();
    const token = (await apiCall('POST', '/auth/login', { email: account.email, password: account.password })).access_token;
    assert.deepEqual(await apiCall('GET', '/memberships', undefined, token), [], 'no membership was kept');
    await page.goto(`${BASE_URL}/account/membership`);
    await page.locator('main').getByText('You have no membership.').waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
