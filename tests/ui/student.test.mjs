// The storefront and classroom as a student uses them, against the real API:
// register, enrol in a free course, complete reading lessons and a quiz,
// download the certificate, leave a review; a drip-locked lesson shows its
// opening date; a physical product goes from the cart through checkout to the
// manual payment instructions, then shows in the order history. Test data is
// made through the API by staff accounts created with the CLI.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  BASE_URL, launch, newSession, foreignRequests, screenshot, newAccount, expectHeading, loginViaUi,
} from './support.mjs';
import { canUseCli, staffAccount, makeCourse, makeProduct, apiCall, totp } from './fixtures.mjs';

let browser;
let instructor;

before(async () => {
  browser = await launch();
  if (canUseCli()) instructor = await staffAccount('instructor');
});

after(async () => {
  if (browser) await browser.close();
});

const needsCli = (t) => {
  if (canUseCli()) return false;
  t.skip('needs UI_SERVER_BIN and UI_DATA_DIR to create staff accounts (run.sh sets them)');
  return true;
};

async function registerViaUi(page, account) {
  await page.goto(`${BASE_URL}/register`);
  await expectHeading(page, 'Create an account');
  await page.getByLabel('Name').fill(account.name);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expectHeading(page, 'Your account');
}

async function registerViaApi(prefix) {
  const account = newAccount(prefix);
  await apiCall('POST', '/auth/register', account);
  return account;
}

test('a student enrols in a free course, completes readings and a quiz, gets the certificate and reviews it', async (t) => {
  if (needsCli(t)) return;
  const { course } = await makeCourse(instructor.token, {
    title: 'Bread baking',
    lessons: [
      { content_type: 'reading', title: 'Flour and water', body_markdown: '## Why flour matters\n\nGood bread starts with **good flour**.' },
      { content_type: 'reading', title: 'Kneading', body_markdown: 'Knead for *ten minutes*.' },
      {
        content_type: 'quiz', title: 'Check yourself', pass_percent: 75, max_attempts: 3,
        questions: [
          { kind: 'single_choice', prompt: 'What does bread start with?', options: ['Sugar', 'Flour'], answer: 1 },
          { kind: 'true_false', prompt: 'Kneading takes ten minutes.', answer: true },
          { kind: 'multiple_choice', prompt: 'Which are grains?', options: ['Wheat', 'Salt', 'Rye'], answer: [0, 2] },
          { kind: 'short_text', prompt: 'Type the word "dough".', answer: 'dough' },
        ],
      },
    ],
  });
  const account = newAccount('learner');
  const { context, page, requests, errors } = await newSession(browser, { acceptDownloads: true });
  try {
    await registerViaUi(page, account);

    // Enrol from the course page.
    await page.goto(`${BASE_URL}/courses/${course.id}`);
    await expectHeading(page, course.title);
    await page.getByRole('button', { name: 'Enrol for free' }).click();
    await page.locator('main').getByText('You are enrolled in this course.').waitFor();

    // My courses lists it at 0 %.
    await page.getByRole('link', { name: 'My courses' }).click();
    await expectHeading(page, 'My courses');
    await page.locator('main').getByText('0% complete').waitFor();
    await screenshot(page, 'my-courses');
    await page.getByRole('link', { name: 'Start' }).click();

    // Reading lessons: the server's HTML is shown, completion ticks the outline.
    await expectHeading(page, 'Flour and water');
    await page.locator('.lesson-body strong', { hasText: 'good flour' }).waitFor();
    await screenshot(page, 'lesson-reading');
    // "Complete and continue" ticks the lesson and opens the next one.
    await page.getByRole('button', { name: 'Complete and continue' }).click();
    await expectHeading(page, 'Kneading');
    await page.locator('main').getByText('Course progress: 33%').waitFor();
    await page.locator('.player-outline .is-done', { hasText: 'Flour and water' }).waitFor();
    await page.locator('.lesson-pager').getByRole('link', { name: /Flour and water/ }).click();
    await expectHeading(page, 'Flour and water');
    await page.locator('main').getByText('You completed this lesson.').waitFor();
    await page.locator('.lesson-pager').getByRole('link', { name: /Kneading/ }).click();
    await expectHeading(page, 'Kneading');
    await page.getByRole('button', { name: 'Complete and continue' }).click();
    await expectHeading(page, 'Check yourself');
    await page.locator('main').getByText('Course progress: 66%').waitFor();

    // The quiz: a wrong answer first, shown per question, then a passing retake.
    await expectHeading(page, 'Check yourself');
    await page.getByLabel('Sugar').check();
    await page.getByLabel('True').check();
    await page.getByLabel('Wheat').check();
    await page.getByLabel('Your answer').fill('batter');
    await page.getByRole('button', { name: 'Submit answers' }).click();
    await page.locator('main').getByText('Not passed this time.').waitFor();
    await page.locator('main').getByText('Attempts left: 2.').waitFor();
    // The header above the questions counts the attempt too.
    await page.locator('.quiz-rules', { hasText: 'Attempts: 1 of 3 used.' }).waitFor();
    assert.equal(await page.locator('.question.is-wrong').count(), 3);
    await screenshot(page, 'quiz-failed');
    await page.getByLabel('Flour').check();
    await page.getByLabel('Rye').check();
    await page.getByLabel('Your answer').fill('Dough');
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.locator('main').getByText('You passed!').waitFor();
    await page.locator('.quiz-result').getByText('Score: 100%').waitFor();

    // Course complete: the completion screen offers the certificate and a review.
    await page.getByRole('heading', { name: /You completed this course/ }).waitFor();
    await page.locator('main').getByText('Course progress: 100%').waitFor();
    await screenshot(page, 'course-complete');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download certificate' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /\.pdf$/);
    const pdf = await readFile(await download.path());
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');

    await page.getByLabel('4 stars').check();
    await page.getByLabel('Comment').fill('Clear, practical lessons. My loaf rose!');
    await page.getByRole('button', { name: 'Post review' }).click();
    await page.locator('main').getByText('Thank you! Your review is posted.').waitFor();
    // Editing goes through PUT .../reviews/mine.
    await page.getByLabel('5 stars').check();
    await page.getByRole('button', { name: 'Update review' }).click();
    await page.locator('main').getByText('Thank you! Your review is posted.').waitFor();

    // The course page shows the review and the new rating.
    await page.goto(`${BASE_URL}/courses/${course.id}`);
    await expectHeading(page, course.title);
    await page.locator('main').getByText('Clear, practical lessons. My loaf rose!').waitFor();
    await page.locator('.review .visually-hidden', { hasText: '5 out of 5 stars' }).waitFor({ state: 'attached' });

    // My courses: completed, with the certificate.
    await page.goto(`${BASE_URL}/my-courses`);
    await page.locator('main').getByText('100% complete · Completed').waitFor();
    await page.getByRole('button', { name: 'Download certificate' }).waitFor();

    assert.deepEqual(errors, [], 'no uncaught errors in the page');
    assert.deepEqual(foreignRequests(requests), [], 'no request may go to another host');
  } finally {
    await context.close();
  }
});

test('a drip-locked lesson shows the date it opens', async (t) => {
  if (needsCli(t)) return;
  const { course, lessons } = await makeCourse(instructor.token, {
    title: 'Slow cooking',
    lessons: [
      { content_type: 'reading', title: 'Day one', body_markdown: 'Start here.' },
      { content_type: 'reading', title: 'Day three', body_markdown: 'Later.', available_after_days: 3 },
    ],
  });
  const account = await registerViaApi('drip');
  const { context, page, requests, errors } = await newSession(browser);
  try {
    await loginViaUi(page, account, `/courses/${course.id}`);
    await page.getByRole('button', { name: 'Enrol for free' }).click();
    await page.locator('main').getByText('You are enrolled in this course.').waitFor();
    await page.goto(`${BASE_URL}/learn/${course.id}/${lessons[1].id}`);
    await expectHeading(page, 'Day three');
    const lock = page.locator('.drip-lock');
    await lock.getByText('This lesson opens on').waitFor();
    const iso = await lock.locator('time').getAttribute('datetime');
    const opens = new Date(iso).getTime();
    const expected = Date.now() + 3 * 86400 * 1000;
    assert.ok(Math.abs(opens - expected) < 10 * 60 * 1000, `opens about three days from now (${iso})`);
    assert.equal(await page.getByRole('button', { name: 'Mark as complete' }).count(), 0);
    // The outline marks it locked for screen readers too.
    await page.locator('.player-outline .is-locked', { hasText: 'Day three' }).waitFor();
    // Locked lessons carry a padlock, not an error-like cross.
    assert.equal(await page.locator('.player-outline .is-locked .lock-mark').count(), 1);
    assert.ok(!(await page.locator('.player-outline').innerText()).includes('×'));
    await screenshot(page, 'lesson-drip-locked');
    assert.deepEqual(errors, []);
    assert.deepEqual(foreignRequests(requests), []);
  } finally {
    await context.close();
  }
});

test('a physical product goes from the cart through checkout to the manual payment instructions', async (t) => {
  if (needsCli(t)) return;
  const vendor = await staffAccount('vendor');
  const product = await makeProduct(vendor.token, { name: 'Enamel mug', price_cents: 1250, stock_quantity: 5 });
  const account = await registerViaApi('buyer');
  const { context, page, requests, errors } = await newSession(browser);
  try {
    await loginViaUi(page, account, `/products/${product.id}`);
    await expectHeading(page, product.name);
    await page.getByLabel('Quantity').fill('2');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.locator('main').getByText('Added to your cart.').waitFor();
    await page.getByRole('link', { name: 'View cart' }).click();
    await expectHeading(page, 'Your cart');
    await page.getByRole('link', { name: 'Go to checkout' }).click();

    await expectHeading(page, 'Checkout');
    // Placing the order without an address is refused next to the fields.
    await page.getByRole('button', { name: 'Place order' }).click();
    assert.equal(await page.getByLabel('Full name').getAttribute('aria-invalid'), 'true');
    await page.getByLabel('Full name').fill('Ada Buyer');
    await page.getByLabel('Address line 1').fill('1 Bakery Lane');
    await page.getByLabel('City').fill('Berlin');
    await page.getByLabel('Postal code').fill('10115');
    // The country is picked by name (typing "Germany" can no longer become "GE", Georgia).
    await page.getByLabel(/^Country/).selectOption({ label: 'Germany' });
    assert.equal(await page.getByLabel(/^Country/).inputValue(), 'DE');
    // Totals as the API computes them: 2 × 12.50 + shipping.
    await page.locator('.totals dt', { hasText: 'Shipping' }).waitFor();
    const total = await page.locator('.totals dd.total').textContent();
    assert.match(total, /30\.00/, `total includes 5.00 shipping (${total})`);
    // An unknown coupon is explained next to its field; totals stay.
    await page.getByLabel('Coupon code').fill('NOSUCHCODE');
    await page.getByRole('button', { name: 'Apply coupon' }).click();
    await page.locator('.field-invalid .field-error, .field-error:not([hidden])', { hasText: /coupon/i }).first().waitFor();
    await page.getByLabel('Coupon code').fill('');
    await screenshot(page, 'checkout');
    await page.getByRole('button', { name: 'Place order' }).click();

    // The payment step: the manual gateway shows its instructions.
    await page.waitForURL(/\/orders\/[^/]+\/pay$/);
    await expectHeading(page, /Pay for order SH-/);
    // With card payments on too, the step asks first.
    const manual = page.getByLabel(/Pay at the office or by bank transfer/);
    await manual.or(page.getByRole('heading', { name: 'How to pay' })).first().waitFor();
    if (await manual.count()) {
      await manual.check();
      await page.getByRole('button', { name: 'Continue' }).click();
    }
    await page.getByRole('heading', { name: 'How to pay' }).waitFor();
    await page.locator('.payment-instructions').waitFor();
    assert.ok((await page.locator('.payment-instructions').textContent()).trim().length > 10);
    await screenshot(page, 'payment-manual');

    // The order history lists it; the detail shows the timeline; cancelling works.
    await page.getByRole('link', { name: 'Orders', exact: true }).click();
    await expectHeading(page, 'Your orders');
    await page.locator('main').getByText('Awaiting payment').first().waitFor();
    await screenshot(page, 'orders');
    await page.locator('.orders-table a').first().click();
    await expectHeading(page, /Order SH-/);
    await page.locator('.timeline').getByText('order placed').waitFor();
    await page.locator('main').getByText('Ada Buyer').waitFor();
    // The shipping method by its name, not its id.
    await page.locator('main').getByText('Shipping method: Standard').waitFor();
    await screenshot(page, 'order-detail');
    page.once('dialog', (d) => d.accept());
    await page.getByRole('button', { name: 'Cancel order' }).click();
    await page.locator('.page-head .status-chip', { hasText: 'Cancelled' }).waitFor();
    await page.locator('.timeline').getByText('cancelled by the buyer').waitFor();
    assert.deepEqual(errors, []);
    assert.deepEqual(foreignRequests(requests), []);
  } finally {
    await context.close();
  }
});

test('a student turns on two-factor authentication with the QR code, logs in with a code and turns it off', async () => {
  const account = await registerViaApi('mfa');
  const { context, page, requests, errors } = await newSession(browser);
  try {
    await loginViaUi(page, account, '/account');
    await expectHeading(page, 'Your account');
    await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
    const qr = page.getByRole('img', { name: /QR code/ });
    await qr.waitFor();
    assert.match(await qr.getAttribute('src'), /^data:image\/svg\+xml/);
    await page.getByText('Cannot scan? Enter the key by hand').click();
    const secret = (await page.locator('.mfa-secret').textContent()).trim();
    await screenshot(page, 'account-mfa-setup');
    // Turning it on asks for the password; a wrong one is refused next to its field.
    const on = page.locator('form', { has: page.getByRole('button', { name: 'Turn on' }) });
    await on.getByLabel('Code from the app').fill(await totp(secret));
    await on.getByLabel('Password').fill('not my password');
    await on.getByRole('button', { name: 'Turn on' }).click();
    await on.locator('.field-invalid [name="password"]').waitFor();
    await on.getByLabel('Password').fill(account.password);
    // A wrong code is refused next to the field.
    await page.getByLabel('Code from the app').fill('000000');
    await page.getByRole('button', { name: 'Turn on' }).click();
    await on.locator('.field-invalid [name="code"]').waitFor();
    await page.getByLabel('Code from the app').fill(await totp(secret));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.locator('main').getByText('Save these recovery codes now.').waitFor();
    const codes = await page.locator('.recovery-codes li').allTextContents();
    assert.equal(codes.length, 10);
    await screenshot(page, 'account-mfa-recovery-codes');
    await page.getByRole('button', { name: 'I have saved them' }).click();
    assert.equal(await page.locator('.recovery-codes').count(), 0, 'recovery codes are shown once');

    // Log out and back in: the second step asks for a code; a recovery code works.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.goto(`${BASE_URL}/login?next=%2Faccount`);
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    const codeInput = page.locator('main input[autocomplete="one-time-code"]');
    await codeInput.waitFor();
    await codeInput.fill(codes[0]);
    await codeInput.press('Enter');
    await expectHeading(page, 'Your account');

    // Turn it off with the password and a current code.
    await page.getByLabel('Password', { exact: true }).first().waitFor();
    const off = page.locator('form', { has: page.getByRole('button', { name: 'Turn off' }) });
    await off.getByLabel('Password').fill(account.password);
    // A recovery code (the app's current code may already be used in this 30-second window).
    await off.getByLabel(/Code from the app or a recovery code/).fill(codes[1]);
    await off.getByRole('button', { name: 'Turn off' }).click();
    await page.locator('main').getByText('Two-factor authentication is off.').first().waitFor();
    await screenshot(page, 'account');
    assert.deepEqual(errors, []);
    assert.deepEqual(foreignRequests(requests), []);
  } finally {
    await context.close();
  }
});

test('checkout, orders, My courses, the lesson player and the account page pass an axe WCAG 2.1 AA audit', async (t) => {
  if (needsCli(t)) return;
  const { createRequire } = await import('node:module');
  const axe = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  const vendor = await staffAccount('vendor');
  const product = await makeProduct(vendor.token, { name: 'Audit apron' });
  const { course, lessons } = await makeCourse(instructor.token, {
    title: 'Audit course',
    lessons: [
      { content_type: 'reading', title: 'Intro', body_markdown: '# Heading\n\nText with a [link](/courses).' },
      { content_type: 'quiz', title: 'Quiz', questions: [{ kind: 'single_choice', prompt: 'One?', options: ['Yes', 'No'], answer: 0 }] },
      { content_type: 'assignment', title: 'Essay', instructions: 'Write **one** paragraph.', max_score: 10, pass_score: 5 },
    ],
  });
  const account = await registerViaApi('axe');
  const login = await apiCall('POST', '/auth/login', { email: account.email, password: account.password });
  await apiCall('POST', `/courses/${course.id}/enroll`, {}, login.access_token);
  await apiCall('POST', '/cart', { item_type: 'product', item_id: product.id, quantity: 1 }, login.access_token);
  const { context, page } = await newSession(browser, { bypassCSP: true });
  try {
    await loginViaUi(page, account, '/checkout');
    const pages = [
      ['/checkout', 'Checkout'],
      ['/my-courses', 'My courses'],
      [`/learn/${course.id}/${lessons[0].id}`, 'Intro'],
      [`/learn/${course.id}/${lessons[1].id}`, 'Quiz'],
      [`/learn/${course.id}/${lessons[2].id}`, 'Essay'],
      ['/orders', 'Your orders'],
      ['/account', 'Your account'],
    ];
    const problems = [];
    for (const [path, heading] of pages) {
      await page.goto(`${BASE_URL}${path}`);
      await expectHeading(page, heading);
      await page.waitForLoadState('networkidle');
      await page.addScriptTag({ content: axe });
      const result = await page.evaluate(() => window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        resultTypes: ['violations'],
      }));
      for (const v of result.violations) {
        problems.push(`${path}: ${v.id} (${v.impact}): ${v.help} -> ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
      }
    }
    await screenshot(page, 'account-page');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
