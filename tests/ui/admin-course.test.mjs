// Instructor area: an instructor builds a course in /admin (details, a section,
// a reading lesson and a quiz lesson with two questions), reorders lessons with
// the keyboard, publishes it, and the public catalogue then lists it.
//
// Accounts are made with the CLI on the server's data dir (UI_SERVER_BIN and
// UI_DATA_DIR, exported by run.sh); without them the test is skipped.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL, launch, newSession, foreignRequests, screenshot, newAccount, expectHeading, logIn,
} from './support.mjs';
import { createAccount, canUseCli } from './fixtures.mjs';

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
});

const ONE_PIXEL_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

test('an instructor creates a course with a section, a reading and a quiz, and publishes it', async (t) => {
  if (!canUseCli()) {
    t.skip('needs UI_SERVER_BIN and UI_DATA_DIR to create an instructor');
    return;
  }
  const instructor = newAccount('instructor');
  createAccount(instructor, 'instructor');
  const title = `Pottery basics ${Date.now().toString(36)}`;
  const { context, page, requests, errors } = await newSession(browser);
  try {
    await page.goto(`${BASE_URL}/admin`);
    await expectHeading(page, 'Log in');
    await logIn(page, instructor.email, instructor.password);
    await expectHeading(page, 'My courses');
    await page.getByText('No courses yet.').waitFor();
    // Instructors see their own tools only.
    const nav = page.getByRole('navigation', { name: 'Admin sections' });
    assert.deepEqual(await nav.getByRole('link').allInnerTexts(), ['My courses', 'Bundles']);

    await page.getByRole('link', { name: 'New course' }).first().click();
    await expectHeading(page, 'New course');
    // A problem from the API is shown next to its field.
    await page.getByRole('button', { name: 'Create course' }).click();
    await page.locator('.field-error:not([hidden])').first().waitFor();
    assert.equal(await page.getByLabel('Title').getAttribute('aria-invalid'), 'true');

    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Description').fill('Throw your **first bowl** on the wheel.');
    await page.getByLabel(/^Price/).fill('0');
    await page.getByLabel('Level').selectOption('beginner');
    await page.getByRole('button', { name: 'Create course' }).click();
    await expectHeading(page, title);
    await page.getByText('This course has no sections yet.').waitFor();
    await page.locator('.pill', { hasText: 'Draft' }).waitFor();
    const courseId = decodeURIComponent(new URL(page.url()).pathname.split('/')[3]);
    // A course with nothing to learn cannot be published; the check says what is missing.
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('alert').filter({ hasText: 'It has no lessons' }).waitFor();
    await page.locator('.pill', { hasText: 'Draft' }).waitFor();

    await page.getByLabel('New section title').fill('Getting started');
    await page.getByRole('button', { name: 'Add section' }).click();
    await page.getByRole('heading', { name: /Getting started/ }).waitFor();

    // A reading lesson.
    await page.getByRole('link', { name: /Add lesson/ }).click();
    await expectHeading(page, 'New lesson');
    await page.getByLabel('Title').fill('Clay and tools');
    await page.getByLabel('Lesson type').selectOption('reading');
    await page.getByLabel('Text (Markdown)').fill('# Clay\n\nUse **stoneware** clay.\n\n- a wheel\n- a sponge');
    await page.getByRole('button', { name: 'Show preview' }).click();
    await page.locator('.md-preview strong', { hasText: 'stoneware' }).waitFor();
    await page.getByLabel('Free preview (anyone can open it)').check();
    await page.getByRole('button', { name: 'Create lesson' }).click();
    await expectHeading(page, title);
    await page.getByRole('link', { name: 'Clay and tools', exact: true }).waitFor();

    // A quiz lesson with a single-choice and a true/false question.
    await page.getByRole('link', { name: /Add lesson/ }).click();
    await expectHeading(page, 'New lesson');
    await page.getByLabel('Title').fill('Check your knowledge');
    await page.getByLabel('Lesson type').selectOption('quiz');
    await page.getByLabel('Pass mark (%)').fill('50');
    const q1 = page.locator('.question-card').nth(0);
    await q1.getByLabel('Question text', { exact: true }).fill('Which clay is fired hottest?');
    await q1.getByLabel('Option 1 of question 1', { exact: true }).fill('Earthenware');
    await q1.getByLabel('Option 2 of question 1', { exact: true }).fill('Stoneware');
    await q1.getByRole('button', { name: /Add option/ }).click();
    await q1.getByLabel('Option 3 of question 1', { exact: true }).fill('Paper clay');
    await q1.getByRole('radio', { name: 'Option 2 is correct' }).check();
    await page.getByRole('button', { name: '+ Add question' }).click();
    const q2 = page.locator('.question-card').nth(1);
    await q2.getByLabel('Kind', { exact: true }).selectOption('true_false');
    await q2.getByLabel('Question text', { exact: true }).fill('A kiln must cool slowly.');
    await q2.getByRole('radio', { name: 'True' }).check();
    await screenshot(page, 'admin-quiz-editor');
    await page.getByRole('button', { name: 'Create lesson' }).click();
    await expectHeading(page, title);
    const rows = page.locator('.lesson-row .lesson-row-title');
    await rows.nth(1).waitFor();
    assert.deepEqual(await rows.allInnerTexts(), ['Clay and tools', 'Check your knowledge']);

    // Move the quiz up with the keyboard only; focus stays on the moved lesson.
    const up = page.getByRole('button', { name: 'Move lesson “Check your knowledge” up' });
    await up.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('.lesson-row .lesson-row-title')?.textContent === 'Check your knowledge');
    assert.deepEqual(await rows.allInnerTexts(), ['Check your knowledge', 'Clay and tools']);
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    assert.equal(focused, 'Move lesson “Check your knowledge” down');

    // The quiz was stored with its answers (authoring view).
    const quizLink = page.getByRole('link', { name: 'Check your knowledge', exact: true });
    await quizLink.click();
    await expectHeading(page, 'Edit lesson: Check your knowledge');
    assert.equal(await page.locator('.question-card').count(), 2);
    assert.ok(await page.locator('.question-card').nth(0).getByRole('radio', { name: 'Option 2 is correct' }).isChecked());
    await page.getByRole('link', { name: 'Cancel' }).click();
    await expectHeading(page, title);

    // Without a cover the publish check asks first; saying no keeps the draft. The dialog is
    // answered inside its handler: a modal confirm() blocks the page, so a click awaited
    // before answering it can stall until it times out.
    const question = new Promise((resolve) => {
      page.once('dialog', (d) => {
        resolve(d.message());
        d.dismiss();
      });
    });
    await page.getByRole('button', { name: 'Publish' }).click();
    assert.match(await question, /no cover image/);
    await page.getByRole('button', { name: 'Publish', disabled: false }).waitFor();
    assert.equal(await page.locator('.status-slot .pill').innerText(), 'Draft');

    // A cover uploaded on the Details tab, then published without a question.
    await page.getByRole('link', { name: 'Details', exact: true }).click();
    await page.getByLabel('Cover image').setInputFiles({ name: 'cover.png', mimeType: 'image/png', buffer: Buffer.from(ONE_PIXEL_PNG, 'base64') });
    await page.getByText('cover.png uploaded').waitFor();
    await page.getByRole('button', { name: 'Save details' }).click();
    await page.getByText('The course details were saved.').waitFor();
    await page.getByRole('link', { name: 'Content', exact: true }).click();
    await expectHeading(page, title);
    let asked = '';
    page.once('dialog', (d) => {
      asked = d.message();
      d.dismiss();
    });
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.locator('.pill', { hasText: 'Published' }).waitFor();
    assert.equal(asked, '', 'a course with lessons, a description and a cover publishes without a question');

    await page.getByRole('button', { name: 'Unpublish' }).waitFor();
    await screenshot(page, 'admin-course-content');

    const res = await fetch(`${BASE_URL}/api/courses?q=${encodeURIComponent(title)}`);
    const listed = await res.json();
    assert.ok(listed.items.some((c) => c.id === courseId), 'the published course is in the public catalogue');
    const outline = await (await fetch(`${BASE_URL}/api/courses/${courseId}/lessons`)).json();
    assert.deepEqual(outline.sections[0].lessons.map((l) => [l.title, l.content_type]),
      [['Check your knowledge', 'quiz'], ['Clay and tools', 'reading']]);

    // The storefront shows it too.
    await page.goto(`${BASE_URL}/courses/${courseId}`);
    await expectHeading(page, title);

    // Back in the admin list: the course and its status.
    await page.goto(`${BASE_URL}/admin/courses`);
    await expectHeading(page, 'My courses');
    const row = page.locator('tbody tr', { hasText: title });
    await row.waitFor();
    assert.match(await row.innerText(), /Published/);
    await screenshot(page, 'admin-my-courses');

    assert.deepEqual(errors, []);
    assert.deepEqual(foreignRequests(requests), []);
  } catch (err) {
    await screenshot(page, 'admin-course-failure').catch(() => {});
    throw err;
  } finally {
    await context.close();
  }
});
