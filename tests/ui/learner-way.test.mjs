// The learner's way through the storefront without dead ends (issue 33): free previews
// open from the course page, "Enrol" chosen before signing in is carried out after it,
// an enrolled learner starts and continues from the course page, a certificate's link
// opens a public verification page, and staff land in their area after logging in.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL, launch, newSession, foreignRequests, screenshot, newAccount, expectHeading, logIn,
} from './support.mjs';
import { apiCall, canUseCli, staffAccount, makeCourse, makeProduct, createAccount } from './fixtures.mjs';

let browser;
let instructor;
let course;
let lessons;

before(async () => {
  browser = await launch();
  if (!canUseCli()) return;
  instructor = await staffAccount('instructor');
  ({ course, lessons } = await makeCourse(instructor.token, {
    title: 'Watercolour basics',
    lessons: [
      { content_type: 'reading', title: 'Why paint with water', is_preview: true, body_markdown: 'Water carries the **pigment** across the paper.' },
      { content_type: 'reading', title: 'Mixing greens', body_markdown: 'Yellow and blue, in many proportions.' },
    ],
  }));
});

after(async () => {
  if (browser) await browser.close();
});

test('a visitor opens a free preview lesson from the course page', { skip: !canUseCli() && 'needs UI_SERVER_BIN and UI_DATA_DIR' }, async () => {
  const { context, page, requests, errors } = await newSession(browser);
  try {
    await page.goto(`${BASE_URL}/courses/${course.id}`);
    await expectHeading(page, course.title);
    const outline = page.locator('.outline');
    // Only the preview is a link: the rest of the course needs an enrolment.
    await outline.getByRole('link', { name: 'Why paint with water' }).click();
    await expectHeading(page, 'Why paint with water');
    await page.locator('main').getByText('Water carries the').waitFor();
    await page.getByText('Free preview').waitFor();
    assert.equal(await outline.count(), 0, 'the preview is its own page');
    await screenshot(page, 'preview-lesson');
    await page.getByRole('link', { name: 'Back to the course page' }).click();
    await expectHeading(page, course.title);
    assert.equal(await page.locator('.outline').getByRole('link', { name: 'Mixing greens' }).count(), 0);
    // A lesson that is not a preview still asks the visitor to sign in.
    await page.goto(`${BASE_URL}/learn/${course.id}/${lessons[1].id}`);
    await expectHeading(page, 'Log in');
    assert.deepEqual(errors, []);
    assert.deepEqual(foreignRequests(requests), []);
  } finally {
    await context.close();
  }
});

test('a visitor who chose Enrol signs up and finds themselves enrolled, then starts the course', { skip: !canUseCli() && 'needs UI_SERVER_BIN and UI_DATA_DIR' }, async () => {
  const { context, page, requests, errors } = await newSession(browser);
  const account = newAccount('intent');
  try {
    await page.goto(`${BASE_URL}/courses/${course.id}`);
    await expectHeading(page, course.title);
    await page.getByRole('button', { name: 'Enrol for free' }).click();
    await expectHeading(page, 'Log in');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await expectHeading(page, 'Create an account');
    await page.getByLabel('Name').fill(account.name);
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    // Back on the course, the enrolment asked for before signing up is done.
    await expectHeading(page, course.title);
    await page.locator('.buy-box .enrolled', { hasText: 'You are enrolled in this course.' }).waitFor();
    assert.ok(!page.url().includes('intent='), 'the intent is carried out once and leaves the address');
    await screenshot(page, 'course-enrolled-start');
    // Enrolled: every open lesson of the outline is a link, and Start opens the first one.
    await page.locator('.outline').getByRole('link', { name: 'Mixing greens' }).waitFor();
    await page.getByRole('link', { name: 'Start the course' }).click();
    await page.locator('main').getByText('Water carries the').waitFor();
    await page.getByRole('button', { name: 'Complete and continue' }).click();
    await expectHeading(page, 'Mixing greens');
    await page.locator('main').getByText('Course progress: 50%').waitFor();
    // The last lesson has nowhere to go on to.
    await page.getByRole('button', { name: 'Mark as complete' }).waitFor();
    await page.goto(`${BASE_URL}/courses/${course.id}`);
    await page.getByRole('link', { name: 'Continue learning' }).waitFor();
    assert.deepEqual(errors, []);
    assert.deepEqual(foreignRequests(requests), []);
  } finally {
    await context.close();
  }
});

test('a certificate link opens a public page that says it is valid, and a wrong number says so', { skip: !canUseCli() && 'needs UI_SERVER_BIN and UI_DATA_DIR' }, async () => {
  const learner = newAccount('certified');
  createAccount(learner, 'student');
  const token = (await apiCall('POST', '/auth/login', { email: learner.email, password: learner.password })).access_token;
  await apiCall('POST', `/courses/${course.id}/enroll`, {}, token);
  for (const lesson of lessons) {
    await apiCall('POST', `/courses/${course.id}/progress`, { lesson_id: lesson.id, completed: true }, token);
  }
  const mine = await apiCall('GET', '/users/me/courses', undefined, token);
  const serial = mine.items.find((c) => c.course_id === course.id).certificate_serial;
  assert.ok(serial, 'completing the course issued a certificate');

  const { context, page, requests, errors } = await newSession(browser);
  try {
    await page.goto(`${BASE_URL}/certificates/${serial}`);
    await expectHeading(page, 'Valid certificate');
    await page.getByText(learner.name).waitFor();
    await page.getByText(course.title).waitFor();
    await screenshot(page, 'certificate-valid');
    await page.getByRole('link', { name: 'Check another certificate' }).click();
    await expectHeading(page, 'Check a certificate');
    await page.getByLabel('Certificate number').fill('SH-CERT-ZZZZ-ZZZZ');
    await page.getByRole('button', { name: 'Check' }).click();
    await expectHeading(page, 'Certificate not found');

    // The learner's review is signed with their name, not "A learner".
    await apiCall('POST', `/courses/${course.id}/reviews`, { rating: 5, comment: 'Clear and calm.' }, token);
    await page.goto(`${BASE_URL}/courses/${course.id}`);
    await page.locator('.review', { hasText: 'Clear and calm.' }).getByText(learner.name).waitFor();
    assert.deepEqual(errors, []);
    assert.deepEqual(foreignRequests(requests), []);
  } finally {
    await context.close();
  }
});

test('an instructor who logs in without a destination lands in the admin area', { skip: !canUseCli() && 'needs UI_SERVER_BIN and UI_DATA_DIR' }, async () => {
  const { context, page, errors } = await newSession(browser);
  try {
    await page.goto(`${BASE_URL}/login`);
    await expectHeading(page, 'Log in');
    await logIn(page, instructor.email, instructor.password);
    await page.waitForURL((url) => url.pathname.startsWith('/admin'));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("the API's field names and messages reach people as sentences", async () => {
  const { context, page, errors } = await newSession(browser);
  try {
    await page.goto(`${BASE_URL}/courses?min_price=5000&max_price=1000`);
    await page.locator('main').getByText('Max price must not be below min price.').waitFor();
    const said = await page.evaluate(async () => {
      const { problemSentence, fieldSentence } = await import('/js/words.js');
      return [
        problemSentence('max_price: must not be below min_price'),
        fieldSentence('Email', 'an account with this email already exists'),
        fieldSentence('Price', 'must be positive'),
        problemSentence('the order is already paid'),
      ];
    });
    assert.deepEqual(said, [
      'Max price must not be below min price.',
      'An account with this email already exists.',
      'Price must be positive.',
      'The order is already paid.',
    ]);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('every learner page fits a 390 px phone without sideways scrolling, with the lesson before the outline', { skip: !canUseCli() && 'needs UI_SERVER_BIN and UI_DATA_DIR' }, async () => {
  const learner = newAccount('phone');
  createAccount(learner, 'student');
  const token = (await apiCall('POST', '/auth/login', { email: learner.email, password: learner.password })).access_token;
  await apiCall('POST', `/courses/${course.id}/enroll`, {}, token);
  const paid = await makeCourse(instructor.token, { title: 'A rather long course title about botanical watercolour techniques', price_cents: 4900, lessons: [{ content_type: 'reading', title: 'One', body_markdown: 'x' }] });
  await apiCall('POST', '/cart', { item_type: 'course', item_id: paid.course.id, quantity: 1 }, token);
  const vendor = await staffAccount('vendor');
  const goods = await makeProduct(vendor.token, { name: 'Cold-pressed watercolour paper block, 300 g/m², 24 sheets', price_cents: 2350 });
  await apiCall('POST', '/cart', { item_type: 'product', item_id: goods.id, quantity: 2 }, token);

  const { context, page, errors } = await newSession(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  try {
    await page.goto(`${BASE_URL}/login`);
    await logIn(page, learner.email, learner.password);
    await expectHeading(page, 'Your account');
    const pages = [
      ['/', 'Catalogue'],
      [`/courses/${course.id}`, course.title],
      ['/cart', 'Your cart'],
      ['/checkout', 'Checkout'],
      ['/orders', 'Your orders'],
      ['/my-courses', 'My courses'],
      [`/learn/${course.id}/${lessons[0].id}`, 'Why paint with water'],
      ['/certificates', 'Check a certificate'],
      ['/account', 'Your account'],
    ];
    const wide = [];
    for (const [path, heading] of pages) {
      await page.goto(`${BASE_URL}${path}`);
      await expectHeading(page, heading);
      await page.waitForFunction(() => !document.querySelector('[aria-busy="true"], .loading'));
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 390) wide.push(`${path}: ${width}px`);
    }
    assert.deepEqual(wide, [], 'pages wider than the phone');
    // In the player the lesson comes first; the outline waits behind its summary.
    await page.goto(`${BASE_URL}/learn/${course.id}/${lessons[0].id}`);
    await expectHeading(page, 'Why paint with water');
    assert.equal(await page.locator('.outline-drawer').getAttribute('open'), null);
    assert.equal(await page.locator('.player-outline').isVisible(), false);
    await page.locator('.outline-drawer > summary').click();
    await page.locator('.player-outline').getByRole('link', { name: /Mixing greens/ }).waitFor();
    await screenshot(page, 'phone-player-outline');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a visitor fills a cart without an account, signs up, and finds the same cart at checkout', { skip: !canUseCli() && 'needs UI_SERVER_BIN and UI_DATA_DIR' }, async () => {
  const vendor = await staffAccount('vendor');
  const paper = await makeProduct(vendor.token, { name: 'Sketching paper', price_cents: 1200 });
  const paid = await makeCourse(instructor.token, { title: 'Ink washes', price_cents: 3900, lessons: [{ content_type: 'reading', title: 'Ink', body_markdown: 'x' }] });
  const account = newAccount('guest');
  const { context, page, requests, errors } = await newSession(browser);
  try {
    await page.goto(`${BASE_URL}/products/${paper.id}`);
    await expectHeading(page, paper.name);
    await page.getByLabel('Quantity').fill('2');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.locator('main').getByText('Added to your cart.').waitFor();
    await page.getByRole('navigation').getByRole('link', { name: /Cart/ }).getByText('2').waitFor();
    await page.goto(`${BASE_URL}/courses/${paid.course.id}`);
    await expectHeading(page, paid.course.title);
    await page.getByRole('button', { name: 'Buy this course' }).click();
    await expectHeading(page, 'Your cart');
    await page.locator('.cart-item', { hasText: paper.name }).waitFor();
    await page.locator('.cart-item', { hasText: paid.course.title }).waitFor();
    // 2 × 12.00 + 39.00
    assert.match(await page.locator('.cart-summary dd.total').innerText(), /63\.00/);
    await screenshot(page, 'guest-cart');

    await page.getByRole('link', { name: 'Create an account' }).click();
    await expectHeading(page, 'Create an account');
    await page.getByLabel('Name').fill(account.name);
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expectHeading(page, 'Checkout');
    const token = (await apiCall('POST', '/auth/login', { email: account.email, password: account.password })).access_token;
    const cart = await apiCall('GET', '/cart', undefined, token);
    const lines = cart.items.map((i) => `${i.item_id}×${i.quantity}`).sort();
    assert.deepEqual(lines, [`${paid.course.id}×1`, `${paper.id}×2`].sort());
    // Nothing of the visitor's cart is left in the browser.
    assert.equal(await page.evaluate(() => JSON.stringify({ ...localStorage })), '{}');
    assert.deepEqual(errors, []);
    assert.deepEqual(foreignRequests(requests), []);
  } finally {
    await context.close();
  }
});
