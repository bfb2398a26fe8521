// Instructor area, after the course is built: the assignment grading queue
// names the learner and the lesson, a grade completes the learner's lesson,
// and the lesson editor clears an optional field (sent as null) so the
// default applies again.
//
// Accounts are made with the CLI (UI_SERVER_BIN, UI_DATA_DIR from run.sh).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL, launch, newSession, foreignRequests, screenshot, newAccount, expectHeading,
} from './support.mjs';
import { canUseCli, staffAccount, makeCourse, apiCall } from './fixtures.mjs';

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
});

test('an instructor grades a submission named by learner and lesson, and clears a lesson setting', async (t) => {
  if (!canUseCli()) {
    t.skip('needs UI_SERVER_BIN and UI_DATA_DIR to create an instructor');
    return;
  }
  const instructor = await staffAccount('instructor');
  const { course, lessons } = await makeCourse(instructor.token, {
    title: 'Food writing',
    lessons: [{ content_type: 'assignment', title: 'Describe your loaf', instructions: 'One paragraph.', max_score: 10, pass_score: 8 }],
  });
  const essay = lessons[0];
  const learner = newAccount('writer');
  await apiCall('POST', '/auth/register', learner);
  const { access_token: token } = await apiCall('POST', '/auth/login', { email: learner.email, password: learner.password });
  await apiCall('POST', `/courses/${course.id}/enroll`, {}, token);
  await apiCall('POST', `/lessons/${essay.id}/submissions`, { text: 'Crackling crust, open crumb.' }, token);
  // A second learner's essay stays in the queue, so the count is seen to drop.
  const other = newAccount('writer2');
  await apiCall('POST', '/auth/register', other);
  const { access_token: otherToken } = await apiCall('POST', '/auth/login', { email: other.email, password: other.password });
  await apiCall('POST', `/courses/${course.id}/enroll`, {}, otherToken);
  await apiCall('POST', `/lessons/${essay.id}/submissions`, { text: 'Pale and dense.' }, otherToken);

  const { context, page, requests, errors } = await newSession(browser);
  try {
    await page.goto(`${BASE_URL}/admin/courses/${course.id}/grading`);
    await expectHeading(page, 'Log in');
    await page.getByLabel('Email').fill(instructor.email);
    await page.getByLabel('Password').fill(instructor.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    const item = page.locator('.submission', { hasText: 'Crackling crust, open crumb.' });
    await item.waitFor();
    await item.getByRole('heading', { name: 'Describe your loaf' }).waitFor();
    assert.equal(await item.locator('.learner-name').innerText(), learner.name);
    assert.match(await item.innerText(), new RegExp(learner.email.replace(/[.+]/g, '\\$&')));
    await screenshot(page, 'admin-grading');
    const form = page.getByRole('form', { name: `Grade ${learner.name}’s submission for Describe your loaf` });
    await form.getByLabel('Score (0–10)').fill('9');
    await form.getByLabel('Feedback').fill('Vivid.');
    assert.equal(await page.locator('.results-status').innerText(), '2 submissions');
    await form.getByRole('button', { name: 'Save grade' }).click();
    await page.locator('.results-status', { hasText: '1 submission' }).waitFor();
    await item.waitFor({ state: 'detached' });
    // Focus moved on to the next score to give.
    assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.name), 'score');
    const mine = await apiCall('GET', `/lessons/${essay.id}/submissions/mine`, undefined, token);
    const graded = mine.items[0];
    assert.equal(graded.score, 9);

    // The lesson editor: an emptied passing score goes back to the default (half the maximum).
    await page.goto(`${BASE_URL}/admin/courses/${course.id}/lessons/${essay.id}`);
    await expectHeading(page, 'Edit lesson: Describe your loaf');
    assert.equal(await page.getByLabel('Passing score').inputValue(), '8');
    await page.getByLabel('Passing score').fill('');
    await page.getByRole('button', { name: 'Save lesson' }).click();
    await page.waitForURL((url) => !url.pathname.endsWith(essay.id));
    const saved = await apiCall('GET', `/courses/${course.id}/lessons/${essay.id}`, undefined, instructor.token);
    assert.equal(saved.content.pass_score, 5);
    assert.equal(saved.content.max_score, 10);

    assert.deepEqual(errors, []);
    assert.deepEqual(foreignRequests(requests), []);
  } catch (err) {
    await screenshot(page, 'admin-grading-failure').catch(() => {});
    throw err;
  } finally {
    await context.close();
  }
});
