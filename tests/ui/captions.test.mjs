// Captions for video lessons (issue 29): an instructor uploads a video lesson in /admin,
// the course content page and the publish check warn (without blocking) while it has no
// captions, the lesson editor uploads an English and a French WebVTT file and a transcript;
// a learner's player then has two <track>s (English on by default for an English reader),
// choosing French shows the French cue, and the transcript folds open under the video.
//
// Accounts are made with the CLI on the server's data dir (UI_SERVER_BIN and UI_DATA_DIR,
// exported by run.sh); without them the test is skipped.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import {
  BASE_URL, launch, newSession, foreignRequests, screenshot, newAccount, expectHeading, logIn, loginViaUi,
} from './support.mjs';
import { apiCall, apiLogin, createAccount, canUseCli } from './fixtures.mjs';

const SAMPLE_WEBM = fileURLToPath(new URL('../../assets/demo/sample.webm', import.meta.url));
const EN_VTT = 'WEBVTT\n\n00:00.000 --> 00:30.000\nHello, class.\n';
const FR_VTT = 'WEBVTT\n\n00:00.000 --> 00:30.000\nBonjour, la classe.\n';

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
});

/** Answers the next confirm() inside its handler (a modal dialog blocks the page) and resolves with its text. */
function nextDialog(page, accept) {
  return new Promise((resolve) => {
    page.once('dialog', (d) => {
      resolve(d.message());
      if (accept) d.accept(); else d.dismiss();
    });
  });
}

test('an instructor captions a video lesson in two languages and a learner picks French', async (t) => {
  if (!canUseCli()) {
    t.skip('needs UI_SERVER_BIN and UI_DATA_DIR to create accounts');
    return;
  }
  const instructor = newAccount('instructor');
  createAccount(instructor, 'instructor');
  const learner = newAccount('learner');
  createAccount(learner, 'student');
  const token = await apiLogin(instructor.email, instructor.password);
  const title = `Captioned talk ${Date.now().toString(36)}`;
  const course = await apiCall('POST', '/courses', {
    title, price_cents: 0, description: 'A course whose video has captions.', status: 'draft',
  }, token);
  const section = await apiCall('POST', `/courses/${course.id}/sections`, { title: 'Week 1' }, token);
  const cid = encodeURIComponent(course.id);

  const staff = await newSession(browser);
  let lessonId;
  try {
    const { page } = staff;
    await page.goto(`${BASE_URL}/login?next=${encodeURIComponent(`/admin/courses/${cid}/lessons/new?type=video&section=${section.id}`)}`);
    await expectHeading(page, 'Log in');
    await logIn(page, instructor.email, instructor.password);
    await expectHeading(page, 'New lesson');
    await page.getByLabel('Title').fill('Welcome talk');
    await page.getByLabel('Lesson type').selectOption('video');
    await page.getByLabel('Or upload a video file').setInputFiles(SAMPLE_WEBM);
    await page.getByText('Upload finished.').waitFor();
    await page.getByLabel('Transcript').fill('Hello, **class**. Today we knead.');
    await page.getByText('Save the lesson as a video to add captions').waitFor();
    await page.getByRole('button', { name: 'Create lesson' }).click();
    await expectHeading(page, title);

    // No captions yet: the row says so, and publishing asks about it but is not refused.
    const row = page.locator('.lesson-row', { hasText: 'Welcome talk' });
    await row.locator('.no-captions', { hasText: 'No captions' }).waitFor();
    lessonId = await row.getAttribute('data-lesson');
    const asked = nextDialog(page, true);
    await page.getByRole('button', { name: 'Publish' }).click();
    assert.match(await asked, /no captions on one video lesson/);
    await page.locator('.pill', { hasText: 'Published' }).waitFor();
    await page.reload();
    await expectHeading(page, title);
    const warning = page.locator('.captions-warning');
    await warning.getByText('This course is published, and one video lesson has no captions').waitFor();

    // The lesson editor: two languages, one uploaded twice (the second replaces it).
    await warning.getByRole('link', { name: 'Welcome talk' }).click();
    await expectHeading(page, 'Edit lesson: Welcome talk');
    const editor = page.locator('.captions-editor');
    await editor.getByText('No captions yet.').waitFor();
    const addCaption = async (language, label, text) => {
      await editor.getByLabel('Language').fill(language);
      await editor.getByLabel('Label shown in the player').fill(label);
      await editor.getByLabel('WebVTT file').setInputFiles({ name: `${language}.vtt`, mimeType: 'text/vtt', buffer: Buffer.from(text) });
      await editor.getByRole('button', { name: 'Upload captions' }).click();
      await editor.locator('.caption-row', { hasText: label }).waitFor();
    };
    await addCaption('en', 'English', EN_VTT);
    await addCaption('fr', 'Francais', 'WEBVTT\n\n00:00.000 --> 00:30.000\nAncien texte.\n');
    await addCaption('fr', 'Français', FR_VTT);
    assert.deepEqual(await editor.locator('.caption-row code').allInnerTexts(), ['en', 'fr']);
    assert.equal(await editor.locator('.caption-row', { hasText: 'Francais' }).count(), 0, 'replaced, not added');
    // A file that is not WebVTT is explained and changes nothing.
    await editor.getByLabel('Language').fill('de');
    await editor.getByLabel('WebVTT file').setInputFiles({ name: 'de.srt', mimeType: 'text/plain', buffer: Buffer.from('1\n00:00:00,000 --> 00:00:01,000\nHallo\n') });
    await editor.getByRole('button', { name: 'Upload captions' }).click();
    await editor.locator('.alert-error', { hasText: /WebVTT/ }).waitFor();
    assert.equal(await editor.locator('.caption-row').count(), 2);

    await page.goto(`${BASE_URL}/admin/courses/${cid}`);
    await expectHeading(page, title);
    await page.locator('.lesson-row', { hasText: 'Welcome talk' }).waitFor();
    assert.equal(await page.locator('.no-captions').count(), 0);
    assert.equal(await page.locator('.captions-warning').count(), 0);
    await screenshot(page, 'captions-admin-content');
    assert.deepEqual(foreignRequests(staff.requests), []);
    assert.deepEqual(staff.errors, []);
  } finally {
    await staff.context.close();
  }

  const learnerToken = await apiLogin(learner.email, learner.password);
  await apiCall('POST', `/courses/${course.id}/enroll`, {}, learnerToken);
  const { context, page, requests, errors } = await newSession(browser);
  try {
    const lessonPath = `/learn/${cid}/${encodeURIComponent(lessonId)}`;
    await loginViaUi(page, learner, lessonPath);
    await expectHeading(page, 'Welcome talk');
    const video = page.locator('video.lesson-video');
    await video.waitFor();
    assert.equal(await video.locator('track').count(), 2);
    assert.deepEqual(await video.locator('track').evaluateAll((ts) => ts.map((el) => [el.kind, el.srclang, el.label, el.default])),
      [['captions', 'en', 'English', true], ['captions', 'fr', 'Français', false]]);
    // The learner picks French (as the player's captions menu does): its cue is the French one.
    const cue = await video.evaluate(async (v) => {
      const tracks = [...v.textTracks];
      for (const track of tracks) track.mode = track.language === 'fr' ? 'showing' : 'disabled';
      const fr = tracks.find((track) => track.language === 'fr');
      for (let i = 0; i < 100 && !(fr.cues && fr.cues.length); i += 1) {
        await new Promise((r) => setTimeout(r, 100));
      }
      return { text: fr.cues && fr.cues.length ? fr.cues[0].text : null, modes: tracks.map((track) => [track.language, track.mode]) };
    });
    assert.equal(cue.text, 'Bonjour, la classe.');
    assert.deepEqual(cue.modes, [['en', 'disabled'], ['fr', 'showing']]);

    // The transcript is under the video, folded until opened.
    const transcript = page.locator('details.transcript');
    await transcript.getByText('Transcript').click();
    await transcript.locator('strong', { hasText: 'class' }).waitFor();
    assert.match(await transcript.innerText(), /Today we knead\./);
    await screenshot(page, 'captions-player');
    assert.deepEqual(foreignRequests(requests), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
