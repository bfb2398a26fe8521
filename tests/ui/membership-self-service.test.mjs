// My membership in the browser, against the real API and the local Stripe emulator: a card
// member whose renewal was declined at the emulator (its webhook makes the membership past due)
// sees "Your last payment failed", tries a declined card (the server's refusal is shown), then
// updates the card with the Card Element and is active again; switches monthly -> yearly and
// back as the API allows (a stale page's switch is refused with the server's words), cancels and
// keeps the membership; a stale page's card update on an
// ended membership shows the server's refusal. The page passes an axe WCAG 2.1 A/AA audit
// with the card form open.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { BASE_URL, launch, newSession, screenshot, newAccount, expectHeading, loginViaUi } from './support.mjs';
import { canUseCli, staffAccount, apiCall, apiLogin } from './fixtures.mjs';

const STRIPE_JS_URL = process.env.UI_STRIPE_JS_URL || '';
const STRIPE_API_BASE = (process.env.STRIPE_API_BASE || '').replace(/\/+$/, '');
const STRIPE_KEY = process.env.STRIPE_SECRET_KEY || 'sk_test_schoolhouse_localstripe';
const AXE_SOURCE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
});

/** A call to the emulator's API as Stripe's own clock or Dashboard would make it. */
async function stripe(method, path, form = {}) {
  const response = await fetch(`${STRIPE_API_BASE}${path}`, {
    method,
    headers: { authorization: `Bearer ${STRIPE_KEY}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: method === 'GET' ? undefined : new URLSearchParams(form).toString(),
  });
  const body = await response.json();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

/** Polls the member's membership until `done` holds (webhooks arrive about a second later). */
async function until(token, id, what, done) {
  let last;
  for (let i = 0; i < 150; i += 1) {
    const mine = await apiCall('GET', '/memberships', undefined, token);
    last = mine.find((m) => m.id === id);
    if (last && done(last)) return last;
    await new Promise((resolve) => { setTimeout(resolve, 100); });
  }
  assert.fail(`${what}: ${JSON.stringify(last)}`);
}

async function axe(page) {
  await page.addScriptTag({ content: AXE_SOURCE });
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    resultTypes: ['violations'],
  }));
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} -> ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

async function typeCard(page, number) {
  const element = page.locator('.membership-card .card-element');
  await element.locator('input[placeholder="number"]').fill(number);
  await element.locator('input[placeholder="exp_month"]').fill('12');
  await element.locator('input[placeholder="exp_year"]').fill('30');
  await element.locator('input[placeholder="cvc"]').fill('123');
}

test('a member whose renewal failed updates the card, switches monthly and yearly, cancels and keeps the membership', async (t) => {
  if (!canUseCli() || !STRIPE_JS_URL || !STRIPE_API_BASE) {
    t.skip('needs UI_SERVER_BIN, UI_DATA_DIR and the Stripe emulator (run.sh sets them up)');
    return;
  }
  const admin = await staffAccount('admin');
  const tag = Date.now().toString(36);
  const monthly = await apiCall('POST', '/admin/membership-plans', {
    name: `Studio monthly ${tag}`, interval: 'month', price_cents: 1900, scope: 'all',
  }, admin.token);
  const yearly = await apiCall('POST', '/admin/membership-plans', {
    name: `Studio yearly ${tag}`, interval: 'year', price_cents: 19000, scope: 'all', switch_plan_id: monthly.id,
  }, admin.token);

  // A card member (subscribed through the API), whose next renewal the emulator declines.
  const account = newAccount('card-member');
  await apiCall('POST', '/auth/register', account);
  const token = await apiLogin(account.email, account.password);
  const started = await apiCall('POST', '/memberships', { plan_id: monthly.id, payment_method: 'pm_card_visa' }, token);
  assert.equal(started.status, 'active');
  const sub = await stripe('GET', `/v1/subscriptions/${started.stripe_subscription_id}`);
  await stripe('POST', `/v1/customers/${sub.customer}`, { 'invoice_settings[default_payment_method]': 'pm_card_chargeCustomerFail' });
  const renewal = await stripe('POST', `/_config/subscriptions/${sub.id}/renew`);
  assert.equal(renewal.status, 'open');
  await until(token, started.id, 'the declined renewal makes it past due', (m) => m.status === 'past_due');

  const { context, page, errors } = await newSession(browser, { bypassCSP: true });
  page.on('dialog', (dialog) => dialog.accept());
  try {
    await loginViaUi(page, account, '/account/membership');
    await expectHeading(page, 'My membership');
    const panel = page.getByRole('region', { name: monthly.name, exact: true });
    await panel.locator('.status-chip', { hasText: 'Payment overdue' }).waitFor();
    await panel.getByText('Your last payment failed: update your card to keep access.').waitFor();
    await panel.getByRole('button', { name: 'Update card' }).click();
    await page.getByRole('heading', { name: `New card for ${monthly.name}` }).waitFor();
    await page.locator('main').getByText('The overdue payment ($19.00) is taken from the new card at once, and your membership is active again.').waitFor();
    await screenshot(page, 'membership-update-card');
    assert.deepEqual(await axe(page), [], 'the page with the card form passes axe');

    // A declined card: the server's sentence, and nothing changes.
    await typeCard(page, '4000000000000341');
    await page.getByRole('button', { name: 'Pay $19.00 with this card' }).click();
    await page.locator('.membership-card .field-error').getByText(/declined.*still overdue/).waitFor({ timeout: 30000 });
    assert.equal((await apiCall('GET', '/memberships', undefined, token))[0].status, 'past_due');

    // A good card pays the overdue invoice at once.
    await typeCard(page, '4242424242424242');
    await page.getByRole('button', { name: 'Pay $19.00 with this card' }).click();
    await page.locator('main').getByText('Your new card paid the overdue amount: your membership is active again.').waitFor({ timeout: 30000 });
    const active = page.getByRole('region', { name: monthly.name, exact: true });
    await active.locator('.status-chip', { hasText: 'Active' }).waitFor();
    const [paid] = await apiCall('GET', '/memberships', undefined, token);
    assert.equal(paid.status, 'active');
    assert.equal(paid.cycles_paid, 2);
    const paidAtStripe = await stripe('GET', `/v1/invoices/${renewal.id}`);
    assert.equal(paidAtStripe.status, 'paid');

    // Monthly -> yearly, then back: the API allows both (the yearly plan's sibling is monthly).
    await active.getByRole('button', { name: new RegExp(`^Switch to ${yearly.name}`) }).click();
    await page.locator('main').getByText(`You are now on ${yearly.name}.`).waitFor({ timeout: 30000 });
    const onYearly = page.getByRole('region', { name: yearly.name, exact: true });
    await onYearly.getByRole('button', { name: new RegExp(`^Switch to ${monthly.name}`) }).click();
    await page.locator('main').getByText(`You are now on ${monthly.name}.`).waitFor({ timeout: 30000 });
    const [back] = await apiCall('GET', '/memberships', undefined, token);
    assert.equal(back.plan_id, monthly.id);

    // Switched to yearly elsewhere (another tab): this page's "Switch to yearly" is refused
    // with the server's words instead of switching back.
    await apiCall('POST', `/memberships/${started.id}/switch`, { plan_id: yearly.id }, token);
    const stale = page.getByRole('region', { name: monthly.name, exact: true });
    await stale.getByRole('button', { name: new RegExp(`^Switch to ${yearly.name}`) }).click();
    await stale.getByRole('alert').getByText('This membership is already on that plan.').waitFor({ timeout: 30000 });
    await page.reload();
    await expectHeading(page, 'My membership');
    const again = page.getByRole('region', { name: yearly.name, exact: true });
    await again.getByRole('button', { name: new RegExp(`^Switch to ${monthly.name}`) }).click();
    await page.locator('main').getByText(`You are now on ${monthly.name}.`).waitFor({ timeout: 30000 });

    // Cancel at the end of the period, then keep it.
    const onMonthly = page.getByRole('region', { name: monthly.name, exact: true });
    await onMonthly.getByRole('button', { name: 'Cancel at the end of the period' }).click();
    await page.locator('main').getByText(/^Your membership is cancelled\. It ends on .+; your courses stay open until then\.$/).waitFor();
    await page.getByRole('button', { name: 'Keep my membership' }).click();
    await page.locator('main').getByText('Your membership continues; it renews as before.').waitFor();
    const [kept] = await apiCall('GET', '/memberships', undefined, token);
    assert.equal(kept.cancel_at_period_end, false);
    assert.equal(kept.status, 'active');
    await screenshot(page, 'membership-self-service');

    // Staff end it while the page is open: the card update is refused with the server's words.
    await apiCall('POST', `/admin/memberships/${started.id}/cancel`, {}, admin.token);
    await page.getByRole('button', { name: 'Update card' }).click();
    await page.getByRole('heading', { name: `New card for ${monthly.name}` }).waitFor();
    await typeCard(page, '4242424242424242');
    await page.getByRole('button', { name: 'Save the card' }).click();
    await page.locator('.membership-card .field-error').getByText('This membership is cancelled; there is nothing left to pay.').waitFor({ timeout: 30000 });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
