// Sign-in with an OpenID provider (issue 24) in real Chromium, against the real provider
// tests/support/oidc/start.sh runs (oidc-provider; run.sh configures the server with it):
// the provider's own login and consent pages are filled in. Providers configured by run.sh:
//   "Test IdP" (id test, any domain), "School only" (id school, allowed_domains school.test).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { BASE_URL, launch, newSession, screenshot, expectHeading } from './support.mjs';
import { apiCall } from './fixtures.mjs';

const ISSUER = (process.env.OIDC_ISSUER || '').replace(/\/+$/, '');

let browser;
before(async () => {
  assert.ok(ISSUER, 'OIDC_ISSUER is not set: tests/ui/run.sh starts the OpenID provider and sets it');
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
});

const unique = (domain) => `ui-${randomBytes(4).toString('hex')}@${domain}`;

/** On the provider's pages: log in as `login` (any password) and give consent. */
async function providerLogin(page, login) {
  await page.waitForURL((url) => url.href.startsWith(ISSUER));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.locator('button[type="submit"]').click();
  // The consent page (first sign-in of this account to this client).
  await page.waitForURL((url) => !url.href.startsWith(ISSUER) || url.pathname.startsWith('/interaction/'));
  if (page.url().startsWith(ISSUER)) {
    await page.getByRole('button', { name: 'Continue' }).click();
  }
  await page.waitForURL((url) => url.href.startsWith(BASE_URL));
}

test('a new student continues with the provider, fills its pages and lands signed in on My courses', async () => {
  const { context, page, errors } = await newSession(browser);
  try {
    const email = unique('school.test');
    await page.goto(`${BASE_URL}/login?next=${encodeURIComponent('/my-courses')}`);
    await page.getByRole('link', { name: 'Continue with Test IdP' }).click();
    await providerLogin(page, email);
    await expectHeading(page, 'My courses');
    await page.goto(`${BASE_URL}/account`);
    await expectHeading(page, 'Your account');
    const linked = page.locator('.linked-providers');
    await linked.waitFor();
    assert.match(await linked.innerText(), new RegExp(email.replace('.', '\\.')));
    await screenshot(page, 'signin-oidc-new-student');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a provider account is linked to an existing password account after its password', async () => {
  const { context, page, errors } = await newSession(browser);
  try {
    const account = { name: 'Linda Link', email: unique('school.test'), password: 'correct horse battery staple' };
    await apiCall('POST', '/auth/register', account);
    await page.goto(`${BASE_URL}/login`);
    await page.getByRole('link', { name: 'Continue with Test IdP' }).click();
    await providerLogin(page, account.email);
    await expectHeading(page, 'Log in');
    await page.getByText(`An account already uses ${account.email}`).waitFor();
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expectHeading(page, 'Your account');
    await page.locator('.linked-providers').getByText(account.email).waitFor();
    await screenshot(page, 'signin-oidc-linked');
    // Next time the provider alone signs in to the same account.
    // A new visit without any session: the app's and the provider's cookies are gone.
    await context.clearCookies();
    await page.goto(`${BASE_URL}/login?next=${encodeURIComponent('/account')}`);
    await page.getByRole('link', { name: 'Continue with Test IdP' }).click();
    await page.waitForURL((url) => url.href.startsWith(ISSUER) || url.href.startsWith(BASE_URL));
    if (page.url().startsWith(ISSUER)) await providerLogin(page, account.email);
    await expectHeading(page, 'Your account');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('an email outside the allowed domains is refused with a clear message', async () => {
  const { context, page, errors } = await newSession(browser);
  try {
    await page.goto(`${BASE_URL}/login`);
    await page.getByRole('link', { name: 'Continue with School only' }).click();
    await providerLogin(page, unique('other.test'));
    await expectHeading(page, 'Log in');
    await page.getByText('Accounts of this email domain may not sign in here').waitFor();
    await screenshot(page, 'signin-oidc-domain-refused');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
