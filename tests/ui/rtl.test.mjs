// Right-to-left (issue 29): the ar-XB pseudo-locale (English words shown right-to-left, the
// page in dir=rtl) mirrors the storefront and the lesson page, checked by where elements sit:
// the brand and the catalogue filters on the right, the lesson outline on the right of the
// lesson, with no WCAG A/AA violation. The en-XA pseudo-locale (words ~40% longer) still fits
// a phone without sideways scrolling.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import {
  BASE_URL, launch, newSession, screenshot, newAccount, loginViaUi,
} from './support.mjs';
import { canUseCli, staffAccount, makeCourse, createAccount, apiCall } from './fixtures.mjs';
import { sessionIn } from './i18n-support.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
});

async function audit(page) {
  await page.addScriptTag({ content: AXE_SOURCE });
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    resultTypes: ['violations'],
  }));
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} -> ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

async function settled(page) {
  await page.locator('main h1').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"], .loading'));
}

/** Left edge and right edge of the first element matching `selector`. */
async function box(page, selector) {
  const b = await page.locator(selector).first().boundingBox();
  assert.ok(b, `${selector} is on the page`);
  return { left: b.x, right: b.x + b.width, width: b.width };
}

test('the storefront in ar-XB runs right-to-left: brand and filters on the right, and axe finds nothing', async () => {
  const { context, page, errors } = await sessionIn(browser, 'ar-XB', { bypassCSP: true });
  try {
    await page.goto(`${BASE_URL}/courses`);
    await settled(page);
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    assert.equal(await page.getAttribute('html', 'lang'), 'ar-XB');
    // The words are the English ones, each shown right-to-left.
    assert.match(await page.locator('main h1').innerText(), /\u202eCatalogue\u202c/);
    const width = page.viewportSize().width;
    const brand = await box(page, '.brand');
    const nav = await box(page, '#site-nav ul');
    assert.ok(brand.right > width * 0.8, `the brand starts on the right (${brand.left}-${brand.right})`);
    assert.ok(nav.left < brand.left, 'the navigation follows on its left');
    const filters = await box(page, 'form.filters');
    const results = await box(page, '.results-section');
    assert.ok(filters.left > results.left, `the filters sit right of the results (${filters.left} vs ${results.left})`);
    await screenshot(page, 'rtl-catalogue');
    assert.deepEqual(await audit(page), []);

    // The same page in English keeps the filters on the left: the test sees a real flip.
    await context.addCookies([{ name: 'schoolhouse_locale', value: 'en', url: BASE_URL }]);
    await page.reload();
    await settled(page);
    assert.equal(await page.getAttribute('html', 'dir'), 'ltr');
    assert.ok((await box(page, 'form.filters')).left < (await box(page, '.results-section')).left);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a lesson in ar-XB has its outline on the right and passes axe', { skip: !canUseCli() && 'needs UI_SERVER_BIN and UI_DATA_DIR' }, async () => {
  const instructor = await staffAccount('instructor');
  const { course, lessons } = await makeCourse(instructor.token, {
    title: 'Mirrored reading',
    lessons: [
      { content_type: 'reading', title: 'First page', body_markdown: 'Words that read **right to left**.' },
      { content_type: 'reading', title: 'Second page', body_markdown: 'More words.' },
    ],
  });
  const learner = newAccount('rtl');
  createAccount(learner, 'student');
  const { access_token: token } = await apiCall('POST', '/auth/login', { email: learner.email, password: learner.password });
  await apiCall('POST', `/courses/${course.id}/enroll`, {}, token);

  const { context, page, errors } = await newSession(browser, { bypassCSP: true });
  try {
    await loginViaUi(page, learner, '/my-courses');
    await context.addCookies([{ name: 'schoolhouse_locale', value: 'ar-XB', url: BASE_URL }]);
    await page.goto(`${BASE_URL}/learn/${course.id}/${lessons[0].id}`);
    await settled(page);
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    const side = await box(page, '.player-side');
    const content = await box(page, '.player-content');
    assert.ok(side.left > content.left, `the outline sits right of the lesson (${side.left} vs ${content.left})`);
    await page.locator('main').getByText('right to left').waitFor();
    await screenshot(page, 'rtl-lesson');
    assert.deepEqual(await audit(page), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the catalogue and a course page in en-XA (40% longer words) fit a 390 px phone', async () => {
  const { context, page, errors } = await sessionIn(browser, 'en-XA', { viewport: { width: 390, height: 844 } });
  try {
    await page.goto(`${BASE_URL}/courses`);
    await settled(page);
    assert.match(await page.locator('main h1').innerText(), /Çáá/);
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(await overflow(), 0, 'no sideways scrolling on the catalogue');
    const first = page.locator('.card-title a').first();
    if (await first.count()) {
      await first.click();
      await settled(page);
      assert.equal(await overflow(), 0, 'no sideways scrolling on the course page');
    }
    await screenshot(page, 'en-xa-phone');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
