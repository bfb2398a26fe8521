// @ts-check
// Admin > Courses > lesson editor: one form per lesson type (video URL or
// uploaded file, reading Markdown with preview, quiz with its questions,
// assignment with scores).

import { get, post, put, api } from '../api.js';
import {
  h, replace, field, onSubmit, announce, markdown, uid, errorBox,
} from '../ui.js';
import { backLink, pageHead, intOrNull } from './common.js';
import { loadCourse } from './courses.js';
import { captionsEditor } from './captions.js';
import { t } from '../i18n.js';

const TYPES = () => ([['reading', t('reading')], ['video', t('video')], ['quiz', t('quiz')], ['assignment', t('assignment')]]);
const KINDS = () => ([['single_choice', t('single-choice')], ['multiple_choice', t('multiple-choice')], ['true_false', t('true-or-false')], ['short_text', t('short-text')]]);

/** Upload a file with POST /api/media; resolves with the MediaView. */
export async function uploadMedia(file) {
  const data = new FormData();
  data.append('file', file, file.name);
  return api('/media', { method: 'POST', body: data });
}

// ----------------------------------------------------------- quiz editor --

function blankQuestion(kind = 'single_choice') {
  return { kind, prompt: '', points: 1, options: ['', ''], answer: kind === 'multiple_choice' ? [] : kind === 'true_false' ? true : kind === 'short_text' ? [] : 0 };
}

function fromView(q) {
  const kind = q.kind;
  let answer = q.answer;
  if (kind === 'short_text' && typeof answer === 'string') answer = [answer];
  if (kind === 'multiple_choice' && !Array.isArray(answer)) answer = [];
  if (kind === 'single_choice' && typeof answer !== 'number') answer = 0;
  if (kind === 'true_false' && typeof answer !== 'boolean') answer = true;
  return { kind, prompt: q.prompt || '', points: q.points ?? 1, options: q.options && q.options.length ? q.options.slice() : ['', ''], answer: answer ?? (kind === 'short_text' ? [] : 0) };
}

/** The question list editor. Returns { node, collect() }. */
function quizEditor(initial) {
  const questions = initial.length ? initial.map(fromView) : [blankQuestion()];
  const list = h('ol', { class: 'question-list' });

  function sync() {
    // Read the current inputs back into the model before a structural change.
    list.querySelectorAll('.question-card').forEach((card, i) => {
      const q = questions[i];
      if (!q) return;
      q.prompt = card.querySelector('[data-role="prompt"]').value;
      q.points = card.querySelector('[data-role="points"]').value;
      if (q.kind === 'single_choice' || q.kind === 'multiple_choice') {
        q.options = [...card.querySelectorAll('[data-role="option"]')].map((el) => el.value);
        const marks = [...card.querySelectorAll('[data-role="correct"]')];
        if (q.kind === 'single_choice') q.answer = Math.max(0, marks.findIndex((m) => m.checked));
        else q.answer = marks.map((m, j) => (m.checked ? j : -1)).filter((j) => j >= 0);
      } else if (q.kind === 'true_false') {
        const tf = card.querySelector('[data-role="tf"]:checked');
        q.answer = tf ? tf.value === 'true' : true;
      } else {
        q.answer = card.querySelector('[data-role="accepted"]').value.split('\n').map((s) => s.trim()).filter(Boolean);
      }
    });
  }

  function change(fn, focusSel) {
    sync();
    fn();
    draw();
    if (focusSel) {
      const found = typeof focusSel === 'function' ? focusSel() : [...list.querySelectorAll(focusSel)];
      const el = (Array.isArray(found) ? found : [found]).find((x) => x && !x.disabled);
      if (el) el.focus();
    }
  }

  function optionsEditor(q, i) {
    const single = q.kind === 'single_choice';
    const group = uid('correct');
    const rows = q.options.map((opt, j) => {
      const textId = uid('opt');
      return h('li', { class: 'option-row' },
        h('input', {
          type: single ? 'radio' : 'checkbox', name: single ? group : null, dataset: { role: 'correct' },
          checked: single ? q.answer === j : (q.answer || []).includes(j), 'aria-label': t('option-value-is-correct', { value: j + 1 }),
        }),
        h('label', { for: textId, class: 'visually-hidden' }, t('option-value-of-question-value2', { value: j + 1, value2: i + 1 })),
        h('input', { id: textId, type: 'text', value: opt, dataset: { role: 'option' }, placeholder: t('option-value', { value: j + 1 }), maxlength: 500 }),
        h('button', {
          type: 'button', class: 'btn btn-secondary btn-icon', 'aria-label': t('remove-option-value-of-question-value2', { value: j + 1, value2: i + 1 }), disabled: q.options.length <= 2,
          on: { click: () => change(() => {
            q.options.splice(j, 1);
            if (single) q.answer = q.answer === j ? 0 : q.answer > j ? q.answer - 1 : q.answer;
            else q.answer = q.answer.filter((x) => x !== j).map((x) => (x > j ? x - 1 : x));
          }, `[data-q="${i}"] [data-role="option"]`) },
        }, h('span', { 'aria-hidden': 'true' }, '×')));
    });
    return h('fieldset', { class: 'field options', name: `questions[${i}].options` },
      h('legend', {}, single ? t('options-mark-the-correct-one') : t('options-tick-every-correct-one')),
      h('ul', { class: 'option-list' }, rows),
      h('button', {
        type: 'button', class: 'btn btn-secondary btn-small', disabled: q.options.length >= 20,
        on: { click: () => change(() => q.options.push(''), `[data-q="${i}"] .option-row:last-child [data-role="option"]`) },
      }, t('add-option'), h('span', { class: 'visually-hidden' }, ` ${t('to-question-value', { value: i + 1 })}`)),
      h('p', { class: 'field-error', hidden: true }));
  }

  function answerEditor(q, i) {
    if (q.kind === 'single_choice' || q.kind === 'multiple_choice') {
      return [optionsEditor(q, i), h('div', { class: 'field' }, h('input', { type: 'hidden', name: `questions[${i}].answer` }), h('p', { class: 'field-error', hidden: true }))];
    }
    if (q.kind === 'true_false') {
      const name = uid('tf');
      return h('fieldset', { class: 'field', name: `questions[${i}].answer` }, h('legend', {}, t('correct-answer')),
        h('div', { class: 'radio-row' },
          h('label', { class: 'check' }, h('input', { type: 'radio', name, value: 'true', dataset: { role: 'tf' }, checked: q.answer === true }), t('true')),
          h('label', { class: 'check' }, h('input', { type: 'radio', name, value: 'false', dataset: { role: 'tf' }, checked: q.answer === false }), t('false'))),
        h('p', { class: 'field-error', hidden: true }));
    }
    const id = uid('acc');
    const control = h('textarea', { id, name: `questions[${i}].answer`, rows: 3, dataset: { role: 'accepted' }, 'aria-describedby': `${id}-hint` });
    control.value = (q.answer || []).join('\n');
    return h('div', { class: 'field' }, h('label', { for: id }, t('accepted-answers')), control,
      h('p', { class: 'hint', id: `${id}-hint` }, t('one-per-line-matching-ignores-case')),
      h('p', { class: 'field-error', hidden: true }));
  }

  function moveTargets(index, dir) {
    const other = dir === 'up' ? 'down' : 'up';
    return [
      list.querySelector(`[aria-label="Move question ${index + 1} ${dir}"]`),
      list.querySelector(`[aria-label="Move question ${index + 1} ${other}"]`),
    ];
  }

  function card(q, i) {
    const promptId = uid('prompt');
    const kindId = uid('kind');
    const pointsId = uid('points');
    const prompt = h('textarea', { id: promptId, name: `questions[${i}].prompt`, rows: 2, dataset: { role: 'prompt' }, maxlength: 2000 });
    prompt.value = q.prompt;
    const kind = h('select', { id: kindId, name: `questions[${i}].kind` }, KINDS().map(([v, l]) => h('option', { value: v, selected: q.kind === v }, l)));
    kind.addEventListener('change', () => change(() => {
      const fresh = blankQuestion(kind.value);
      q.kind = fresh.kind;
      q.answer = fresh.answer;
      if (!q.options || q.options.length < 2) q.options = fresh.options;
    }, `[data-q="${i}"] select`));
    const n = questions.length;
    return h('li', { class: 'question-card', dataset: { q: String(i) } },
      h('div', { class: 'question-head' },
        h('h4', {}, t('question-value', { value: i + 1 })),
        h('div', { class: 'row-actions' },
          h('button', { type: 'button', class: 'btn btn-secondary btn-icon', 'aria-label': t('move-question-value-up', { value: i + 1 }), disabled: i === 0,
            on: { click: () => change(() => questions.splice(i - 1, 0, questions.splice(i, 1)[0]), () => moveTargets(i - 1, 'up')) } },
          h('span', { 'aria-hidden': 'true' }, '↑')),
          h('button', { type: 'button', class: 'btn btn-secondary btn-icon', 'aria-label': t('move-question-value-down', { value: i + 1 }), disabled: i === n - 1,
            on: { click: () => change(() => questions.splice(i + 1, 0, questions.splice(i, 1)[0]), () => moveTargets(i + 1, 'down')) } },
          h('span', { 'aria-hidden': 'true' }, '↓')),
          h('button', { type: 'button', class: 'btn btn-danger-outline btn-small', 'aria-label': t('remove-question-value', { value: i + 1 }), disabled: n <= 1,
            on: { click: () => change(() => questions.splice(i, 1), '.add-question') } }, t('remove')))),
      h('div', { class: 'form-grid' },
        h('div', { class: 'field' }, h('label', { for: kindId }, t('kind')), kind, h('p', { class: 'field-error', hidden: true })),
        h('div', { class: 'field' }, h('label', { for: pointsId }, t('points')),
          h('input', { id: pointsId, name: `questions[${i}].points`, type: 'number', min: 1, max: 1000, value: q.points, dataset: { role: 'points' } }),
          h('p', { class: 'field-error', hidden: true }))),
      h('div', { class: 'field' }, h('label', { for: promptId }, t('question-text')), prompt, h('p', { class: 'field-error', hidden: true })),
      answerEditor(q, i));
  }

  const addBtn = h('button', { type: 'button', class: 'btn btn-secondary add-question' }, t('add-question'));
  addBtn.addEventListener('click', () => change(() => questions.push(blankQuestion()), `[data-q="${questions.length}"] textarea`));

  function draw() {
    replace(list, questions.map(card));
  }
  draw();

  return {
    node: h('div', { class: 'quiz-editor' }, h('h3', {}, t('questions')), list, addBtn),
    collect() {
      sync();
      return questions.map((q) => {
        const out = { kind: q.kind, prompt: q.prompt.trim(), points: intOrNull(q.points) ?? 1 };
        if (q.kind === 'single_choice' || q.kind === 'multiple_choice') {
          out.options = q.options.map((o) => o.trim());
        }
        out.answer = q.answer;
        return out;
      });
    },
  };
}

// ----------------------------------------------------------- lesson form --

export async function lessonPage(ctx) {
  const loaded = await loadCourse(ctx);
  if (loaded.page) return loaded.page;
  const { course } = loaded;
  const cid = encodeURIComponent(course.id);
  const isNew = !ctx.params.lessonId;
  const outline = await get(`/courses/${cid}/lessons`, null, { signal: ctx.signal });
  const sections = outline.sections || [];
  let lesson = null;
  if (!isNew) {
    try {
      lesson = await get(`/courses/${cid}/lessons/${encodeURIComponent(ctx.params.lessonId)}`, null, { signal: ctx.signal });
    } catch (err) {
      if (err.name === 'AbortError') throw err;
      return { title: t('lesson'), node: h('section', { class: 'page' }, backLink(`/admin/courses/${cid}`, course.title), h('h1', {}, t('lesson-not-found')), errorBox(err)) };
    }
  }
  const back = `/admin/courses/${cid}`;
  if (!sections.length) {
    return {
      title: t('new-lesson'),
      node: h('section', { class: 'page' }, backLink(back, course.title), h('h1', {}, t('add-a-section-first')),
        h('p', {}, t('lessons-live-in-sections-add-a')),
        h('a', { href: back, class: 'btn btn-primary' }, t('go-to-the-course-content'))),
    };
  }
  const content = (lesson && lesson.content) || {};
  const type = lesson ? lesson.content_type : (ctx.query.get('type') || 'reading');
  const sectionId = lesson ? lesson.section_id : (ctx.query.get('section') || sections[0].id);

  const typeField = field({
    label: t('lesson-type'), name: 'content_type', type: 'select', value: type, required: true,
    options: TYPES().map(([value, label]) => ({ value, label })),
    hint: lesson ? t('changing-the-type-replaces-the-lesson') : null,
  });

  // Video
  const mediaName = h('span', { class: 'muted' }, content.media_id ? t('an-uploaded-video-is-attached') : t('no-file-uploaded'));
  const mediaId = h('input', { type: 'hidden', name: 'media_id', value: content.media_id || '' });
  const fileId = uid('file');
  const fileInput = h('input', { id: fileId, type: 'file', accept: 'video/*', 'aria-describedby': `${fileId}-status` });
  const uploadStatus = h('p', { class: 'hint', id: `${fileId}-status`, 'aria-live': 'polite' });
  fileInput.addEventListener('change', async () => {
    const file = fileInput.files && fileInput.files[0];
    if (!file) return;
    uploadStatus.textContent = t('uploading-name', { name: file.name });
    try {
      const media = await uploadMedia(file);
      mediaId.value = media.id;
      replace(mediaName, t('uploaded-value', { value: media.original_name || file.name }));
      uploadStatus.textContent = t('upload-finished');
      const url = form.elements.content_url;
      if (url) url.value = '';
    } catch (err) {
      uploadStatus.textContent = '';
      replace(uploadStatus, h('span', { class: 'error-text' }, err.userMessage || String(err)));
    }
  });
  const videoPart = h('fieldset', { class: 'type-part stack', dataset: { type: 'video' } },
    h('legend', {}, t('video')),
    field({ label: t('video-url'), name: 'content_url', type: 'url', value: content.content_url || '', hint: t('an-external-http-s-address-or'), attrs: { inputmode: 'url' } }),
    h('div', { class: 'field' }, h('label', { for: fileId }, t('or-upload-a-video-file')), fileInput, uploadStatus, mediaName, mediaId),
    field({ label: t('transcript'), name: 'transcript', type: 'textarea', value: content.transcript || '', attrs: { rows: 8, maxlength: 100000 }, hint: t('transcript-hint') }),
    lesson && lesson.content_type === 'video' ? null : h('p', { class: 'hint' }, t('caption-save-first')));

  // Reading
  const bodyField = field({ label: t('text-markdown'), name: 'body_markdown', type: 'textarea', value: content.body_markdown || '', attrs: { rows: 12 }, hint: t('heading-bold-italic-lists-link-https') });
  const previewBox = h('div', { class: 'md-preview', hidden: true, 'aria-live': 'polite' });
  const previewBtn = h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'aria-expanded': 'false' }, t('show-preview'));
  previewBtn.addEventListener('click', () => {
    const open = previewBox.hidden;
    previewBox.hidden = !open;
    previewBtn.setAttribute('aria-expanded', String(open));
    previewBtn.textContent = open ? t('hide-preview') : t('show-preview');
    if (open) replace(previewBox, markdown(form.elements.body_markdown.value));
  });
  const readingPart = h('fieldset', { class: 'type-part stack', dataset: { type: 'reading' } },
    h('legend', {}, t('reading')), bodyField, previewBtn, previewBox);

  // Quiz
  const quiz = quizEditor((content.questions || []));
  const quizPart = h('fieldset', { class: 'type-part stack', dataset: { type: 'quiz' } },
    h('legend', {}, t('quiz')),
    h('div', { class: 'form-grid' },
      field({ label: t('pass-mark'), name: 'pass_percent', type: 'number', value: content.pass_percent ?? 70, hint: t('empty-70'), attrs: { min: 0, max: 100 } }),
      field({ label: t('attempts-allowed'), name: 'max_attempts', type: 'number', value: content.max_attempts ?? '', hint: t('leave-empty-for-unlimited'), attrs: { min: 1, max: 100 } })),
    h('input', { type: 'hidden', name: 'questions' }),
    quiz.node);

  // Assignment
  const assignmentPart = h('fieldset', { class: 'type-part stack', dataset: { type: 'assignment' } },
    h('legend', {}, t('assignment')),
    field({ label: t('instructions'), name: 'instructions', type: 'textarea', value: content.instructions || '', attrs: { rows: 8 }, hint: t('what-the-learner-hands-in-and') }),
    h('div', { class: 'form-grid' },
      field({ label: t('maximum-score'), name: 'max_score', type: 'number', value: content.max_score ?? 100, hint: t('empty-100'), attrs: { min: 1, max: 10000 } }),
      field({ label: t('passing-score'), name: 'pass_score', type: 'number', value: content.pass_score ?? 50, hint: t('empty-half-the-maximum-score'), attrs: { min: 0, max: 10000 } })));

  const parts = [videoPart, readingPart, quizPart, assignmentPart];
  const form = h('form', { class: 'stack form-card', 'aria-label': t('lesson') },
    h('div', { class: 'form-grid' },
      field({ label: t('title'), name: 'title', required: true, value: lesson ? lesson.title : '', attrs: { maxlength: 200 } }),
      typeField,
      field({ label: t('section'), name: 'section_id', type: 'select', value: sectionId, options: sections.map((s) => ({ value: s.id, label: s.title })) }),
      field({ label: t('duration-minutes'), name: 'duration_minutes', type: 'number', value: lesson && lesson.duration_seconds ? Math.round(lesson.duration_seconds / 60) : '', attrs: { min: 0, max: 10000 } }),
      field({ label: t('opens-after-days'), name: 'available_after_days', type: 'number', value: lesson ? lesson.available_after_days : 0, hint: t('drip-days-after-enrolment-0-opens'), attrs: { min: 0, max: 3650 } })),
    h('div', { class: 'check-row' },
      field({ label: t('free-preview-anyone-can-open-it'), name: 'is_preview', type: 'checkbox', value: lesson ? lesson.is_preview : false }),
      field({ label: t('required-for-completion'), name: 'required', type: 'checkbox', value: lesson ? lesson.required : true })),
    parts,
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'btn btn-primary' }, isNew ? t('create-lesson') : t('save-lesson')),
      h('a', { href: back }, t('cancel'))));

  const typeSelect = form.elements.content_type;
  const showType = () => {
    for (const p of parts) {
      const on = p.dataset.type === typeSelect.value;
      p.hidden = !on;
      p.disabled = !on;
    }
  };
  typeSelect.addEventListener('change', showType);
  showType();

  onSubmit(form, async (v) => {
    const type = v.content_type;
    const body = {
      title: v.title,
      content_type: type,
      section_id: v.section_id,
      is_preview: v.is_preview,
      required: v.required,
      available_after_days: intOrNull(v.available_after_days) ?? 0,
      duration_seconds: Math.round((Number(v.duration_minutes) || 0) * 60),
    };
    // Optional fields are sent as null when empty: on an update that clears them
    // (the API keeps a field that is left out).
    if (type === 'video') {
      if (v.content_url) Object.assign(body, { content_url: v.content_url, media_id: null });
      else if (v.media_id) Object.assign(body, { media_id: v.media_id, content_url: null });
      else body.content_url = '';
      body.transcript = form.elements.transcript.value.trim() ? form.elements.transcript.value : null;
    } else if (type === 'reading') {
      body.body_markdown = form.elements.body_markdown.value;
    } else if (type === 'quiz') {
      body.pass_percent = intOrNull(v.pass_percent);
      body.max_attempts = intOrNull(v.max_attempts);
      body.questions = quiz.collect();
    } else {
      body.instructions = form.elements.instructions.value;
      body.max_score = intOrNull(v.max_score);
      body.pass_score = intOrNull(v.pass_score);
    }
    const saved = isNew
      ? await post(`/courses/${cid}/lessons`, body)
      : await put(`/courses/${cid}/lessons/${encodeURIComponent(lesson.id)}`, body);
    // A lesson moved to another section goes to its end.
    announce(isNew ? t('lesson-title-created', { title: saved.title }) : t('lesson-title-saved', { title: saved.title }));
    ctx.router.navigate(back);
  }, { busyLabel: t('saving') });

  const title = isNew ? t('new-lesson') : t('edit-lesson-title', { title: lesson.title });
  return {
    title,
    node: h('section', { class: 'page narrow-page' },
      backLink(back, course.title),
      pageHead(title, null, lesson ? h('a', { href: `/learn/${cid}/${encodeURIComponent(lesson.id)}`, class: 'btn btn-secondary', target: '_blank', rel: 'noopener' }, t('preview-as-learner'), h('span', { class: 'visually-hidden' }, ` ${t('opens-in-a-new-tab')}`)) : null),
      form,
      lesson && lesson.content_type === 'video'
        ? captionsEditor(cid, encodeURIComponent(lesson.id), content.captions)
        : null),
  };
}
