// The French UI (issue 29) through scenario A: a visitor who chose French browses the
// catalogue, signs up, buys a course by card, learns it, passes its quiz and opens the
// public certificate page, and no page on the way shows an English message of the UI's
// catalogue. The language switcher changes the words in place, without a reload or a new
// login. Card payments go through the local Stripe emulator, as in payments.test.mjs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL, launch, foreignRequests, screenshot, newAccount, expectHeading,
} from './support.mjs';
import { canUseCli, staffAccount, makeCourse, apiCall } from './fixtures.mjs';
import { catalogue, englishOnly, sessionIn, englishOn } from './i18n-support.mjs';

const STRIPE_JS_URL = process.env.UI_STRIPE_JS_URL || '';
const FR = catalogue('fr');
const EN = catalogue('en');
/** The French words of a message, as the page shows them. */
const fr = (id) => {
  const text = FR.get(id);
  assert.ok(text, `fr/ui.ftl has ${id}`);
  return text;
};
const ENGLISH = englishOnly();

let browser;
let instructor;

before(async () => {
  browser = await launch();
  if (canUseCli() && STRIPE_JS_URL) instructor = await staffAccount('instructor');
});

after(async () => {
  if (browser) await browser.close();
});

/** The page is in French and shows none of the English catalogue's messages. */
async function allFrench(page, where) {
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"], .loading'));
  assert.equal(await page.getAttribute('html', 'lang'), 'fr', `${where}: <html lang>`);
  assert.deepEqual(await englishOn(page, ENGLISH), [], `${where}: English words left on the page`);
}

test('a visitor in French browses, buys a course by card, learns it, passes the quiz and sees the certificate page, all in French', async (t) => {
  if (!instructor) {
    t.skip('needs UI_SERVER_BIN, UI_DATA_DIR and the Stripe emulator (run.sh sets them up)');
    return;
  }
  const { course } = await makeCourse(instructor.token, {
    title: 'Pain au levain',
    price_cents: 2900,
    lessons: [
      { content_type: 'reading', title: 'Le levain', body_markdown: 'Nourrissez-le **chaque jour**.' },
      {
        content_type: 'quiz', title: 'Quiz du levain', pass_percent: 100,
        questions: [{ kind: 'true_false', prompt: 'Un levain se nourrit.', answer: true }],
      },
    ],
  });
  const account = newAccount('francais');
  const { context, page, requests, errors } = await sessionIn(browser, 'fr');
  try {
    // Browse: the catalogue and the course page.
    await page.goto(`${BASE_URL}/courses`);
    await expectHeading(page, fr('catalogue'));
    await page.getByText(fr('courses-to-learn-at-your-own')).waitFor();
    await page.getByRole('button', { name: fr('filters-and-sorting') }).or(page.getByText(fr('filters-and-sorting'))).first().waitFor();
    await allFrench(page, 'catalogue');
    await screenshot(page, 'fr-catalogue');

    // Sign up.
    await page.goto(`${BASE_URL}/register`);
    await expectHeading(page, fr('create-an-account'));
    await allFrench(page, 'register');
    await page.getByLabel(fr('name')).fill(account.name);
    await page.getByLabel(fr('email')).fill(account.email);
    await page.getByLabel(fr('password')).fill(account.password);
    await page.getByRole('button', { name: fr('create-account') }).click();
    await expectHeading(page, fr('your-account'));
    await allFrench(page, 'account');

    // Buy: course page -> cart -> checkout -> card payment.
    await page.goto(`${BASE_URL}/courses/${course.id}`);
    await expectHeading(page, course.title);
    await page.getByRole('heading', { name: fr('about-this-course') }).waitFor();
    await allFrench(page, 'course page');
    await screenshot(page, 'fr-course');
    await page.getByRole('button', { name: fr('buy-this-course') }).click();
    await expectHeading(page, fr('your-cart'));
    await allFrench(page, 'cart');
    await page.getByRole('link', { name: fr('go-to-checkout') }).click();
    await expectHeading(page, fr('checkout'));
    // Prices in the French way: a decimal comma.
    await page.locator('.totals dd.total', { hasText: '29,00' }).waitFor();
    await allFrench(page, 'checkout');
    await screenshot(page, 'fr-checkout');
    await page.getByRole('button', { name: fr('place-order') }).click();
    await page.waitForURL(/\/orders\/[^/]+\/pay$/);
    await expectHeading(page, /^Payer la commande SH-/);
    const choice = page.getByRole('radio', { name: new RegExp(`^${fr('card')}`) });
    await choice.or(page.locator('#card-element')).first().waitFor();
    if (await choice.count()) {
      await allFrench(page, 'payment choice');
      await choice.check();
      await page.getByRole('button', { name: fr('continue') }).click();
    }
    const element = page.locator('#card-element');
    await element.locator('input[placeholder="number"]').fill('4242 4242 4242 4242');
    await element.locator('input[placeholder="exp_month"]').fill('12');
    await element.locator('input[placeholder="exp_year"]').fill('30');
    await element.locator('input[placeholder="cvc"]').fill('123');
    await page.getByRole('button', { name: /^Payer / }).click();
    await page.locator('main').getByText(fr('payment-received-thank-you')).waitFor({ timeout: 30000 });
    await allFrench(page, 'payment received');
    await screenshot(page, 'fr-paid');

    // Learn: My courses, the reading, the quiz, the completed course.
    await page.getByRole('link', { name: fr('go-to-my-courses') }).click();
    await expectHeading(page, fr('my-courses'));
    await page.locator('.my-course', { hasText: course.title }).getByText(/0\s%\sterminé/).waitFor();
    await allFrench(page, 'my courses');
    await page.getByRole('link', { name: fr('start'), exact: true }).click();
    await expectHeading(page, 'Le levain');
    await allFrench(page, 'reading lesson');
    await page.getByRole('button', { name: fr('complete-and-continue') }).click();
    await expectHeading(page, 'Quiz du levain');
    await page.locator('main').getByText(/Progression dans le cours\s:\s50\s%/).waitFor();
    await allFrench(page, 'quiz');
    await page.getByLabel(fr('true'), { exact: true }).check();
    await page.getByRole('button', { name: fr('submit-answers') }).click();
    await page.locator('main').getByText(fr('you-passed')).waitFor();
    await page.getByRole('heading', { name: fr('you-completed-this-course-2') }).waitFor();
    await allFrench(page, 'quiz passed');
    await screenshot(page, 'fr-completed');

    // The public certificate page.
    const { access_token: token } = await apiCall('POST', '/auth/login', { email: account.email, password: account.password });
    const mine = await apiCall('GET', '/users/me/courses', undefined, token);
    const serial = mine.items.find((c) => c.course_id === course.id).certificate_serial;
    assert.ok(serial, 'passing the course issued a certificate');
    await page.goto(`${BASE_URL}/certificates/${serial}`);
    await expectHeading(page, fr('valid-certificate'));
    await page.getByText(fr('this-certificate-was-issued-by-this')).waitFor();
    await allFrench(page, 'certificate');
    await screenshot(page, 'fr-certificate');

    assert.deepEqual(errors, []);
    const stripeOrigin = new URL(STRIPE_JS_URL).origin;
    assert.deepEqual(foreignRequests(requests).filter((u) => !u.startsWith(stripeOrigin)), []);
  } finally {
    await context.close();
  }
});

test('the language switcher changes the words in place, keeps the session and remembers the choice', async () => {
  const { context, page, errors } = await sessionIn(browser, 'fr');
  try {
    await page.goto(`${BASE_URL}/courses`);
    await expectHeading(page, fr('catalogue'));
    await page.getByRole('link', { name: fr('log-in'), exact: true }).waitFor();
    // A marker that a full page load would wipe out.
    await page.evaluate(() => { window.sameDocument = true; });
    await page.getByLabel(fr('language'), { exact: true }).selectOption('en');
    await page.getByRole('link', { name: EN.get('log-in'), exact: true }).waitFor();
    await page.getByText(EN.get('courses-to-learn-at-your-own')).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.evaluate(() => window.sameDocument), true, 'no reload');
    const cookie = (await context.cookies(BASE_URL)).find((c) => c.name === 'schoolhouse_locale');
    assert.equal(cookie && cookie.value, 'en');
    assert.ok(cookie.expires - Date.now() / 1000 > 300 * 24 * 3600, 'kept for a year');
    // The next visit starts in the chosen language.
    await page.reload();
    await page.getByRole('link', { name: EN.get('log-in'), exact: true }).waitFor();
    await page.getByLabel(EN.get('language'), { exact: true }).selectOption('fr');
    await page.getByRole('link', { name: fr('log-in'), exact: true }).waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('an admin in French walks every section of the admin area and sees no English message', { skip: !canUseCli() && 'needs UI_SERVER_BIN and UI_DATA_DIR' }, async () => {
  const admin = await staffAccount('admin');
  const { context, page, errors } = await sessionIn(browser, 'fr');
  try {
    await page.goto(`${BASE_URL}/login?next=%2Fadmin`);
    await expectHeading(page, fr('log-in'));
    await allFrench(page, 'login');
    await page.getByLabel(fr('email')).fill(admin.email);
    await page.getByLabel(fr('password')).fill(admin.password);
    await page.locator('main form').getByRole('button', { name: fr('log-in') }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/admin/'));
    const nav = page.getByRole('navigation', { name: fr('admin-sections') });
    await nav.getByRole('link').first().waitFor();
    const hrefs = await nav.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    assert.ok(hrefs.length >= 5, `the admin sees the sections: ${hrefs}`);
    for (const href of hrefs) {
      await page.goto(`${BASE_URL}${href}`);
      await page.locator('main h1').first().waitFor();
      await allFrench(page, href);
      assert.match(await page.title(), /Administration de Schoolhouse$/, `${href}: the page title`);
    }
    await page.goto(`${BASE_URL}/admin/courses/new`);
    await expectHeading(page, fr('new-course'));
    await allFrench(page, '/admin/courses/new');
    await screenshot(page, 'fr-admin-new-course');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
